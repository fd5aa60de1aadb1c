"""locate(description, screen): find what a person describes on a parsed Screen.

The description is read by the one referring-expression grammar (grounding/refs/grammar.py: quoted labels, role
words, ordinals, relations, both readings of "Two") and grounded by grounding/refs/resolve.py; the reading the
screen supports best wins. Text comparison lives in grounding/textmatch.py.
"""

from __future__ import annotations

from grounding.elements import Box, Screen
from grounding.refs.grammar import Ref, parse_ref
from grounding.refs.matches import Match, NotFound
from grounding.refs.resolve import best_reading, echo_lines, searchable
from grounding.textmatch import normalise, ocr_fold, shows, squash, text_score

__all__ = ["Match", "NotFound", "Ref", "as_ref", "echo_lines", "locate", "locate_all", "normalise", "ocr_fold",
           "searchable", "shows", "squash", "text_score"]


def as_ref(description: str | Ref) -> Ref:
    """A Ref as it is; a string read by the grammar."""
    return description if isinstance(description, Ref) else parse_ref(description)


def locate(description: str | Ref, screen: Screen, exclude: tuple[Box, ...] = (), echo: str = "") -> Match:
    """The best element for a description; raises NotFound with a sentence saying what was missing."""
    matches = locate_all(description, screen, exclude, echo)
    if not matches:
        raise NotFound(f"nothing on the screen matches {as_ref(description).describe()}")
    return matches[0]


def locate_all(description: str | Ref, screen: Screen, exclude: tuple[Box, ...] = (), echo: str = "") -> list[Match]:
    """Every element that fits the best-supported reading, best first; an ordinal picks one, "all" all of them.

    ``echo`` is the task's own wording: lines of text on the screen that repeat it (the task shown in a
    window, a test harness's banner) are not targets, unless the line says exactly what is looked for.
    """
    return best_reading(as_ref(description), screen, exclude, echo)[1]
