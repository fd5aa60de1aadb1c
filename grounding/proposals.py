"""Widget proposals from image analysis: boxes drawn as controls (fields, boxes, buttons) that OCR cannot name.

Closed outlines are found with edge detection; each outline is classified by its shape (square, circle,
wide bar), its size relative to the screen's text height, its fill and what is drawn inside it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np

from grounding.elements import Box
from grounding.medians import median


@dataclass(frozen=True)
class Proposal:
    box: Box
    shape: str  # "square", "circle", "bar", "panel"
    fill: float  # median grey level of the interior, 0-255
    inked: float  # fraction of interior pixels that differ from the fill
    x_shape: float  # 0-1, how much the interior ink looks like an "x"
    right_ink: float  # share of the rightmost columns holding ink (a dropdown's chevron)
    straight: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)  # top, bottom, left, right: longest edge run
    corners: int = 4  # how many of the box's corners hold its outline (a ring leaves them empty)

    @property
    def drawn(self) -> bool:
        """Whether the outline is a drawn border or a filled box's edge (straight sides), not a cluster of glyphs
        whose dilated edges happen to close."""
        top, bottom, left, right = self.straight
        return min(top, bottom) >= 0.7 and (min(left, right) >= 0.5 or min(top, bottom) >= 0.9)


def trace(gray: np.ndarray, raw: np.ndarray | None = None) -> list[np.ndarray]:
    """The contours find_outlines looks among: traced on the grey screen's edges (``raw``: cv2.Canny(gray, 30, 90),
    when known) and on their dilation, which closes borders broken by anti-aliasing but joins a caption to a border
    one pixel away (small text in a tight button)."""
    raw = cv2.Canny(gray, 30, 90) if raw is None else raw
    edges = cv2.dilate(raw, np.ones((3, 3), np.uint8))
    return [*cv2.findContours(edges, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0],
            *cv2.findContours(raw, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0]]


def find_outlines(image: np.ndarray, text_height: float,
                  traced: tuple[np.ndarray, np.ndarray, list[np.ndarray]] | None = None) -> list[Proposal]:
    """Closed, box-like outlines, deduplicated, as proposals; ``text_height`` is the glyph height of a line.
    ``traced``: the grey screen, its edges (cv2.Canny(gray, 30, 90)) and trace(gray), when known."""
    if traced is None:
        gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
        raw = cv2.Canny(gray, 30, 90)
        traced = gray, raw, trace(gray, raw)
    gray, raw, contours = traced
    min_side = max(6.0, 0.55 * text_height)
    h_img, w_img = gray.shape
    found: list[Proposal] = []
    rings = thin_rings(gray, text_height)
    for fill_ratio, (x, y, w, h) in _closed(contours, min_side, w_img, h_img) + rings:
        box = Box(x, y, x + w, y + h)
        # a traced box as low as a thin ring may be a slider's track up to its handle: only a ring is a field
        shape = _shape(w, h, text_height) or ("bar" if _short_bar(w, h, text_height) and (fill_ratio, (x, y, w, h))
                                              in rings else None)
        if shape is None:
            continue
        corners = _corners(raw, box)
        # a ring fills pi/4 of its box; traced tight through its own pixels (no dilated twin: a label stands a
        # pixel or two after it) it touches the spots _corners looks at, but its area still says round
        if shape == "square" and (corners <= 1 or (corners == 2 and fill_ratio < 0.86) or fill_ratio < 0.82):
            shape = "circle"
        found.append(_describe(gray, box, shape, _straight(raw, box), corners))
    return _dedupe(found)


def thin_rings(gray: np.ndarray, text_height: float) -> list[tuple[float, tuple[int, int, int, int]]]:
    """Wide boxes drawn as a thin dark ring on a light page, as (1.0, rectangle): Chromium's unstyled <input>,
    <select> and date field, a 1 px grey border round text set smaller than the page's. Their edges are traced
    badly: the rounded corners leave the outer edge open, the inner one breaks where a descender of the text
    comes near, and a label 2-3 px above them joins the dilated trace. The ring's own pixels (8-connected, the
    corners meet diagonally) stay one component: one that is about as thin as its perimeter, runs along all four
    sides of its rectangle and is as high as a field holds a line of text."""
    ink = (gray <= 200).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = (stats[1:, i] for i in range(5))
    wide = (w >= 2 * h) & (h >= 1.1 * text_height) & (h <= 3.0 * text_height) & (area <= 2.5 * (w + h))
    found = []
    for i in np.flatnonzero(wide):
        x0, y0, x1, y1 = int(x[i]), int(y[i]), int(x[i] + w[i]), int(y[i] + h[i])
        ring = ink[y0:y1, x0:x1]
        sides = (ring[0].mean(), ring[-1].mean(), ring[1:-1, 0].mean(), ring[1:-1, -1].mean())
        if min(sides) >= 0.8 and not _handle_at_an_end(ink, x0, y0, x1, y1):
            found.append((1.0, (x0, y0, x1 - x0, y1 - y0)))
    return found


def _handle_at_an_end(ink: np.ndarray, x0: int, y0: int, x1: int, y1: int) -> bool:
    """Whether ink taller than a ring stands flush against one of its ends, above and below it: a slider's
    handle on its track (the part of the track before the handle is a ring of its own), not a field's end."""
    h = ink.shape[0]
    if y0 < 2 or y1 + 2 > h:
        return False
    for a, b in ((max(0, x0 - 3), x0), (x1, min(ink.shape[1], x1 + 3))):
        if b > a and ink[y0 - 2, a:b].any() and ink[y1 + 1, a:b].any():
            return True
    return False


def _closed(contours: list[np.ndarray], min_side: float, w_img: int, h_img: int
            ) -> list[tuple[float, tuple[int, int, int, int]]]:
    """The contours whose bounding rectangle (cv2.boundingRect's) is at least ``min_side`` each way and not the
    whole screen, and whose area (cv2.contourArea's) fills 0.68 of it or more (a closed outline, not a line or a
    scrawl), as that share and the rectangle: computed for all at once (a dense screen traces thousands)."""
    if not contours:
        return []
    points = np.concatenate(contours).reshape(-1, 2)
    sizes = np.array([len(c) for c in contours])
    starts = np.cumsum(sizes) - sizes
    low, high = np.minimum.reduceat(points, starts), np.maximum.reduceat(points, starts)
    x, y = low[:, 0], low[:, 1]
    w, h = high[:, 0] - x + 1, high[:, 1] - y + 1
    large = (w >= min_side) & (h >= min_side) & ~((w > 0.95 * w_img) & (h > 0.95 * h_img))
    # traced through pixel centres, a contour encloses (w - 1) x (h - 1) of its rectangle
    fill = _areas(points.astype(np.int64), starts, sizes) / np.maximum(1, (w - 1) * (h - 1)).astype(np.float64)
    return [(float(fill[i]), (int(x[i]), int(y[i]), int(w[i]), int(h[i])))
            for i in np.flatnonzero(large & (fill >= 0.68))]


def _areas(points: np.ndarray, starts: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """cv2.contourArea of each contour (``sizes`` points from each of ``starts``): the shoelace sum over each point
    and the one before it, the first closing on the last. Whole pixel coordinates make every product and sum exact
    in integers, so this is cv2's double sum to the bit."""
    before = np.arange(len(points)) - 1
    before[starts] = starts + sizes - 1
    prev = points[before]
    cross = prev[:, 0] * points[:, 1] - prev[:, 1] * points[:, 0]
    return np.abs(np.add.reduceat(cross, starts)) * 0.5


def _shape(w: int, h: int, text_height: float) -> str | None:
    aspect = w / h
    if 0.75 <= aspect <= 1.33 and max(w, h) <= 4.2 * text_height:
        return "square"  # or a circle: told apart by its corners
    if aspect >= 1.4 and 1.3 * text_height <= h <= 6.4 * text_height:
        return "bar"
    if w >= 2.4 * text_height and h >= 2.4 * text_height:
        return "panel"  # anything larger: a square button, a card, a dialog
    return None


def _short_bar(w: int, h: int, text_height: float) -> bool:
    """Whether a box is a little lower than _shape's bars but wide: a field whose text is set smaller than the
    page's (1.1-1.3 text heights; thin_rings gives no lower box)."""
    return w >= 2 * h and 1.1 * text_height <= h < 1.3 * text_height


def _straight(edges: np.ndarray, box: Box) -> tuple[float, float, float, float]:
    """For each side of ``box``, the longest unbroken run of edge pixels along it, as a share of the side (corners
    left out): a border or a filled box's edge runs the whole way; the tops of letters do not."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    c = max(2, min(8, (y1 - y0) // 4, (x1 - x0) // 4))

    def run(band: np.ndarray, axis: int) -> float:
        hit = band.any(axis=axis) if band.size else np.zeros(0, bool)
        inked = np.count_nonzero(hit)  # one count for none and all: each .any() or .all() is a ufunc pass
        if not inked:
            return 0.0
        if inked == hit.size:
            return 1.0  # the whole side: most drawn borders
        padded = np.zeros(len(hit) + 2, np.int8)
        padded[1:-1] = hit
        steps = np.diff(padded)
        starts, ends = np.flatnonzero(steps == 1), np.flatnonzero(steps == -1)
        return float((ends - starts).max()) / len(hit)

    # a traced outline lies a pixel or two off the edges it came from (outside them for a hole, inside for the
    # outer trace), and a thick border may give only one of its two edges: look a few rows either way
    return (run(edges[max(0, y0 - 2):y0 + 5, x0 + c:x1 - c], 0), run(edges[max(0, y1 - 5):y1 + 2, x0 + c:x1 - c], 0),
            run(edges[y0 + c:y1 - c, max(0, x0 - 2):x0 + 5], 1), run(edges[y0 + c:y1 - c, max(0, x1 - 5):x1 + 2], 1))


def _corners(edges: np.ndarray, box: Box) -> int:
    """How many corners of a small box hold edge pixels just inside them (a square's do, a ring's do not). The spot
    looked at grows with the box (a tenth of its side, 2 px at the least): a theme rounds a square's corners by
    device pixels, so at scale 2 a rounded box's edge leaves its corner by 2-3 px, while a ring's leaves by a
    seventh of its side (5 px on a 35 px ring)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    n = max(2, round(0.1 * min(x1 - x0, y1 - y0)))
    spots = [(y0 + 1, x0 + 1), (y0 + 1, x1 - 1 - n), (y1 - 1 - n, x0 + 1), (y1 - 1 - n, x1 - 1 - n)]
    return sum(bool(np.count_nonzero(edges[max(0, y):y + n, max(0, x):x + n])) for y, x in spots)


def _describe(gray: np.ndarray, box: Box, shape: str, straight: tuple[float, float, float, float],
              corners: int) -> Proposal:
    inset = max(2, int(min(box.width, box.height) * 0.18))
    x0, y0 = int(box.x0) + inset, int(box.y0) + inset
    x1, y1 = int(box.x1) - inset, int(box.y1) - inset
    if x1 <= x0 + 1 or y1 <= y0 + 1:
        x0, y0, x1, y1 = int(box.x0), int(box.y0), int(box.x1), int(box.y1)
    interior = gray[y0:y1, x0:x1]
    ring = np.concatenate([interior[0], interior[-1], interior[:, 0], interior[:, -1]])
    fill = median(ring)  # the interior's edge: a big glyph in the middle must not pass for the fill
    # levels more than 40 from the fill, in whole grey levels (the fill is a whole or half level): no float copy
    dark, light = interior <= max(-1, math.ceil(fill - 40) - 1), interior >= min(256, math.floor(fill + 40) + 1)
    ink = dark | light
    darker, brighter = int(np.count_nonzero(dark)), int(np.count_nonzero(light))
    inked = (darker + brighter) / ink.size if ink.size else 0.0  # ink.mean(): dark and light never meet
    one_tone = min(darker, brighter) <= 0.2 * max(darker, brighter, 1)  # a glyph on a flat face, not a ring
    # a glyph is drawn in contrast to its face: dark on a light face, or light on a dark one; a light "glyph"
    # on a mid-grey "face" is an empty box seen against its own border
    one_tone = one_tone and (darker >= brighter or fill < 100)
    # the arrow of a wide dropdown sits in its last height or so, whatever the width (15% of a wide field is
    # several arrows wide)
    right = ink[:, ink.shape[1] - max(1, min(int(ink.shape[1] * 0.15), int(1.5 * box.height))):]
    # the share of columns with ink at the right end
    right_ink = int(np.count_nonzero(right.any(axis=0))) / right.shape[1] if right.size else 0.0
    return Proposal(box, shape, fill, inked, _x_shape(ink) if one_tone else 0.0, right_ink, straight, corners)


ALONG = tuple(np.linspace(0.1, 0.9, 9).tolist())  # where along a diagonal _along looks, as Python floats (numpy's
# scalars are slow to compute with)
OFF_DIAGONALS = 0.34  # how inked the middle of an x's side may be (anti-aliasing): its strokes meet only inside


def _x_shape(ink: np.ndarray) -> float:
    """Share of ink lying on both diagonals, times how balanced the two diagonals are (1.0 for a clean 'x')."""
    h, w = ink.shape
    if h < 4 or w < 4:
        return 0.0
    cols, rows = np.flatnonzero(ink.any(axis=0)), np.flatnonzero(ink.any(axis=1))
    if not cols.size:
        return 0.0
    x0, x1, y0, y1 = cols[0], cols[-1], rows[0], rows[-1]
    if x1 - x0 < 3 or y1 - y0 < 3:
        return 0.0
    box = ink[y0: y1 + 1, x0: x1 + 1]  # the glyph's own extent, not the padding
    if np.count_nonzero(box) / box.size > 0.88:
        return 0.0  # a filled blob (an empty box seen against its border), not two strokes
    # an x looks the same upside down and mirrored; a house (its roof), an arrow or a letter does not
    if min(_overlap(box, np.flipud(box)), _overlap(box, np.fliplr(box))) < 0.7:
        return 0.0
    if min(_along(box)) < 0.8:
        return 0.0  # an x's strokes run the whole of both diagonals; brackets' corners and a dot between do not
    ys, xs = np.nonzero(ink)
    u, v = (xs - x0) / (x1 - x0), (ys - y0) / (y1 - y0)
    main = np.abs(u - v) < 0.25
    anti = np.abs(u + v - 1) < 0.25
    if _inked_sides(box) >= 3 and not _one_run_each(box):
        return 0.0  # ink at the middles of its sides: bars or a frame (a list view's lines), not two strokes (a
        # solid blob, a bold glyph's, is one run in every row and column: its sides are its outline)
    on = (main | anti).mean()
    a, b = main.sum(), anti.sum()
    balance = min(a, b) / max(1, max(a, b))
    spread = min((x1 - x0) / w, (y1 - y0) / h)
    bh, bw = box.shape
    centre = box[int(bh * 0.4): int(np.ceil(bh * 0.6)), int(bw * 0.4): int(np.ceil(bw * 0.6))]
    crossed = centre.size > 0 and centre.mean() > 0.5  # an x is solid where its strokes cross; a ring is hollow
    return float(on * balance * (spread > 0.3) * crossed)


def _one_run_each(box: np.ndarray) -> bool:
    """Whether every row and every column of an ink box holds one run of ink at most (a solid blob)."""
    starts_x = np.count_nonzero(box[:, 1:] & ~box[:, :-1], axis=1) + box[:, 0]
    starts_y = np.count_nonzero(box[1:] & ~box[:-1], axis=0) + box[0]
    return bool(starts_x.max() <= 1 and starts_y.max() <= 1)


def _inked_sides(box: np.ndarray) -> int:
    """How many of an ink box's four sides are inked at their middles: none on an x, whose strokes leave its sides
    at the corners; three or four on bars across it or a frame round it."""
    bh, bw = box.shape
    ey, ex = max(1, round(0.12 * bh)), max(1, round(0.12 * bw))  # the outermost rows and columns only: a bold x
    # pinches in towards its middle, its strokes' width reaching in from the sides there
    my, mx = slice(round(0.4 * bh), max(round(0.4 * bh) + 1, round(0.6 * bh))), \
        slice(round(0.4 * bw), max(round(0.4 * bw) + 1, round(0.6 * bw)))
    sides = (box[:ey, mx], box[bh - ey:, mx], box[my, :ex], box[my, bw - ex:])
    return sum(float(s.mean()) > OFF_DIAGONALS for s in sides)


def _along(box: np.ndarray) -> tuple[float, float]:
    """Share of points along each diagonal of an ink box (the main one, then the other) with ink at or near them:
    within r pixels each way, what a dilation by a square 2r + 1 across gives every point at once (outside the box
    counts for nothing in cv2's dilation, as a slice cut off at the box's edge)."""
    bh, bw = box.shape
    r = max(1, round(0.04 * max(bh, bw)))
    near = cv2.dilate(box.astype(np.uint8), np.ones((2 * r + 1, 2 * r + 1), np.uint8))
    rows = [round(t * (bh - 1)) for t in ALONG]
    main = sum(bool(near[y, round(t * (bw - 1))]) for y, t in zip(rows, ALONG))
    anti = sum(bool(near[y, round((1 - t) * (bw - 1))]) for y, t in zip(rows, ALONG))
    return main / 9, anti / 9


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Intersection over union of two ink masks of one shape."""
    union = int(np.count_nonzero(a | b))
    return int(np.count_nonzero(a & b)) / union if union else 0.0


def _dedupe(found: list[Proposal]) -> list[Proposal]:
    """Keep one proposal per outline: a border's inner and outer edges give two near-identical boxes (each side
    within 4 px or 12 % of the lower one's height of a larger kept box of its shape; tested against all at once)."""
    kept: list[Proposal] = []
    # the kept boxes of each shape, filling an array each (not made again from a list for every proposal)
    edges: dict[str, np.ndarray] = {}
    counts: dict[str, int] = {}
    for p in sorted(found, key=lambda p: -p.box.area):
        b = p.box
        if p.shape not in edges:
            edges[p.shape] = np.zeros((len(found), 4))
        mine, n = edges[p.shape], counts.get(p.shape, 0)
        if n:
            k = mine[:n]
            slack = np.maximum(4.0, 0.12 * np.minimum(k[:, 3] - k[:, 1], b.height))
            if (np.abs(k - (b.x0, b.y0, b.x1, b.y1)) <= slack[:, None]).all(axis=1).any():
                continue
        kept.append(p)
        mine[n] = (b.x0, b.y0, b.x1, b.y1)
        counts[p.shape] = n + 1
    return kept
