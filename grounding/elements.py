"""What a parsed screen is made of: boxes, elements and the screen itself (all in image pixels)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any


@dataclass(frozen=True)
class Box:
    """An axis-aligned box in image pixels; ``x1``/``y1`` are exclusive."""

    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def area(self) -> float:
        return max(0.0, self.width) * max(0.0, self.height)

    @property
    def center(self) -> tuple[float, float]:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def contains_point(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1

    def contains(self, other: Box, slack: float = 0.0) -> bool:
        return (other.x0 >= self.x0 - slack and other.y0 >= self.y0 - slack
                and other.x1 <= self.x1 + slack and other.y1 <= self.y1 + slack)

    def intersection(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0

    def iou(self, other: Box) -> float:
        inter = self.intersection(other)
        return inter / (self.area + other.area - inter) if inter else 0.0

    def union(self, other: Box) -> Box:
        return Box(min(self.x0, other.x0), min(self.y0, other.y0), max(self.x1, other.x1), max(self.y1, other.y1))

    def expanded(self, dx: float, dy: float | None = None) -> Box:
        dy = dx if dy is None else dy
        return Box(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)

    def to_list(self) -> list[int]:
        return [round(self.x0), round(self.y0), round(self.x1), round(self.y1)]


CONTROL_ROLES = ("button", "link", "text_field", "text_area", "checkbox", "radio", "dropdown", "list_box",
                 "option", "menu_item", "menu_bar_item", "tab", "slider", "spin_box", "tree_item", "cell")
OTHER_ROLES = ("text", "heading", "window_title", "tooltip", "image", "dialog", "menu", "list", "group")
ROLES = CONTROL_ROLES + OTHER_ROLES
STATES = ("checked", "mixed", "selected", "focused", "disabled", "expanded", "collapsed", "password",
          "multiselectable", "readonly", "editable", "default")  # default: the button Enter in its form presses
VALUE_ROLES = ("text_field", "text_area", "dropdown", "slider", "spin_box")  # controls that hold or show a value
NAMED_FROM_OUTSIDE = ("text_field", "text_area", "checkbox", "radio", "dropdown", "slider", "spin_box", "list_box")


@dataclass(frozen=True)
class Element:
    """One thing on screen a person could point at or read.

    ``name`` is what a person calls it (a button's caption, the label beside a field or checkbox, a line's
    text); ``value`` is what it holds or shows (a field's text, a dropdown's choice). A filled field keeps its
    label as its name.
    """

    box: Box
    role: str
    name: str = ""
    value: str = ""
    states: frozenset[str] = frozenset()
    id: int = 0
    source: str = "ocr"
    confidence: float = 1.0
    line: int = -1
    parent: int = 0
    format: str = ""  # what a date or time field wants typed, part by part ("mm/dd/yyyy"); "" for other fields
    placeholder: str = ""  # what a field asks for while empty ("Search..."); its name too where no label names it

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {self.role!r}")
        if not isinstance(self.states, frozenset):
            object.__setattr__(self, "states", frozenset(self.states))
        unknown = self.states - set(STATES)
        if unknown:
            raise ValueError(f"states must be among {', '.join(STATES)}, got {', '.join(sorted(unknown))}")

    @property
    def checked(self) -> bool:
        return "checked" in self.states

    @property
    def selected(self) -> bool:
        return "selected" in self.states

    @property
    def focused(self) -> bool:
        return "focused" in self.states

    @property
    def disabled(self) -> bool:
        return "disabled" in self.states

    @property
    def expanded(self) -> bool:
        return "expanded" in self.states

    @property
    def is_control(self) -> bool:
        return self.role in CONTROL_ROLES

    def with_(self, **changes: object) -> Element:
        """A copy with ``changes`` applied."""
        return replace(self, **changes)

    def to_json(self) -> dict:
        """The element as JSON, leaving out what is empty."""
        out: dict[str, Any] = {"id": self.id, "role": self.role}
        if self.name:
            out["name"] = self.name
        if self.value or self.role in VALUE_ROLES:
            out["value"] = self.value
        if self.states:
            out["states"] = sorted(self.states)
        out["box"] = self.box.to_list()
        out["source"] = self.source
        if self.confidence != 1.0:
            out["confidence"] = round(self.confidence, 3)
        if self.parent:
            out["parent"] = self.parent
        if self.format:
            out["format"] = self.format
        if self.placeholder:
            out["placeholder"] = self.placeholder
        return out

    @classmethod
    def from_json(cls, data: dict) -> Element:
        """The element ``to_json`` wrote."""
        return cls(Box(*data["box"]), data["role"], name=data.get("name", ""), value=data.get("value", ""),
                   states=frozenset(data.get("states", ())), id=int(data.get("id", 0)),
                   source=data.get("source", "ocr"), confidence=float(data.get("confidence", 1.0)),
                   line=int(data.get("line", -1)), parent=int(data.get("parent", 0)),
                   format=str(data.get("format", "")), placeholder=str(data.get("placeholder", "")))


@dataclass(frozen=True)
class Screen:
    """A parsed screenshot: controls and text lines with ids 1..N (controls first, each in reading order), a
    word index for grounding phrases inside lines, and the pixels when a grounder that looks at them needs them.

    Elements given without ids (or with clashing ones) are numbered here; ``parent`` and ``focused`` that
    referred to the given ids follow the renumbering.
    """

    width: int
    height: int
    elements: tuple[Element, ...] = field(default_factory=tuple)
    words: tuple[Element, ...] = field(default=(), repr=False)
    image: Any = field(default=None, compare=False, repr=False)  # the RGB screenshot (numpy), when kept
    title: str = ""
    focused: int = 0
    source: str = "pixels"
    front: Box | None = field(default=None, compare=False)  # the front window's box, where the window system says
    window: int = field(default=0, compare=False)  # the front window's id where the window system says (0: unknown):
    # tells a window that retitled itself ("(3) Inbox", "12 changes unsaved") from another one come to the front

    def __post_init__(self) -> None:
        elements = tuple(self.elements)
        ids = [e.id for e in elements]
        if not (all(ids) and len(set(ids)) == len(ids)):
            elements, focused = _numbered(elements, self.focused)
            object.__setattr__(self, "focused", focused)
        object.__setattr__(self, "elements", elements)
        object.__setattr__(self, "words", tuple(self.words))
        if not self.focused:
            focused = next((e.id for e in elements if e.focused), 0)
            object.__setattr__(self, "focused", focused)

    def controls(self) -> list[Element]:
        """What can be operated, in id order."""
        return [e for e in self.elements if e.is_control]

    def lines(self) -> list[Element]:
        """Text that is not a control (lines, headings, titles, tooltips), in id order."""
        return [e for e in self.elements if not e.is_control]

    def get(self, id: int) -> Element:
        """The element with ``id``; KeyError with a sentence when there is none."""
        for e in self.elements:
            if e.id == id:
                return e
        top = max((e.id for e in self.elements), default=0)
        raise KeyError(f"there is no element #{id} on this screen; ids go from 1 to {top}" if top
                       else f"there is no element #{id}: the screen shows nothing")

    def by_role(self, *roles: str) -> list[Element]:
        return [e for e in self.elements if e.role in roles]

    def children(self, parent: int) -> list[Element]:
        """The options or rows of a list box, open dropdown or menu."""
        return [e for e in self.elements if e.parent == parent]

    def visible_text(self) -> str:
        """Everything the screen says, in reading order: names, values and lines."""
        parts = []
        for e in reading_order(list(self.elements)):
            parts += [t for t in (e.name, e.value) if t]
        return " ".join(parts)

    def with_elements(self, elements: tuple[Element, ...] | list[Element]) -> Screen:
        """The same screen (pixels, words, title) with other elements, numbered afresh."""
        numbered, focused = _numbered(tuple(elements), self.focused)
        return Screen(self.width, self.height, numbered, self.words, self.image, self.title, focused, self.source,
                      self.front, self.window)

    def to_json(self, words: bool = False) -> dict:
        """The screen as JSON: size, source, title, focused id and every element (and the words, if asked)."""
        out: dict[str, Any] = {"width": self.width, "height": self.height, "source": self.source}
        if self.title:
            out["title"] = self.title
        if self.focused:
            out["focused"] = self.focused
        out["elements"] = [e.to_json() for e in self.elements]
        if words:
            out["words"] = [{"name": w.name, "box": w.box.to_list(), "line": w.line} for w in self.words]
        return out


def _numbered(elements: tuple[Element, ...], focused: int) -> tuple[tuple[Element, ...], int]:
    """Ids 1..N: controls first, then the rest, each in reading order, the options of a list right after it;
    parents and focus follow."""
    ordered = _families(reading_order([e for e in elements if e.is_control])) + reading_order(
        [e for e in elements if not e.is_control])
    given = {e.id: n for n, e in enumerate(ordered, 1) if e.id}
    out = tuple(e.with_(id=n, parent=given.get(e.parent, 0)) for n, e in enumerate(ordered, 1))
    return out, given.get(focused, 0)


def _families(ordered: list[Element]) -> list[Element]:
    """``ordered`` with each element's children (its options, its list) moved right after it."""
    ids = {e.id for e in ordered if e.id}
    children: dict[int, list[Element]] = {}
    for e in ordered:
        if e.parent and e.parent in ids and e.parent != e.id:
            children.setdefault(e.parent, []).append(e)
    out: list[Element] = []
    placed: set[int] = set()

    def place(e: Element, depth: int = 0) -> None:
        if id(e) in placed:
            return
        placed.add(id(e))
        out.append(e)
        for child in children.get(e.id, []) if e.id and depth < 4 else []:
            place(child, depth + 1)

    for e in ordered:
        if not (e.parent and e.parent in ids and e.parent != e.id):
            place(e)
    out += [e for e in ordered if id(e) not in placed]  # a cycle of parents: left in reading order
    return out


def reading_order(elements: list[Element], row_tolerance: float = 0.5) -> list[Element]:
    """Sort top-to-bottom, then left-to-right, treating boxes whose centres are within half a height as one row."""
    ordered = sorted(elements, key=lambda e: e.box.center[1])
    rows: list[list[Element]] = []
    for el in ordered:
        cy = el.box.center[1]
        if rows:
            ref = rows[-1][0]
            if abs(cy - ref.box.center[1]) <= row_tolerance * max(ref.box.height, el.box.height):
                rows[-1].append(el)
                continue
        rows.append([el])
    return [el for row in rows for el in sorted(row, key=lambda e: e.box.x0)]
