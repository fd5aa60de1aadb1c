"""CommandAgent: carries out parsed direct commands, grounding each target on the live screen when it runs."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from grounding.coords import Point, Space, image_to_logical
from grounding.elements import Box, Element, Screen
from grounding.locate import Match, NotFound, Query, locate_all, parse_description, text_score
from grounding.router import Router
from planner.actions import Action, Click, Done, Fail, Key, Move, Scroll, TypeText, Wait
from planner.commands import CommandError, Intent, parse
from planner.loop import Loop, RunResult
from planner.protocols import Decision, Observation
from planner.trajectory import Trajectory


@dataclass
class CommandAgent:
    """Turns intents into actions one step at a time; waits a few frames for targets that are not there yet."""

    intents: deque[Intent]
    instruction: str = ""
    patience: int = 8
    retry_wait: float = 0.25
    _pending: deque[tuple[Action, str]] = field(default_factory=deque)
    _misses: int = 0
    _list_box: Box | None = None
    router: Router = field(default_factory=Router)
    _grounding: dict | None = None

    @property
    def secrets(self) -> set[str]:
        """Text typed into password fields: the trajectory masks it wherever it would appear."""
        return {i.text for i in self.intents if i.verb == "type" and "password" in i.source.lower() and i.text}

    @classmethod
    def from_instruction(cls, instruction: str, **kwargs: object) -> CommandAgent:
        return cls(deque(parse(instruction)), instruction, **kwargs)

    def wants_screen(self) -> bool:
        return not self._pending

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        if self._pending:
            action, why = self._pending.popleft()
            return Decision(action, why)
        if not self.intents:
            return Decision(Done(summary="all commands carried out"), "nothing left to do")
        intent = self.intents[0]
        try:
            planned = self._plan(intent, observation, screen)
        except NotFound as exc:
            return self._missed(intent, str(exc))
        self._misses = 0
        self.intents.popleft()
        if not planned:
            return self.decide(observation, screen)
        first, why = planned[0]
        self._pending.extend(planned[1:])
        info = {"intent": intent.source}
        if self._grounding:
            info["grounding"], self._grounding = self._grounding, None
        return Decision(first, why, info)

    def _ground(self, target: str | Query, screen: Screen) -> Match:
        """The Mixture of Grounding's choice; its explanation goes into the step's trajectory entry."""
        g = self.router.ground(target, screen, echo=self.instruction)
        self._grounding = g.to_json()
        return g.match

    def _ground_all(self, q: Query, target: str, screen: Screen) -> list[Match]:
        if not q.every:
            return [self._ground(q, screen)]
        matches = self.router.all(q, screen, echo=self.instruction)
        if not matches:
            raise NotFound(f"nothing on the screen matches {target!r}")
        return matches

    def _missed(self, intent: Intent, reason: str) -> Decision:
        self._misses += 1
        if self._misses > self.patience:
            return Decision(
                Fail(reason=f"{reason[0].upper()}{reason[1:]} (while doing {intent.source!r})."),
                reason,
                {"intent": intent.source},
            )
        return Decision(
            Wait(seconds=self.retry_wait),
            f"waiting for the screen: {reason}",
            {"intent": intent.source, "retry": self._misses},
        )

    def _plan(self, intent: Intent, obs: Observation, screen: Screen | None) -> list[tuple[Action, str]]:
        assert screen is not None
        match intent.verb:
            case "key":
                return [(Key(keys=intent.keys), f"press {'+'.join(intent.keys)}")]
            case "wait":
                return [(Wait(seconds=intent.amount), intent.source)]
            case "scroll":
                return [(self._scroll(intent, obs), intent.source)]
            case "hover":
                m = self._ground(intent.target, screen)
                x, y = self._point(m.element, obs)
                return [(Move(x=x, y=y, target=intent.target), _why(m))]
            case "type":
                return self._type(intent, obs, screen)
            case "select" | "uncheck":
                return self._select(intent, obs, screen)
            case "close":
                m = self._ground(Query(role="close"), screen)
                return [(self._click(m, obs, "the close button"), _why(m))]
            case _:
                q = parse_description(intent.target)
                matches = self._ground_all(q, intent.target, screen)
                return [(self._click(m, obs, intent.target, intent.button, intent.count), _why(m)) for m in matches]

    def _type(self, intent: Intent, obs: Observation, screen: Screen) -> list[tuple[Action, str]]:
        if not intent.target:
            return [(TypeText(text=intent.text), "type where the focus is")]
        q = parse_description(intent.target)
        if not q.role and not q.label:
            q = Query(role="text_field")
        elif q.label and not q.role:
            q = Query(label=q.label, role="text_field", ordinal=q.ordinal, every=q.every)
        matches = self._ground_all(q, intent.target, screen)
        steps: list[tuple[Action, str]] = []
        for m in matches:
            secret = "password" in m.element.states or any("password" in t.lower()
                                                            for t in (intent.source, m.element.name))
            steps.append((self._click(m, obs, intent.target), _why(m)))
            steps.append((Key(keys=("ctrl", "a")), "select what the field holds, to replace it"))
            steps.append((TypeText(text=intent.text, secret=secret), f"type into {intent.target}"))
        return steps

    def _select(self, intent: Intent, obs: Observation, screen: Screen) -> list[tuple[Action, str]]:
        if intent.from_list:
            return self._choose_from_list(intent, obs, screen)
        want = intent.verb == "select"
        q = parse_description(intent.target)
        toggles = [
            m
            for m in locate_all(Query(label=q.label or intent.target, role="checkbox"), screen, echo=self.instruction)
            if m.element.role in ("checkbox", "radio")
        ]
        if toggles:
            m = toggles[0]
            if m.element.checked == want:
                return []
            return [(self._click(m, obs, intent.target), _why(m))]
        m = self._ground(q, screen)
        return [(self._click(m, obs, intent.target), _why(m))]

    def _choose_from_list(self, intent: Intent, obs: Observation, screen: Screen) -> list[tuple[Action, str]]:
        """Open the list, then pick the option by its text; if it cannot be seen, type it and press Enter."""
        if self._list_box is None:
            q = parse_description(intent.text or "list")
            m = self._ground(Query(label=q.label, role="dropdown") if q.label else Query(role="dropdown"), screen)
            if text_score(intent.target, m.element.value) >= 0.97:
                return []
            self._list_box = m.element.box
            self.intents.appendleft(intent)
            return [(self._click(m, obs, "the list"), _why(m))]
        opened, self._list_box = self._list_box, None
        options = [
            m
            for m in locate_all(Query(label=intent.target), screen, exclude=(opened,), echo=self.instruction)
            if m.element.box.y0 >= opened.y0 - 2 or m.element.box.y1 <= opened.y0
        ]
        if options:
            return [(self._click(options[0], obs, intent.target), _why(options[0]))]
        return [
            (TypeText(text=intent.target), "the option is not in view: type its name"),
            (Key(keys=("enter",)), "confirm the option"),
        ]

    def _scroll(self, intent: Intent, obs: Observation) -> Scroll:
        x, y = self._image_to_screen(obs.frame.width / 2, obs.frame.height / 2, obs)
        n = int(intent.amount)
        dx, dy = {"up": (0, n), "down": (0, -n), "left": (-n, 0), "right": (n, 0)}[intent.text]
        return Scroll(x=x, y=y, dx=dx, dy=dy)

    def _click(self, m: Match, obs: Observation, target: str, button: str = "left", count: int = 1) -> Click:
        x, y = self._point(m.element, obs)
        return Click(x=x, y=y, button=button, count=count, target=target)

    def _point(self, el: Element, obs: Observation) -> tuple[float, float]:
        return self._image_to_screen(*el.box.center, obs)

    @staticmethod
    def _image_to_screen(x: float, y: float, obs: Observation) -> tuple[float, float]:
        p = image_to_logical(Point(x, y, Space.IMAGE), obs.frame)
        return round(p.x), round(p.y)


def _why(m: Match) -> str:
    return f"{m.reason} at {m.element.box.to_list()} (score {m.score:.2f})"


def run_command(loop: Loop, instruction: str, trajectory: Trajectory, router: Router | None = None) -> RunResult:
    """Carry out a direct command; one the interpreter cannot read fails with its sentence, trajectory kept."""
    try:
        agent = CommandAgent.from_instruction(instruction, **({"router": router} if router else {}))
    except CommandError as exc:
        trajectory.finish("failed", str(exc))
        return RunResult("failed", str(exc), 0, str(trajectory.folder))
    return loop.run(agent, trajectory)
