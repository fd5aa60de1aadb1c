"""ReplayAgent: carries out a recorded demonstration on the current screen, one step at a time, in the Loop.

Each step's target is found again with evidence (planner/finding.py: its name and role, its neighbours and place
in the window, its crop), so a moved, resized or rescaled window does not matter, and a target that cannot be
told from another is never guessed. When the target is not there yet the agent waits a frame and looks again;
after ``timeout`` seconds it asks the person (when a ``chooser`` is given) or stops with a sentence naming the
step and what it saw instead. After each step its recorded effect is checked (planner/checks.py); the replay
stops at the first effect that does not hold, and says "done" only when every step's effect held.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from grounding.coords import Point, Space, image_to_logical
from grounding.elements import Box, Screen
from grounding.locate import NotFound
from grounding.template import element_at
from planner.actions import Action, Click, Done, Drag, Fail, Key, Scroll, TypeText, Wait
from planner.checks import check_effect
from planner.demos import Demo, DemoStep, render
from planner.finding import Candidate, Evidence, find_target
from planner.protocols import Decision, Observation, Outcome
from planner.secrets import field_is_secret
from planner.targets import Found, Target, load_png, point_in


@dataclass(frozen=True)
class Question:
    """What a replay asks the person when it cannot find a step's target surely: the step, why, and what it saw
    (boxes in the image pixels of ``image``)."""

    step: int
    recorded: str
    reason: str
    candidates: tuple[Candidate, ...]
    image: np.ndarray | None = None


class TargetChooser(Protocol):
    """Whoever may answer a replay's question (the terminal with --ask, the app's dialog)."""

    def choose(self, question: Question) -> int | None:
        """The index of the candidate the step meant, or None to stop the replay there."""
        ...


@dataclass
class _Pending:
    """A step carried out whose effect is still to be seen."""

    number: int
    step: DemoStep
    before: np.ndarray
    acted_on: Box | None


@dataclass
class ReplayAgent:
    """Replays ``demo`` with parameter ``values``; waits up to ``timeout`` seconds for each step's target and for
    its effect; asks ``chooser`` (if any) instead of stopping when a target cannot be found surely."""

    demo: Demo
    values: dict[str, str] = field(default_factory=dict)
    timeout: float = 10.0
    poll: float = 0.2
    chooser: TargetChooser | None = None
    _next: int = 0
    _waiting_since: float | None = None
    _crops: dict[str, np.ndarray | None] = field(default_factory=dict)
    _into_secret: bool = False  # the last click landed on a password field: what is typed next is secret
    _typed: set[str] = field(default_factory=set)
    _check: _Pending | None = None
    _acted_on: Box | None = None  # the box of the last element clicked (what typing goes into)
    _checked: int = 0

    @property
    def secrets(self) -> set[str]:
        """Passwords typed on replay (recorded as such, or typed into a field planner.secrets calls secret on the
        live screen): the trajectory masks them."""
        return self.demo.secrets(self.values) | self._typed

    @property
    def _from_a_run(self) -> bool:
        """Whether the demo was made from a run's trajectory (a model's steps), not recorded by the person."""
        return str(self.demo.meta.get("source", "")).startswith("run:")

    @property
    def meter(self) -> None:
        """A replay uses no model."""
        return None

    @property
    def answer(self) -> str:
        """A replay answers nothing."""
        return ""

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """A replayed step that could not be carried out ends the replay."""
        return False

    def wants_screen(self) -> bool:
        """A parsed screen is needed to check the last step's effect or to find the next step's target."""
        if self._check is not None:
            effect = self._check.step.effect
            return effect is not None and (effect.kind != "screen" or bool(effect.appeared or effect.gone))
        return self._next < len(self.demo.steps) and self.demo.steps[self._next].target is not None

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        """Check the last step's effect, then take the next step (or wait, ask, stop, or say done)."""
        checked: dict[str, Any] = {}
        if self._check is not None:
            verdict = self._verify(observation, screen)
            if isinstance(verdict, Decision):
                return verdict
            checked = verdict
        if self._next >= len(self.demo.steps):
            return Decision(Done(summary=self._summary()), "every step was carried out and its effect held",
                            {"checked": checked} if checked else {})
        step, number = self.demo.steps[self._next], self._next + 1
        try:
            action, info = self._plan(step, observation, screen)
        except NotFound as exc:
            return self._wait_ask_or_fail(step, number, exc, observation, screen, checked)
        return self._taken(step, number, action, info, observation, checked)

    def _taken(self, step: DemoStep, number: int, action: Action, info: dict[str, Any], obs: Observation,
               checked: dict[str, Any]) -> Decision:
        self._waiting_since = None
        self._next += 1
        acted = Box(*info["grounding"]["box"]) if "grounding" in info else self._acted_on
        if step.kind == "click":
            self._acted_on = acted
        if step.effect is not None:
            self._check = _Pending(number, step, obs.image, acted)
        info = {"demo_step": number, "recorded": step.describe(), "window": step.window, **info}
        if step.effect is not None:
            info["expects"] = step.effect.describe(step.into or step.target, self.values)
        if checked:
            info["checked"] = checked
        return Decision(action, f"step {number}: {step.describe()}", info)

    def _summary(self) -> str:
        n, k = len(self.demo.steps), self._checked
        rest = f"; {n - k} had no visible effect to check" if k < n else ""
        return f"replayed the {n} steps of {self.demo.name!r}; every recorded effect held ({k} checked{rest})"

    # -- the effect of the step just taken
    def _verify(self, obs: Observation, screen: Screen | None) -> Decision | dict[str, Any]:
        pending = self._check
        assert pending is not None
        result = check_effect(pending.step, self.values, screen, pending.before, obs.image, pending.acted_on)
        report = {"step": pending.number, "held": result.held, "detail": result.detail, **result.evidence}
        if result.held:
            self._check, self._waiting_since = None, None
            self._checked += 1
            return report
        waited = self._waited()
        info = {"demo_step": pending.number, "checked": report, "waited_s": round(waited, 2)}
        if waited < self.timeout:
            return Decision(Wait(seconds=self.poll), f"waiting for the effect of step {pending.number}", info)
        step = pending.step
        expected = step.effect.describe(step.into or step.target, self.values) if step.effect else ""
        return Decision(Fail(reason=f"Step {pending.number} of {self.demo.name!r} ({step.describe()}) did not have "
                                    f"its recorded effect ({expected}): {result.detail}, after {self.timeout:g}s; "
                                    "the replay stopped there and no later step was carried out."),
                        result.detail, info)

    def _waited(self) -> float:
        now = time.monotonic()
        if self._waiting_since is None:
            self._waiting_since = now
        return now - self._waiting_since

    # -- finding the next step's target
    def _wait_ask_or_fail(self, step: DemoStep, number: int, exc: NotFound, obs: Observation, screen: Screen | None,
                          checked: dict[str, Any]) -> Decision:
        waited = self._waited()
        seen = list(getattr(exc, "seen", []))
        grounding = {"source": "replay", "how": "none", "reason": str(exc), "candidates": [c.to_json() for c in seen]}
        info: dict[str, Any] = {"demo_step": number, "recorded": step.describe(), "waited_s": round(waited, 2),
                                "grounding": grounding, **({"checked": checked} if checked else {})}
        if waited < self.timeout:
            return Decision(Wait(seconds=self.poll), f"waiting for the screen of step {number}: {exc}", info)
        chosen = self._ask(step, number, str(exc), seen, obs)
        if chosen is not None and screen is not None:
            action, found_info = self._act(step, chosen, obs, screen)
            return self._taken(step, number, action, found_info, obs, checked)
        window = f" in the window {step.window!r}" if step.window else ""
        asked = " The person chose none of what was seen." if self.chooser is not None and seen else ""
        return Decision(Fail(reason=f"Step {number} of {self.demo.name!r} ({step.describe()}{window}) could not be "
                                    f"replayed after {self.timeout:g}s of waiting: {exc}.{asked} Nothing was clicked; "
                                    "check that the application shows that screen."), str(exc), info)

    def _ask(self, step: DemoStep, number: int, reason: str, seen: list[Candidate], obs: Observation) -> Found | None:
        """The person's pick among what was seen, as a found target (None: nobody to ask, or they said stop)."""
        picks = [c for c in seen if c.box.area > 0]
        if self.chooser is None or not picks or step.target is None:
            return None
        index = self.chooser.choose(Question(number, step.describe(), reason, tuple(picks), obs.image))
        if index is None or not 0 <= index < len(picks):
            return None
        pick = picks[index]
        x, y = point_in(pick.box, step.target)
        return Found(pick.box, x, y, "person", pick.score, {"candidates": [c.to_json() for c in picks]}, pick.element)

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
        return self._act(step, self._find(step.target, screen, obs), obs, screen)

    def _act(self, step: DemoStep, found: Found, obs: Observation, screen: Screen) -> tuple[Action, dict[str, Any]]:
        assert step.target is not None
        x, y = self._logical(found.x, found.y, obs)
        info: dict[str, Any] = {"grounding": Evidence.of(found).to_json()}
        match step.kind:
            case "click":
                landed = found.element or element_at(screen, found.x, found.y)
                self._into_secret = field_is_secret(step.target) or field_is_secret(landed)
                # the control it lands on tells the policy what the click does; a step the person recorded
                # themselves says their own act ('click the "Delete note" button'), one of a model's run
                # (planner/run_to_demo.py) does not
                said = "" if self._from_a_run else step.describe()
                return Click(x=x, y=y, button=step.button, count=step.count, target=step.target.describe(),
                             name=landed.name if landed else "", role=landed.role if landed else "",
                             command=said), info
            case "scroll":
                return Scroll(x=x, y=y, dx=step.dx, dy=step.dy), info
        to_x, to_y = self._drop_point(step, found, screen, obs)
        return Drag(x=x, y=y, to_x=to_x, to_y=to_y, target=step.target.describe()), info

    def _find(self, target: Target, screen: Screen, obs: Observation) -> Found:
        return find_target(target, screen, obs.image, self._crop(target.crop))

    def _drop_point(self, step: DemoStep, start: Found, screen: Screen, obs: Observation) -> tuple[float, float]:
        """Where a drag ends: its own target if that can be found, else the recorded move scaled like the start."""
        if step.to_target is not None and (step.to_target.name or step.to_target.neighbours):
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
            self._crops[name] = load_png(path) if path.exists() else None
        return self._crops[name]

    @staticmethod
    def _logical(x: float, y: float, obs: Observation) -> tuple[float, float]:
        p = image_to_logical(Point(x, y, Space.IMAGE), obs.frame)
        return round(p.x), round(p.y)
