"""After a worker's `type` into a field: what the field shows, when that is not what was typed (a date field that
stayed empty, a field that took only part of the text), so the worker sees it instead of a bare "done"."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from grounding.dates import format_of, keys_for, shows
from grounding.elements import Element, Screen
from planner.aci import Typed

FIELDS = ("text_field", "text_area", "spin_box", "dropdown")


def unshown(typed: Typed, screen: Screen) -> str | None:
    """What the field shows now when it does not show the text typed; None when it does, or is not found again."""
    now = _again(typed.into, screen)
    if now is None or "password" in now.states:
        return None
    fmt = format_of(typed.into.format or now.format, typed.into.value)
    if fmt:
        empty = format_of("", now.value)  # the pixels read an empty field's placeholder ("mm/dd/yyyy")
        # the date typed as the field's own keys ("01152027" into mm/dd/yyyy shows "01/15/2027") holds it too
        held = shows(fmt, now.value, typed.text) or keys_for(fmt, now.value) == "".join(typed.text.split())
        return None if held else "" if empty else now.value
    return None if _holds(now, typed.text, typed.replace) else now.value


def _again(el: Element, screen: Screen) -> Element | None:
    placed = [e for e in screen.elements if e.role in FIELDS and e.box.iou(el.box) > 0.5]
    return max(placed, key=lambda e: e.box.iou(el.box), default=None)


def _holds(el: Element, text: str, replace: bool) -> bool:
    """Whether the field's text holds what was typed: exactly (appended: at its end) as the tree reads it; near
    enough as OCR reads it (a misread letter is no failed typing), or as much as fits (a long text scrolls)."""
    seen, want = " ".join(el.value.split()), " ".join(text.split())
    if not seen:
        return not want
    if el.role == "dropdown":  # an editable dropdown completes what was typed ("Fra" -> "France")
        return want.lower() in seen.lower()
    if el.source == "a11y":  # a field may format what it takes ("5551234" shown as "555-1234"): letters compared
        seen, want = _letters(seen), _letters(want)
        return seen == want if replace else seen.endswith(want)
    tail = seen[-len(want):] if not replace else seen
    return SequenceMatcher(None, tail.lower(), want.lower()).ratio() >= 0.8 or (len(seen) >= 8 and seen in want)


def _letters(text: str) -> str:
    return re.sub(r"[\W_]", "", text).lower()
