"""The app's engine runner: a run that has said how it ended is over for the person, though its thread still
closes what it started (displays, apps), and a Start right then starts the next run, after that thread is done."""

import threading
import time

import pytest

pytest.importorskip("PySide6")

from app.qt.engine import EngineRunner  # noqa: E402
from planner.events import Finished  # noqa: E402


def test_a_run_that_has_ended_is_not_busy_while_it_closes_and_the_next_one_waits_for_it(qtbot):
    closing, calls = threading.Event(), []

    def engine(call, on_event):
        calls.append(call)
        on_event(Finished(status="done", message="ok", folder=""))
        closing.wait(5)  # stopping the displays and apps the run started
        calls.append(f"closed {call}")

    runner = EngineRunner(engine)
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start("first")
    assert runner.thread.is_alive() and not runner.busy  # still closing, but over
    threading.Timer(0.3, closing.set).start()
    t0 = time.monotonic()
    with qtbot.waitSignal(runner.finished, timeout=5000):
        runner.start("second")
    assert calls[:3] == ["first", "closed first", "second"] and time.monotonic() - t0 >= 0.25
    assert runner.wait(5) and calls[-1] == "closed second"
