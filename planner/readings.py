"""How what a field shows is held against the text typed into it (the check of a type, planner/direct_checks.py):
the whole text or a part of it, a reading the resting pointer spoils, a long text scrolled to its end, a caret
OCR read as one more stroke."""

from __future__ import annotations

from difflib import SequenceMatcher

from grounding.elements import Box
from grounding.textmatch import shows, squash
from planner.effects import CARETS, holds


def fits(seen: str, text: str, whole: bool) -> bool:
    """Whether ``seen`` holds the whole ``text`` (``whole``) or shows it among other words."""
    return holds(seen, text) if whole else shows(seen, text)


def under_the_pointer(box: Box, pointer: tuple[float, float] | None, seen: str, text: str) -> bool:
    """Whether a reading that differs from the typed text may be the pointer's fault: it rests on the field (where
    it clicked; screenshots that draw the pointer show its I-beam over a letter) and the reading is the text's
    length with a glyph or two read wrong, not a text cut short ('Gra' for 'Grace' is a field that kept less)."""
    if pointer is None or not box.contains_point(*pointer):
        return False
    a, b = squash(text), squash(seen)
    cut_short = len(b) < len(a) - 1 or (len(b) < len(a) and a.startswith(b))
    return bool(a) and not cut_short and SequenceMatcher(None, a, b).ratio() >= 0.75


def scrolled_to_its_end(seen: str, text: str) -> bool:
    """A text longer than its field shows its end: the field scrolled along as it was typed."""
    return len(seen) >= 4 and len(text) > len(seen) and shows(text[-len(seen) - 2:], seen)


def without_caret(seen: str, text: str) -> str:
    """What a field shows, without the caret OCR read as one more stroke after it ('Gral' for 'Gra|')."""
    if len(seen) > 1 and seen[-1] in CARETS and text.startswith(seen[:-1]) and not text.startswith(seen):
        return seen[:-1]
    return seen
