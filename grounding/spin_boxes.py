"""Spin boxes drawn as GTK 3 draws them: one frame holding the value's cell and, at its right end, two square
buttons side by side with a minus and a plus; or as Qt draws them: the value's cell and a narrow column at the
right end with an up arrow over a down arrow.

Seen piece by piece, the value's cell passes for a button or a field, the plus's square for a checkbox, and a
row of them beside a label for a strip of tabs (mousepad's 'Long line margin at column: [80|-|+]' came out as
two tabs, one selected). Found whole first, they are one spin box holding its value, named by the words before
it, and its parts are not looked at again.
"""

from __future__ import annotations

import numpy as np

from grounding.elements import Box, Element
from grounding.proposals import Proposal
from grounding.words import words_beside

INK = 30  # grey levels between a sign's strokes and the face of its button


def find_spin_boxes(controls: list[Element], free: list[Element], outlines: list[Proposal], image: np.ndarray,
                    text_height: float) -> tuple[list[Element], list[Element]]:
    """``controls`` with each spin box found among ``outlines`` added and what was taken for its parts dropped;
    the free words left (its value's are its own)."""
    frames = [p.box for p in outlines if 1.2 * text_height <= p.box.height <= 4.5 * text_height]
    found: list[Element] = []
    for frame in sorted(frames, key=lambda b: b.area):
        if any(f.box.intersection(frame) > 0 for f in found):
            continue
        boxes = [p.box for p in outlines]
        cells = _cells(frame, boxes)
        if cells is None or not signs_of(image, cells[1], cells[2]):
            cells = _stacked_cells(frame, boxes)
            if cells is None or not arrows_of(image, cells[1]):
                continue
        value_cell = cells[0]
        inside = [w for w in free if value_cell.contains_point(*w.box.center)]
        name = words_beside(frame, [w for w in free if w not in inside], text_height, "left")
        parts = [c for c in controls if value_cell.contains(c.box, slack=3)]
        value = " ".join(w.name for w in sorted(inside, key=lambda w: w.box.x0)) or next(
            (c.value or c.name for c in parts), "")  # read as a caption
        # the value cell's shade, judged when it passed for a button or field: faint words are a disabled box's
        states = frozenset({"disabled"}) if any(c.disabled for c in parts) else frozenset()
        found.append(Element(frame, "spin_box", name=name, value=value, states=states, source="widget",
                             confidence=0.8))
        free = [w for w in free if w not in inside]
    if not found:
        return controls, free
    kept = [c for c in controls if not any(s.box.contains(c.box, slack=3) for s in found)]
    signs = [c for c in kept if _times_sign(c, found, text_height)]
    line = max((w.line for w in free), default=0) + 1
    free = free + [Element(c.box, "text", name="×", source="widget", confidence=0.6, line=line + k)
                   for k, c in enumerate(signs)]
    kept = [c for c in kept if c not in signs]
    return kept + found, free  # its name's words stay text, as a field's label does


def _times_sign(control: Element, spins: list[Element], text_height: float) -> bool:
    """Whether a close button (a bare x) stands between two spin boxes on their row, a glyph or less from each: the
    sign of a size set in two boxes (width x height), not a button."""
    if control.role != "button" or control.name != "Close":
        return False
    box = control.box
    row = [s for s in spins if abs(s.box.center[1] - box.center[1]) <= 0.25 * s.box.height]
    before = any(0 <= box.x0 - s.box.x1 <= 1.5 * text_height for s in row)
    after = any(0 <= s.box.x0 - box.x1 <= 1.5 * text_height for s in row)
    return before and after


def _cells(frame: Box, boxes: list[Box]) -> list[Box] | None:
    """The value's cell and the two sign buttons inside ``frame``, left to right, when that is what it holds."""
    inner = [b for b in boxes if b != frame and frame.contains(b, slack=4) and b.height >= 0.7 * frame.height]
    inner = _outermost(inner)
    if len(inner) != 3:
        return None
    value, minus, plus = sorted(inner, key=lambda b: b.x0)
    square = all(0.75 <= b.width / b.height <= 1.35 for b in (minus, plus))
    side_by_side = abs(minus.x1 - plus.x0) <= 4 and abs(value.x1 - minus.x0) <= 4
    at_the_end = frame.x1 - plus.x1 <= 6 and value.x0 - frame.x0 <= 6
    if not (square and side_by_side and at_the_end and value.width >= 1.1 * value.height):
        return None
    return [value, minus, plus]


def _stacked_cells(frame: Box, boxes: list[Box]) -> list[Box] | None:
    """The value's cell and, at the right end of ``frame``, the narrow column beside it holding an up and a down
    arrow stacked (Qt's spin boxes, and Windows'), when that is what it holds: the cell is traced, the column,
    taller than wide, is no outline's shape, so it is what the frame holds right of the cell."""
    inner = _outermost([b for b in boxes if b != frame and frame.contains(b, slack=4)
                        and b.height >= 0.7 * frame.height])
    if len(inner) != 1:
        return None
    (value,) = inner
    margin = max(0.0, value.x0 - frame.x0)
    column = Box(value.x1, value.y0, frame.x1 - margin, value.y1)
    if margin > 6 or not 0.35 * value.height <= column.width <= 0.9 * value.height \
            or value.width < 1.1 * value.height:
        return None
    return [value, column]


def arrows_of(image: np.ndarray, column: Box) -> bool:
    """Whether a column shows an up arrow over a down arrow: a mark darker than the face (a theme shades the face
    from top to bottom: each row is judged against its lightest pixel) in each half, the upper one widening
    downwards, the lower one narrowing; a line down the column (its divider) is no mark."""
    x0, y0, x1, y1 = (int(v) for v in column.to_list())
    crop = image[y0 + 1:y1 - 1, x0 + 2:x1 - 2].astype(np.int16).mean(axis=2)
    if crop.shape[0] < 6 or crop.shape[1] < 3:
        return False
    ink = crop.max(axis=1, keepdims=True) - crop > INK
    ink[:, ink.mean(axis=0) > 0.7] = False  # the line dividing the column from the value's cell
    half = crop.shape[0] // 2
    upper, lower = _row_widths(ink[:half]), _row_widths(ink[half:])
    if len(upper) < 2 or len(lower) < 2 or max(upper) < 3 or max(lower) < 3:
        return False
    return upper[-1] > upper[0] and lower[0] > lower[-1]


def _row_widths(ink: np.ndarray) -> list[int]:
    """How wide the ink is on each row that holds some, top to bottom."""
    out = []
    for row in ink:
        xs = np.flatnonzero(row)
        if len(xs):
            out.append(int(xs[-1] - xs[0] + 1))
    return out


def _outermost(boxes: list[Box]) -> list[Box]:
    """The boxes no other of them holds (an outline traced twice, a pixel apart, counts once)."""
    return [b for b in boxes if not any(o is not b and o.contains(b, slack=2) and o.area > b.area for o in boxes)]


def signs_of(image: np.ndarray, minus: Box, plus: Box) -> bool:
    """Whether the two squares show a minus and a plus: a flat bar, and a bar crossed at its middle."""
    return _sign(image, minus) == "-" and _sign(image, plus) == "+"


def _sign(image: np.ndarray, box: Box) -> str:
    """"-" or "+" for the stroke in the middle of ``box``, "" for anything else."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    w, h = x1 - x0, y1 - y0
    crop = image[y0 + h // 5:y1 - h // 5, x0 + w // 5:x1 - w // 5].astype(np.int16).mean(axis=2)
    if crop.size == 0:
        return ""
    ink = np.abs(crop - np.median(crop)) > INK
    if ink.sum() < 4:
        return ""
    ys, xs = np.nonzero(ink)
    tall, wide = np.ptp(ys) + 1, np.ptp(xs) + 1
    if wide < 0.3 * crop.shape[1]:
        return ""
    if tall <= 0.3 * wide:
        return "-"
    cy, cx = int(np.median(ys)), int(np.median(xs))
    crossed = ink[cy, xs.min():xs.max() + 1].mean() > 0.8 and ink[ys.min():ys.max() + 1, cx].mean() > 0.8
    return "+" if crossed and 0.7 <= tall / wide <= 1.4 else ""
