"""An engine for the app's offscreen tests: the real Loop, Gate, trajectory and executor (code really runs), a
scripted chat model deciding, a still screen to look at, and an input driver that records instead of sending."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace

import numpy as np

from app.engine.compose import Parts, compose
from app.engine.executor import DesktopExecutor
from app.qt.engine import EngineCall
from grounding.elements import Screen
from models.chat import Message
from models.fake import ScriptedModel
from planner.actions import from_json
from planner.events import Events
from planner.loop import RunResult
from planner.policy import PolicySettings
from planner.protocols import Decision, Observation
from tests.fakes import FixedParser, StillScreen


@dataclass
class ScriptedAgent:
    """Asks the scripted model for each step; its answer is JSON {"thought": ..., "action": {...}}."""

    model: ScriptedModel
    secrets: set = field(default_factory=set)
    answer: str = ""

    @property
    def meter(self):
        return self.model.meter

    def wants_screen(self) -> bool:
        return False

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        reply = json.loads(self.model.complete([Message("user", "next step?")]).text)
        info = {"grounding": {"box": reply["box"]}} if "box" in reply else {}
        return Decision(from_json(reply["action"]), reply.get("thought", ""), info)

    def feedback(self, action, outcome, changed) -> bool:
        """Denied or failed actions go back to the model; the script goes on."""
        return True


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
    answer: str = ""  # what the agent tells the person at the end
    screen: Screen = field(default_factory=lambda: Screen(320, 200, ()))  # what the parser reads on the image

    def __call__(self, call: EngineCall, on_event: Events) -> RunResult:
        self.calls.append(call)
        model = ScriptedModel(list(self.answers))
        model.meter.price_in, model.meter.price_out = 3.0, 15.0
        parts = Parts(source=StillScreen(self.image), parser=FixedParser(self.screen),
                      executor=DesktopExecutor(self.driver, workdir=call.options.workdir, control=call.control),
                      approver=call.approver, control=call.control, policy=PolicySettings(code="ask"),
                      agent=ScriptedAgent(model, answer=self.answer))
        return compose(replace(call.options, max_steps=10, settle_timeout=0.05), on_event, parts).run()


@dataclass
class SlowDriver(RecordingDriver):
    """Types at a person's pace (``delay`` seconds a chunk), so a stop lands mid-way."""

    delay: float = 0.05

    def type_text(self, text):
        import time

        time.sleep(self.delay)
        super().type_text(text)


def _desk(call: EngineCall, image: np.ndarray, driver: RecordingDriver) -> Parts:
    """A still screen, an empty parse and a recording driver; the app's approver and control."""
    return Parts(source=StillScreen(image), parser=FixedParser(Screen(320, 200, ())),
                 executor=DesktopExecutor(driver, workdir=call.options.workdir, control=call.control),
                 approver=call.approver, control=call.control, policy=PolicySettings(code="ask"))


@dataclass
class DirectEngine:
    """The real direct-command interpreter through compose (no model), as a run without one goes."""

    image: np.ndarray = field(default_factory=lambda: np.full((200, 320, 3), 240, np.uint8))
    driver: RecordingDriver = field(default_factory=RecordingDriver)

    def __call__(self, call: EngineCall, on_event: Events) -> RunResult:
        parts = _desk(call, self.image, self.driver)
        return compose(replace(call.options, agent="direct", settle_timeout=0.05), on_event, parts).run()


@dataclass
class PlannerEngine:
    """The real hierarchical planner through compose, with the chat model the app chose when the run started."""

    image: np.ndarray = field(default_factory=lambda: np.full((200, 320, 3), 240, np.uint8))
    driver: RecordingDriver = field(default_factory=RecordingDriver)
    before: list = field(default_factory=list)  # events sent first (a plan, as the manager would announce it)

    def __call__(self, call: EngineCall, on_event: Events) -> RunResult:
        for event in self.before:
            on_event(event)
        parts = replace(_desk(call, self.image, self.driver), model=call.choice.model, examples="")
        return compose(replace(call.options, settle_timeout=0.05), on_event, parts).run()


def planner_choice(model) -> tuple:
    """What RunController's agent chooser returns for the planner with ``model``."""
    from app.engine.agents import AgentChoice

    return AgentChoice(mode="planner", model=model, line="scripted planner"), False
