"""What a parsed screen is made of: boxes, elements and the screen itself (all in image pixels)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

ROLES = (
    "text", "link", "button", "text_field", "checkbox", "radio", "dropdown", "tab", "icon", "close", "list",
)


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


@dataclass(frozen=True)
class Element:
    """One thing on screen a person could point at.

    ``text`` is what it says (a button's caption, a word); ``label`` is text that names it from outside
    (the words beside a checkbox, the caption left of a text field).
    """

    box: Box
    role: str
    text: str = ""
    label: str = ""
    source: str = "ocr"
    confidence: float = 1.0
    line: int = -1
    state: str = ""  # "checked" / "unchecked" for checkboxes and radios

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"role must be one of {', '.join(ROLES)}, got {self.role!r}")

    def with_(self, **changes: object) -> Element:
        return replace(self, **changes)

    def to_json(self) -> dict:
        out = {"role": self.role, "box": self.box.to_list(), "source": self.source,
               "confidence": round(self.confidence, 3)}
        if self.text:
            out["text"] = self.text
        if self.label:
            out["label"] = self.label
        if self.state:
            out["state"] = self.state
        return out


@dataclass(frozen=True)
class Screen:
    """A parsed screenshot: every element found on it, in reading order, and the pixels when a grounder
    that looks at them (a VLM) needs them."""

    width: int
    height: int
    elements: tuple[Element, ...] = field(default_factory=tuple)
    image: Any = field(default=None, compare=False, repr=False)  # the RGB screenshot (numpy), when kept

    def by_role(self, *roles: str) -> list[Element]:
        return [e for e in self.elements if e.role in roles]

    def texts(self) -> list[Element]:
        return self.by_role("text", "link")

    def visible_text(self) -> str:
        return " ".join(e.text for e in self.texts())


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
