"""An engine for the app's offscreen tests: the real Loop, Gate, trajectory and executor (code really runs), a
scripted chat model deciding, a still screen to look at, and an input driver that records instead of sending."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np

from app.engine.executor import DesktopExecutor
from app.qt.engine import EngineCall
from grounding.elements import Screen
from models.chat import Message
from models.fake import ScriptedModel
from planner.actions import from_json
from planner.loop import Events, Loop, RunResult
from planner.policy import Gate, Policy, PolicySettings
from planner.protocols import Decision, Observation
from planner.trajectory import Trajectory
from tests.fakes import FixedParser, StillScreen


@dataclass
class ScriptedAgent:
    """Asks the scripted model for each step; its answer is JSON {"thought": ..., "action": {...}}."""

    model: ScriptedModel

    @property
    def meter(self):
        return self.model.meter

    def wants_screen(self) -> bool:
        return False

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        reply = json.loads(self.model.complete([Message("user", "next step?")]).text)
        info = {"grounding": {"box": reply["box"]}} if "box" in reply else {}
        return Decision(from_json(reply["action"]), reply.get("thought", ""), info)

    def feedback(self, action, outcome, info) -> None:
        """Denied or failed actions go back to the model; the script goes on."""


@dataclass
class RecordingDriver:
    typed: list[str] = field(default_factory=list)
    clicks: list[tuple[int, int]] = field(default_factory=list)

    def click(self, x, y, button="left", count=1, hold=()):
        self.clicks.append((x, y))

    def move(self, x, y):
        pass

    def drag(self, x, y, to_x, to_y):
        pass

    def scroll(self, x, y, dx, dy):
        pass

    def type_text(self, text):
        self.typed.append(text)

    def press(self, keys):
        pass

    def close(self):
        pass


def step(action: dict, thought: str = "", box: list | None = None) -> str:
    return json.dumps({"action": action, "thought": thought, **({"box": box} if box else {})})


@dataclass
class FakeEngine:
    """Satisfies the app's Engine: ``engine(call, on_event) -> RunResult``; code actions ask for approval."""

    answers: list[str]
    image: np.ndarray = field(default_factory=lambda: np.full((200, 320, 3), 240, np.uint8))
    driver: RecordingDriver = field(default_factory=RecordingDriver)
    calls: list[EngineCall] = field(default_factory=list)

    def __call__(self, call: EngineCall, on_event: Events) -> RunResult:
        self.calls.append(call)
        executor = DesktopExecutor(self.driver, control=call.control)
        gate = Gate(Policy(PolicySettings(code="ask")), call.approver)
        loop = Loop(StillScreen(self.image), executor, FixedParser(Screen(320, 200, ())), max_steps=10,
                    settle_timeout=0.05, on_event=on_event, gate=gate, control=call.control)
        trajectory = Trajectory.create(call.options.out, call.options.task)
        model = ScriptedModel(list(self.answers))
        model.meter.price_in, model.meter.price_out = 3.0, 15.0
        return loop.run(ScriptedAgent(model), trajectory)
