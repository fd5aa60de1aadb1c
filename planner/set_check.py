"""After a worker's `set` or `select`, once the screen settled: whether the control shows what was asked (a spin
box its number, a dropdown its choice with its list closed, a checkbox or radio button its state). When it does
not, one sentence says what it shows, and the action failed: a click that missed a spin box's value cell, or an
Enter that opened a dropdown's list instead of choosing, must not read "done" (both were, in a user trial).

Values compare loosely: 16 is 16.0 and "16 pt"; a choice ignores case and spacing, and "4" is the "4 people" the
list offered. A control not found again in its place, or whose value the screen does not read, gets no verdict.
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
    if now is None:
        return None
    if wanted.on is not None:
        return _state(wanted, now)
    if now.role == "dropdown" and now.expanded:
        return (f"{wanted.said}'s list is still open after select {wanted.value!r}"
                + (f", and it shows {quote(now.value)}" if now.value else ""))
    if not now.value.strip() or _shows(now.value, wanted.value, numeric=now.role != "dropdown"):
        return None
    how = "still shows" if _same(now.value, wanted.of.value) else "shows"
    verb = "select" if now.role == "dropdown" else "set"
    return f"{wanted.said} {how} {quote(now.value)} after {verb} {wanted.value}" + _elsewhere(wanted, now, screen)


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


def _elsewhere(wanted: Wanted, now: Element, screen: Screen) -> str:
    """Where the typed value went instead: the focused field, when it is another one and holds it."""
    if not screen.focused:
        return ""
    try:
        focused = screen.get(screen.focused)
    except KeyError:
        return ""
    if focused.box.iou(now.box) > 0.5 or focused.role not in VALUED + ("text_area",) or not focused.value \
            or wanted.value not in focused.value:
        return ""
    name = f" {quote(focused.name)}" if focused.name else ""
    return f"; the focused #{focused.id} {focused.role.replace('_', ' ')}{name} shows {quote(focused.value)}"
