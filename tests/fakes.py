"""Fakes that satisfy the loop's protocols without inheriting: a scripted screen source and a recording executor."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grounding.coords import Frame
from grounding.elements import Screen
from planner.actions import Action
from planner.protocols import Observation, Outcome


@dataclass
class StillScreen:
    """Always shows the same image; ``changes`` makes every capture after an action differ (a live screen)."""

    image: np.ndarray = field(default_factory=lambda: np.full((120, 160, 3), 255, np.uint8))
    changes: bool = True
    captures: int = 0

    def capture(self) -> Observation:
        self.captures += 1
        img = self.image.copy()
        if self.changes:
            img[0, 0] = self.captures % 255
        return Observation(img, Frame(0, 0, img.shape[1], img.shape[0]))


@dataclass
class RecordingExecutor:
    actions: list[Action] = field(default_factory=list)
    fail_on: str = ""

    def execute(self, action: Action) -> Outcome:
        if self.fail_on and action.kind == self.fail_on:
            raise RuntimeError(f"executor broke on {action.kind}")
        self.actions.append(action)
        return Outcome(ok=True)


@dataclass
class FixedParser:
    screen: Screen

    def parse(self, image: np.ndarray) -> Screen:
        return self.screen
