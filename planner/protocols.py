"""The seams between the agent and the world, one small Protocol each; fakes satisfy them without inheriting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from grounding.coords import Frame
from grounding.elements import Screen
from models.chat import Meter
from planner.actions import Action


@dataclass(frozen=True)
class Observation:
    """A captured screen: the RGB image and where it sits on the desktop."""

    image: np.ndarray
    frame: Frame
    timestamp: float = 0.0


@dataclass(frozen=True)
class Outcome:
    """What executing an action did: ``ok`` False with ``error`` when it could not be carried out."""

    ok: bool = True
    output: str = ""
    error: str = ""


@dataclass(frozen=True)
class Decision:
    """The agent's choice for one step: an action, the text explaining it, and details for the trajectory."""

    action: Action
    response: str = ""
    info: dict[str, Any] = field(default_factory=dict)


class ScreenSource(Protocol):
    def capture(self) -> Observation: ...


class Executor(Protocol):
    def execute(self, action: Action) -> Outcome: ...


class Parser(Protocol):
    def parse(self, image: np.ndarray) -> Screen: ...


class Agent(Protocol):
    """Decides one action per step from the latest observation (and its parse, when it asked for one).

    ``secrets`` are texts never to be written anywhere (passwords it typed, or will type); ``meter`` counts the
    tokens and cost of its model (None without a model); ``answer`` is what it has to tell the person at the end
    ("" when the task asked for no answer).
    """

    @property
    def secrets(self) -> set[str]: ...

    @property
    def meter(self) -> Meter | None: ...

    @property
    def answer(self) -> str: ...

    def wants_screen(self) -> bool: ...

    def decide(self, observation: Observation, screen: Screen | None) -> Decision: ...

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """Hear how an action went (``changed``: whether the screen changed after it, None when not measured);
        return True when the agent goes on after a failed action (it will try something else), False when the
        failure ends the run."""
        ...
