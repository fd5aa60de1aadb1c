"""The seams between the agent and the world, one small Protocol each; fakes satisfy them without inheriting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from grounding.coords import Frame
from grounding.elements import Screen
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

    Optional: ``feedback(action, outcome, info)`` hears every outcome (an agent with it recovers from failed or
    denied actions itself; without it a failed action ends the run) and ``meter`` (models.chat.Meter) reports
    tokens and cost into each step.
    """

    def wants_screen(self) -> bool: ...

    def decide(self, observation: Observation, screen: Screen | None) -> Decision: ...
