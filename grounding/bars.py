"""The words in a bar (a field, a dropdown, a button): which of them are its text, and how they sit in it.

OCR reads the pictures at a bar's right end as stray glyphs - a dropdown's arrow as "v", a date field's calendar
as "二" - which are no words of its value; a field's text starts at its left padding, a caption sits between even
margins.
"""

from __future__ import annotations

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
