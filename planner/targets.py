"""What a demonstration step pointed at, remembered when it is recorded and found again when it is replayed.

A Target keeps what a person would say (the words on it or beside it, its role, its accessible name), where
in the element the pointer was, which of several look-alikes it was, and a crop of its pixels. Finding it
again tries the words first (Mixture of Grounding over the parsed screen) and the crop second (template
matching over a range of scales); a target found by neither is reported, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from grounding.elements import Box, Element, Screen, reading_order
from grounding.locate import NotFound, Ref, locate_all, text_score
from grounding.template import TemplateHit, crop, element_at, find_template, patch_around

FIELD_ROLES = ("text_field", "checkbox", "radio", "dropdown")  # widgets named by words beside them


@dataclass(frozen=True)
class Target:
    """The element under the pointer when a step was recorded (boxes in the recording's image pixels)."""

    role: str = ""
    text: str = ""
    label: str = ""
    name: str = ""
    box: tuple[float, float, float, float] = (0, 0, 0, 0)
    offset: tuple[float, float] = (0.5, 0.5)
    occurrence: int = 0
    crop: str = ""
    crop_occurrence: int = 0

    @property
    def words(self) -> str:
        """What names it: its own text (for a field: the label beside it, since its text is what was typed)."""
        if self.role in FIELD_ROLES:
            return self.name or self.label
        return self.text or self.name or self.label

    def describe(self) -> str:
        """'the "Save" button', 'the text field "Name"', 'a spot with no text'."""
        role = (self.role or "element").replace("_", " ")
        if not self.words:
            return f"an unlabelled {role}" if self.role else "a spot with no text"
        nth = f" (#{self.occurrence + 1})" if self.occurrence else ""
        return f'the "{self.words}" {role}{nth}' if role != "text" else f'the text "{self.words}"{nth}'

    def to_json(self) -> dict:
        return {"role": self.role, "text": self.text, "label": self.label, "name": self.name,
                "box": [round(v, 1) for v in self.box], "offset": [round(v, 3) for v in self.offset],
                "occurrence": self.occurrence, "crop": self.crop, "crop_occurrence": self.crop_occurrence}

    @classmethod
    def from_json(cls, data: dict) -> Target:
        return cls(role=data.get("role", ""), text=data.get("text", ""), label=data.get("label", ""),
                   name=data.get("name", ""), box=tuple(data.get("box", (0, 0, 0, 0))),
                   offset=tuple(data.get("offset", (0.5, 0.5))), occurrence=int(data.get("occurrence", 0)),
                   crop=data.get("crop", ""), crop_occurrence=int(data.get("crop_occurrence", 0)))


@dataclass(frozen=True)
class Found:
    """Where a target is on the current screen (image pixels) and how it was found."""

    box: Box
    x: float
    y: float
    how: str
    score: float
    notes: dict = field(default_factory=dict)


def target_at(screen: Screen, image: np.ndarray, x: float, y: float) -> tuple[Target, Box]:
    """Describe what is at image point (x, y): the Target and the box whose pixels should be kept as its crop."""
    el = element_at(screen, x, y)
    box = el.box if el is not None and el.box.area >= 36 else patch_around(x, y)
    offset = ((x - box.x0) / max(box.width, 1), (y - box.y0) / max(box.height, 1))
    offset = (min(max(offset[0], 0.0), 1.0), min(max(offset[1], 0.0), 1.0))
    name = label = text = ""
    role = el.role if el is not None else ""
    if el is not None:
        # a field's own text is what was typed into it; what names it is its label (the element's name)
        field = el.role in FIELD_ROLES
        text = el.value if field else el.name
        label = (el.name or _caption(el, screen)) if field else ""
        if "a11y" in el.source.split("+"):
            name = el.name
    target = Target(role=role, text=text, label=label, name=name, box=(box.x0, box.y0, box.x1, box.y1),
                    offset=offset)
    if target.words:
        matches = by_words(target, screen)
        at = [i for i, m in enumerate(matches) if m.box.iou(box) > 0.5 or m.box.contains_point(x, y)]
        target = replace(target, occurrence=at[0] if at else 0)
    return target, box


def remember(screen: Screen, image: np.ndarray, x: float, y: float, folder: Path, crop_name: str) -> Target:
    """The Target at image point (x, y), its crop saved as ``folder/crop_name``."""
    target, box = target_at(screen, image, x, y)
    pixels = crop(image, box)
    save_png(pixels, Path(folder) / crop_name)
    return with_crop(target, crop_name, image, pixels)


def _caption(el: Element, screen: Screen) -> str:
    """The text just left of or above a field the parser left without a label (its caption)."""
    reach = 3 * max(el.box.height, 10)
    before = [t for t in _texts(screen) if (t.box.x1 <= el.box.x0 + 4 and t.box.y1 > el.box.y0 - 4
                                            and t.box.y0 < el.box.y1 + 4) or (t.box.y1 <= el.box.y0 + 4)]
    near = [(t, _gap(t.box, el.box)) for t in before]
    near = [(t, d) for t, d in near if d < reach]
    return min(near, key=lambda td: td[1])[0].name if near else ""


def _texts(screen: Screen) -> list[Element]:
    """Plain text on the screen: its lines (and links), whose names are what they say."""
    return [e for e in screen.elements if e.role in ("text", "link", "heading")]


def with_crop(target: Target, crop_name: str, image: np.ndarray, crop_pixels: np.ndarray) -> Target:
    """The target with its crop's file name and which of the crop's look-alikes on ``image`` it was."""
    hits = find_template(image, crop_pixels, scales=(1.0,))
    x0, y0, x1, y1 = target.box
    centre = ((x0 + x1) / 2, (y0 + y1) / 2)
    index = next((i for i, h in enumerate(hits) if h.box.expanded(4).contains_point(*centre)), 0)
    return replace(target, crop=crop_name, crop_occurrence=index)


def by_words(target: Target, screen: Screen) -> list[Element]:
    """Elements that say (or, for fields, are labelled by) the target's words, in reading order.

    Elements of the recorded role come first; a field whose caption the parser did not attach is the widget
    of its role nearest to text that says the words.
    """
    words = target.words
    if not words:
        return []
    field = target.role in FIELD_ROLES
    fits = [e for e in screen.elements if not field or e.role in _roles_like(target.role)]
    said = [e for e in fits if _says(words, e.name)]
    if not said and not field:
        said = [m.element for m in locate_all(Ref(label=words), screen) if _says(words, m.element.name)]
    if field and not said:
        said = _named_nearby(words, fits, screen)
    same_role = [e for e in said if e.role == target.role]
    return _reading(same_role or said)


def _roles_like(role: str) -> tuple[str, ...]:
    if role in ("close", "icon"):  # demonstrations recorded before these became buttons
        return ("button",)
    return ("radio", "checkbox") if role in ("radio", "checkbox") else (role,)


def _says(wanted: str, seen: str) -> float:
    """Text similarity strict enough that 'Save' is not 'Saved': 0.8 for long words, 0.9 for short ones."""
    score = text_score(wanted, seen)
    return score if score >= (0.8 if len(wanted) >= 6 else 0.9) else 0.0


def _named_nearby(words: str, widgets: list[Element], screen: Screen) -> list[Element]:
    """For each piece of text saying ``words``, the nearest widget right of or below it (a caption's field)."""
    out = []
    for t in _texts(screen):
        if not _says(words, t.name):
            continue
        after = [w for w in widgets if w.box.x0 >= t.box.x0 - 4 or w.box.y0 >= t.box.y0 - 4]
        near = [(w, _gap(t.box, w.box)) for w in after if w is not t]
        near = [(w, d) for w, d in near if d < 6 * max(t.box.height, 10)]
        if near:
            out.append(min(near, key=lambda wd: wd[1])[0])
    return out


def _gap(a: Box, b: Box) -> float:
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    return float(np.hypot(dx, 2 * dy))


def _reading(elements: list[Element]) -> list[Element]:
    unique: list[Element] = []
    for el in elements:
        if not any(u.box.iou(el.box) > 0.6 for u in unique):
            unique.append(el)
    return reading_order(unique)


def find_target(target: Target, screen: Screen, image: np.ndarray, crop_pixels: np.ndarray | None) -> Found:
    """The target on the current screen: by its words, else by its crop; NotFound says what is missing."""
    matches = by_words(target, screen)
    if matches:
        el = matches[min(target.occurrence, len(matches) - 1)]
        return _point(el.box, target, "words", 1.0, {"candidates": len(matches), "role": el.role})
    if crop_pixels is not None and not (target.words and target.role in FIELD_ROLES):
        # an empty box looks like every other empty box: a field named by words is found by its words only
        hits = find_template(image, crop_pixels, threshold=0.92 if target.words else 0.82)
        if hits:
            hit: TemplateHit = hits[min(target.crop_occurrence, len(hits) - 1)]
            return _point(hit.inner(), target, "crop", hit.score, {"candidates": len(hits), "scale": hit.scale})
    raise NotFound(f"{target.describe()} is not on the screen")


def _point(box: Box, target: Target, how: str, score: float, notes: dict) -> Found:
    fx = min(max(target.offset[0], 0.2), 0.8)
    fy = min(max(target.offset[1], 0.2), 0.8)
    return Found(box, box.x0 + fx * box.width, box.y0 + fy * box.height, how, score, notes)


def save_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(image).save(path, compress_level=1)


def load_png(path: Path) -> np.ndarray:
    from PIL import Image

    return np.asarray(Image.open(path).convert("RGB"))
