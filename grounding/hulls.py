"""Outlines that are not controls: the closed edge traced around a word's own glyphs, a glyph traced as a small
box inside the button it captions, and the gap closed off between other shapes."""

from __future__ import annotations

import numpy as np

from grounding.box_arrays import areas, box_array, contains
from grounding.elements import Element
from grounding.proposals import Proposal

HULL_INK = 0.55  # a word's hull is mostly glyph ink; a button's face around its caption is mostly flat


def hugs_a_word(p: Proposal, words: list[Element]) -> bool:
    """Whether the wide outline ``p`` is the hull of a word's glyphs: mostly ink, around a word's centre, and
    no more than a fraction of a glyph's height larger than that word on any side."""
    if p.shape != "bar" or p.inked < HULL_INK:
        return False
    for w in words:
        if not p.box.contains_point(*w.box.center):
            continue
        pad = 0.6 * w.box.height
        if (w.box.x0 - p.box.x0 <= pad and p.box.x1 - w.box.x1 <= pad and w.box.y0 - p.box.y0 <= pad
                and p.box.y1 - w.box.y1 <= pad):
            return True
    return False


def caption_glyphs(outlines: list[Proposal], text_height: float) -> set[int]:
    """The ids of the small boxes and rings among ``outlines`` that are glyphs centred in a button-sized outline (a
    calculator key's "0" or "8"), which caption that button rather than being checkboxes or radios of their own:
    every box tested against every drawn outline at once."""
    small = [p for p in outlines if p.shape in ("square", "circle")]
    frames = [q for q in outlines if q.shape in ("bar", "panel", "square") and q.drawn]
    if not small or not frames:
        return set()
    a, f = box_array([p.box for p in small]), box_array([q.box for q in frames])
    (cx, cy), (qx, qy) = _centres(a), _centres(f)
    qw, qh = f[:, 2] - f[:, 0], f[:, 3] - f[:, 1]
    button_sized = ~((qh > 4.5 * text_height) | (qw > 15 * text_height))
    centred = (np.abs(cx[:, None] - qx[None, :]) <= 0.2 * qw[None, :]) \
        & (np.abs(cy[:, None] - qy[None, :]) <= 0.2 * qh[None, :])
    other = np.array([id(p) for p in small])[:, None] != np.array([id(q) for q in frames])[None, :]
    held = (areas(f)[None, :] >= 4 * areas(a)[:, None]) & contains(f, a, slack=1).T
    return {id(small[i]) for i in np.flatnonzero((other & held & centred & button_sized[None, :]).any(axis=1))}


def _centres(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Box.center of each row, as its x and its y."""
    return (a[:, 0] + a[:, 2]) / 2, (a[:, 1] + a[:, 3]) / 2


def between_shapes(p: Proposal, edges: np.ndarray, text_height: float) -> bool:
    """Whether ``p`` is the gap left between other shapes (the page's background closed off by a field's side,
    the field below and a strip above) rather than a box of its own: a side of it is pieced together (no one line
    runs its length) and two or more of its sides are lines that run on past its corners, while a box's own
    sides end there (boxes stacked edge to edge share lines, but each side is whole). ``edges`` is the screen's
    Canny edge map."""
    if min(p.straight) >= 0.9:
        return False
    run = max(4, int(0.5 * text_height))
    x0, y0, x1, y1 = (int(v) for v in p.box.to_list())
    h, w = edges.shape

    def inked(rows: slice, cols: slice) -> bool:
        band = edges[rows, cols]
        return band.size > 0 and band.shape[1 if band.shape[1] >= band.shape[0] else 0] >= run \
            and float(band.any(axis=0 if band.shape[1] >= band.shape[0] else 1).mean()) >= 0.8

    def horizontal(y: int) -> bool:
        rows = slice(max(0, y - 2), min(h, y + 3))
        return inked(rows, slice(max(0, x0 - 2 - run), max(0, x0 - 2))) or inked(rows, slice(x1 + 2, x1 + 2 + run))

    def vertical(x: int) -> bool:
        cols = slice(max(0, x - 2), min(w, x + 3))
        return inked(slice(max(0, y0 - 2 - run), max(0, y0 - 2)), cols) or inked(slice(y1 + 2, y1 + 2 + run), cols)

    return sum((horizontal(y0), horizontal(y1 - 1), vertical(x0), vertical(x1 - 1))) >= 2
