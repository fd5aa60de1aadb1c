"""List boxes and open dropdowns: a framed box of short rows, one item a row, is a list; each row is an option,
selected when its band is drawn in another colour. A list hanging right under a dropdown or field is that
dropdown opened: its options point at the dropdown, which is expanded.
"""

from __future__ import annotations

import itertools
import statistics

import numpy as np

from grounding.elements import Box, Element
from grounding.words import span

ITEM_WORDS = 4  # an item of a list is a few words; a line of a paragraph is more
_ids = itertools.count(1_000_000)  # provisional ids linking options to their list; Screen renumbers them


def by_rows(words: list[Element]) -> list[list[Element]]:
    """Words grouped into rows by their OCR line, top to bottom, each row left to right."""
    rows: dict[int, list[Element]] = {}
    for w in words:
        rows.setdefault(w.line, []).append(w)
    return [sorted(r, key=lambda w: w.box.x0) for r in sorted(rows.values(), key=lambda r: min(w.box.y0 for w in r))]


def looks_like_list(box: Box, inside: list[Element], image: np.ndarray) -> bool:
    """Several rows of a few words each, starting at one left edge; a band of selection colour, or rows of one
    or two words, tell it from a short paragraph in a field."""
    rows = by_rows(inside)
    if len(rows) < 2 or any(len(r) > ITEM_WORDS for r in rows):
        return False
    lefts = [r[0].box.x0 for r in rows]
    height = statistics.median(w.box.height for w in inside)
    if max(lefts) - min(lefts) > 1.2 * height:
        return False
    if 3 * sum(r[0].name[:1].islower() or r[-1].name.endswith(",") for r in rows) > len(rows):
        return False  # lines running on into each other (lower-case starts, trailing commas): a paragraph
    short = statistics.mean(len(r) for r in rows) <= 2.5 and len(rows) >= 3
    return short or any(_selected(image, _bands(box, rows)))


def dropdown_atop(box: Box, pieces: list[Box], words: list[Element], image: np.ndarray) -> bool:
    """Whether the top of a stack of framed pieces is a closed dropdown's face (one row of words and an arrow at
    its right end, not a scrollbar's full-height trough) with its list opened under it: two controls, not one
    list."""
    for q in pieces:
        if abs(q.y0 - box.y0) > 3 or q.width < box.width - 8 or q.height > 0.5 * box.height:
            continue
        inside = [w for w in words if q.contains_point(*w.box.center)]
        if len(by_rows(inside)) == 1 and span(inside).x1 < q.x0 + 0.8 * q.width and arrow_at_end(image, q):
            return True
    return False


def arrow_at_end(image: np.ndarray, box: Box, after: float = 0.0) -> bool:
    """Ink in the right end of a box (right of ``after``: past its words) spanning part of its height only (an
    arrow, not a scrollbar's trough)."""
    inset = max(3, int(0.12 * box.height))  # past the border and its rounded corners
    x0 = int(max(box.x0 + 0.85 * box.width, after + 4))  # past the tail of the last glyph, too
    y0, x1, y1 = int(box.y0) + inset, int(box.x1) - inset - 2, int(box.y1) - inset
    if x1 - x0 < 3 or y1 - y0 < 4:
        return False
    patch = image[y0:y1, x0:x1].astype(np.int16).mean(axis=2)
    rows = np.flatnonzero((np.abs(patch - np.median(patch)) > 60).any(axis=1))
    return bool(rows.size) and rows[-1] - rows[0] + 1 <= 0.6 * patch.shape[0]


def options(box: Box, inside: list[Element], image: np.ndarray, name: str = "") -> list[Element]:
    """The list (with a provisional id) followed by one option per row, each pointing at it."""
    list_id = next(_ids)
    rows = by_rows(inside)
    bands = _bands(box, rows)
    out = [Element(box, "list_box", name=name, id=list_id, source="widget+ocr", confidence=0.6)]
    for band, row, chosen in zip(bands, rows, _selected(image, bands)):
        out.append(Element(band, "option", name=" ".join(w.name for w in row), states={"selected"} if chosen else (),
                           parent=list_id, id=next(_ids), source="widget+ocr", confidence=0.6))
    return out


def _bands(box: Box, rows: list[list[Element]]) -> list[Box]:
    """Each row's band across the list: from the box's sides, halfway to the rows above and below."""
    centres = [span(r).center[1] for r in rows]
    pitch = statistics.median(b - a for a, b in zip(centres, centres[1:])) if len(centres) > 1 \
        else span(rows[0]).height * 1.6
    out = []
    for c in centres:
        out.append(Box(box.x0 + 1, max(box.y0 + 1, c - pitch / 2), box.x1 - 1, min(box.y1 - 1, c + pitch / 2)))
    return out


def _selected(image: np.ndarray, bands: list[Box]) -> list[bool]:
    """Which rows are drawn on a band of another colour than most rows (the list's face): the selected ones."""
    grounds = [_ground(image, b) for b in bands]
    face = np.median(np.array(grounds), axis=0)
    out = []
    for g in grounds:
        lighter = abs(float(np.mean(g)) - float(np.mean(face))) > 20
        tinted = abs(float(np.ptp(g)) - float(np.ptp(face))) > 40
        out.append(bool(lighter or tinted))
    return out if sum(out) < len(out) else [False] * len(out)


def _ground(image: np.ndarray, band: Box) -> np.ndarray:
    """A row's background colour: the median of its band, the glyphs being the few."""
    x0, y0, x1, y1 = (int(v) for v in band.to_list())
    patch = image[y0 + 1:max(y0 + 2, y1 - 1), x0 + 2:max(x0 + 3, x1 - 2)].reshape(-1, 3).astype(np.int16)
    return np.median(patch, axis=0) if len(patch) else np.zeros(3)


def open_lists(controls: list[Element], text_height: float) -> list[Element]:
    """A list right under (or over) a dropdown or field is it opened: the dropdown expanded, its list and
    options pointing at it."""
    out = list(controls)
    holders = [c for c in controls if c.role in ("dropdown", "text_field")]
    for i, lst in enumerate(controls):
        if lst.role != "list_box" or lst.parent:
            continue
        holder = next((h for h in holders if _hangs_from(lst.box, h.box, text_height)), None)
        if holder is None:
            continue
        k = next(k for k, c in enumerate(controls) if c is holder)
        holder = out[k]  # as a list opened under it already left it (two lists may hang from one field)
        hid = holder.id or next(_ids)
        out[k] = holder.with_(role="dropdown", id=hid, states=(holder.states - {"collapsed"}) | {"expanded"})
        out[i] = lst.with_(parent=hid, name=lst.name or holder.name)
        for j, opt in enumerate(out):
            if opt.role == "option" and opt.parent == lst.id:
                out[j] = opt.with_(parent=hid)
    return out


def _hangs_from(lst: Box, holder: Box, text_height: float) -> bool:
    overlap = min(lst.x1, holder.x1) - max(lst.x0, holder.x0)
    touching = -3 <= lst.y0 - holder.y1 <= 1.5 * text_height or -3 <= holder.y0 - lst.y1 <= 1.5 * text_height
    return touching and overlap >= 0.6 * min(lst.width, holder.width)
