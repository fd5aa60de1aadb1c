"""ReplayAgent: carries out a recorded demonstration on the current screen, one step at a time, in the Loop.

Each step's target is found again on the live screen (its words first, its crop at any scale second), so a
moved, resized or rescaled window does not matter. When the target is not there yet the agent waits a
frame and looks again (the screen the step expects, not a fixed sleep); after ``timeout`` seconds it stops
with a sentence naming the step and what was missing, having clicked nothing blind.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grounding.coords import Point, Space, image_to_logical
from grounding.elements import Screen
from grounding.locate import NotFound
from grounding.template import element_at
from planner.actions import Action, Click, Done, Drag, Fail, Key, Scroll, TypeText, Wait
from planner.demos import Demo, DemoStep, render
from planner.protocols import Decision, Observation, Outcome
from planner.secrets import field_is_secret
from planner.targets import Found, Target, find_target


@dataclass
class ReplayAgent:
    """Replays ``demo`` with parameter ``values``; waits up to ``timeout`` seconds for each step's target."""

    demo: Demo
    values: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    poll: float = 0.2
    _next: int = 0
    _waiting_since: float | None = None
    _pending: deque[Decision] = field(default_factory=deque)
    _crops: dict[str, np.ndarray | None] = field(default_factory=dict)
    _into_secret: bool = False  # the last click landed on a password field: what is typed next is secret
    _typed: set[str] = field(default_factory=set)

    @property
    def secrets(self) -> set[str]:
        """Passwords typed on replay (recorded as such, or typed into a field planner.secrets calls secret on the
        live screen): the trajectory masks them."""
        return self.demo.secrets(self.values) | self._typed

    @property
    def meter(self) -> None:
        """A replay uses no model."""
        return None

    @property
    def answer(self) -> str:
        return ""

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """A replayed step that could not be carried out ends the replay."""
        return False

    def wants_screen(self) -> bool:
        return not self._pending and self._next < len(self.demo.steps) \
            and self.demo.steps[self._next].target is not None

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        if self._pending:
            return self._pending.popleft()
        if self._next >= len(self.demo.steps):
            return Decision(Done(summary=f"replayed the {len(self.demo.steps)} steps of {self.demo.name!r}"),
                            "every step of the demonstration was carried out")
        step = self.demo.steps[self._next]
        number = self._next + 1
        try:
            action, info = self._plan(step, observation, screen)
        except NotFound as exc:
            return self._wait_or_fail(step, number, str(exc))
        self._waiting_since = None
        self._next += 1
        info = {"demo_step": number, "recorded": step.describe(), "window": step.window, **info}
        return Decision(action, f"step {number}: {step.describe()}", info)

    def _wait_or_fail(self, step: DemoStep, number: int, reason: str) -> Decision:
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        waited = now - self._waiting_since
        info = {"demo_step": number, "recorded": step.describe(), "waited_s": round(waited, 2)}
        if waited >= self.timeout:
            window = f" in the window {step.window!r}" if step.window else ""
            return Decision(Fail(reason=f"Step {number} of {self.demo.name!r} ({step.describe()}) could not be "
                                        f"replayed: {reason}{window} after {self.timeout:g}s of waiting, so "
                                        "nothing was clicked; check that the application shows that screen."),
                            reason, info)
        return Decision(Wait(seconds=self.poll), f"waiting for the screen of step {number}: {reason}", info)

    def _plan(self, step: DemoStep, obs: Observation, screen: Screen | None) -> tuple[Action, dict[str, Any]]:
        match step.kind:
            case "type":
                text = render(step.text, self.values)
                secret = step.secret or self._into_secret
                self._typed |= {text} if secret else set()
                return TypeText(text=text, secret=secret), {}
            case "key":
                return Key(keys=step.keys), {}
        assert step.target is not None and screen is not None
        found = self._find(step.target, screen, obs)
        x, y = self._logical(found.x, found.y, obs)
        info = {"found": {"how": found.how, "box": found.box.to_list(), "score": round(found.score, 3),
                          **found.notes}}
        match step.kind:
            case "click":
                landed = element_at(screen, found.x, found.y)
                self._into_secret = field_is_secret(step.target) or field_is_secret(landed)
                return Click(x=x, y=y, button=step.button, count=step.count,
                             target=step.target.describe()), info
            case "scroll":
                return Scroll(x=x, y=y, dx=step.dx, dy=step.dy), info
        to_x, to_y = self._drop_point(step, found, screen, obs)
        return Drag(x=x, y=y, to_x=to_x, to_y=to_y, target=step.target.describe()), info

    def _find(self, target: Target, screen: Screen, obs: Observation) -> Found:
        return find_target(target, screen, obs.image, self._crop(target.crop))

    def _drop_point(self, step: DemoStep, start: Found, screen: Screen, obs: Observation) -> tuple[float, float]:
        """Where a drag ends: its own target if that can be found, else the recorded move scaled like the start."""
        if step.to_target is not None and step.to_target.words:
            end = self._find(step.to_target, screen, obs)
            return self._logical(end.x, end.y, obs)
        x0, y0, x1, y1 = step.target.box if step.target else (0, 0, 1, 1)
        ratio = start.box.height / max(y1 - y0, 1)
        sx, sy = self._logical(start.x, start.y, obs)
        return max(0.0, sx + (step.to_x - step.x) * ratio), max(0.0, sy + (step.to_y - step.y) * ratio)

    def _crop(self, name: str) -> np.ndarray | None:
        if not name:
            return None
        if name not in self._crops:
            path = self.demo.folder / name
            if path.exists():
                from PIL import Image

                self._crops[name] = np.asarray(Image.open(path).convert("RGB"))
            else:
                self._crops[name] = None
        return self._crops[name]

    @staticmethod
    def _logical(x: float, y: float, obs: Observation) -> tuple[float, float]:
        p = image_to_logical(Point(x, y, Space.IMAGE), obs.frame)
        return round(p.x), round(p.y)
