"""Fakes that satisfy the loop's protocols without inheriting: a scripted screen source and a recording executor."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

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
    """Records the actions; with a ``world`` (tests/ui_world.World) each also acts on it, as on a live screen."""

    actions: list[Action] = field(default_factory=list)
    fail_on: str = ""
    world: Any = None

    def execute(self, action: Action) -> Outcome:
        if self.fail_on and action.kind == self.fail_on:
            raise RuntimeError(f"executor broke on {action.kind}")
        self.actions.append(action)
        if self.world is not None:
            self.world.act(action)
        return Outcome(ok=True)


@dataclass
class FixedParser:
    screen: Screen

    def parse(self, image: np.ndarray) -> Screen:
        return self.screen


@dataclass
class RoleScript:
    """A scripted model for the hierarchical planner: answers by role (read from the system prompt), in order.

    Items are dicts (sent as JSON) or strings (sent as they are). The reflector says the action worked unless
    told otherwise. Used as the item of a loopback server's script: ``[script] * n``.
    """

    manager: list = field(default_factory=list)
    worker: list = field(default_factory=list)
    reflector: list = field(default_factory=list)
    programmer: list = field(default_factory=list)
    seen: list = field(default_factory=list)  # (role, user text) per request

    def __call__(self, body: dict) -> str:
        import json

        system = body["messages"][0]["content"]
        role = next(r for r in ("manager", "worker", "reflector", "programmer") if f"You are the {r}" in system
                    or f"You are the GUI {r}" in system)
        user = body["messages"][-1]["content"]
        text = user if isinstance(user, str) else next(p["text"] for p in user if p["type"] == "text")
        self.seen.append((role, text))
        queue = getattr(self, role)
        if not queue:
            if role == "reflector":
                return json.dumps({"changed": "the screen changed as intended", "success": True, "advice": ""})
            return f"the {role} script ran out"
        from models.fake import fill_ids

        item = queue.pop(0)
        return fill_ids(item if isinstance(item, str) else json.dumps(item), text)  # "#{Save}": the id of "Save"

    def prompts(self, role: str) -> list[str]:
        return [t for r, t in self.seen if r == role]


@dataclass
class RecordingDriver:
    """An input driver that writes down what it was asked to do (for DesktopExecutor without a display)."""

    calls: list = field(default_factory=list)

    def click(self, x: int, y: int, button: str = "left", count: int = 1, hold: tuple[str, ...] = ()) -> None:
        self.calls.append(("click", x, y, button, count, *([hold] if hold else [])))

    def move(self, x: int, y: int) -> None:
        self.calls.append(("move", x, y))

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None:
        self.calls.append(("drag", x, y, to_x, to_y))

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self.calls.append(("scroll", x, y, dx, dy))

    def type_text(self, text: str) -> None:
        if self.calls and self.calls[-1][0] == "type":
            self.calls[-1] = ("type", self.calls[-1][1] + text)
        else:
            self.calls.append(("type", text))

    def press(self, keys: tuple[str, ...]) -> None:
        self.calls.append(("key", "+".join(keys)))

    def close(self) -> None:
        pass
