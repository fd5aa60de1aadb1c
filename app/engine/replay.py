"""A replay on a desktop: the ReplayAgent in the ordinary Loop, so a replay leaves an ordinary trajectory."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.engine.executor import DesktopExecutor
from app.engine.safety import make_gate
from grounding.parser import ScreenParser
from planner.control import RunControl
from planner.demos import Demo
from planner.loop import Events, Loop, RunResult
from planner.policy import Approver, FixedApprover
from planner.protocols import Parser
from planner.replay import ReplayAgent
from planner.trajectory import Trajectory


@dataclass
class ReplayOptions:
    display: str
    out: Path = Path("runs")
    timeout: float = 10.0
    monitor: int = 1
    input_driver: str = "pyautogui"
    accessibility: bool = False


def make_parser(display: str, monitor: int, accessibility: bool, incremental: bool = True) -> tuple[Parser, Callable]:
    """Pixels, merged with the session's AT-SPI tree when ``accessibility``; and what to call when done."""
    pixels = ScreenParser(incremental=incremental)
    if not accessibility:
        return pixels, lambda: None
    from app.engine.parsers import accessibility_parser

    source = MssScreenSource(display, monitor)
    frame = source.capture().frame
    source.close()
    parser = accessibility_parser(display, frame, pixels, os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""))
    return parser, parser.close


def replay_demo(demo: Demo, values: dict[str, str], options: ReplayOptions,
                on_event: Events = lambda kind, data: None, control: RunControl | None = None,
                approver: Approver | None = None) -> RunResult:
    """Replay ``demo`` with parameter ``values`` (already checked by ``Demo.values``); the trajectory is kept.

    Every step passes the same policy as a run (``approver`` answers what it asks; nobody by default)."""
    agent = ReplayAgent(demo, values, timeout=options.timeout)
    shown = {k: ("•" * 8 if any(v == s for s in agent.secrets) else v) for k, v in values.items()}
    trajectory = Trajectory.create(options.out, f"replay {demo.name}: {demo.task}".strip(": "),
                                   {"display": options.display, "agent": "replay", "demo": demo.name,
                                    "params": shown})
    control = control or RunControl()
    source = MssScreenSource(options.display, options.monitor)
    driver = make_driver(options.input_driver, options.display, control)
    waits = int(options.timeout / agent.poll) + 2
    # each frame is read whole: an incremental read can keep a stale view of a region (a focus ring drawn
    # round a field) and miss a target for every retry that follows
    parser, done = make_parser(options.display, options.monitor, options.accessibility, incremental=False)
    safety = make_gate(options.display, "", approver or FixedApprover())  # a replay runs no code
    loop = Loop(source, DesktopExecutor(driver, control=control, sandbox=safety.sandbox), parser,
                max_steps=len(demo.steps) * (waits + 1) + 2, on_event=on_event, gate=safety.gate, control=control)
    try:
        return loop.run(agent, trajectory)
    finally:
        done()
        source.close()
        driver.close()
        safety.close()
