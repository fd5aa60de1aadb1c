"""What a recorded step did, seen on the screens before and after it, and whether a replayed step did the same.

Kinds of effect: ``value`` (the field now holds the typed text), ``state`` (a checkbox or radio is now ticked or
not), ``screen`` (lines that appeared or went away: a result shown, a dialog closed; or a page-sized change).
A step whose effect could not be seen when it was recorded (a password field shows dots, a click into a field
changes only its focus) has none, and nothing is checked for it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.locate import normalise, shows, squash, text_score
from planner.params import render
from planner.targets import Target, labelled, says

TOGGLES = ("checkbox", "radio")
FOCUS_ONLY = ("text_field", "text_area", "spin_box")  # a click there changes only the focus and the caret
PAGE_CHANGE = 0.2  # share of the screen's pixels that makes a change 'the page changed'
CLOCK = re.compile(r"\d{1,2}[:.]\d{2}")
CARETS = "l|I!1i"
SERIAL = re.compile(r"\d{3,}")  # an order number, a year, a count of seconds
LOOK_APART = 30.0  # mean colours this far apart (RGB) are two looks of a toggle


@dataclass(frozen=True, kw_only=True)
class Effect:
    """A step's visible effect when it was recorded (texts may hold ``{param}`` placeholders)."""

    kind: str
    text: str = ""
    whole: bool = True
    checked: bool = False
    looks: tuple[tuple[float, ...], ...] = ()  # a toggle's mean colour before and after (image pixels' RGB)
    appeared: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    changed: float = 0.0

    def describe(self, target: Target | None = None, values: dict[str, str] | None = None, limit: int = 0) -> str:
        """'the "City" text field holds 'Rome'', '"Saved from Rome" appears', ... (``values`` fill parameters);
        with ``limit``, the changes that fit in that many characters, then how many more there are (never a
        change cut in the middle)."""
        what = target.describe() if target is not None else "the field"
        fill = (lambda t: render(t, values)) if values else (lambda t: t)
        match self.kind:
            case "value":
                return f"{what} {'holds' if self.whole else 'shows'} {fill(self.text)!r}"
            case "state":
                return f"{what} is {'ticked' if self.checked else 'not ticked'}"
        parts = [f'"{fill(t)}" appears' for t in self.appeared] + [f'"{fill(t)}" goes away' for t in self.gone]
        if self.changed and not parts:
            parts.append("the page changes")
        return _within(parts, limit) if limit else ", ".join(parts)

    def to_json(self) -> dict:
        """The effect as JSON (for steps.jsonl), only what its kind uses."""
        out: dict = {"kind": self.kind}
        if self.kind == "value":
            out.update(text=self.text, whole=self.whole)
        elif self.kind == "state":
            out["checked"] = self.checked
            if self.looks:
                out["looks"] = [[round(v, 1) for v in look] for look in self.looks]
        else:
            out.update(appeared=list(self.appeared), gone=list(self.gone), changed=round(self.changed, 3))
        return out

    @classmethod
    def from_json(cls, data: dict) -> Effect:
        """The effect ``to_json`` wrote."""
        return cls(kind=data["kind"], text=data.get("text", ""), whole=bool(data.get("whole", True)),
                   checked=bool(data.get("checked", False)), looks=tuple(tuple(x) for x in data.get("looks", ())),
                   appeared=tuple(data.get("appeared", ())),
                   gone=tuple(data.get("gone", ())), changed=float(data.get("changed", 0.0)))

    def with_param(self, default: str, name: str) -> Effect:
        """The effect with the typed text ``default`` turned into ``{name}`` wherever it shows."""
        if len(default.strip()) < 2:
            return self
        swap = _swapper(default, f"{{{name}}}")
        return replace(self, text=swap(self.text), appeared=tuple(map(swap, self.appeared)),
                       gone=tuple(map(swap, self.gone)))


def _swapper(old: str, new: str) -> Callable[[str], str]:
    pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
    return lambda text: pattern.sub(new, text)


def effect_of(kind: str, target: Target | None, into: Target | None, text: str, before: Screen, after: Screen,
              secrets: Collection[str] = ()) -> Effect | None:
    """The effect a step of ``kind`` had, from the screens just before and just after it (None: none seen)."""
    if kind == "type":
        if into is None:
            return screen_effect(before, after, secrets)
        return _value_effect(into, text, after)
    if kind == "click" and target is not None and target.role in TOGGLES:
        return _toggled(target, before, after)
    if kind == "click" and target is not None and target.role in FOCUS_ONLY:
        return None  # what is typed next is checked instead
    return screen_effect(before, after, secrets)


def _toggled(target: Target, before: Screen, after: Screen) -> Effect | None:
    """A checkbox or radio that changed: its state as the parser read it, and how it looked before and after (the
    look is what a replay compares, since a tick's pixels are read more surely than its meaning)."""
    was, now = element_on(before, target), element_on(after, target)
    box = Box(*target.box)
    a, b = look(before.image, box), look(after.image, box)
    looks = (a, b) if a is not None and b is not None and _apart(a, b) >= LOOK_APART else ()
    if was is not None and now is not None and was.checked != now.checked:
        return Effect(kind="state", checked=now.checked, looks=looks)
    if looks:  # it changed to the eye though the parser missed it: it went from what it was to the other state
        ticked = not was.checked if was is not None else "checked" not in target.states
        return Effect(kind="state", checked=ticked, looks=looks)
    return None


def look(image: np.ndarray | None, box: Box) -> tuple[float, float, float] | None:
    """The mean colour of the middle of ``box`` (a tick, a dot, a filled box show there)."""
    if image is None:
        return None
    dx, dy = box.width * 0.25, box.height * 0.25
    x0, y0 = int(max(0, box.x0 + dx)), int(max(0, box.y0 + dy))
    x1, y1 = int(min(image.shape[1], box.x1 - dx)), int(min(image.shape[0], box.y1 - dy))
    if x1 <= x0 or y1 <= y0:
        return None
    r, g, b = image[y0:y1, x0:x1].reshape(-1, 3).astype(float).mean(axis=0)
    return (float(r), float(g), float(b))


def _apart(a: tuple[float, ...], b: tuple[float, ...]) -> float:
    return float(np.linalg.norm(np.subtract(a, b)))


def nearer_look(now: tuple[float, ...], looks: tuple[tuple[float, ...], ...]) -> int:
    """0 when ``now`` looks like the recorded before, 1 like the after, -1 when it is like neither."""
    before, after = _apart(now, looks[0]), _apart(now, looks[1])
    if min(before, after) > _apart(looks[0], looks[1]):
        return -1
    return 1 if after < before else 0


def _value_effect(into: Target, text: str, after: Screen) -> Effect | None:
    field = element_on(after, into)
    if field is None or not text.strip():
        return None
    if holds(field.value, text):
        return Effect(kind="value", text=text)
    if shows(field.value, text):
        return Effect(kind="value", text=text, whole=False)
    return None  # the field does not show what was typed (a long text scrolled out of view): nothing to check


def holds(value: str, text: str) -> bool:
    """Whether a field showing ``value`` holds ``text`` and nothing else (OCR may read the caret after the text
    as one more stroke: 'Romel', 'Rome|')."""
    if says(text, value) or squash(text) == squash(value):
        return True
    return len(value) == len(text) + 1 and value[-1] in CARETS and squash(value[:-1]) == squash(text)


def element_on(screen: Screen, target: Target) -> Element | None:
    """The control of the target's role at the target's recorded box (the screen did not move meanwhile)."""
    box = Box(*target.box)
    fits = [e for e in screen.controls() if e.box.iou(box) > 0.5 and (e.role == target.role or not target.role)]
    return max(fits, key=lambda e: e.box.iou(box), default=None)


def screen_effect(before: Screen, after: Screen, secrets: Collection[str] = ()) -> Effect | None:
    """Lines that appeared and went away (the longest few), and a page-sized change of pixels."""
    was, now = sayings(before), sayings(after)
    appeared = _longest([t for t in now if _lasting(t, secrets) and not any(text_score(t, w) >= 0.8 for w in was)], 3)
    gone = _longest([t for t in was if _lasting(t, secrets) and not any(text_score(t, n) >= 0.8 for n in now)], 2)
    changed = changed_share(before.image, after.image)
    changed = changed if changed >= PAGE_CHANGE else 0.0
    if not appeared and not gone and not changed:
        return None
    return Effect(kind="screen", appeared=tuple(appeared), gone=tuple(gone), changed=changed)


def sayings(screen: Screen) -> list[str]:
    """What the screen says: its window's title, its lines, the names of its controls."""
    titles = [screen.title] if screen.title else []
    return list(dict.fromkeys(titles + [e.name for e in labelled(screen)]))


def _lasting(text: str, secrets: Collection[str]) -> bool:
    """Text worth checking: a few letters, not a clock, date or serial number (they change by themselves from
    one run to the next), no secret in it."""
    letters = sum(c.isalpha() for c in text)
    return letters >= 3 and not CLOCK.search(text) and not SERIAL.search(text) \
        and not any(s and s in text for s in secrets)


def _longest(texts: list[str], keep: int) -> list[str]:
    return sorted(texts, key=len, reverse=True)[:keep]


def changed_share(a: np.ndarray | None, b: np.ndarray | None) -> float:
    """The share of pixels that differ between two images of one size (0 when either is missing)."""
    moved = changed_pixels(a, b)
    return 0.0 if moved is None else float(moved.mean())


def changed_pixels(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    """Where two images of one size differ (a channel by more than 24 levels); None when either is missing or
    their sizes differ."""
    if a is None or b is None or a.shape != b.shape:
        return None
    return np.abs(a.astype(np.int16) - b.astype(np.int16)).max(axis=2) > 24


def line_shows(expected: str, seen: str) -> bool:
    """Whether a line read off the screen says ``expected``: contained in it, or the same but for OCR slips
    (strict: 'Saved Oslo from' is not 'Saved from Oslo')."""
    a, b = normalise(expected), normalise(seen)
    if not a or not b:
        return False
    if squash(expected) in squash(seen):
        return True
    if len(a) <= 12:
        return text_score(expected, seen) >= 0.9
    return SequenceMatcher(None, a, b).ratio() >= 0.9


def _within(parts: list[str], limit: int) -> str:
    """``parts`` joined, as many as fit in ``limit`` characters (the first always), then "and N more changes"."""
    for n in range(len(parts), 0, -1):
        left = len(parts) - n
        text = ", ".join(parts[:n]) + (f", and {left} more change{'s' if left > 1 else ''}" if left else "")
        if len(text) <= limit or n == 1:
            return text
    return ""


def changed_beside(before: np.ndarray | None, now: np.ndarray | None, box: Box | None) -> float:
    """The share of the screen's pixels that changed outside ``box`` and its focus ring (0 when either image is
    missing or they differ in size)."""
    moved = changed_pixels(before, now)
    if moved is None:
        return 0.0
    if box is not None:
        ring = max(4.0, 0.5 * box.height)
        y0, y1 = int(max(0, box.y0 - ring)), int(min(moved.shape[0], box.y1 + ring))
        x0, x1 = int(max(0, box.x0 - ring)), int(min(moved.shape[1], box.x1 + ring))
        moved[y0:y1, x0:x1] = False
    return float(moved.mean())
