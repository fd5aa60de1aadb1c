"""The engine off the GUI thread: one run on a worker thread, its loop events turned into Qt signals.

``run_engine`` is the app's only call into the engine, so what the engine needs next (a chat model for the
planner) is passed in one place.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:  # the engine's modules load with the first run, not at start-up
    from app.engine.options import RunOptions
    from planner.control import RunControl
    from planner.events import Event, Events
    from planner.loop import RunResult
    from planner.policy import Approver
    from planner.protocols import Parser, ScreenSource


@dataclass
class EngineCall:
    """Everything one run needs besides its event callback."""

    options: RunOptions
    approver: Approver
    control: RunControl
    source: ScreenSource | None = None
    parser: Parser | None = None
    choice: Any = None  # app.engine.agents.AgentChoice made when the run started; None: chosen here


Engine = Callable[[EngineCall, "Events"], "RunResult"]


def run_engine(call: EngineCall, on_event: Events) -> RunResult:
    """Run one task with the real engine and the agent the config chooses (the same settings the CLI reads): the
    hierarchical planner when a model is configured, a native computer-use model with [agent] mode = "native",
    the direct-command interpreter otherwise."""
    from app.engine.agents import choose_agent
    from app.engine.compose import Parts, compose

    choice = call.choice or choose_agent()
    parts = Parts(approver=call.approver, control=call.control, source=call.source, parser=call.parser,
                  model=choice.model, native=choice.native)
    return compose(call.options, on_event, parts).run()


CLOSING = 10.0  # seconds a new run waits for the last one's thread to close what it started


class EngineRunner(QObject):
    """Runs an ``Engine`` on a daemon thread; every loop event arrives on the GUI thread as a signal."""

    decided = Signal(object)  # planner.events.Decided
    stepped = Signal(object)  # planner.events.Stepped
    planned = Signal(object)  # planner.events.Planned
    called = Signal(object)  # planner.events.Called
    finished = Signal(object)  # planner.events.Finished
    failed = Signal(str)

    def __init__(self, engine: Engine = run_engine, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine = engine
        self.thread: threading.Thread | None = None
        self._over = threading.Event()  # the run said how it ended; its thread may still be closing what it used

    @property
    def busy(self) -> bool:
        """A run is going on: its thread is alive and it has not said how it ended. A run that has (the app shows
        its result) is over for the person, though its thread still stops the displays and apps it started: a
        Start clicked then was refused without a word (the app's own test found it)."""
        return self.thread is not None and self.thread.is_alive() and not self._over.is_set()

    def start(self, call: EngineCall) -> None:
        """Start the run; returns at once (after the last run's thread, already over, has finished closing)."""
        if self.thread is not None:
            self.thread.join(CLOSING)
        self._over.clear()
        self.thread = threading.Thread(target=self._work, args=(call,), name="deskpilot-engine", daemon=True)
        self.thread.start()

    def _work(self, call: EngineCall) -> None:
        finished: list[Event] = []
        try:
            self.engine(call, lambda event: self._relay(event, finished))
        except Exception as exc:  # the engine's own bug or a missing display: the person gets one sentence
            message = str(exc).strip().rstrip(".") or type(exc).__name__
            if not finished:
                self.failed.emit(f"The run could not go on: {message}.")
            return
        if not finished:
            self.failed.emit("The run ended without a result; see its trajectory folder.")

    def _relay(self, event: Event, finished: list[Event]) -> None:
        from planner.events import Called, Decided, Finished, Planned, Stepped

        match event:
            case Decided():
                self.decided.emit(event)
            case Stepped():
                self.stepped.emit(event)
            case Planned():
                self.planned.emit(event)
            case Called():
                self.called.emit(event)
            case Finished():
                finished.append(event)
                self._over.set()
                self.finished.emit(event)

    def wait(self, timeout: float = 5.0) -> bool:
        """Join the engine thread; True when it has ended."""
        if self.thread is not None:
            self.thread.join(timeout)
        return self.thread is None or not self.thread.is_alive()
