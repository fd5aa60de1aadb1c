"""What every intent's doer shares: the situation it acts in (the screen, the router, what was found before) and
the plan it returns (actions now, and follow-ups to do once the screen has been looked at again)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from grounding.coords import Point, Space, image_to_logical
from grounding.elements import Box, Element, Screen
from grounding.front import in_front
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref
from grounding.router import Grounding, Router
from grounding.table_refs import AmbiguousRows
from planner.actions import Action, Click
from planner.protocols import Observation

Step = tuple[Action, str]


class Absent(NotFound):
    """What was looked for where it would be and is not there (an item an open menu lacks): no waiting for it."""

# the role a description is grounded as, by what the intent can act on, when the words leave it open
ROLE_FOR: dict[str, dict[str, str]] = {
    "type": {"": "entry", "field": "entry", "box": "text_field", "item": "entry", "widget": "entry", "text": "entry"},
    "toggle": {"": "toggle", "box": "checkbox", "item": "toggle", "option": "toggle", "widget": "toggle",
               "button": "toggle", "text": "toggle"},
    "choose": {"": "choice", "box": "checkbox", "item": "choice", "widget": "choice"},
    "set": {"": "valued", "field": "valued", "box": "valued", "widget": "valued"},
    "list": {"": "list", "box": "list_box"},
    "clear": {"": "entry", "box": "entry", "field": "entry", "widget": "entry", "text": "entry"},
    "search": {"": "search_box", "box": "text_field", "field": "text_field"},
}


def narrow(ref: Ref, kind: str) -> Ref:
    """The reading ``ref`` as ``kind`` can act on it: "check Remember me" grounds a checkbox or radio, "click the
    first" the first button; an alternative reading narrows the same way."""
    alt = narrow(ref.alternative, kind) if ref.alternative is not None else None
    role = ref.role
    if kind == "click" and not role and not ref.label and (ref.ordinal or ref.every) and not ref.noun:
        role = "button"
    else:
        role = ROLE_FOR.get(kind, {}).get(role, role)
    return replace(ref, role=role, alternative=alt)


@dataclass(frozen=True)
class Plan:
    """Actions to take now (each with why), and follow-ups to do after the screen is looked at again."""

    steps: tuple[Step, ...] = ()
    then: tuple[Any, ...] = ()


@dataclass
class Memory:
    """What earlier steps of one command learnt: explored items and the value a closed loop last read."""

    tried: dict[str, set[tuple]] = field(default_factory=dict)
    secrets: set[str] = field(default_factory=set)
    paged: dict[Ref, int] = field(default_factory=dict)  # items of a ref's role shown on pages already left
    copied_from: Box | None = None  # where "copy" took its text: "paste it into the box" means another place
    pointer: tuple[float, float] | None = None  # image point of the last click: the pointer rests there after it
    pointed: Any = None  # the icon button pointed at to read its tooltip (planner/doing/tooltips.Pointed)
    tooltips: dict[tuple[int, ...], str] = field(default_factory=dict)  # what icon buttons' tooltips said, by box
    chosen: dict[str, tuple[Box, str]] = field(default_factory=dict)  # a label's button by its tooltip, to click
    to_point: dict[str, list[tuple[Box, bool]]] = field(default_factory=dict)  # buttons to point at, by label

    def on_this_page(self, ref: Ref) -> Ref:
        """The ordinal still to count on this page, after the items earlier pages showed."""
        seen = self.paged.get(ref, 0)
        return ref.with_(ordinal=ref.ordinal - seen) if seen and ref.ordinal > 0 else ref


@dataclass
class Situation:
    """One step's world: the observation, its parse, the router, the command's words (never a target)."""

    obs: Observation
    screen: Screen
    router: Router
    echo: str = ""
    memory: Memory = field(default_factory=Memory)
    groundings: list[dict] = field(default_factory=list)
    acted: list[tuple[Element, Screen]] = field(default_factory=list)  # what was clicked, on which screen


    def ground(self, ref: Ref, kind: str = "") -> Match:
        """The element ``ref`` means, as ``kind`` acts on it; NotFound says what is missing."""
        try:
            g = self._ground_in_front(narrow(self.memory.on_this_page(ref), kind))
        except AmbiguousRows as exc:
            return self._on_row_pointed(exc, ref)
        self.groundings.append({"target": ref.said or ref.describe(), **g.to_json()})
        return g.match

    def _ground_in_front(self, ref: Ref) -> Grounding:
        """The router's grounding inside the front window (grounding/front.py); words only the window behind
        shows are looked for there too, a bare kind ("the display") never: text behind is no display."""
        front = in_front(self.screen, ref)
        if front is not None:
            try:
                return self.router.ground(ref, front, echo=self.echo)
            except NotFound as exc:
                if isinstance(exc, AmbiguousRows) or not (ref.label or ref.noun):
                    raise
        return self.router.ground(ref, self.screen, echo=self.echo)

    def _on_row_pointed(self, exc: AmbiguousRows, ref: Ref) -> Match:
        """A control every row offers, said with no row: the one in the row an earlier click of this command was
        on ("click Desk lamp, then click Cancel"); else the question stands."""
        if self.memory.pointer is None:
            raise exc
        y = self.memory.pointer[1]
        for row, m in zip(exc.rows, exc.matches):
            box = exc.table.row_box(row)
            if box.y0 <= y < box.y1:
                picked = Match(m.element, m.score, f"{m.reason}, in the row clicked before")
                self.groundings.append({"target": ref.said or ref.describe(), "source": "table",
                                        "box": m.element.box.to_list(), "why": picked.reason})
                return picked
        raise exc

    def ground_all(self, ref: Ref, kind: str = "") -> list[Match]:
        """Every element ``ref`` means when it says "all" or "both"; else the one it means. Each once: the words
        inside a control that was found too are that control."""
        if not ref.every:
            return [self.ground(ref, kind)]
        found = self.router.all(narrow(ref, kind), self.screen, echo=self.echo)
        if not found:
            raise NotFound(f"nothing on the screen matches {ref.describe()}")
        found = [m for m in found if not any(o is not m and o.element.box.area > m.element.box.area
                                             and o.element.box.contains(m.element.box, slack=2) for o in found)]
        if ref.count and len(found) < ref.count:
            raise NotFound(f"{ref.describe()} should be {ref.count}, the screen shows {len(found)}")
        return found

    def find(self, ref: Ref, kind: str = "") -> Match | None:
        """The element ``ref`` means, or None when the screen does not show it."""
        try:
            return self.ground(ref, kind)
        except NotFound:
            return None

    def point(self, el: Element | Box) -> tuple[float, float]:
        box = el.box if isinstance(el, Element) else el
        return self.logical(*box.center)

    def logical(self, x: float, y: float) -> tuple[float, float]:
        """Image pixels to the logical screen points the input driver takes."""
        p = image_to_logical(Point(x, y, Space.IMAGE), self.obs.frame)
        return round(p.x), round(p.y)

    def centre(self) -> tuple[float, float]:
        return self.logical(self.obs.frame.width / 2, self.obs.frame.height / 2)

    def click(self, m: Match | Element, target: str, button: str = "left", count: int = 1,
              hold: tuple[str, ...] = (), at_start: bool = False) -> Step:
        """A click on the middle of what was found (or, ``at_start``, just inside its left end: a date field's
        first part), with why."""
        el = m.element if isinstance(m, Match) else m
        self.acted.append((el, self.screen))  # the intent's effect is checked on it afterwards (planner/verdicts)
        px, py = _label_box(el, self.screen.words).center
        if at_start:
            px, py = el.box.x0 + min(0.12 * el.box.width, 1.5 * el.box.height), el.box.center[1]
        x, y = self.logical(px, py)
        self.memory.pointer = (px, py)
        why = _why(m) if isinstance(m, Match) else f"{el.role} {el.name!r} at {el.box.to_list()}"
        return Click(x=x, y=y, button=button, count=count, target=target, hold=hold, name=el.name, role=el.role), why


def _label_box(el: Element, words: tuple[Element, ...]) -> Box:
    """Where a click on ``el`` goes: a tree item's row runs far right of its name, and many trees (a web page's)
    open a node only when its name is clicked, so a tree item is clicked on the words of its name."""
    if el.role != "tree_item" or not el.name:
        return el.box
    said = set(el.name.split())
    inside = [w.box for w in words if w.name in said and el.box.contains(w.box, slack=2)]
    if not inside:
        return el.box
    box = inside[0]
    for b in inside[1:]:
        box = box.union(b)
    return box


def _why(m: Match) -> str:
    return f"{m.reason} at {m.element.box.to_list()} (score {m.score:.2f})"
