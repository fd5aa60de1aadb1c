"""Finding a recorded target on a later screen, with evidence: its name and role first, its neighbours and its
place in the window next, its crop last.

Every candidate gets a score from the evidence that applies to it (name, neighbours, layout, crop; each 0..1)
times how well its role fits. The best is taken only when it scores at least ACCEPT and no other is within
MARGIN of it; otherwise the search says what it saw instead (TargetMissing, TargetUnsure), and the caller stops
or asks the person. A named target whose name is written on screens is never found without its name, and a
field is never found by its pixels alone: one empty box looks like another.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grounding.elements import Box, Element, Screen, reading_order
from grounding.locate import NotFound, searchable
from grounding.template import find_template, similarity
from planner.layout import Layout, neighbour_score
from planner.targets import CAPTIONED, Found, Target, caption, point_in, says, shown_name

ACCEPT = 0.5  # the least score a target is taken at
MARGIN = 0.1  # a runner-up this close makes the choice a guess
WEIGHTS = {"name": 0.6, "neighbours": 0.25, "layout": 0.15}  # a named target
UNNAMED = {"neighbours": 0.5, "layout": 0.3, "crop": 0.2}  # a target with no name (an icon, an unlabelled box)
FAMILIES = (("text_field", "text_area", "spin_box"), ("checkbox", "radio"), ("button", "link", "tab", "menu_item"),
            ("text", "link", "heading"), ("dropdown", "list_box"))


@dataclass(frozen=True)
class Candidate:
    """One element (or a spot the crop was found at) that might be the target, with its evidence."""

    box: Box
    score: float
    evidence: dict[str, float]
    element: Element | None = None
    name: str = ""  # what a person would call it (a field: its caption)

    def describe(self) -> str:
        """'the "Name" text field', 'an unlabelled button', 'a look-alike of its crop at (x, y)'."""
        el = self.element
        if el is None:
            return f"a look-alike of its crop at ({self.box.center[0]:.0f}, {self.box.center[1]:.0f})"
        role = el.role.replace("_", " ")
        said = f'the "{self.name}" {role}' if self.name else f"an unlabelled {role}"
        return said if el.role != "text" else f'the text "{self.name}"'

    def to_json(self) -> dict:
        """The candidate as the trajectory's grounding shows it."""
        return {"element": self.describe(), "box": self.box.to_list(), "score": round(self.score, 3),
                "evidence": {k: round(v, 3) for k, v in self.evidence.items()}}


class TargetMissing(NotFound):
    """Nothing on the screen is the target; ``seen`` holds the nearest things there were."""

    def __init__(self, message: str, seen: list[Candidate]) -> None:
        super().__init__(message)
        self.seen = seen


class TargetUnsure(NotFound):
    """Two or more candidates fit about equally well; picking one would be a guess."""

    def __init__(self, message: str, candidates: list[Candidate]) -> None:
        super().__init__(message)
        self.seen = candidates


def find_target(target: Target, screen: Screen, image: np.ndarray | None, crop_pixels: np.ndarray | None) -> Found:
    """The target on ``screen``: by name and role, by neighbours and layout, by crop; raises TargetMissing or
    TargetUnsure with a sentence saying what was seen instead."""
    layout = Layout.of(target, screen)
    if target.name:
        named = _named(target, screen, layout)
        if named:
            return _decide(target, named, "name")
        if target.said:
            raise TargetMissing(_missing(target, screen), _nearest(target, screen, layout))
    pool = [_unnamed(target, e, screen, layout, image, crop_pixels) for e in _role_pool(target, screen)]
    best = max((c.score for c in pool), default=0.0)
    if best < ACCEPT and crop_pixels is not None and image is not None and not target.is_field:
        pool += _by_crop(target, screen, layout, image, crop_pixels)
    if not pool:
        missing = _missing(target, screen) if target.name else f"{target.describe()} is not on the screen"
        raise TargetMissing(missing, _nearest(target, screen, layout))
    best_one = max(pool, key=lambda c: c.score)
    return _decide(target, pool, "crop" if best_one.element is None else "neighbours+layout")


def _decide(target: Target, candidates: list[Candidate], how: str) -> Found:
    ranked = sorted(candidates, key=lambda c: -c.score)
    best = ranked[0]
    notes = {"candidates": [c.to_json() for c in ranked[:5]], "accept": ACCEPT, "margin": MARGIN}
    if best.score < ACCEPT:
        raise TargetMissing(f"{target.describe()} is not on the screen: the best fit, {best.describe()}, scores "
                            f"{best.score:.2f} (at least {ACCEPT} is needed)", ranked[:5])
    if len(ranked) > 1 and best.score - ranked[1].score < MARGIN:
        raise TargetUnsure(f"{target.describe()} cannot be told apart: {best.describe()} ({best.score:.2f}) and "
                           f"{ranked[1].describe()} ({ranked[1].score:.2f}) fit about equally", ranked[:5])
    x, y = point_in(best.box, target)
    return Found(best.box, x, y, how, best.score, notes, best.element)


def _named(target: Target, screen: Screen, layout: Layout) -> list[Candidate]:
    """Elements of a fitting role that bear the target's name (or, for a field the parser left unnamed, whose
    caption says it), scored with their neighbours and place."""
    out = []
    pool = searchable(screen)
    for el in pool:
        fit = role_fit(target.role, el.role)
        if not fit or (fit < 0.85 and target.is_field):
            continue
        score = says(target.name, el.name)
        if target.role in CAPTIONED and el.role in _family(target.role) and "a11y" not in el.source.split("+"):
            # the caption nearest the field, which the parser may have missed (or given the heading above)
            score = max(score, 0.9 * says(target.name, caption(el.box, screen)))
        if score:
            out.append((el, score, fit))
    kin = [o for o in out if o[2] >= 0.85]
    out = kin or ([] if target.is_field else out)  # text standing for a control only when no control bears it
    ordered = reading_order([el for el, _, _ in out])
    index = {id(el): i for i, el in enumerate(ordered)}
    return [_scored(target, el, fit, {"name": score}, WEIGHTS, screen, layout, (index[id(el)], len(ordered)))
            for el, score, fit in out]


def _unnamed(target: Target, el: Element, screen: Screen, layout: Layout, image: np.ndarray | None,
             crop_pixels: np.ndarray | None) -> Candidate:
    evidence = {}
    if crop_pixels is not None and image is not None and not target.is_field:
        evidence["crop"] = max(0.0, similarity(image, el.box, crop_pixels))
    return _scored(target, el, role_fit(target.role, el.role), evidence, UNNAMED, screen, layout, None)


def _scored(target: Target, el: Element | None, fit: float, evidence: dict[str, float], weights: dict[str, float],
            screen: Screen, layout: Layout, occurrence: tuple[int, int] | None, box: Box | None = None) -> Candidate:
    """A candidate's score: the weighted mean of the evidence that could be weighed, times its role's fit."""
    box = box or el.box  # type: ignore[union-attr]
    evidence = dict(evidence)
    if target.neighbours:
        evidence["neighbours"] = neighbour_score(target, box, el, screen, layout.scale)
    place = layout.place(target, box, el, screen, occurrence)
    if place is not None:
        evidence["layout"] = place
    used = {k: w for k, w in weights.items() if k in evidence}
    total = sum(used.values())
    score = fit * sum(evidence[k] * w for k, w in used.items()) / total if total else 0.0
    return Candidate(box, score, {**evidence, "role": fit}, el, shown_name(el, screen) if el is not None else "")


def _by_crop(target: Target, screen: Screen, layout: Layout, image: np.ndarray,
             crop_pixels: np.ndarray) -> list[Candidate]:
    """Where the crop appears, at any scale, each spot scored with its neighbours and place like an element."""
    out = []
    for hit in find_template(image, crop_pixels, threshold=0.82):
        inner = hit.inner()
        out.append(_scored(target, None, 1.0, {"crop": hit.score}, UNNAMED, screen, layout, None, inner))
    return out


def role_fit(wanted: str, seen: str) -> float:
    """1 for the recorded role, 0.85 for a kin (a text area for a text field), 0.6 for text standing for a
    control whose outline was not seen, 0 otherwise."""
    if not wanted or wanted == seen:
        return 1.0
    if seen in _family(wanted):
        return 0.85
    if seen in ("text", "link") and wanted in ("button", "tab", "menu_item", "menu_bar_item", "link", "option"):
        return 0.6
    return 0.0


def _family(role: str) -> tuple[str, ...]:
    return next((f for f in FAMILIES if role in f), (role,))


def _role_pool(target: Target, screen: Screen) -> list[Element]:
    """The elements an unnamed target could be: those of a fitting role (any control, for a bare spot)."""
    if not target.role:
        return []
    return [e for e in screen.controls() if role_fit(target.role, e.role) >= 0.85]


def _nearest(target: Target, screen: Screen, layout: Layout) -> list[Candidate]:
    """What was seen instead of a missing target: elements of its role, then text like its name, best first."""
    out = [_scored(target, e, role_fit(target.role, e.role), {}, UNNAMED, screen, layout, None)
           for e in _role_pool(target, screen)]
    return sorted(out, key=lambda c: -c.score)[:3]


def _missing(target: Target, screen: Screen) -> str:
    role = (target.role or "element").replace("_", " ")
    same = [e for e in screen.controls() if role_fit(target.role, e.role) >= 0.85]
    names = [shown_name(e, screen) for e in reading_order(same)[:4]]
    seen = ", ".join(f'"{n}"' if n else "an unlabelled one" for n in names)
    there = f"; the {role}s there: {seen}" if seen else f"; there is no {role} at all"
    return f'no {role} named "{target.name}" is on the screen{there}'


@dataclass
class Evidence:
    """What a replay writes to a step's trajectory grounding: how the target was found and every candidate."""

    how: str
    score: float
    box: list[int]
    candidates: list[dict] = field(default_factory=list)

    @classmethod
    def of(cls, found: Found) -> Evidence:
        """The evidence of a found target."""
        return cls(found.how, round(found.score, 3), found.box.to_list(), list(found.notes.get("candidates", [])))

    def to_json(self) -> dict:
        """The step's ``grounding`` in the trajectory."""
        return {"source": "replay", "how": self.how, "score": self.score, "box": self.box, "accept": ACCEPT,
                "margin": MARGIN, "candidates": self.candidates}
