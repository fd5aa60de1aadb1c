"""Typed intents: one frozen class per kind of thing a direct command asks for, targets still referring expressions.

Each is grounded on the live screen only when it runs (planner/direct.py). ``said`` is the clause it came from;
``brief()`` is a short, stable rendering used in trajectories, messages and the language tests.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import ClassVar

from grounding.refs.grammar import Ref


def brief_ref(ref: Ref | None) -> str:
    """'#3 text_field', '"OK" button in(dialog)', 'Two | #2'; alternatives after a bar."""
    if ref is None:
        return "-"
    parts = []
    if ref.every:
        parts.append(f"all{ref.count or ''}")
    if ref.ordinal:
        parts.append(f"#{ref.ordinal}")
    if ref.label:
        parts.append(f'"{ref.label}"' if ref.exact else ref.label)
    if ref.role:
        parts.append(f":{ref.role}")
    if ref.noun:
        parts.append(f"~{ref.noun}")
    text = " ".join(parts) or "?"
    for rel in ref.relations:
        text += f" {rel.kind}({brief_ref(rel.anchor)})"
    if ref.alternative is not None:
        text += " | " + brief_ref(ref.alternative)
    return text


@dataclass(frozen=True, kw_only=True)
class Click:
    kind: ClassVar[str] = "click"
    target: Ref
    button: str = "left"
    count: int = 1
    app: str = ""  # "open featherpad": the program to start when nothing on the screen is its target
    said: str = ""

    def brief(self) -> str:
        how = {1: "", 2: " x2", 3: " x3"}[self.count] + ("" if self.button == "left" else f" {self.button}")
        return f"click{how} {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class TypeInto:
    """Type ``text``; into a field when ``into`` is said, else where the focus is (or a field the ``hint`` names)."""

    kind: ClassVar[str] = "type"
    text: str
    into: Ref | None = None
    hint: str = ""
    at: str = ""  # "end" or "start": added there to what the field holds ("at the end of the text")
    said: str = ""

    def brief(self) -> str:
        hint = f" ({self.hint})" if self.hint else ""
        at = f" at the {self.at}" if self.at else ""
        return f"type {self.text!r}{hint}{at}" + (f" into {brief_ref(self.into)}" if self.into else "")


@dataclass(frozen=True, kw_only=True)
class SetToggle:
    """Make a checkbox, radio or switch checked (``on``) or unchecked, whatever state it is in now."""

    kind: ClassVar[str] = "toggle"
    target: Ref
    on: bool = True
    said: str = ""

    def brief(self) -> str:
        return f"{'check' if self.on else 'uncheck'} {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Choose:
    """Pick options: checkboxes or radios by their labels, items of a list box (all of them), a dropdown's option."""

    kind: ClassVar[str] = "choose"
    options: tuple[Ref, ...]
    within: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        where = f" in {brief_ref(self.within)}" if self.within else ""
        return "choose " + ", ".join(brief_ref(o) for o in self.options) + where


@dataclass(frozen=True, kw_only=True)
class SetValue:
    """Give a slider, spin box, date or time field, dropdown or text field the value ``value``."""

    kind: ClassVar[str] = "set"
    target: Ref
    value: str
    said: str = ""

    def brief(self) -> str:
        return f"set {brief_ref(self.target)} to {self.value!r}"


@dataclass(frozen=True, kw_only=True)
class Press:
    kind: ClassVar[str] = "press"
    keys: tuple[str, ...]
    times: int = 1
    said: str = ""

    def brief(self) -> str:
        return "press " + "+".join(self.keys) + (f" x{self.times}" if self.times > 1 else "")


@dataclass(frozen=True, kw_only=True)
class Scroll:
    kind: ClassVar[str] = "scroll"
    direction: str
    amount: int = 5
    within: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        return f"scroll {self.direction} {self.amount}" + (f" in {brief_ref(self.within)}" if self.within else "")


@dataclass(frozen=True, kw_only=True)
class ScrollToEdge:
    """Scroll to the top, bottom, left or right end of the page or of a scrolling area."""

    kind: ClassVar[str] = "scroll_to"
    edge: str
    within: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        return f"scroll to {self.edge}" + (f" of {brief_ref(self.within)}" if self.within else "")


@dataclass(frozen=True, kw_only=True)
class Wait:
    kind: ClassVar[str] = "wait"
    seconds: float = 1.0
    said: str = ""

    def brief(self) -> str:
        return f"wait {self.seconds:g}s"


@dataclass(frozen=True, kw_only=True)
class WaitFor:
    kind: ClassVar[str] = "wait_for"
    target: Ref
    said: str = ""

    def brief(self) -> str:
        return f"wait for {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Hover:
    kind: ClassVar[str] = "hover"
    target: Ref
    said: str = ""

    def brief(self) -> str:
        return f"hover {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Focus:
    kind: ClassVar[str] = "focus"
    target: Ref
    said: str = ""

    def brief(self) -> str:
        return f"focus {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Close:
    """Close a dialog or window (the one in front when ``target`` is None) with its close button or Escape."""

    kind: ClassVar[str] = "close"
    target: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        return f"close {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Drag:
    kind: ClassVar[str] = "drag"
    source: Ref
    to: Ref
    said: str = ""

    def brief(self) -> str:
        return f"drag {brief_ref(self.source)} to {brief_ref(self.to)}"


@dataclass(frozen=True, kw_only=True)
class Clear:
    kind: ClassVar[str] = "clear"
    target: Ref
    said: str = ""

    def brief(self) -> str:
        return f"clear {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Search:
    """Type ``query`` into a search box (``within``, or the one the screen shows) and start the search."""

    kind: ClassVar[str] = "search"
    query: str
    within: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        return f"search {self.query!r}" + (f" in {brief_ref(self.within)}" if self.within else "")


@dataclass(frozen=True, kw_only=True)
class Expand:
    """Open (``open``) or close a collapsible section, tree item or menu, whatever state it is in now."""

    kind: ClassVar[str] = "expand"
    target: Ref
    open: bool = True
    said: str = ""

    def brief(self) -> str:
        return f"{'expand' if self.open else 'collapse'} {brief_ref(self.target)}"


@dataclass(frozen=True, kw_only=True)
class Copy:
    """Copy a text area's or field's whole text (what is selected when ``source`` is None)."""

    kind: ClassVar[str] = "copy"
    source: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        return f"copy {brief_ref(self.source)}"


@dataclass(frozen=True, kw_only=True)
class Paste:
    kind: ClassVar[str] = "paste"
    into: Ref | None = None
    said: str = ""

    def brief(self) -> str:
        return f"paste into {brief_ref(self.into)}"


@dataclass(frozen=True, kw_only=True)
class Submit:
    """Submit the form in front: its Submit (OK, Send, Save ...) button, else Enter."""

    kind: ClassVar[str] = "submit"
    said: str = ""

    def brief(self) -> str:
        return "submit"


@dataclass(frozen=True, kw_only=True)
class Find:
    """Bring ``target`` into view (scrolling, opening what ``explore`` names, paging) and keep it as the context."""

    kind: ClassVar[str] = "find"
    target: Ref
    explore: Ref | None = None
    report: bool = False  # "read the display": say what it shows
    said: str = ""

    def brief(self) -> str:
        verb = "read" if self.report else "find"
        return f"{verb} {brief_ref(self.target)}" + (f" via {brief_ref(self.explore)}" if self.explore else "")


Intent = (Click | TypeInto | SetToggle | Choose | SetValue | Press | Scroll | ScrollToEdge | Wait | WaitFor | Hover
          | Focus | Close | Drag | Clear | Search | Expand | Copy | Paste | Submit | Find)


def targets(intent: Intent) -> tuple[Ref, ...]:
    """The referring expressions an intent grounds, in the order it grounds them."""
    match intent:
        case Click(target=t) | SetToggle(target=t) | SetValue(target=t) | WaitFor(target=t) | Hover(target=t) \
                | Focus(target=t) | Clear(target=t) | Expand(target=t) | Find(target=t):
            return (t,)
        case Choose(options=opts):
            return opts
        case Drag(source=s, to=t):
            return (s, t)
        case TypeInto(into=t) | Close(target=t) | Copy(source=t) | Paste(into=t) | Scroll(within=t) \
                | ScrollToEdge(within=t) | Search(within=t):
            return () if t is None else (t,)
    return ()


def map_refs(intent: Intent, fn: Callable[[Ref], Ref]) -> Intent:
    """The intent with ``fn`` applied to every target it grounds (not to how a Find explores)."""
    changes: dict = {}
    for name in ("target", "into", "within", "source", "to"):
        value = getattr(intent, name, None)
        if isinstance(value, Ref):
            changes[name] = fn(value)
    if isinstance(intent, Choose):
        changes["options"] = tuple(fn(o) for o in intent.options)
    return replace(intent, **changes) if changes else intent
