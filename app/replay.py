"""A replay on a desktop: the ReplayAgent in the ordinary Loop, so a replay leaves an ordinary trajectory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.executor import DesktopExecutor
from grounding.parser import ScreenParser
from planner.demos import Demo
from planner.loop import Events, Loop, RunResult
from planner.replay import ReplayAgent
from planner.trajectory import Trajectory


@dataclass
class ReplayOptions:
    display: str
    out: Path = Path("runs")
    timeout: float = 10.0
    monitor: int = 1
    input_driver: str = "pyautogui"


def replay_demo(demo: Demo, values: dict[str, str], options: ReplayOptions,
                on_event: Events = lambda kind, data: None) -> RunResult:
    """Replay ``demo`` with parameter ``values`` (already checked by ``Demo.values``); the trajectory is kept."""
    agent = ReplayAgent(demo, values, timeout=options.timeout)
    shown = {k: ("•" * 8 if any(v == s for s in agent.secrets) else v) for k, v in values.items()}
    trajectory = Trajectory.create(options.out, f"replay {demo.name}: {demo.task}".strip(": "),
                                   {"display": options.display, "agent": "replay", "demo": demo.name,
                                    "params": shown})
    source = MssScreenSource(options.display, options.monitor)
    driver = make_driver(options.input_driver, options.display)
    waits = int(options.timeout / agent.poll) + 2
    loop = Loop(source, DesktopExecutor(driver), ScreenParser(), max_steps=len(demo.steps) * (waits + 1) + 2,
                on_event=on_event)
    try:
        return loop.run(agent, trajectory)
    finally:
        source.close()
        driver.close()
