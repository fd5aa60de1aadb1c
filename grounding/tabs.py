"""Tabs: a row of captioned boxes standing side by side on a line that runs on past them (the tab strip's or
the panel's edge); the one drawn apart from the rest (another face, or open to the panel) is selected.

A row of buttons (OK, Cancel) also stands side by side, but nothing runs on under it.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element


def find_tabs(controls: list[Element], free: list[Element], image: np.ndarray,
              text_height: float) -> tuple[list[Element], list[Element]]:
    """``controls`` with the buttons that form a tab row turned into tabs (the selected one marked), and the
    free words left. The open tab has no outline of its own (it opens onto its panel): words standing in a
    gap of the row, or just beside its end, are that tab."""
    buttons = sorted((c for c in controls if c.role == "button" and c.name), key=lambda c: c.box.x0)
    rows: list[list[Element]] = []
    for b in buttons:
        row = next((r for r in rows if _same_row(r[-1].box, b.box)
                    and (_next_to(r[-1].box, b.box, text_height) or _open_between(r[-1].box, b.box, free))), None)
        if row is None:
            rows.append([b])
        else:
            row.append(b)
    changed: dict[int, Element] = {}
    added: list[Element] = []
    used: set[int] = set()
    for row in rows:
        opened = _open_tabs(row, free, text_height)
        others = [c.box for c in controls if not any(c is b for b in row)]
        if len(row) + len(opened) < 2 or not _on_a_line(row, image, text_height, others):
            continue
        chosen = None if opened else _selected(row, image)
        for b in row:
            changed[id(b)] = b.with_(role="tab", states=b.states | ({"selected"} if b is chosen else set()))
        for box, words in opened:
            added.append(Element(box, "tab", name=" ".join(w.name for w in words), states={"selected"},
                                 source="widget+ocr", confidence=0.6))
            used |= {id(w) for w in words}
    return [changed.get(id(c), c) for c in controls] + added, [w for w in free if id(w) not in used]


def _same_row(a: Box, b: Box) -> bool:
    same_top = abs(a.y0 - b.y0) <= max(3.0, 0.15 * a.height)
    return same_top and abs(a.height - b.height) <= 0.2 * max(a.height, b.height)


def _row_words(box_a: Box, x0: float, x1: float, free: list[Element]) -> list[Element]:
    return [w for w in free if box_a.y0 <= w.box.center[1] <= box_a.y1 and x0 <= w.box.x0 and w.box.x1 <= x1]


def _open_between(a: Box, b: Box, free: list[Element]) -> bool:
    """Whether the gap between two boxes of a row is filled by one tab's words and its padding."""
    words = _row_words(a, a.x1, b.x0, free)
    if not words:
        return False
    width = max(w.box.x1 for w in words) - min(w.box.x0 for w in words)
    return b.x0 - a.x1 <= 2.5 * width + 2 * a.height


def _open_tabs(row: list[Element], free: list[Element], text_height: float) -> list[tuple[Box, list[Element]]]:
    """The open tab's box and words: in a gap of the row, or right before or after it."""
    out = []
    gaps = [(a.box.x1, b.box.x0) for a, b in zip(row, row[1:]) if b.box.x0 - a.box.x1 > 0.6 * text_height]
    first, last = row[0].box, row[-1].box
    ends = [(first.x0 - 12 * text_height, first.x0), (last.x1, last.x1 + 12 * text_height)]
    for n, (x0, x1) in enumerate(gaps + ends):
        words = _row_words(first, x0, x1, free)
        if not words:
            continue
        lo, hi = min(w.box.x0 for w in words), max(w.box.x1 for w in words)
        pad = (hi - lo) * 0.35 + 0.5 * text_height
        if n >= len(gaps):  # beside an end: the words must sit as close as a tab's padding
            if (x1 == first.x0 and first.x0 - hi > pad) or (x0 == last.x1 and lo - last.x1 > pad):
                continue
            x0, x1 = (lo - pad, first.x0 - 1) if x1 == first.x0 else (last.x1 + 1, hi + pad)
        out.append((Box(x0, first.y0, x1, first.y1), words))
    return out


def _next_to(a: Box, b: Box, text_height: float) -> bool:
    return 0 <= b.x0 - a.x1 <= 0.8 * text_height  # tabs of a strip stand closer than a row of buttons


def _on_a_line(row: list[Element], image: np.ndarray, text_height: float, others: list[Box]) -> bool:
    """Whether a horizontal edge runs along the row's foot and on past its first or last box (not the edge of
    another control standing beside the row: a field after a row of buttons)."""
    x0, x1 = row[0].box.x0, row[-1].box.x1
    y1 = max(b.box.y1 for b in row)
    reach = max(6, int(1.5 * text_height))
    h, w = image.shape[:2]
    top, bottom = max(0, int(y1) - 4), min(h, int(y1) + 4)
    if bottom - top < 3:
        return False
    band = cv2.Canny(cv2.cvtColor(image[top:bottom], cv2.COLOR_RGB2GRAY), 30, 90) > 0
    for a, b in ((int(x1) + 2, int(x1) + 2 + reach), (int(x0) - 2 - reach, int(x0) - 2)):
        a, b = max(0, a), min(w, b)
        if any(o.x0 < b and o.x1 > a and o.y0 <= y1 <= o.y1 + 4 for o in others):
            continue
        if b - a >= 0.8 * reach and band[:, a:b].any(axis=0).mean() >= 0.9:
            return True
    return False


def _selected(row: list[Element], image: np.ndarray) -> Element | None:
    """The tab whose face differs from the others' (a brighter, darker or coloured tab stands for the open one)."""
    faces = [_face(image, b.box) for b in row]
    median = np.median(np.array(faces), axis=0)
    distance = [float(np.abs(np.array(f) - median).sum()) for f in faces]
    best = int(np.argmax(distance))
    return row[best] if distance[best] > 24 else None


def _face(image: np.ndarray, box: Box) -> tuple[float, float, float]:
    """The median colour of a box's face, its caption left out (the brightest and darkest tenth dropped)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    inset = max(2, int(0.15 * min(x1 - x0, y1 - y0)))
    face = image[y0 + inset:y1 - inset, x0 + inset:x1 - inset].reshape(-1, 3)
    if not len(face):
        return (0.0, 0.0, 0.0)
    return tuple(float(v) for v in np.median(face, axis=0))
