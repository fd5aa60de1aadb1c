"""The rows of a tree: a tree item is the whole row a person clicks (its icon and its name, out to the edge of the
tree's panel), not only its [+]/[-] box.

A tree is known by its expanders: small square boxes holding a plus or a minus just left of a line of text
(grounding/more_widgets.expander_sign). Its other rows (a file, a leaf, an expanded folder's children) are the
lines stacked with those rows at the same pitch whose text starts in the tree's text column (or indented past it)
and that have a picture or a connector between the expanders' column and their text. A line without a drawing
before it is page text, however close it stands.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.components import centred_components, components
from grounding.elements import Box, Element, Screen
from grounding.more_widgets import expander_sign

INK = 40  # grey levels between a drawing and the row's background
PANEL_EDGE = 24  # grey levels between the tree's background and what closes its panel on the right


def tree_rows(screen: Screen, gray: np.ndarray, glyphs: float) -> Screen:
    """``screen`` with each tree row as one tree item (expanders and icons read as controls dropped)."""
    by_line: dict[int, list[Element]] = {}
    for w in screen.words:
        by_line.setdefault(w.line, []).append(w)
    found = {id(e): _text_start(e, by_line.get(e.line, []) if e.line >= 0 else []) for e in screen.elements
             if e.role == "text"}
    lines = [e for e in screen.elements if found.get(id(e)) is not None]
    if not lines:
        return screen
    starts = {id(e): float(found[id(e)] or 0.0) for e in lines}
    zones = [Box(e.box.x0 - 5 * glyphs, e.box.y0 - glyphs / 2, starts[id(e)], e.box.y1 + glyphs / 2) for e in lines]
    squares = _squares(gray, glyphs, zones) + _signs_boxed(gray, glyphs, zones)
    heads: list[tuple[Element, Box, str]] = []  # rows with an expander: line, expander, sign
    sx0, sx1, scy, sh = (np.array([v(b) for b in squares]) for v in (lambda b: b.x0, lambda b: b.x1,
                                                                      lambda b: b.center[1], lambda b: b.height))
    for line in lines if squares else []:
        start = starts[id(line)]
        hit = (sx0 >= line.box.x0 - 5 * glyphs) & (sx1 <= start + 1) \
            & (np.abs(scy - line.box.center[1]) <= 0.6 * np.maximum(line.box.height, sh))
        near = [squares[i] for i in np.flatnonzero(hit)]
        for b in sorted(near, key=lambda b: -b.x0):
            sign = expander_sign(gray, b) or expander_sign(gray, b.expanded(1))  # Canny may trace inside a 1 px box
            if sign is not None:
                heads.append((line, b, sign))
                break
    if not heads:
        return screen
    column = min(b.x0 for _, b, _ in heads)
    left = min(starts[id(line)] for line, _, _ in heads) - glyphs
    rows = {id(line): (line, sign) for line, _, sign in heads}
    for line in lines:
        start = starts[id(line)]
        if id(line) in rows or start < left or start - left > 12 * glyphs or line.box.x0 < column - glyphs:
            continue
        if _drawn_before(gray, line, column + 1, start) and _stacked(line, [r for r, _ in rows.values()], glyphs):
            rows[id(line)] = (line, "")
    if len(rows) < 2:
        return screen  # one box with a plus beside a word is no tree
    ordered = sorted(rows.values(), key=lambda r: r[0].box.y0)
    pitch = float(np.median(np.diff([r[0].box.center[1] for r in ordered]))) if len(ordered) > 1 else 0.0
    items = [_item(gray, line, sign, column, pitch) for line, sign in ordered]
    spans = [i.box for i in items]
    drop = {id(e) for e in screen.elements if e.is_control and e.role in ("checkbox", "radio", "tree_item")
                        and any(s.expanded(0, 2).contains(e.box) or s.contains_point(*e.box.center) for s in spans)}
    drop |= {id(b) for b in screen.elements if b.role == "tree_item" and any(b.box.x1 <= column + 2 * glyphs
                                                                          and _same_row(b.box, s) for s in spans)}
    # the panel the rows stand in is the tree's view, not a text area holding lines
    drop |= {id(e) for e in screen.elements if e.role == "text_area" and sum(e.box.contains(s, slack=2) or
                                                                           s.contains(e.box) for s in spans) >= 2}
    return screen.with_elements([e for e in screen.elements if id(e) not in drop] + items)


def _text_start(line: Element, words: list[Element]) -> float | None:
    """Where the line's words (those of its OCR line) begin, past what OCR read from its pictures (an expander
    read as "田"), or None when the line holds no word."""
    words = [w for w in words if line.box.contains(w.box, slack=2)]
    real = [w for w in words if _word(w.name)]
    if real:
        return min(w.box.x0 for w in real)
    return line.box.x0 if _word(line.name) and not words else None


def _name(line: Element) -> str:
    """The line's text without the glyphs OCR read from its pictures."""
    parts = line.name.split()
    while parts and not _word(parts[0]):
        parts.pop(0)
    return " ".join(parts)


def _word(text: str) -> bool:
    return any(ch.isascii() and ch.isalnum() for ch in text)


def _in_zones(gray: np.ndarray, zones: list[Box], pad: int = 2) -> list[tuple[int, int, int, int]]:
    """The zones as whole-pixel slices inside the image, grown by ``pad``."""
    h, w = gray.shape[:2]
    out = []
    for z in zones:
        x0, y0 = max(0, int(z.x0) - pad), max(0, int(z.y0) - pad)
        x1, y1 = min(w, int(np.ceil(z.x1)) + pad), min(h, int(np.ceil(z.y1)) + pad)
        if x1 > x0 and y1 > y0:
            out.append((x0, y0, x1, y1))
    return out


def _squares(gray: np.ndarray, glyphs: float, zones: list[Box]) -> list[Box]:
    """Small square outlines, about a text height across, in ``zones``: candidates for expanders (edges are
    found only there: the whole of a dense page costs a tenth of a second)."""
    edges = np.zeros(gray.shape[:2], np.uint8)
    for x0, y0, x1, y1 in _in_zones(gray, zones):
        edges[y0:y1, x0:x1] |= cv2.Canny(gray[y0:y1, x0:x1], 30, 90)
    n, _, stats, _ = components(edges)
    small, large = np.minimum(stats[1:n, 2], stats[1:n, 3]), np.maximum(stats[1:n, 2], stats[1:n, 3])
    keep = (6 <= small) & (large <= 1.3 * small) & (large <= max(12, 2 * glyphs))
    return [Box(x, y, x + w, y + h) for x, y, w, h, _ in stats[1:n][keep].tolist()]


def _signs_boxed(gray: np.ndarray, glyphs: float, zones: list[Box]) -> list[Box]:
    """The boxes around dark plus or minus signs standing in ``zones``: an expander whose outline a connector's
    dotted line runs into is no square outline of its own to Canny."""
    dark = np.zeros(gray.shape[:2], np.uint8)
    for x0, y0, x1, y1 in _in_zones(gray, zones):
        dark[y0:y1, x0:x1] = gray[y0:y1, x0:x1] < 110
    n, stats, centres = centred_components(dark)  # labelled over the zones' span only
    if n <= 1 or not zones:
        return []
    size = np.maximum(stats[1:, 2], stats[1:, 3])
    zx0, zy0, zx1, zy1 = (np.array([getattr(z, k) for z in zones]) for k in ("x0", "y0", "x1", "y1"))
    cx, cy = centres[1:, 0], centres[1:, 1]
    keep = np.flatnonzero((size >= 0.3 * glyphs) & (size <= 1.2 * glyphs))
    kx, ky = cx[keep][:, None], cy[keep][:, None]
    inside = ((zx0 <= kx) & (kx <= zx1) & (zy0 <= ky) & (ky <= zy1)).any(axis=1)
    out = []
    for i in keep[inside] + 1:
        x, y, w, h, _ = (int(v) for v in stats[i])
        px, py = int(round(cx[i - 1])), int(round(cy[i - 1]))
        reach = int(1.2 * glyphs)
        sides = (_outline(gray[py, max(0, x - reach):x][::-1]), _outline(gray[py, x + w:x + w + reach]),
                 _outline(gray[max(0, y - reach):y, px][::-1]), _outline(gray[y + h:y + h + reach, px]))
        if None not in sides:
            left, right, up, down = sides
            out.append(Box(x - left - 1, y - up - 1, x + w + right + 1, y + h + down + 1))
    return out


def _outline(ray: np.ndarray) -> int | None:
    """How many pixels along ``ray`` the outline around a sign lies (the first drawn pixel past a gap of
    background: the sign's own soft edge is no outline), else None."""
    light = np.flatnonzero(ray >= 215)
    if not light.size:
        return None
    hits = np.flatnonzero(ray[light[0]:] < 215)
    return int(light[0] + hits[0]) if hits.size else None


def _drawn_before(gray: np.ndarray, line: Element, x0: float, x1: float) -> bool:
    """Ink (an icon, a connector's dots) between the tree's column and the line's text."""
    y0, y1 = int(line.box.y0), int(line.box.y1)
    patch = gray[max(0, y0):y1, max(0, int(x0)):max(0, int(x1) - 1)]
    if patch.size == 0:
        return False
    return bool((patch < int(np.median(patch)) - INK).sum() >= 4)


def _stacked(line: Element, rows: list[Element], glyphs: float) -> bool:
    """A line right above or below a row of the tree (within two and a half text heights)."""
    return any(0 < abs(line.box.center[1] - r.box.center[1]) <= 2.5 * max(glyphs, r.box.height) for r in rows)


def _same_row(a: Box, b: Box) -> bool:
    return b.y0 - 2 <= a.center[1] <= b.y1 + 2


def _item(gray: np.ndarray, line: Element, sign: str, column: float, pitch: float) -> Element:
    """The row's tree item: from the expanders' column to the panel's right edge, one pitch tall."""
    cy, half = line.box.center[1], max(line.box.height / 2, 0.45 * pitch)
    box = Box(column, max(0.0, cy - half), _panel_right(gray, line, half), min(gray.shape[0], cy + half))
    states = frozenset({"collapsed" if sign == "+" else "expanded"}) if sign else frozenset()
    return Element(box, "tree_item", name=_name(line), states=states, source="widget+ocr", confidence=0.8)


def _panel_right(gray: np.ndarray, line: Element, half: float) -> float:
    """The first column right of the line's text where the background changes over the row's whole height (the
    tree panel's edge), else the screen's right edge."""
    cy = line.box.center[1]
    y0, y1, x0 = int(max(0, cy - half)), int(min(gray.shape[0], cy + half)), int(line.box.x1) + 2
    band = gray[y0:y1, x0:].astype(np.int16)
    if band.size == 0:
        return float(gray.shape[1])
    background = int(np.median(band[:, : max(1, min(8, band.shape[1]))]))
    edge = np.flatnonzero((np.abs(band - background) > PANEL_EDGE).mean(axis=0) >= 0.8)
    return float(x0 + edge[0]) if edge.size else float(gray.shape[1])
