"""Widgets the pixel parser does not report yet, found from their shapes: sliders, tree expanders, text areas.

`augment(screen)` adds them to a parsed Screen (it needs the screenshot in ``screen.image``) and drops the
phantoms the parser made of their parts (a slider's thumb read as a radio, a tree's [+] box read as a checkbox).
grounding/parser.py applies it to every parse (and names what it adds by its label); applying it again to a
parsed Screen changes nothing.

- A slider is a long thin bar (its track, outlined or filled) with one wider part across it (its thumb), the
  thumb centred on the track; horizontal or vertical. A scrollbar's thumb is as thick as its track: not a slider.
- A tree expander is a small square box holding a plus (a collapsed item) or a minus (an expanded one); the
  item is named by the words to its right.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from grounding.box_arrays import box_array, intersections
from grounding.elements import Box, Element, Screen
from grounding.icons import InkMaps, find_icons
from grounding.overlaps import links_over_text
from grounding.runs import flag_runs
from grounding.text_areas import find_fields, find_text_areas, outlined_boxes
from grounding.toggles import faint_ones_disabled, filled_toggle
from grounding.words import text_height

MIN_LENGTH = 40  # pixels along a slider's track, at the least
THUMB_OVER_TRACK = 1.25  # a thumb is at least this much thicker than its track
DILATION = 2  # pixels the slider search's edges gain across a bar
CAPTIONED = ("option", "menu_item", "tab", "link")  # controls holding their words, which never hold a slider


def augment(screen: Screen, known_maps: tuple[np.ndarray, np.ndarray, list[Box], list[Box]] | None = None,
            ink: InkMaps | None = None, glyphs: float = 0.0) -> Screen:
    """``screen`` with sliders and tree items added and the phantoms made of their parts dropped; ``known_maps``:
    the grey screen, its edges (cv2.Canny(gray, 30, 90)), outlined_boxes(gray) and edge_squares(edges), if known;
    ``ink``: icons.ink_maps(gray), if known; ``glyphs``: the screen's text height, if known."""
    if screen.image is None:
        return screen
    if known_maps is None:  # the sliders' and the expanders' edges: one pass over the screen for both
        gray = cv2.cvtColor(np.asarray(screen.image), cv2.COLOR_RGB2GRAY)
        edges = cv2.Canny(gray, 30, 90)
        known_maps = gray, edges, outlined_boxes(gray), edge_squares(edges)
    gray, edges, outlined, squares = known_maps
    known = [e.box for e in screen.controls() if e.role in ("slider", "text_field", "button")]
    words = [w.box for w in screen.words] or [e.box for e in screen.elements if e.role == "text"]
    words += [e.box for e in screen.controls() if e.name and e.role in CAPTIONED]  # their captions are text too
    # nor is a captioned button's outline part of a track (a thumb at a slider's end may touch it)
    solid = [e.box.expanded(2) for e in screen.controls() if e.role == "button" and e.name]
    sliders = [s for s in find_sliders(gray, words + solid, edges) if not any(_covers(b, s.box) for b in known)
               and not any(_holds(s.box, c) and not _thumb(c, s.box) and not _misread(c, s.box)
                           for c in screen.controls())]
    # a slider's thumb and track say nothing: one that would swallow captioned buttons is a row of keys
    sliders = [s for s in sliders if not any(e.role == "button" and e.name and _part_of(e, s.box)
                                             for e in screen.elements)]
    elements = [e for e in screen.elements if not any(_part_of(e, s.box) or _misread(e, s.box) for s in sliders)]
    elements = [_as_tree_item(e, gray) for e in elements]
    elements += _expanders_read_as_text(screen, elements, gray)
    elements += _expanders_beside_lines(elements, gray, squares)
    rows = [e for e in elements if e.role == "tree_item"]
    elements = [e for e in elements if not _icon_of_a_row(e, rows)]
    areas = [] if any(e.role == "text_area" for e in elements) else find_text_areas(gray, elements, outlined)
    taken = {id(a): [e for e in elements if a.box.iou(e.box) > 0.5] for a in areas}  # what the parse took it for
    areas = [a.with_(value=a.value or next((e.value for e in taken[id(a)] if e.value), "")) for a in areas]
    elements = [e for e in elements if not any(e is t for ts in taken.values() for t in ts)]
    fields, phantoms = find_fields(gray, elements + sliders + areas, outlined)
    elements = [e for e in elements if not any(e is p for p in phantoms)]
    known = elements + sliders + areas + fields
    icons = find_icons(gray, known, list(screen.words), ink) if not any(e.role == "image" for e in known) else []
    if icons:  # a ticked box some themes draw as a filled face is no picture
        glyphs = glyphs or text_height(list(screen.words))
        image, words = np.asarray(screen.image), list(screen.words)
        icons = [filled_toggle(i, image, words, glyphs) for i in icons]
        made = [i for i in icons if i.role in ("checkbox", "radio")]
        if made:  # greyed out as the others are: judged beside them
            toggles = [e for e in known if e.role in ("checkbox", "radio")] + made
            judged = {id(t): j for t, j in zip(toggles, faint_ones_disabled(toggles, image, words, glyphs))}
            icons = [judged[id(i)] if id(i) in judged else i for i in icons]
    links, stale = links_over_text(screen)
    known = [e for e in known if not any(e is s for s in stale)]  # what the parse read of a pager
    if not sliders and not rows and not areas and not fields and not icons and not links:
        return screen
    return screen.with_elements(known + icons + links)


def _covers(a: Box, b: Box) -> bool:
    return a.iou(b) > 0.5


def _holds(slider: Box, c: Element) -> bool:
    """A captioned control or a field inside a 'slider': the shapes of a form, not a track and its thumb."""
    return (bool(c.name) or c.role in ("text_field", "dropdown", "text_area")) and slider.expanded(4).contains(c.box)


def _misread(e: Element, slider: Box) -> bool:
    """A nameless, empty field or dropdown with the slider's own box: its outline read as one (the thumb as an
    arrow), not a field it holds."""
    return e.role in ("text_field", "dropdown") and not e.name and not e.value and e.box.iou(slider) >= 0.7


def _thumb(e: Element, slider: Box) -> bool:
    """A checkbox or radio the parser made of a slider's thumb (named by the value printed beside it)."""
    return e.role in ("checkbox", "radio") and _part_of(e, slider)


def _part_of(e: Element, slider: Box) -> bool:
    """A control the parser found inside a slider's box: its thumb or its track, not a control of its own."""
    thin = min(slider.width, slider.height)
    small = max(e.box.width, e.box.height) <= 1.5 * thin
    return e.is_control and e.role in ("checkbox", "radio", "button") and small and slider.expanded(4).contains(e.box)


def find_sliders(gray: np.ndarray, text: list[Box] | tuple[Box, ...] = (), edges: np.ndarray | None = None
                 ) -> list[Element]:
    """Every slider in a grayscale image, horizontal or vertical; ``text`` (boxes of words read) is ignored, so a
    value printed against a slider's end does not join its shape. ``edges``: cv2.Canny(gray, 30, 90), if known."""
    edges = cv2.Canny(gray, 30, 90) if edges is None else edges.copy()
    for b in text:
        edges[max(0, int(b.y0) - 1):int(b.y1) + 1, max(0, int(b.x0) - 1):int(b.x1) + 1] = 0
    edges = cv2.dilate(edges, np.ones((2, 2), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    pieces: list[Piece] = []
    small, large = np.minimum(stats[1:n, 2], stats[1:n, 3]), np.maximum(stats[1:n, 2], stats[1:n, 3])
    # thumbs drawn apart from their track (a focused thumb's outline): square or round, not a digit
    squares = [Box(x, y, x + w, y + h) for x, y, w, h, _ in
               stats[1:n][(6 <= small) & (large <= 1.3 * small) & (large <= 80)].tolist()]
    long = np.flatnonzero(~((large < 1.25 * small) | (large < 12))) + 1  # a thumb may cut a short track into stubs
    for i in long.tolist():
        x, y, w, h, _ = stats[i].tolist()
        flat = w >= h
        mask = labels[y:y + h, x:x + w] == i
        piece = _track(mask if flat else mask.T, flat, (x, y) if flat else (y, x))
        if piece is not None:
            pieces.append(piece)
    out = []
    for chain in _chains(pieces):
        box = _with_thumb(chain, squares)
        if box is not None:
            out.append(Element(box, "slider", source="widget", confidence=0.85))
    return out


@dataclass
class Piece:
    """A straight bar laid along its length: which way, where its middle line is, how thick, where it runs,
    and the span of a thumb drawn into it (along the length), if one is."""

    flat: bool
    axis: float
    thickness: float
    start: int
    end: int
    thumb: tuple[int, int, float] | None = None  # start, end, thickness across
    gaps: tuple[tuple[int, int], ...] = ()  # where pieces joined into this one left off (a thumb's place)


def _track(mask: np.ndarray, flat: bool, origin: tuple[int, int]) -> Piece | None:
    """A component laid along its columns that is a straight bar, else None. A thumb drawn into it makes some
    columns thicker on both sides of its middle line; the rest must run straight and even."""
    inked = mask.any(axis=0)
    if inked.mean() < 0.9:
        return None  # a slider's track is continuous
    # each column's first and last inked row (past the ends where it has none), found by argmax
    top = np.where(inked, mask.argmax(axis=0), mask.shape[0])
    bottom = np.where(inked, mask.shape[0] - 1 - mask[::-1].argmax(axis=0), -1)
    extent = np.where(inked, bottom - top + 1, 0)
    thickness = float(np.median(extent[inked]))
    if not 3 <= thickness <= 40:
        return None
    # the edges were dilated by a pixel on each side: compare what was drawn (a 10 px track under a 14 px thumb)
    least = THUMB_OVER_TRACK * (thickness - DILATION) + DILATION
    plain = inked & (extent < least)
    if plain.sum() < 0.5 * mask.shape[1] or top[plain].std() > 1.5 or bottom[plain].std() > 1.5:
        return None  # a track's edges run straight; a word's letters do not
    mid = float(np.median((top + bottom)[plain])) / 2
    # a thumb is thick enough and stands out on both sides (by a pixel at least: anti-aliasing may set it off
    # centre), where a word's letters or a label touching a line stand out on one
    side = thickness / 2 + 1
    spans = flag_runs(inked & (extent >= least) & (mid - top >= side) & (bottom - mid >= side))
    along, across = origin
    thumb = None
    if len(spans) == 1:
        a, b = spans[0]
        thumb = (along + a, along + b, float(extent[a:b].max()))
    return Piece(flat, across + mid, thickness, along, along + mask.shape[1], thumb)


def _chains(pieces: list[Piece]) -> list[Piece]:
    """Track pieces on one line with only a thumb's length between them, joined (a thumb splits an outline); each
    piece joins the chain on its line that it follows along that line."""
    out: list[Piece] = []
    open_: dict[tuple[bool, int], list[Piece]] = {}  # chains by direction and axis (to 1 px)
    for p in sorted(pieces, key=lambda p: (p.flat, p.start)):
        near = [c for k in range(round(p.axis) - 2, round(p.axis) + 3) for c in open_.get((p.flat, k), [])]
        last = next((c for c in near if abs(c.axis - p.axis) <= 2 and 0.7 <= c.thickness / p.thickness <= 1.4
                     and p.start - c.end <= 3 * p.thickness), None)
        if last is not None:
            last.gaps = last.gaps + ((last.end, p.start),)
            last.end = max(last.end, p.end)
            last.thumb = last.thumb or p.thumb if not (last.thumb and p.thumb) else (0, 0, 0.0)
        else:
            chain = Piece(p.flat, p.axis, p.thickness, p.start, p.end, p.thumb)
            out.append(chain)
            open_.setdefault((p.flat, round(p.axis)), []).append(chain)
    return out


def _with_thumb(track: Piece, squares: list[Box]) -> Box | None:
    """The slider's box if exactly one thumb, centred on the track and thicker than it, sits along it (a little
    past an end too, where a thumb at the minimum or maximum sticks out)."""
    thumbs = [track.thumb] if track.thumb else []
    for sq in squares:
        along = (sq.x0, sq.x1) if track.flat else (sq.y0, sq.y1)
        across = (sq.y0, sq.y1) if track.flat else (sq.x0, sq.x1)
        size = across[1] - across[0]
        centred = abs((across[0] + across[1]) / 2 - track.axis) <= 0.3 * size
        on_it = along[0] < track.end + size / 2 and along[1] > track.start - size / 2
        in_gap = any(along[0] <= b and along[1] >= a for a, b in track.gaps)  # it cuts the track: a thumb
        least = 0.8 if in_gap else THUMB_OVER_TRACK
        if centred and on_it and least * track.thickness <= size <= 4 * track.thickness:
            thumbs.append((int(along[0]), int(along[1]), float(size)))
    distinct: list[tuple[int, int, float]] = []
    for t in sorted(thumbs, key=lambda t: -t[2]):  # one thumb seen twice (its outline and inside the track)
        if t[1] > t[0] and not any(min(t[1], d[1]) - max(t[0], d[0]) > 0 for d in distinct):
            distinct.append(t)
    thumbs = distinct
    if len(thumbs) != 1 or thumbs[0][1] - thumbs[0][0] > 0.4 * (track.end - track.start):
        return None
    a, b, size = thumbs[0]
    lo, hi = min(track.start, a), max(track.end, b)
    if hi - lo < max(MIN_LENGTH, 3 * track.thickness):
        return None
    c0, c1 = track.axis - size / 2, track.axis + size / 2
    return Box(lo, c0, hi, c1) if track.flat else Box(c0, lo, c1, hi)


def _as_tree_item(e: Element, gray: np.ndarray) -> Element:
    """A small box the parser took for a checkbox or radio that holds a plus or a minus: a tree item."""
    if e.role not in ("checkbox", "radio") or not e.name:
        return e
    sign = expander_sign(gray, e.box)
    if sign is None:
        return e
    state = "collapsed" if sign == "+" else "expanded"
    return e.with_(role="tree_item", states=frozenset({state}))


def expander_sign(gray: np.ndarray, box: Box) -> str | None:
    """'+' or '-' when ``box`` is a small square outline with that sign drawn across its middle, else None."""
    x0, y0, x1, y1 = (int(round(v)) for v in (box.x0, box.y0, box.x1, box.y1))
    patch = gray[max(0, y0):y1, max(0, x0):x1]
    if patch.size == 0 or not 6 <= patch.shape[0] <= 40 or abs(patch.shape[0] - patch.shape[1]) > 0.3 * patch.shape[0]:
        return None
    ink = patch < int(patch.max()) - 40  # a light grey outline counts, as does the dark sign inside it
    h, w = ink.shape
    edge = max(1, round(min(h, w) * 0.15))
    sides = (ink[:edge].any(axis=0).mean(), ink[-edge:].any(axis=0).mean(), ink[:, :edge].any(axis=1).mean(),
             ink[:, -edge:].any(axis=1).mean())
    if min(sides) < 0.7:
        return None  # an expander is drawn as a box: all four sides
    inner = ink[h // 5: h - h // 5, w // 5: w - w // 5]
    if inner.size == 0:
        return None
    ih, iw = inner.shape
    band = max(1, ih // 6)
    mid_row = inner[ih // 2 - band: ih // 2 + band + 1].any(axis=0).mean()
    mid_col = inner[:, iw // 2 - band: iw // 2 + band + 1].any(axis=1).mean()
    rest = inner.copy()
    rest[ih // 2 - band: ih // 2 + band + 1] = False
    rest[:, iw // 2 - band: iw // 2 + band + 1] = False
    if mid_row < 0.6 or rest.mean() > 0.05:
        return None
    return "+" if mid_col >= 0.6 else "-"


def _expanders_read_as_text(screen: Screen, elements: list[Element], gray: np.ndarray) -> list[Element]:
    """A [+] box OCR read as a character ("田", "+"): a tree item named by the words right of it on its row."""
    out = []
    lines = [e for e in elements if e.role == "text" and not e.is_control]
    for glyph in (w for w in screen.words if len(w.name.strip()) == 1):
        sign = expander_sign(gray, glyph.box)
        if sign is None:
            continue
        h = glyph.box.height
        beside = [t for t in lines if abs(t.box.center[1] - glyph.box.center[1]) < h and
                  glyph.box.x1 <= t.box.x0 < glyph.box.x1 + 6 * h and t.name.strip() != glyph.name.strip()]
        if beside:
            name = min(beside, key=lambda t: t.box.x0).name
            if not any(e.role == "tree_item" and e.name == name for e in elements + out):
                state = "collapsed" if sign == "+" else "expanded"
                out.append(Element(glyph.box, "tree_item", name=name, states=frozenset({state}), source="widget"))
    return out


def edge_squares(edges: np.ndarray) -> list[Box]:
    """The near-square components 6 to 40 px across of an edge map (cv2.Canny(gray, 30, 90)): where a tree's
    expanders may stand."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    w, h = stats[1:n, 2], stats[1:n, 3]
    small, large = np.minimum(w, h), np.maximum(w, h)
    keep = np.flatnonzero((6 <= small) & (large <= 1.3 * small) & (large <= 40)) + 1
    return [Box(x, y, x + w, y + h) for x, y, w, h, _ in stats[keep]]


def _expanders_beside_lines(elements: list[Element], gray: np.ndarray, squares: list[Box]) -> list[Element]:
    """A [+] or [-] box just left of a line of text (a tree's row, its icon between): a tree item."""
    named = {e.name for e in elements if e.role == "tree_item"}
    lines = [e for e in elements if e.role == "text" and e.name and e.name not in named and len(e.name) <= 40]
    if not lines:
        return []
    toggles = [e.box for e in elements if e.role in ("checkbox", "radio")]
    crossed = (intersections(box_array(toggles), box_array(squares)) > 0).any(axis=0)
    boxes = [b for b, c in zip(squares, crossed) if not c]  # a checkbox's box is none
    out = []
    if not boxes:
        return out
    x0s, x1s = np.array([b.x0 for b in boxes]), np.array([b.x1 for b in boxes])
    cys, hs = np.array([b.center[1] for b in boxes]), np.array([b.height for b in boxes])
    for line in lines:
        h = line.box.height
        hit = (x0s >= line.box.x0 - 5 * h) & (x1s <= line.box.x0 + 2) & (cys >= line.box.y0 - h / 2) \
            & (cys <= line.box.y1 + h / 2) & (hs <= 2 * h)
        near = [boxes[i] for i in np.flatnonzero(hit)]
        for b in sorted(near, key=lambda b: b.x0):
            sign = expander_sign(gray, b)
            if sign is not None:
                state = "collapsed" if sign == "+" else "expanded"
                out.append(Element(b, "tree_item", name=line.name, states=frozenset({state}), source="widget"))
                break
    return out


def _icon_of_a_row(e: Element, rows: list[Element]) -> bool:
    """A checkbox or radio between a tree item's box and its words: the item's folder or file icon."""
    if e.role not in ("checkbox", "radio"):
        return False
    for row in rows:
        same_row = abs(e.box.center[1] - row.box.center[1]) < row.box.height
        if same_row and row.box.x1 <= e.box.x0 <= row.box.x1 + 4 * row.box.width and e.name == row.name:
            return True
    return False
