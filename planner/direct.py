"""CommandAgent: carries out a direct command, the offline default when no language model is configured.

The command is read once by the grammar (planner/language) into typed intents; each is grounded on the live
screen only when its turn comes (planner/doing), and what it cannot find yet is waited for a few frames.
Follow-ups (an opened dropdown, a slider still moving, something still being looked for) run after the next look.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from grounding.elements import Screen
from grounding.locate import NotFound
from grounding.more_widgets import augment
from grounding.router import Router
from planner.actions import Action, Done, Fail, Wait
from planner.doing import Memory, Situation, Step, plan
from planner.language import intents as it
from planner.language import parse
from planner.protocols import Decision, Observation, Outcome
from planner.secrets import marked_secrets, typed_is_secret


@dataclass
class CommandAgent:
    """Turns intents into actions one step at a time; waits a few frames for targets that are not there yet."""

    todo: deque
    instruction: str = ""
    patience: int = 8
    retry_wait: float = 0.25
    router: Router = field(default_factory=Router)
    memory: Memory = field(default_factory=Memory)
    _pending: deque[Step] = field(default_factory=deque)
    _misses: int = 0

    @property
    def secrets(self) -> set[str]:
        """Secret text (planner.secrets' rule): what the task marks or a clause calls a password, known from the
        start, and what went into password fields; the trajectory and the events mask it wherever it would appear."""
        marked = marked_secrets(self.instruction)
        said = {i.text for i in self.todo if isinstance(i, it.TypeInto) and typed_is_secret(
            label=i.into.label if i.into else i.hint, clause=i.said, text=i.text, marked=marked)}
        return said | marked | self.memory.secrets

    @property
    def meter(self) -> None:
        """The interpreter uses no model."""
        return None

    @property
    def answer(self) -> str:
        return ""

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """A direct command that could not be carried out ends the run with the executor's sentence."""
        return False

    @classmethod
    def from_instruction(cls, instruction: str, **kwargs: object) -> CommandAgent:
        """An agent for ``instruction``; LanguageError (one sentence) when it cannot be read."""
        return cls(deque(parse(instruction)), instruction, **kwargs)

    def wants_screen(self) -> bool:
        return not self._pending

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        if self._pending:
            action, why = self._pending.popleft()
            return Decision(action, why)
        if screen is not None:
            screen = augment(screen)  # sliders and tree items the pixel parser does not report yet
        while self.todo:
            item = self.todo[0]
            assert screen is not None
            situation = Situation(observation, screen, self.router, self.instruction, self.memory)
            try:
                planned = plan(item, situation)
            except NotFound as exc:
                return self._missed(item, str(exc))
            self._misses = 0
            self.todo.popleft()
            self.todo.extendleft(reversed(planned.then))
            info = {"intent": _said(item)}
            if situation.groundings:
                info["grounding"] = situation.groundings[-1]
                if len(situation.groundings) > 1:
                    info["groundings"] = situation.groundings
            if planned.steps:
                (first, why), rest = planned.steps[0], planned.steps[1:]
                self._pending.extend(rest)
                return Decision(first, why, info)
            if planned.then:
                return Decision(Wait(seconds=self.retry_wait), "look again", info)
        return Decision(Done(summary="all commands carried out"), "nothing left to do")

    def _missed(self, item: object, reason: str) -> Decision:
        self._misses += 1
        patience = self.patience * 5 if isinstance(item, it.WaitFor) else self.patience
        said = _said(item)
        if self._misses > patience:
            return Decision(Fail(reason=f"{reason[0].upper()}{reason[1:]} (while doing {said!r})."), reason,
                            {"intent": said})
        return Decision(Wait(seconds=self.retry_wait), f"waiting for the screen: {reason}",
                        {"intent": said, "retry": self._misses})


def _said(item: object) -> str:
    said = getattr(item, "said", "")
    if not said and hasattr(item, "find"):
        said = item.find.said
    return said or (item.brief() if hasattr(item, "brief") else type(item).__name__)
