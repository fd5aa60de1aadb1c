"""Typing into a segmented date or time field (grounding/dates.py): its first part clicked, each part cleared with
Backspace (Ctrl+A in such a field selects the whole page), the value typed part by part in the field's order."""

from __future__ import annotations

from dataclasses import dataclass

from grounding.dates import format_of, part_count, part_keys
from grounding.elements import Box, Element
from planner.actions import Key, TypeText


@dataclass(frozen=True)
class DateTyping:
    """How to type into one date or time field: the keys that empty it, then what to type from its first part
    (``keys``: the text, with Right where a part does not move on by itself)."""

    clear: tuple[Key, ...]
    text: str
    keys: tuple[TypeText | Key, ...]


def date_typing(el: Element, text: str, replace: bool = True) -> DateTyping | None:
    """None for a field that is no segmented date or time field; else its keys (the text as typed when it does not
    say a date or time the field can hold)."""
    fmt = format_of(el.format, el.value)
    if not fmt:
        return None
    parts = part_keys(fmt, text) or [(text, False)]
    filled = bool(el.value) and not format_of("", el.value)  # what pixels read of an empty one is its placeholder
    clear = (Key(keys=("backspace",)), Key(keys=("right",))) * part_count(fmt) if replace and filled else ()
    keys: list[TypeText | Key] = []
    for typed, on in parts:
        keys += [TypeText(text=typed), *([Key(keys=("right",))] if on else [])]
    return DateTyping(clear=clear, text="".join(t for t, _ in parts), keys=tuple(_merged(keys)))


def _merged(keys: list[TypeText | Key]) -> list[TypeText | Key]:
    """Parts typed one after another as one text: "12", "24", "2026" is one TypeText "12242026"."""
    out: list[TypeText | Key] = []
    for k in keys:
        if isinstance(k, TypeText) and out and isinstance(out[-1], TypeText):
            out[-1] = TypeText(text=out[-1].text + k.text)
        else:
            out.append(k)
    return out


def first_part(box: Box) -> tuple[float, float]:
    """Where a date field's first part is drawn: just inside its left end."""
    return box.x0 + min(0.12 * box.width, 1.5 * box.height), box.center[1]
