"""After a worker's `set` or `select`, once the screen settled: whether the control shows what was asked (a spin
box its number, a dropdown its choice with its list closed, a checkbox or radio button its state). When it does
not, one sentence says what it shows, and the action failed: a click that missed a spin box's value cell, or an
Enter that opened a dropdown's list instead of choosing, must not read "done" (both were, in a user trial).

Values compare loosely: 16 is 16.0 and "16 pt"; a choice ignores case and spacing, and "4" is the "4 people" the
list offered. A spin box, field or dropdown no longer in its place fails too (where the focused field holds the
value, the sentence says so); a toggle not found again, or a value the screen does not read, gets no verdict.
"""

from __future__ import annotations

import re

from grounding.elements import Element, Screen
from grounding.legend import quote
from grounding.locate import normalise, text_score
from planner.aci import Wanted
from planner.forms import TOGGLES

VALUED = ("spin_box", "text_field", "slider", "dropdown")
NUMBER = re.compile(r"[-+]?(?:\d+(?:\.\d*)?|\.\d+)")


def unset(wanted: Wanted, screen: Screen) -> str | None:
    """The sentence saying the control does not show what ``wanted`` asks; None when it does or cannot be told."""
    now = _again(wanted.of, screen)
    if now is None:  # a toggle the pixels missed once is no failure; a value's box gone is (GTK's font chooser
        # hides its size boxes once the keys meant for them made its search find nothing)
        return None if wanted.on is not None else \
            f"{wanted.said} is no longer on the screen after {_verb(wanted)} {wanted.value}" + \
            _elsewhere(wanted, None, screen)
    if wanted.on is not None:
        return _state(wanted, now)
    if now.role == "dropdown" and now.expanded:
        return (f"{wanted.said}'s list is still open after select {wanted.value!r}"
                + (f", and it shows {quote(now.value)}" if now.value else ""))
    if not now.value.strip() or _shows(now.value, wanted.value, numeric=now.role != "dropdown"):
        return None
    how = "still shows" if _same(now.value, wanted.of.value) else "shows"
    return f"{wanted.said} {how} {quote(now.value)} after {_verb(wanted)} {wanted.value}" + \
        _elsewhere(wanted, now, screen)


def _verb(wanted: Wanted) -> str:
    return "select" if wanted.of.role == "dropdown" else "set"


def _state(wanted: Wanted, now: Element) -> str | None:
    on = now.checked or (now.role != "checkbox" and now.selected)
    if on == wanted.on:
        return None
    was = wanted.of.checked or (wanted.of.role != "checkbox" and wanted.of.selected)
    word = ("ticked" if on else "unticked") if now.role == "checkbox" else ("chosen" if on else "not chosen")
    return f"{wanted.said} is {'still ' if was == on else ''}{word} after set {'on' if wanted.on else 'off'}"


def _again(el: Element, screen: Screen) -> Element | None:
    """The control in its place on ``screen`` (of a role that holds the same kind of state)."""
    kinds = TOGGLES if el.role in TOGGLES else VALUED
    placed = [e for e in screen.elements if e.role in kinds and e.box.iou(el.box) > 0.5]
    return max(placed, key=lambda e: (e.role == el.role, e.box.iou(el.box)), default=None)


def _shows(seen: str, wanted: str, numeric: bool) -> bool:
    a, b = _number(seen), _number(wanted)
    if numeric and a is not None and b is not None:
        return abs(a - b) <= 1e-6 * max(1.0, abs(b))
    s, w = normalise(seen), normalise(wanted)
    return s == w or text_score(wanted, seen) >= 0.93 or (bool(w) and s.startswith(w + " "))


def _same(a: str, b: str) -> bool:
    return bool(b.strip()) and (_shows(a, b, numeric=True) and _shows(b, a, numeric=True))


def _number(text: str) -> float | None:
    m = NUMBER.search(text.replace(",", ""))
    return float(m.group()) if m else None


def _elsewhere(wanted: Wanted, now: Element | None, screen: Screen) -> str:
    """Where the typed value went instead: the focused field, when it is another one and holds it, else another
    field that holds just that value."""
    fields = [e for e in screen.elements if e.role in VALUED + ("text_area",) and e.value
              and not (now is not None and e.box.iou(now.box) > 0.5)]
    held = [e for e in fields if e.focused and wanted.value in e.value] or \
        [e for e in fields if normalise(e.value) == normalise(wanted.value)]
    if not held:
        return ""
    e = held[0]
    name = f" {quote(e.name)}" if e.name else ""
    return f"; the{' focused' if e.focused else ''} #{e.id} {e.role.replace('_', ' ')}{name} shows {quote(e.value)}"
