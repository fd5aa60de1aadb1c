"""Mixture of Grounding: route each target to the grounders that suit it and explain the choice.

- text: what the screen says (OCR words and phrases, captions, labels beside widgets);
- widget: what the screen shows (outlined fields, boxes, buttons) by role and order;
- a11y: what the accessibility tree says (role and accessible name), when a tree was merged in;
- marks: an element id from the legend ("#12"), the number drawn on a set-of-marks screenshot;
- vlm: a local vision-language model's point (grounding/vlm.py), when one is configured ([vlm] model).
A label routes to text and a11y, a bare role to widget and a11y, "mark 12" to marks. A description is read by
the referring-expression grammar (grounding/refs); where it has several readings ("press Two": the label, or the
second button) each is grounded and the one the screen supports best wins. Every candidate keeps its source and
confidence; the winner comes with the runners-up from other sources, for the trajectory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from grounding.elements import Screen
from grounding.locate import Match, NotFound, as_ref
from grounding.marks import Marks
from grounding.refs.grammar import Ref
from grounding.refs.resolve import ALTERNATIVE, pool, resolve
from grounding.table_refs import TableGrounder, untold_rows
from grounding.textmatch import normalise


class Grounder(Protocol):
    name: str

    def applies(self, ref: Ref) -> bool: ...

    def candidates(self, ref: Ref, screen: Screen, echo: str) -> list[Match]: ...  # one reading


@dataclass(frozen=True)
class Grounding:
    """The chosen element, the grounder that chose it, and why (with the best candidate of each other source)."""

    match: Match
    source: str
    confidence: float
    explanation: str
    alternatives: tuple[tuple[str, Match], ...] = ()
    alike: int = 0  # how many look-alikes nothing told apart it was the first of (they lead the alternatives)

    def to_json(self) -> dict:
        out = {"source": self.source, "confidence": round(self.confidence, 3), "why": self.explanation,
               "box": self.match.element.box.to_list(),
               "alternatives": [{"source": s, "score": round(m.score, 3), "box": m.element.box.to_list(),
                                 "why": m.reason} for s, m in self.alternatives]}
        return {**out, "alike": self.alike} if self.alike else out


def _visual(screen: Screen) -> Screen:
    """The screen without what only the tree knows (ids are kept: a subset keeps its numbers)."""
    return Screen(screen.width, screen.height, tuple(e for e in screen.elements if e.source != "a11y"), screen.words,
                  screen.image)


def _ground(ref: Ref, screen: Screen, echo: str) -> list[Match]:
    return resolve(ref, pool(screen, ref, echo=echo))


class TextGrounder:
    name = "text"

    def applies(self, ref: Ref) -> bool:
        return bool(ref.label or ref.relations)

    def candidates(self, ref: Ref, screen: Screen, echo: str) -> list[Match]:
        return _ground(ref, _visual(screen), echo)


class WidgetGrounder:
    name = "widget"

    def applies(self, ref: Ref) -> bool:
        return not ref.label and not ref.relations

    def candidates(self, ref: Ref, screen: Screen, echo: str) -> list[Match]:
        found = _ground(ref, _visual(screen), echo)  # by role and order
        if not found and ref.role and not ref.ordinal:  # a role no widget has ("the section"): text saying it
            found = _ground(ref.with_(label=ref.role.replace("_", " "), role=""), _visual(screen), echo)
        return found


class A11yGrounder:
    name = "a11y"

    def applies(self, ref: Ref) -> bool:
        return True

    def candidates(self, ref: Ref, screen: Screen, echo: str) -> list[Match]:
        tree = [e for e in screen.elements if "a11y" in e.source.split("+")]
        if not tree:
            return []
        return _ground(ref, Screen(screen.width, screen.height, tuple(tree), source=screen.source), echo)


def default_grounders(vlm: Any = None) -> list[Grounder]:
    """The pixel and tree grounders, plus a VLM grounder when ``vlm`` (models.settings.VLMSettings) names a model:
    served over HTTP when it gives a base_url, else loaded in-process."""
    grounders: list[Grounder] = [TextGrounder(), WidgetGrounder(), A11yGrounder(), TableGrounder()]
    if vlm is not None and vlm.model and vlm.base_url:  # a grounding model served over HTTP (vLLM, Ollama ...)
        from grounding.vlm import VLMGrounder
        from grounding.vlm_server import ServerVLM

        served = ServerVLM(vlm.base_url, vlm.model, vlm.style or "uitars", vlm.api_key, vlm.min_pixels,
                           vlm.max_pixels, vlm.timeout)
        grounders.append(VLMGrounder(served, style=served.style, max_new_tokens=vlm.max_new_tokens))
    elif vlm is not None and vlm.model:
        from grounding.vlm import TokenSelection, VLMGrounder
        from models.vlm import LocalVLM

        model = LocalVLM(vlm.model, vlm.device, vlm.min_pixels, vlm.max_pixels)
        grounders.append(VLMGrounder(model, TokenSelection.of(vlm), vlm.style, vlm.max_new_tokens))
    return grounders


# a tree's exact name edges out OCR on ties
PRIORS = {"text": 1.0, "widget": 1.0, "a11y": 1.02, "marks": 1.0, "vlm": 1.0, "table": 1.0}
TIED = 0.995  # of the best score: a thing of the same role and name scored this high is as likely meant
UNSURE = 0.8  # a grounding's confidence when it picked the first of look-alikes: below sure (0.9)


@dataclass
class Router:
    """Asks every grounder that suits the target and keeps the best-scored candidate."""

    grounders: list[Grounder] = field(default_factory=default_grounders)
    marks: Marks | None = None

    def ground(self, description: str | Ref, screen: Screen, echo: str = "") -> Grounding:
        """The best element for a description (or a Ref) over every reading and every grounder that suits it."""
        mark = _mark_number(description) if isinstance(description, str) else None
        if mark is not None:
            return self._by_mark(mark, screen)
        ref = as_ref(description)
        found: list[tuple[str, Match]] = []
        misses: list[str] = []
        for step, reading in enumerate(ref.readings()):
            for source, m in self._candidates(reading, screen, echo, misses):
                found.append((source, Match(m.element, m.score * ALTERNATIVE ** step, m.reason)))
        if not found:
            raise NotFound("; ".join([f"nothing on the screen matches {ref.describe()}", *misses]))
        found.sort(key=lambda sm: -sm[1].score * PRIORS.get(sm[0], 1.0))
        source, best = found[0]
        alike = [] if ref.ordinal or ref.every else look_alikes(best, found)
        untold = untold_rows(screen, best.element.name or ref.describe(), [best] + [m for _, m in alike]) \
            if alike else None
        if untold is not None:  # a control each row of a table offers: which row is for the person to say
            raise untold
        if alike:  # nothing tells them apart: the first in the list is a guess, and the grounding says so
            best = Match(best.element, best.score, f"{best.reason}, {_untold(alike)}")
        others: dict[str, Match] = {}
        for s, m in found[1:]:
            if s != source and s not in others:
                others[s] = m
        why = f"{source}: {best.reason} (score {best.score:.2f})"
        if others:
            why += "; also " + "; ".join(f"{s}: {m.reason} ({m.score:.2f})" for s, m in others.items())
        confidence = best.score * (UNSURE if alike else 1.0)
        return Grounding(best, source, confidence, why, tuple(alike) + tuple(others.items()),
                         len(alike) + 1 if alike else 0)

    def _candidates(self, reading: Ref, screen: Screen, echo: str, misses: list[str]) -> list[tuple[str, Match]]:
        out = []
        for g in self.grounders:
            if g.applies(reading):
                try:
                    out += [(g.name, m) for m in g.candidates(reading, screen, echo)]
                except NotFound as exc:  # one grounder's failure (a VLM answer with no point) is not the end
                    misses.append(str(exc))
        if reading.ordinal or reading.every:  # picked by place: the grounder built for roles decides
            out.sort(key=lambda sm: sm[0] != "widget")
            out = [sm for sm in out if sm[0] == out[0][0]] if out else out
        return out

    def all(self, description: str | Ref, screen: Screen, echo: str = "") -> list[Match]:
        """Every element that fits ("both text fields"), read the way the best one was found."""
        ref = as_ref(description)
        best = self.ground(ref, screen, echo)
        for reading in ref.readings():
            for g in self.grounders:
                if g.name == best.source and g.applies(reading):
                    found = g.candidates(reading, screen, echo)
                    if any(m.element.box == best.match.element.box for m in found):
                        return found
        return [best.match]

    def _by_mark(self, number: int, screen: Screen) -> Grounding:
        """An id from the legend, or a mark number on a set-of-marks screenshot (the same numbers)."""
        try:
            el = self.marks.element(number) if self.marks is not None else screen.get(number)
        except LookupError as exc:
            raise NotFound(str(exc).strip("'\"")) from None
        what = f"mark {number}" if self.marks is not None else f"#{number}"
        m = Match(el, 1.0, what)
        return Grounding(m, "marks", 1.0, f"marks: {what} is a {el.role}{f' {el.name!r}' if el.name else ''}")


def look_alikes(best: Match, found: list[tuple[str, Match]]) -> list[tuple[str, Match]]:
    """Other things of the best one's role and name, scored as high: several Cancel buttons, one per row, when
    nothing said which row (a word inside a control is that control, not another like it)."""
    out: list[tuple[str, Match]] = []
    seen = [best.element.box]
    for source, m in found:
        e = m.element
        if e.role != best.element.role or normalise(e.name) != normalise(best.element.name) \
                or m.score < TIED * best.score or any(b.iou(e.box) > 0.5 or b.contains(e.box, slack=2)
                                                      or e.box.contains(b, slack=2) for b in seen):
            continue
        seen.append(e.box)
        out.append((source, m))
    return out


def _untold(alike: list[tuple[str, Match]]) -> str:
    where = ", ".join(str(m.element.box.to_list()) for _, m in alike)
    return f"the first of {len(alike) + 1} alike (could not tell it from those at {where})"


def _mark_number(description: str) -> int | None:
    m = re.fullmatch(r"\s*(?:the\s+)?(?:mark|box|element|#)\s*#?\s*(\d+)\s*|\s*\[(\d+)\]\s*", description, re.I)
    return int(m.group(1) or m.group(2)) if m else None

