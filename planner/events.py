"""The typed events of a run, one frozen class per kind: the CLI's progress lines, the app's signals and the
tests all read these (never a dict by string key)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grounding.coords import Frame
from planner.trajectory import StepRecord, Usage


@dataclass(frozen=True, kw_only=True)
class Decided:
    """The agent chose an action; it has not run yet (the app draws where it aims)."""

    step: int
    action: dict[str, Any]
    text: str
    thought: str = ""
    image: np.ndarray | None = field(default=None, repr=False, compare=False)
    frame: Frame | None = None
    grounding: dict[str, Any] | None = None
    agent: str = ""  # which role decided: "worker", "manager", "programmer", "direct", "replay", "native" ...


@dataclass(frozen=True, kw_only=True)
class Stepped:
    """A step ran and was written to the trajectory."""

    record: StepRecord
    text: str


@dataclass(frozen=True, kw_only=True)
class Planned:
    """The planner's manager (re)planned: the subtasks ahead and the one being worked on."""

    subtasks: tuple[str, ...]
    current: str = ""
    thought: str = ""


@dataclass(frozen=True, kw_only=True)
class Called:
    """A model call ended (answered or not): the run's tokens and cost so far, counted from its first call."""

    calls: int
    usage: Usage
    seconds: float = 0.0
    error: str = ""  # the call failed: what went wrong, in one sentence


@dataclass(frozen=True, kw_only=True)
class Finished:
    """The run is over; its trajectory is complete."""

    status: str  # done | failed | max_steps | timeout | stopped | budget | error
    message: str
    folder: str
    steps: int = 0
    usage: Usage | None = None
    answer: str = ""  # the agent's answer for the person, when the task asked a question
    image: np.ndarray | None = field(default=None, repr=False, compare=False)  # the screen as the run left it
    at: float = field(default_factory=time.monotonic)  # when the run ended (the stop latency is measured to it)


Event = Decided | Stepped | Planned | Called | Finished
Events = Callable[[Event], None]


def ignore(event: Event) -> None:
    """The default listener: nobody is watching."""
