"""Where a day sits in a month calendar when OCR did not read its number: from the days it did read.

A month grid has seven columns and its days run in reading order, so the days read (with where they are) fix the
column pitch and the row pitch, and, with the month's name centred over the grid, the column of day 1; a misread
day (a "13" read as "3") is outvoted.
"""

from __future__ import annotations

from itertools import combinations

import cv2
import numpy as np

from grounding.elements import Box
from grounding.ocr import read_words

WEEK = 7


def day_cell(day: int, known: list[tuple[int, Box]], middle: float) -> Box | None:
    """The box of ``day`` inferred from ``known`` (day number, box of its text) in a grid centred at x ``middle``
    (under the month's name), or None when they do not agree on a grid (fewer than three days read, or no two in
    one row and no two in one column)."""
    if len(known) < 3:
        return None
    fits = [(fit, first) for first in range(WEEK) if (fit := _fit(first, known)) is not None]  # first: day 1's column
    if not fits:
        return None
    (inliers, x0, dx, y0, dy), first = max(fits, key=lambda f: (f[0][0], -abs(f[0][1] + 3 * f[0][2] - middle)))
    if inliers < max(3, len(known) // 2):
        return None
    col, row = (day - 1 + first) % WEEK, (day - 1 + first) // WEEK
    cx, cy = x0 + col * dx, y0 + row * dy
    return Box(cx - dx / 4, cy - dy / 4, cx + dx / 4, cy + dy / 4)


def _fit(first: int, known: list[tuple[int, Box]]) -> tuple[int, float, float, float, float] | None:
    """(inliers, x of column 0, column pitch, y of row 0, row pitch) for day 1 in column ``first``: the pitch a pair
    of days gives that the most days agree with."""
    cells = [((d - 1 + first) % WEEK, (d - 1 + first) // WEEK, b.center) for d, b in known]
    best: tuple[int, float, float, float, float] | None = None
    for (ca, ra, pa), (cb, rb, pb) in combinations(cells, 2):
        if ca == cb or ra == rb:
            continue
        dx, dy = (pb[0] - pa[0]) / (cb - ca), (pb[1] - pa[1]) / (rb - ra)
        if dx <= 0 or dy <= 0:
            continue
        x0, y0 = pa[0] - ca * dx, pa[1] - ra * dy
        inliers = sum(abs(x0 + c * dx - p[0]) < 0.3 * dx and abs(y0 + r * dy - p[1]) < 0.3 * dy for c, r, p in cells)
        if best is None or inliers > best[0]:
            best = (inliers, x0, dx, y0, dy)
    return best


def read_days(image: np.ndarray, region: Box, magnify: int = 2) -> list[tuple[int, Box]]:
    """The day numbers in ``region`` of ``image`` read again, magnified: a calendar's small digits in boxed cells
    are often skipped when the whole screen (or only the part that changed) is read."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = max(0, int(region.x0)), max(0, int(region.y0)), min(w, int(region.x1)), min(h, int(region.y1))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return []
    crop = cv2.resize(np.ascontiguousarray(image[y0:y1, x0:x1]), None, fx=magnify, fy=magnify,
                      interpolation=cv2.INTER_CUBIC)
    out = []
    for word in read_words(crop):
        t = word.name.strip()
        if t.isdigit() and 1 <= int(t) <= 31:
            c = word.box
            out.append((int(t), Box(x0 + c.x0 / magnify, y0 + c.y0 / magnify, x0 + c.x1 / magnify,
                                    y0 + c.y1 / magnify)))
    return out
