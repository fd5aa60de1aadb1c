"""Tabs: a row of captioned boxes standing side by side on a line that runs on past them (the tab strip's or
the panel's edge); the one drawn apart from the rest (another face, or open to the panel) is selected.

A row of buttons (OK, Cancel) also stands side by side, but nothing runs on under it.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element
from grounding.menubar import word_rows
from grounding.words import span


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


def underlined_tabs(words: list[Element], image: np.ndarray, text_height: float
                    ) -> tuple[list[Element], list[Element]]:
    """Tab strips whose open tab is marked by a bar of colour under its caption and that draw no box around their
    tabs (GTK's Adwaita notebooks, Material's tabs): a row of two or more captions, spaced wider than words of a
    sentence, exactly one of them over such a bar. A row whose every caption is underlined is a row of links.
    Each caption is a tab, the marked one selected; their words are taken (else the row of one-word captions at a
    dialog's top passes for a menu bar)."""
    tabs: list[Element] = []
    taken: set[int] = set()
    for row in word_rows(words, text_height):
        captions = _captions(row, text_height)
        if len(captions) < 2:
            continue
        spans = [span(c) for c in captions]
        marked = [_colour_bar_under(image, s, text_height) for s in spans]
        if sum(marked) != 1:
            continue
        for caption, around, mark in zip(captions, spans, marked):
            box = Box(around.x0 - 0.5 * text_height, around.y0 - 0.4 * text_height, around.x1 + 0.5 * text_height,
                      around.y1 + 0.4 * text_height)
            tabs.append(Element(box, "tab", name=" ".join(w.name for w in caption), source="widget+ocr",
                                confidence=0.7, states=frozenset({"selected"}) if mark else frozenset(),
                                line=caption[0].line))
            taken |= {id(w) for w in caption}
    return tabs, [w for w in words if id(w) not in taken]


def _captions(row: list[Element], text_height: float) -> list[list[Element]]:
    """The row's words as captions, in the longest run of them spaced as tabs are: words closer than a tab's
    padding join one caption, captions stand a tab's padding apart on both of their sides (1.5 glyph heights at
    least, the words of a sentence stand much closer) and no more than a few glyphs; a caption is a few words."""
    captions: list[list[Element]] = [[row[0]]]
    for w in row[1:]:
        if w.box.x0 - captions[-1][-1].box.x1 < 1.5 * text_height:
            captions[-1].append(w)
        else:
            captions.append([w])
    runs: list[list[list[Element]]] = [[captions[0]]]
    for c in captions[1:]:
        if c[0].box.x0 - runs[-1][-1][-1].box.x1 > 5.0 * text_height:
            runs.append([])
        runs[-1].append(c)
    best = max(runs, key=len)
    return best if all(len(c) <= 3 for c in best) else []


def _colour_bar_under(image: np.ndarray, span: Box, text_height: float) -> bool:
    """A bar of one saturated colour, 2 px thick or more, a little under ``span`` (within a glyph height),
    across all of it and not far past it (a strip's coloured edge runs on under its neighbours)."""
    h, w = image.shape[:2]
    pad, reach = int(1.3 * text_height), int(2.5 * text_height)  # a tab's padding; past it the bar must stop
    x0, x1 = max(0, int(span.x0) - reach), min(w, int(span.x1) + reach)
    y0, y1 = min(h, int(span.y1) + 1), min(h, int(span.y1 + 1.2 * text_height))
    if y1 - y0 < 2 or x1 <= x0:
        return False
    band = image[y0:y1, x0:x1].astype(np.int16)
    coloured = band.max(axis=2) - band.min(axis=2) >= 60
    lo, hi = int(span.x0) - x0, int(span.x1) - x0
    under = coloured[:, lo:hi].mean(axis=1) >= 0.95  # rows of colour across the whole caption
    under[:int(0.25 * text_height)] = False  # an underline hugs its word's foot; a tab's bar is its strip's edge
    if under.sum() < 2:
        return False
    colour = np.median(band[under][:, lo:hi].reshape(-1, 3), axis=0)
    face = image[max(0, int(span.y0)):int(span.y1), max(0, int(span.x0)):int(span.x1)].reshape(-1, 3)
    if face.size and np.abs(np.median(face, axis=0) - colour).max() <= 60:
        return False  # the caption stands on that colour: a filled button's face runs on under it, no bar
    same = np.abs(band - colour).max(axis=2) <= 40  # the bar's own colour (not another one drawn behind)
    left, right = same[:, :max(0, lo - pad)], same[:, hi + pad:]  # empty at the image's edge: nothing runs on
    beyond = ((left.mean(axis=1) < 0.5) if left.shape[1] else True) & \
        ((right.mean(axis=1) < 0.5) if right.shape[1] else True)
    margin = max(2, int(0.3 * text_height))  # the bar spans the tab, its padding too: wider than the caption
    padded = same[:, max(0, lo - margin):lo].all(axis=1) & same[:, hi:hi + margin].all(axis=1)
    return int((under & beyond & padded).sum()) >= 2
