"""What a demonstration step pointed at, remembered as a person would name it.

A Target keeps the screen model's element (its role, its name: a field's label, a button's caption, never the
text a field holds), the value and states it had, the labelled elements around it (what they say, where they
sat), its place among the elements of its role, where in it the pointer was, and a crop of its pixels as a last
resort. planner/finding.py finds it again on a later screen, with evidence for every candidate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from grounding.elements import NAMED_FROM_OUTSIDE, VALUE_ROLES, Box, Element, Screen, reading_order
from grounding.locate import normalise, searchable, text_score
from grounding.template import crop, element_at, find_template, patch_around

NEIGHBOURS = 5  # labelled elements kept around a target
CAPTIONED = tuple(r for r in NAMED_FROM_OUTSIDE if r not in ("checkbox", "radio"))  # labelled left or above
OLD_ROLES = {"close": "button", "icon": "button", "proposal": "button"}  # roles of demos recorded before the model


@dataclass(frozen=True, kw_only=True)
class Neighbour:
    """A labelled element near a target when it was recorded: what it says, what it is, and where it sat
    (its centre minus the target's, and its height, in the recording's image pixels)."""

    name: str
    role: str
    dx: float
    dy: float
    height: float
    relation: str = ""  # where it was, seen from the target: 'above', 'below', 'left of' or 'right of'

    @property
    def distance(self) -> float:
        """How far its centre was from the target's (recording pixels)."""
        return math.hypot(self.dx, self.dy)

    def to_json(self) -> dict:
        """The neighbour as JSON (for steps.jsonl)."""
        return {"name": self.name, "role": self.role, "relation": self.relation, "dx": round(self.dx, 1),
                "dy": round(self.dy, 1), "height": round(self.height, 1)}

    @classmethod
    def from_json(cls, data: dict) -> Neighbour:
        """The neighbour ``to_json`` wrote."""
        return cls(name=data["name"], role=data.get("role", "text"), dx=float(data["dx"]), dy=float(data["dy"]),
                   height=float(data.get("height", 0)), relation=data.get("relation", ""))


def relation(of: Box, to: Box) -> str:
    """Where box ``of`` is, seen from box ``to``: above or below when they share columns, left of or right of when
    they share rows, else along the wider gap."""
    dx = max(of.x0, to.x0) - min(of.x1, to.x1)  # > 0: a horizontal gap between them
    dy = max(of.y0, to.y0) - min(of.y1, to.y1)
    if dx <= 0 < dy or (dx > 0 and dy > 0 and dy >= dx):
        return "above" if of.center[1] < to.center[1] else "below"
    if dy <= 0 < dx or dx > 0:
        return "left of" if of.center[0] < to.center[0] else "right of"
    return "above" if of.center[1] < to.center[1] else "below"  # overlapping: the caption over a field's top


@dataclass(frozen=True, kw_only=True)
class Target:
    """The element under the pointer when a step was recorded (boxes in the recording's image pixels).

    ``name`` is what a person calls it; ``said`` is False when only the accessibility tree gave that name (it is
    not written on the screen). ``ordinal`` is (index, count) among the elements of its role in reading order;
    ``occurrence`` which of the ``occurrences`` elements bearing its name it was.
    """

    role: str = ""
    name: str = ""
    value: str = ""
    states: frozenset[str] = frozenset()
    said: bool = True
    box: tuple[float, float, float, float] = (0, 0, 0, 0)
    offset: tuple[float, float] = (0.5, 0.5)
    neighbours: tuple[Neighbour, ...] = ()
    ordinal: tuple[int, int] = (0, 0)
    occurrence: int = 0
    occurrences: int = 0  # how many elements bore its name (0: not known, a format-1 demo)
    crop: str = ""
    crop_occurrence: int = 0

    @property
    def is_field(self) -> bool:
        """Named by a label beside it, so its own pixels (an empty box) say nothing about which one it is."""
        return self.role in NAMED_FROM_OUTSIDE

    @property
    def size(self) -> tuple[float, float]:
        """Its recorded width and height (at least a pixel each)."""
        x0, y0, x1, y1 = self.box
        return max(x1 - x0, 1.0), max(y1 - y0, 1.0)

    def describe(self) -> str:
        """'the "Save" button', 'the "City" text field', 'the text field below "City"', 'a spot with no text'."""
        role = (self.role or "element").replace("_", " ")
        if self.name:
            nth = f" (#{self.occurrence + 1})" if self.occurrence else ""
            return f'the "{self.name}" {role}{nth}' if self.role != "text" else f'the text "{self.name}"{nth}'
        near = min(self.neighbours, key=lambda n: n.distance, default=None)
        if near is not None and near.relation:
            return f'the {role} {_opposite(near.relation)} "{near.name}"' if self.role else \
                f'the spot {_opposite(near.relation)} "{near.name}"'
        return f"an unlabelled {role}" if self.role else "a spot with no text"

    def to_json(self) -> dict:
        """The target as JSON (for steps.jsonl)."""
        out = {"role": self.role, "name": self.name, "value": self.value, "states": sorted(self.states),
               "said": self.said, "box": [round(v, 1) for v in self.box], "offset": [round(v, 3) for v in self.offset],
               "neighbours": [n.to_json() for n in self.neighbours], "ordinal": list(self.ordinal),
               "occurrence": self.occurrence, "occurrences": self.occurrences, "crop": self.crop,
               "crop_occurrence": self.crop_occurrence}
        return out

    @classmethod
    def from_json(cls, data: dict, version: int = 2) -> Target:
        """A target as ``to_json`` wrote it, or as a version-1 demo did (role, text, label, name)."""
        if version < 2:
            return _from_v1(data)
        return cls(role=data.get("role", ""), name=data.get("name", ""), value=data.get("value", ""),
                   states=frozenset(data.get("states", ())), said=bool(data.get("said", True)),
                   box=tuple(data.get("box", (0, 0, 0, 0))), offset=tuple(data.get("offset", (0.5, 0.5))),
                   neighbours=tuple(Neighbour.from_json(n) for n in data.get("neighbours", ())),
                   ordinal=tuple(data.get("ordinal", (0, 0))), occurrence=int(data.get("occurrence", 0)),
                   occurrences=int(data.get("occurrences", 0)),
                   crop=data.get("crop", ""), crop_occurrence=int(data.get("crop_occurrence", 0)))


def _opposite(relation: str) -> str:
    """The neighbour was above the target, so the target is below the neighbour."""
    return {"above": "below", "below": "above", "left of": "right of", "right of": "left of"}[relation]


def _from_v1(data: dict) -> Target:
    """Version 1 kept a field's text as ``text`` and its caption as ``label``: the caption names it, the text is
    its value; any other element was named by its own text, else by its accessible name."""
    role = OLD_ROLES.get(data.get("role", ""), data.get("role", ""))
    text, label, a11y = data.get("text", ""), data.get("label", ""), data.get("name", "")
    field = role in NAMED_FROM_OUTSIDE
    name = (a11y or label) if field else (text or a11y or label)
    value = text if field else ""
    return Target(role=role, name=name, value=value, said=not (a11y and name == a11y and not (text or label)),
                  box=tuple(data.get("box", (0, 0, 0, 0))), offset=tuple(data.get("offset", (0.5, 0.5))),
                  occurrence=int(data.get("occurrence", 0)), crop=data.get("crop", ""),
                  crop_occurrence=int(data.get("crop_occurrence", 0)))


def target_at(screen: Screen, image: np.ndarray, x: float, y: float) -> tuple[Target, Box]:
    """Describe what is at image point (x, y): the Target and the box whose pixels should be kept as its crop."""
    el = element_at(screen, x, y)
    box = el.box if el is not None and el.box.area >= 36 else patch_around(x, y)
    offset = ((x - box.x0) / max(box.width, 1), (y - box.y0) / max(box.height, 1))
    offset = (min(max(offset[0], 0.0), 1.0), min(max(offset[1], 0.0), 1.0))
    name = _name_of(el, screen) if el is not None else ""
    target = Target(role=el.role if el is not None else "", name=name, value=el.value if el is not None else "",
                    states=el.states - {"focused"} if el is not None else frozenset(),
                    said=_written(name, el, screen), box=(box.x0, box.y0, box.x1, box.y1), offset=offset,
                    neighbours=neighbours_of(box, el, screen), ordinal=_ordinal(el, screen))
    if name and el is not None:
        same = reading_order([e for e in searchable(screen) if e.role == el.role and says(name, e.name)])
        at = [i for i, e in enumerate(same) if e.box.iou(box) > 0.5]
        target = replace(target, occurrence=at[0] if at else 0, occurrences=len(same))
    return target, box


def _name_of(el: Element, screen: Screen) -> str:
    """The element's name; for a field whose name came from the pixels, the caption nearest it (left of or
    above it) when there is one: what a field holds is never what it is called, and a caption a pixel or two
    too low must not hand the field the heading above it."""
    name = el.name
    if el.role in VALUE_ROLES and name and el.value and normalise(name) == normalise(el.value):
        name = ""
    if el.role in CAPTIONED and "a11y" not in el.source.split("+"):
        name = caption(el.box, screen) or name
    return name


def shown_name(el: Element, screen: Screen) -> str:
    """What a person would call ``el`` on this screen (a pixel-read field: its nearest caption)."""
    return _name_of(el, screen)


def _written(name: str, el: Element | None, screen: Screen) -> bool:
    """Whether the name is on the screen as pixels (read by OCR), not only in the accessibility tree."""
    if not name or el is None or "a11y" not in el.source.split("+") or "ocr" in el.source.split("+"):
        return True
    return any(says(name, t.name) for t in screen.lines() + list(screen.words) if "a11y" not in t.source)


def caption(box: Box, screen: Screen) -> str:
    """The text nearest a field on its left or above it (its caption), '' when none is close."""
    reach = 3 * max(box.height, 10)
    before = [t for t in texts(screen) if (t.box.x1 <= box.x0 + 4 and t.box.y1 > box.y0 - 4
                                           and t.box.y0 < box.y1 + 4) or (t.box.y1 <= box.y0 + 4)]
    near = [(t, gap(t.box, box)) for t in before if not box.contains(t.box, 2)]
    near = [(t, d) for t, d in near if d < reach]
    return min(near, key=lambda td: td[1])[0].name if near else ""


def texts(screen: Screen) -> list[Element]:
    """Plain text on the screen: its lines (and links), whose names are what they say."""
    return [e for e in screen.elements if e.role in ("text", "link", "heading")]


def labelled(screen: Screen) -> list[Element]:
    """Everything with a name a person could read: text lines, headings, named controls."""
    return [e for e in screen.elements if e.name and e.role not in ("window_title", "tooltip")]


def neighbours_of(box: Box, el: Element | None, screen: Screen, keep: int = NEIGHBOURS) -> tuple[Neighbour, ...]:
    """The labelled elements nearest the target (not the target, nor what holds it or lies inside it)."""
    cx, cy = box.center
    height = max(box.height, 10.0)
    pool = [e for e in labelled(screen) if e is not el and e.box.iou(box) < 0.5 and not e.box.contains(box, 2)
            and not box.contains(e.box, 2)]
    near = sorted(pool, key=lambda e: gap(e.box, box))[:keep]
    near = [e for e in near if gap(e.box, box) < 12 * height]
    return tuple(Neighbour(name=e.name, role=e.role, dx=e.box.center[0] - cx, dy=e.box.center[1] - cy,
                           height=e.box.height, relation=relation(e.box, box)) for e in near)


def _ordinal(el: Element | None, screen: Screen) -> tuple[int, int]:
    if el is None or not el.is_control:
        return (0, 0)
    same = reading_order([e for e in screen.controls() if e.role == el.role])
    index = next((i for i, e in enumerate(same) if e.box.iou(el.box) > 0.5), 0)
    return (index, len(same))


def says(wanted: str, seen: str) -> float:
    """Text similarity strict enough that 'Save' is not 'Saved': 0.8 for long words, 0.9 for short ones."""
    score = text_score(wanted, seen)
    return score if score >= (0.8 if len(wanted) >= 6 else 0.9) else 0.0


def gap(a: Box, b: Box) -> float:
    """Distance between two boxes' edges, vertical gaps counting double (rows are further apart than words)."""
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    return float(np.hypot(dx, 2 * dy))


def remember(screen: Screen, image: np.ndarray, x: float, y: float, folder: Path, crop_name: str) -> Target:
    """The Target at image point (x, y), its crop saved as ``folder/crop_name``."""
    target, box = target_at(screen, image, x, y)
    pixels = crop(image, box)
    save_png(pixels, Path(folder) / crop_name)
    return with_crop(target, crop_name, image, pixels)


def with_crop(target: Target, crop_name: str, image: np.ndarray, crop_pixels: np.ndarray) -> Target:
    """The target with its crop's file name and which of the crop's look-alikes on ``image`` it was."""
    hits = find_template(image, crop_pixels, scales=(1.0,))
    x0, y0, x1, y1 = target.box
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    index = next((i for i, h in enumerate(hits) if h.box.expanded(4).contains_point(*centre)), 0)
    return replace(target, crop=crop_name, crop_occurrence=index)


@dataclass(frozen=True)
class Found:
    """Where a target is on the current screen (image pixels), how it was found, and the evidence."""

    box: Box
    x: float
    y: float
    how: str
    score: float
    notes: dict = field(default_factory=dict)
    element: Element | None = None


def point_in(box: Box, target: Target) -> tuple[float, float]:
    """The spot in ``box`` where the pointer was in the recorded element (kept off the very edges)."""
    fx = min(max(target.offset[0], 0.2), 0.8)
    fy = min(max(target.offset[1], 0.2), 0.8)
    return box.x0 + fx * box.width, box.y0 + fy * box.height


def save_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(image).save(path, compress_level=1)


def load_png(path: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB"))
