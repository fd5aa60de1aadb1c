"""After a replayed step: did it have the effect it had when it was recorded?

The field the text went into is found again by its name (so text typed into the wrong field does not pass),
a checkbox is read for its tick, and the lines a step made appear must be on the screen now (with this replay's
parameter values filled in), those it made go away must be gone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound, shows, squash
from planner.demos import DemoStep, render
from planner.effects import PAGE_CHANGE, Effect, changed_share, holds, line_shows, look, nearer_look, sayings
from planner.finding import find_target
from planner.targets import Target, caption, says

CARET_COLUMNS = 3  # pixel columns a text caret (and its anti-aliasing) takes


@dataclass(frozen=True)
class Check:
    """The outcome of checking one step's effect: ``held``, a sentence, and what was looked at."""

    held: bool
    detail: str
    evidence: dict = field(default_factory=dict)


def check_effect(step: DemoStep, values: dict[str, str], screen: Screen | None, before: np.ndarray | None,
                 now: np.ndarray | None, acted_on: Box | None) -> Check:
    """Whether ``step``'s recorded effect holds on ``screen`` (``before``: the frame the step was taken on;
    ``acted_on``: the box the replay clicked or typed into)."""
    effect = step.effect
    assert effect is not None
    if effect.kind == "screen" and not effect.appeared and not effect.gone:
        return _page_changed(effect, before, now)
    if screen is None:
        return Check(False, "there was no parsed screen to check it on")
    if effect.kind == "value":
        return _holds_value(effect, step.into or step.target, values, screen, acted_on)
    if effect.kind == "state":
        return _ticked(effect, step.target, screen, acted_on)
    return _lines(effect, values, screen, before, now)


def _element(target: Target | None, screen: Screen, acted_on: Box | None) -> tuple[Element | None, str]:
    """The target on the screen by its evidence, else the control at the box the replay acted on."""
    if target is not None:
        try:
            found = find_target(target, screen, screen.image, None)
            if found.element is not None:
                return found.element, found.how
        except NotFound as exc:
            if target.name and target.said:
                return None, str(exc)
    if acted_on is not None:
        near = [e for e in screen.controls() if e.box.iou(acted_on) > 0.5]
        if near:
            return max(near, key=lambda e: e.box.iou(acted_on)), "the box acted on"
    return None, "nothing is where the step acted"


def _holds_value(effect: Effect, target: Target | None, values: dict[str, str], screen: Screen,
                 acted_on: Box | None) -> Check:
    expected = render(effect.text, values)
    what = target.describe() if target is not None else "the field"

    def fits(seen: str) -> bool:
        return holds(seen, expected) if effect.whole else shows(seen, expected)

    el, how = _element(target, screen, acted_on)
    if el is not None and fits(el.value):
        return Check(True, f"{what} holds {el.value!r}", {"expected": expected, "seen": el.value,
                                                           "box": el.box.to_list(), "found": how})
    if acted_on is not None and screen.image is not None and _labelled_as(target, acted_on, screen):
        # a focused field's ring can hide its outline from the parser: read the box the text was typed into
        seen = read_box(screen.image, acted_on)
        if fits(seen):
            return Check(True, f"{what} holds {seen!r}", {"expected": expected, "seen": seen,
                                                          "box": acted_on.to_list(), "found": "read in its box"})
    if el is None:
        return Check(False, f"{what} is not on the screen to hold {expected!r} ({how})")
    return Check(False, f"{what} holds {el.value!r}, not {expected!r}",
                 {"expected": expected, "seen": el.value, "box": el.box.to_list(), "found": how})


def _labelled_as(target: Target | None, box: Box, screen: Screen) -> bool:
    """Whether the box the replay typed into is still the target: its caption (or an element over it) bears
    the target's name."""
    if target is None or not target.name:
        return True
    over = [e.name for e in screen.elements if e.box.iou(box) > 0.5]
    return any(says(target.name, n) > 0 for n in [caption(box, screen), *over])


def read_box(image: np.ndarray, box: Box) -> str:
    """The text OCR reads inside ``box`` (its border and focus ring left out)."""
    from grounding.ocr import read_words

    inside = _inside(image, box)
    if inside is None:
        return ""
    pad = int(max(8, 0.5 * box.height))  # the text detector wants some margin round a line
    inside = np.pad(inside, ((pad, pad), (pad, pad), (0, 0)), mode="edge")
    words = sorted(read_words(np.ascontiguousarray(inside)), key=lambda w: w.box.x0)
    return " ".join(w.name for w in words)


def blank(image: np.ndarray, box: Box) -> bool:
    """Whether ``box`` shows nothing inside its border: no ink on its ground but a caret's few columns (OCR
    reading nothing there is then what it shows, not a text it failed to read)."""
    inside = _inside(image, box)
    if inside is None:
        return False
    pixels = inside.astype(np.int16)
    ground = np.median(pixels.reshape(-1, pixels.shape[2]), axis=0)
    ink = np.abs(pixels - ground).max(axis=2) > 24
    return int(ink.any(axis=0).sum()) <= CARET_COLUMNS


def _inside(image: np.ndarray, box: Box) -> np.ndarray | None:
    """The pixels inside ``box``, its border and focus ring left out (None when too little is left)."""
    inset = max(2.0, 0.12 * box.height)
    x0, y0 = int(max(0, box.x0 + inset)), int(max(0, box.y0 + inset))
    x1, y1 = int(min(image.shape[1], box.x1 - inset)), int(min(image.shape[0], box.y1 - inset))
    if x1 - x0 < 8 or y1 - y0 < 8:
        return None
    return image[y0:y1, x0:x1]


def _ticked(effect: Effect, target: Target | None, screen: Screen, acted_on: Box | None) -> Check:
    what = target.describe() if target is not None else "the checkbox"
    expected = "ticked" if effect.checked else "not ticked"
    el, how = _element(target, screen, acted_on)
    box = el.box if el is not None else acted_on
    now = look(screen.image, box) if box is not None and effect.looks else None
    if now is not None:  # compared with how it looked when recorded, before and after the click
        side = nearer_look(now, effect.looks)
        state = {1: expected, 0: "as it was before the click", -1: "unlike either recorded look"}[side]
        return Check(side == 1, f"{what} looks {state}", {"expected": expected, "look": [round(v) for v in now],
                                                          "box": box.to_list()})
    if el is None:
        return Check(False, f"{what} is not on the screen ({how})")
    state = "ticked" if el.checked else "not ticked"
    return Check(el.checked == effect.checked, f"{what} is {state}",
                 {"expected": expected, "seen": state, "box": el.box.to_list()})


def _lines(effect: Effect, values: dict[str, str], screen: Screen, before: np.ndarray | None,
           now: np.ndarray | None) -> Check:
    seen_now = sayings(screen)
    for wanted in (render(t, values) for t in effect.appeared):
        if not any(line_shows(wanted, s) for s in seen_now):
            closest = max(seen_now, key=lambda s: _likeness(wanted, s), default="")
            seen = f"; the nearest line there says {closest!r}" if closest else "; the screen shows no text"
            return Check(False, f"{wanted!r} did not appear{seen}", {"expected": wanted, "seen": closest})
    for left in (render(t, values) for t in effect.gone):
        still = next((s for s in seen_now if says(left, s) > 0), "")
        if still:
            return Check(False, f"{left!r} is still there", {"expected_gone": left, "seen": still})
    if effect.changed and changed_share(before, now) < min(PAGE_CHANGE, effect.changed) / 2:
        return Check(False, "the page did not change", {"changed": round(changed_share(before, now), 3)})
    return Check(True, effect.describe(values=values), {"appeared": [render(t, values) for t in effect.appeared],
                                           "gone": [render(t, values) for t in effect.gone]})


def _page_changed(effect: Effect, before: np.ndarray | None, now: np.ndarray | None) -> Check:
    share = changed_share(before, now)
    held = share >= min(PAGE_CHANGE, effect.changed) / 2
    return Check(held, "the page changed" if held else "the page did not change", {"changed": round(share, 3)})


def _likeness(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, squash(a), squash(b)).ratio()
