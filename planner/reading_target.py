"""What "read X" reads: the element the noun names, and whether the reading is sure enough to count as seen.

"The display" (or "the number on the display") is the field that shows a value, never a stray line of words
another window lays beside it; "the result", "the message" (a line's noun, no label) is the line that appeared
after the last act, else a status or alert line. Where it cannot tell (no line appeared, several fields show a
value) it says what it read and that it is not sure, and the check does not count it (planner/direct_checks.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grounding.elements import Element, Screen
from grounding.refs.ref import Ref
from grounding.textmatch import text_score

LINE_NOUNS = ("result", "message", "answer", "output", "status", "error", "alert", "notice", "response",
              "confirmation", "feedback", "reply", "notification", "warning", "outcome")
FIELDS = ("text_field", "text_area", "spin_box", "dropdown")  # a readout the parse took for a dropdown shows its value
SHOWING = ("alert", "status")  # a line's role or words that say it is one the page shows as news


@dataclass(frozen=True, kw_only=True)
class Reading:
    """What was read, from which element, and whether it is sure (``why``: what made it unsure)."""

    shown: str
    element: Element | None = None
    why: str = ""


def line_noun(ref: Ref) -> bool:
    """Whether ``ref`` names a line by what it is ("the result", "the message") rather than by its words."""
    return not ref.label and not ref.relations and (ref.noun or ref.role) in LINE_NOUNS


def on_display(ref: Ref) -> bool:
    """Whether ``ref`` is the display or something on it ("the number on the display")."""
    return ref.role == "display" or any(r.anchor.role == "display" for r in ref.relations)


def new_line(now: Screen, earlier: Screen | None) -> Reading:
    """The line that appeared since ``earlier`` (the screen the last act was done on), else a status line."""
    if earlier is not None:
        were = [e.name for e in earlier.elements if e.name]
        fresh = [e for e in now.lines() if e.name and not any(text_score(e.name, w) >= 0.9 for w in were)]
        if fresh:
            return Reading(shown=fresh[0].name, element=fresh[0])
    news = [e for e in now.lines() if any(w in e.name.lower() for w in SHOWING)]
    if news:
        return Reading(shown=news[0].name, element=news[0])
    return Reading(shown="", why="no line appeared after the last act")


def display(now: Screen, found: Element | None) -> Reading:
    """The field that shows the display's value: the one found where it is such a field, else the only one; where
    several fields show a number (two windows, two readouts) it is not sure which is the display."""
    showing = [e for e in now.elements if e.role in FIELDS and e.value]
    numbers = [e for e in showing if re.fullmatch(r"[-+\d.,:eE\s]*\d[-+\d.,:eE\s]*", e.value)]
    showing = numbers or showing  # a display shows a number; an editor's text beside it is not the display
    if not showing:
        return Reading(shown="", why="no field on the screen shows a value")
    first = found if found is not None and found in showing else showing[0]
    if len(showing) == 1:
        return Reading(shown=first.value, element=first)
    said = ", ".join(repr(e.value) for e in showing[:3])
    return Reading(shown=first.value, element=first, why=f"{len(showing)} fields show a value ({said})")
