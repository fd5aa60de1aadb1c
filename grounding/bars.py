"""The words in a bar (a field, a dropdown, a button): which of them are its text, and how they sit in it.

OCR reads the pictures at a bar's right end as stray glyphs - a dropdown's arrow as "v", a date field's calendar
as "二" - which are no words of its value; a field's text starts at its left padding, a caption sits between even
margins.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element
from grounding.words import span

ARROW_GLYPHS = {"v", "V", "⌄", "▾", "▼", "˅", "∨", "﹀", "ˇ"}  # how OCR reads a dropdown's down arrow


def without_end_icon(box: Box, inside: list[Element]) -> list[Element]:
    """The words of a bar without a last stray glyph (no letter or digit; not an arrow) at its right end: OCR's
    reading of an icon drawn there (a date field's calendar, a search field's magnifier)."""
    ordered = sorted(inside, key=lambda w: w.box.x0)
    last = ordered[-1].name.strip()
    if len(ordered) > 1 and len(last) <= 2 and not any(c.isascii() and c.isalnum() for c in last) \
            and last not in ARROW_GLYPHS and ordered[-1].box.x0 >= box.x0 + 0.7 * box.width:
        return ordered[:-1]
    return inside


def without_arrow(box: Box, inside: list[Element]) -> list[Element]:
    """The words of a bar without a last one-glyph word at its right end that is OCR's reading of an arrow."""
    ordered = sorted(inside, key=lambda w: w.box.x0)
    last = ordered[-1]
    if len(ordered) > 1 and last.name.strip() in ARROW_GLYPHS and last.box.x0 >= box.x0 + 0.75 * box.width \
            and last.box.x0 - ordered[-2].box.x1 >= 0.25 * last.box.height:
        return ordered[:-1]
    return inside


def from_the_left(box: Box, inside: list[Element], text_height: float) -> bool:
    """Whether words start at a box's left padding and stop far short of its right edge (a field's text or a
    long placeholder, not a caption centred between even margins)."""
    s = span(inside)
    left, right = s.x0 - box.x0, box.x1 - s.x1
    return left <= 1.2 * text_height and right - left > max(0.5 * text_height, 0.4 * (left + right))


def holds_pictures(image: np.ndarray, box: Box, words: list[Element], text_height: float) -> bool:
    """Whether a framed block holds ink that is no word: a picture about a glyph's size or larger (a post's reply
    and like icons). A text area holds text only."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    inset = 3
    gray = image[y0 + inset:y1 - inset, x0 + inset:x1 - inset].astype(np.int16).mean(axis=2)
    if gray.size == 0:
        return False
    ink = (np.abs(gray - np.median(gray)) > 60).astype(np.uint8)
    for w in words:  # the words are text; what is left is drawn
        a, b = int(w.box.x0) - x0 - inset - 2, int(w.box.y0) - y0 - inset - 2
        ink[max(0, b):max(0, int(w.box.y1) - y0 - inset + 2), max(0, a):max(0, int(w.box.x1) - x0 - inset + 2)] = 0
    n, _, stats, _ = cv2.connectedComponentsWithStats(cv2.dilate(ink, np.ones((3, 3), np.uint8)), connectivity=8)
    least = 0.6 * text_height
    return any(stats[i, 2] >= least and stats[i, 3] >= least and stats[i, 2] <= 4 * text_height
               and max(stats[i, 2], stats[i, 3]) <= 2.5 * min(stats[i, 2], stats[i, 3])  # a scroll bar is long
               for i in range(1, n))
