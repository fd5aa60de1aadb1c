"""What an icon shows, read from its shape: a heart, a loop of two arrows, an arrow, a row of dots.

Each is named by the glyph that stands for it (grounding/textmatch.py ICON_GLYPHS: "like" and "♥", "more" and
"•••"), so "the Like button" or "the ••• menu" finds a picture no text names. A shape not recognised surely keeps
no name: a wrong name is worse than none ("the trash icon" still finds an unnamed picture in its row).
"""

from __future__ import annotations

import numpy as np

from grounding.elements import Box

HEART, STAR, LOOP, MORE, MORE_UP = "♥", "☆", "🔁", "•••", "⋮"
ARROWS = {("left", False): "←", ("left", True): "↩", ("right", False): "→", ("right", True): "↪"}


def shape_name(mask: np.ndarray) -> str:
    """The glyph for the picture ``mask`` (True where its ink is), or "" when it is none surely known."""
    h, w = mask.shape
    if h < 6 or w < 6 or not mask.any():
        return ""
    return _heart(mask) or _star(mask) or _loop(mask) or _arrow(mask) or ""


def _heart(m: np.ndarray) -> str:
    """Solid, mirror-symmetric, a notch at the top middle, narrowing to a point at the bottom."""
    h, w = m.shape
    if not (0.45 <= m.mean() <= 0.85 and _overlap(m, m[:, ::-1]) >= 0.8 and 0.75 <= w / h <= 1.45):
        return ""
    tops = [_top(m[:, x]) for x in range(w)]
    lobes = min(min(tops[w // 6: w // 2 - 1]), min(tops[w // 2 + 2: w - w // 6]))
    notch = max(tops[(w - 1) // 2], tops[w // 2])
    bottom = m[h - max(2, h // 6):].sum(axis=1).max()
    widest = m.sum(axis=1).max()
    return HEART if notch - lobes >= max(2, 0.08 * h) and bottom < 0.45 * widest else ""


def _star(m: np.ndarray) -> str:
    """Mirror-symmetric, a point at the top, arms widest above the middle, two legs with a gap between them."""
    h, w = m.shape
    if not (_overlap(m, m[:, ::-1]) >= 0.75 and 0.8 <= w / h <= 1.3):
        return ""
    widths = [_span(m[y]) for y in range(h)]
    top = max(widths[: max(1, h // 8)])
    arms = int(np.argmax(widths))
    legs = m[h - max(2, h // 12):, w // 2 - max(1, w // 12): w // 2 + max(1, w // 12) + 1]
    if top <= 0.3 * w and arms <= 0.55 * h and widths[arms] >= 0.85 * w and not legs.any():
        return STAR
    return ""


def _loop(m: np.ndarray) -> str:
    """Two arrows chasing each other round a box: the same turned half round, not mirrored, wider than tall."""
    h, w = m.shape
    turned, mirrored = _overlap(m, m[::-1, ::-1]), _overlap(m, m[:, ::-1])
    if w >= 1.2 * h and m.mean() < 0.55 and turned >= 0.55 and mirrored < 0.75 * turned:
        return LOOP
    return ""


def _overlap(a: np.ndarray, b: np.ndarray) -> float:
    return float((a & b).sum() / max(1, (a | b).sum()))


def _top(column: np.ndarray) -> int:
    rows = np.nonzero(column)[0]
    return int(rows.min()) if len(rows) else len(column)


def _arrow(m: np.ndarray) -> str:
    """An arrowhead at one end (ink tall there, a point at the very tip) and a thin neck behind it; a shaft that
    bends away from the head's line (down or up past it) makes it a hooked arrow (reply, ↩)."""
    for side, cols in (("left", m), ("right", m[:, ::-1])):
        h, w = cols.shape
        extent = np.array([_span(cols[:, x]) for x in range(w)])
        head = int(np.argmax(extent[: max(2, w // 2)]))
        tall = extent[head]
        tip = extent[: max(1, w // 10)].max()
        neck = extent[head + 1: head + max(3, w // 3)]
        if not (tall >= 0.55 * h and 0 < head and tip <= 0.5 * tall and len(neck) and neck.min() <= 0.55 * tall):
            continue
        rows = np.nonzero(cols[:, head])[0]
        axis = (rows.min() + rows.max()) / 2
        tail = np.nonzero(cols[:, w - max(2, w // 6):].any(axis=1))[0]
        bent = len(tail) > 0 and max(tail.max() - axis, axis - tail.min()) > 0.3 * h
        return ARROWS[(side, bool(bent))]
    return ""


def chevron(mask: np.ndarray) -> str:
    """">" or "<" for a glyph that is a chevron (OCR may read ">" as "V"): the same flipped top to bottom, not left
    to right, its point at one side; else ""."""
    h, w = mask.shape
    if h < 6 or w < 4 or not mask.any():
        return ""
    if _overlap(mask, mask[::-1]) < 0.6 or _overlap(mask, mask[:, ::-1]) > 0.5:
        return ""
    rows = [_span(mask[y]) for y in range(h)]
    middle, ends = max(rows[h // 3: h - h // 3] or [0]), max(rows[0], rows[-1])
    if middle > 0.7 * w or ends > 0.6 * w:  # a chevron's rows are strokes, not a filled shape
        return ""
    tip = np.nonzero(mask[h // 2])[0]
    if not len(tip):
        return ""
    return ">" if tip.mean() > w / 2 else "<"


def _span(column: np.ndarray) -> int:
    rows = np.nonzero(column)[0]
    return int(rows.max() - rows.min() + 1) if len(rows) else 0


def dot_rows(boxes: list[Box]) -> list[tuple[Box, str]]:
    """Three or more dots of one size in an evenly spaced row (a "•••" menu) or column ("⋮"): their box, named."""
    dots = [b for b in boxes if 2 <= b.width <= 14 and 2 <= b.height <= 14 and max(b.width, b.height)
            <= 1.6 * min(b.width, b.height)]
    out: list[tuple[Box, str]] = []
    used: set[int] = set()
    for across, name in ((True, MORE), (False, MORE_UP)):
        for i in range(len(dots)):
            if i in used:
                continue
            run = _run_from(i, dots, across, used)
            if len(run) >= 3:
                used.update(run)
                box = dots[run[0]]
                for j in run[1:]:
                    box = box.union(dots[j])
                out.append((box, name))
    return out


def _run_from(i: int, dots: list[Box], across: bool, used: set[int]) -> list[int]:
    """The dots in line with dot ``i``, going right (or down), each the same size and the same step on."""
    run, step = [i], 0.0
    while True:
        last = dots[run[-1]]
        size = max(last.width, last.height)
        nxt = []
        for j, d in enumerate(dots):
            big = max(size, d.width, d.height)
            if j in used or j in run or max(abs(d.width - last.width), abs(d.height - last.height)) > 0.3 * big:
                continue
            along = (d.center[0] - last.center[0]) if across else (d.center[1] - last.center[1])
            off = abs((d.center[1] - last.center[1]) if across else (d.center[0] - last.center[0]))
            even = not step or abs(along - step) <= 0.25 * step
            if 0.9 * size <= along <= 3.5 * size and off <= 0.3 * big and even:
                nxt.append((along, j))
        if not nxt:
            return run
        along, j = min(nxt)
        step = step or along
        run.append(j)
