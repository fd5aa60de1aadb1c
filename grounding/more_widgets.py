"""Widgets the pixel parser does not report yet, found from their shapes: sliders and tree expanders.

`augment(screen)` adds them to a parsed Screen (it needs the screenshot in ``screen.image``) and drops the
phantoms the parser made of their parts (a slider's thumb read as a radio, a tree's [+] box read as a checkbox).
It belongs after `compose` in grounding/parser.py; until the screen model does this itself the direct-command
interpreter applies it to what it is given.

- A slider is a long thin bar (its track, outlined or filled) with one wider part across it (its thumb), the
  thumb centred on the track; horizontal or vertical. A scrollbar's thumb is as thick as its track: not a slider.
- A tree expander is a small square box holding a plus (a collapsed item) or a minus (an expanded one); the
  item is named by the words to its right.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen

MIN_LENGTH = 40  # pixels along a slider's track, at the least
THUMB_OVER_TRACK = 1.25  # a thumb is at least this much thicker than its track


def augment(screen: Screen) -> Screen:
    """``screen`` with sliders and tree items added and the phantoms made of their parts dropped."""
    if screen.image is None:
        return screen
    gray = cv2.cvtColor(np.asarray(screen.image), cv2.COLOR_RGB2GRAY)
    known = [e.box for e in screen.controls() if e.role in ("slider", "text_field", "button")]
    words = [w.box for w in screen.words] or [e.box for e in screen.elements if e.role == "text"]
    sliders = [s for s in find_sliders(gray, words) if not any(_covers(b, s.box) for b in known)]
    elements = [e for e in screen.elements if not any(_part_of(e, s.box) for s in sliders)]
    elements = [_as_tree_item(e, gray) for e in elements]
    elements += _expanders_read_as_text(screen, elements, gray)
    rows = [e for e in elements if e.role == "tree_item"]
    elements = [e for e in elements if not _icon_of_a_row(e, rows)]
    if not sliders and not rows:
        return screen
    return screen.with_elements(elements + sliders)


def _covers(a: Box, b: Box) -> bool:
    return a.iou(b) > 0.5


def _part_of(e: Element, slider: Box) -> bool:
    """A control the parser found inside a slider's box: its thumb or its track, not a control of its own."""
    thin = min(slider.width, slider.height)
    small = max(e.box.width, e.box.height) <= 1.5 * thin
    return e.is_control and e.role in ("checkbox", "radio", "button") and small and slider.expanded(4).contains(e.box)


def find_sliders(gray: np.ndarray, text: list[Box] | tuple[Box, ...] = ()) -> list[Element]:
    """Every slider in a grayscale image, horizontal or vertical; ``text`` (boxes of words read) is ignored, so a
    value printed against a slider's end does not join its shape."""
    edges = cv2.Canny(gray, 30, 90)
    for b in text:
        edges[max(0, int(b.y0) - 1):int(b.y1) + 1, max(0, int(b.x0) - 1):int(b.x1) + 1] = 0
    edges = cv2.dilate(edges, np.ones((2, 2), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if max(w, h) < MIN_LENGTH or max(w, h) < 3 * min(w, h):
            continue
        flat = w >= h
        mask = labels[y:y + h, x:x + w] == i
        track = _track(mask if flat else mask.T)
        if track is None:
            continue
        thickness, mid = track
        laid = [b if flat else Box(b.y0, b.x0, b.y1, b.x1) for b in text]
        box = _with_thumb(gray if flat else gray.T, (x, y, w, h) if flat else (y, x, h, w), thickness, mid, laid)
        if box is not None:
            a0, b0, a1, b1 = box
            out.append(Element(Box(a0, b0, a1, b1) if flat else Box(b0, a0, b1, a1), "slider", source="widget",
                               confidence=0.85))
    return out


def _track(mask: np.ndarray) -> tuple[float, float] | None:
    """A component laid along its columns that is a straight bar: (its thickness, its middle row), else None.
    A thumb in the component makes some columns thicker; the rest must run straight and even."""
    rows = np.arange(mask.shape[0])[:, None]
    inked = mask.any(axis=0)
    if inked.mean() < 0.9:
        return None  # a slider's track is continuous
    top = np.where(mask, rows, mask.shape[0]).min(axis=0)
    bottom = np.where(mask, rows, -1).max(axis=0)
    extent = np.where(inked, bottom - top + 1, 0)
    thickness = float(np.median(extent[inked]))
    if not 3 <= thickness <= 40:
        return None
    plain = inked & (extent < THUMB_OVER_TRACK * thickness)
    if plain.sum() < 0.5 * mask.shape[1] or top[plain].std() > 1.5 or bottom[plain].std() > 1.5:
        return None  # a track's edges run straight; a word's letters do not
    return thickness, float(np.median((top + bottom)[plain])) / 2


def _with_thumb(gray: np.ndarray, xywh: tuple, thickness: float, mid: float, text: list[Box]) -> tuple | None:
    """The slider's box (x0, y0, x1, y1, in the laid-flat image) if one thumb, centred on the track and thicker
    than it, stands along it (past its ends too, where a thumb at the minimum or maximum sticks out)."""
    x, y, w, h = xywh
    axis = y + mid
    r0, r1 = max(0, int(axis - 1.6 * thickness)), min(gray.shape[0], int(axis + 1.6 * thickness) + 1)
    c0, c1 = max(0, x - int(2 * thickness)), min(gray.shape[1], x + w + int(2 * thickness))
    window = gray[r0:r1, c0:c1].astype(np.int16)
    ink = np.abs(window - int(np.median(window))) > 12
    for b in text:  # the value printed beside the thumb is not part of it
        ink[max(0, int(b.y0) - r0):max(0, int(b.y1) - r0), max(0, int(b.x0) - c0):max(0, int(b.x1) - c0)] = False
    rows = np.arange(ink.shape[0])[:, None]
    top = np.where(ink, rows, ink.shape[0]).min(axis=0)
    bottom = np.where(ink, rows, -1).max(axis=0)
    extent = np.where(ink.any(axis=0), bottom - top + 1, 0)
    start, end = _joined(extent, x - c0, x - c0 + w)
    spans = _runs(extent[start:end] >= THUMB_OVER_TRACK * thickness)
    if len(spans) != 1:
        return None
    a, b = spans[0][0] + start, spans[0][1] + start
    thumb = float(extent[a:b].max())
    if not (0.4 * thumb <= b - a <= 2.5 * thumb and b - a <= 0.4 * (end - start) and thumb <= 4 * thickness):
        return None
    thumb_mid = r0 + float(np.median((top + bottom)[a:b])) / 2
    if abs(thumb_mid - axis) > 0.25 * thumb:
        return None
    return c0 + start, int(axis - thumb / 2), c0 + end, int(axis + thumb / 2) + 1


def _joined(extent: np.ndarray, start: int, end: int, gap: int = 3) -> tuple[int, int]:
    """[start, end) grown over what touches the track's ends (a thumb past them), across hairline gaps only."""
    while True:
        nxt = next((start - k for k in range(1, gap + 2) if start - k >= 0 and extent[start - k] > 0), None)
        if nxt is None:
            break
        start = nxt
    while True:
        nxt = next((end + k for k in range(0, gap + 1) if end + k < len(extent) and extent[end + k] > 0), None)
        if nxt is None:
            break
        end = nxt + 1
    return start, end


def _runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) spans of consecutive True values."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(s), int(e)) for s, e in zip(change[::2], change[1::2])]


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
    ink = patch < (int(patch.max()) + int(patch.min())) // 2
    h, w = ink.shape
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
    if mid_row < 0.6 or rest.mean() > 0.08:
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


def _icon_of_a_row(e: Element, rows: list[Element]) -> bool:
    """A checkbox or radio between a tree item's box and its words: the item's folder or file icon."""
    if e.role not in ("checkbox", "radio"):
        return False
    for row in rows:
        same_row = abs(e.box.center[1] - row.box.center[1]) < row.box.height
        if same_row and row.box.x1 <= e.box.x0 <= row.box.x1 + 4 * row.box.width and e.name == row.name:
            return True
    return False
