"""The worker's agent-computer interface: one structured worker action becomes one or more grounded actions.

Targets are descriptions ("the Save button", "#12" for a set-of-marks number) grounded on the live screen by the
Mixture of Grounding; a target that is not there raises NotFound, which goes back to the worker as an observation.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from grounding.coords import Point, Space, image_to_logical
from grounding.elements import Screen
from grounding.refs import Ref, parse_ref
from grounding.router import Grounding, Router
from planner.actions import Action, Click, Drag, Key, Open, Scroll, TypeText, Wait, normalise_key, valid_key
from planner.protocols import Observation
from planner.replies import ClickA, DragA, HotkeyA, OpenA, ScrollA, TypeA, WaitA, WorkerAction

SCROLL = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0)}


class BadKeys(ValueError):
    """A hotkey the keyboard does not have; the message goes back to the worker."""


@dataclass
class Translator:
    """Grounds worker actions on one observation; ``groundings`` keeps each choice for the trajectory."""

    router: Router
    obs: Observation
    screen: Screen
    groundings: list[dict] = field(default_factory=list)

    def actions(self, act: WorkerAction) -> list[Action]:
        match act:
            case ClickA(target=t, button=b, count=c):
                x, y, _ = self._ground(t)
                return [Click(x=x, y=y, button=b, count=c, target=t)]
            case TypeA(text=text, into=into, enter=enter):
                steps: list[Action] = []
                secret = False
                if into:
                    x, y, g = self._ground(_field_query(into))
                    el = g.match.element
                    secret = "password" in el.states or "password" in (el.name + " " + into).lower()
                    steps += [Click(x=x, y=y, target=into), Key(keys=("ctrl", "a"))]
                steps.append(TypeText(text=text, secret=secret))
                return steps + ([Key(keys=("enter",))] if enter else [])
            case HotkeyA(keys=keys):
                names = tuple(normalise_key(k) for k in keys)
                if not all(valid_key(k) for k in names):
                    raise BadKeys(f"{'+'.join(keys)} is not a key combination this keyboard has")
                return [Key(keys=names)]
            case ScrollA(direction=d, amount=n, target=t):
                x, y = self._centre() if not t else self._ground(t)[:2]
                dx, dy = SCROLL[d]
                return [Scroll(x=x, y=y, dx=dx * n, dy=dy * n)]
            case DragA(source=src, to=dst):
                x, y, _ = self._ground(src)
                tx, ty, _ = self._ground(dst)
                return [Drag(x=x, y=y, to_x=tx, to_y=ty, target=f"{src} -> {dst}")]
            case OpenA(app=app):
                return [Open(app=app), Wait(seconds=1.0)]
            case WaitA(seconds=s):
                return [Wait(seconds=s)]
        raise TypeError(f"not a desktop action: {act!r}")

    def _ground(self, target: str | Ref) -> tuple[float, float, Grounding]:
        g = self.router.ground(target, self.screen)
        said = target if isinstance(target, str) else target.said or target.describe()
        self.groundings.append({"target": said, **g.to_json()})
        p = image_to_logical(Point(*g.match.element.box.center, Space.IMAGE), self.obs.frame)
        return round(p.x), round(p.y), g

    def _centre(self) -> tuple[float, float]:
        p = image_to_logical(Point(self.obs.frame.width / 2, self.obs.frame.height / 2, Space.IMAGE), self.obs.frame)
        return round(p.x), round(p.y)


def _field_query(target: str) -> str | Ref:
    """'the Name field' and plain 'Name' both mean the text field labelled Name; a mark number stays as it is."""
    ref = parse_ref(target)
    if target.strip().startswith("#") or ref.role or ref.relations:
        return target
    return ref.with_(role="entry")
