"""A run on a desktop: capture, parse, decide, act and record, wired together for the CLI and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.executor import DesktopExecutor
from grounding.parser import ScreenParser
from planner.control import RunControl
from planner.direct import run_command
from planner.loop import Events, Loop, RunResult
from planner.policy import Approver, FixedApprover, Gate, Policy, load_policy
from planner.protocols import Parser, ScreenSource
from planner.trajectory import Trajectory


@dataclass
class RunOptions:
    task: str
    display: str
    out: Path = Path("runs")
    max_steps: int = 30
    monitor: int = 1
    input_driver: str = "pyautogui"
    allow_code: bool = False


def run_task(options: RunOptions, on_event: Events = lambda kind, data: None, approver: Approver | None = None,
             control: RunControl | None = None, source: ScreenSource | None = None,
             parser: Parser | None = None) -> RunResult:
    """Run one task on ``options.display`` with the direct-command interpreter; the trajectory is always kept.

    ``source`` replaces the display's capture (the app wraps it to keep its own windows out of the screenshots);
    ``parser`` replaces the pixel parser (the app's accessibility grounding mode)."""
    trajectory = Trajectory.create(options.out, options.task, {"display": options.display, "agent": "direct"})
    control = control or RunControl()
    approver = approver or FixedApprover("once" if options.allow_code else "deny")
    source = source or MssScreenSource(options.display, options.monitor)
    driver = make_driver(options.input_driver, options.display)
    executor = DesktopExecutor(driver, control=control)
    gate = Gate(Policy(load_policy()), approver)
    loop = Loop(source, executor, parser or ScreenParser(), max_steps=options.max_steps, on_event=on_event, gate=gate,
                control=control)
    try:
        return run_command(loop, options.task, trajectory)
    finally:
        close = getattr(source, "close", None)
        if close is not None:
            close()
        driver.close()
