"""A run on a desktop: capture, parse, decide, act and record, wired together for the CLI and the demo."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.executor import DesktopExecutor
from grounding.parser import ScreenParser
from grounding.router import Router, default_grounders
from planner.direct import run_command
from planner.loop import Events, Loop, RunResult
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


def _router() -> Router | None:
    """The grounders the config asks for: a VLM grounder joins when [vlm] model is set (weights load on first use)."""
    from models.settings import load_vlm

    vlm = load_vlm()
    return Router(default_grounders(vlm)) if vlm.model else None


def run_task(options: RunOptions, on_event: Events = lambda kind, data: None) -> RunResult:
    """Run one task on ``options.display`` with the direct-command interpreter; the trajectory is always kept."""
    trajectory = Trajectory.create(options.out, options.task, {"display": options.display, "agent": "direct"})
    source = MssScreenSource(options.display, options.monitor)
    driver = make_driver(options.input_driver, options.display)
    executor = DesktopExecutor(driver, allow_code=options.allow_code)
    loop = Loop(source, executor, ScreenParser(), max_steps=options.max_steps, on_event=on_event)
    try:
        return run_command(loop, options.task, trajectory, _router())
    finally:
        source.close()
        driver.close()
