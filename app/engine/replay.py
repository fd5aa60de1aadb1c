"""A replay on a desktop: the ReplayAgent in the ordinary Loop, so a replay leaves an ordinary trajectory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.engine.executor import DesktopExecutor
from grounding.parser import ScreenParser
from planner.demos import Demo
from planner.loop import Events, Loop, RunResult
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
    grounding: str = "auto"  # auto | accessibility | pixels (app/engine/parsers.py)


def make_parser(display: str, monitor: int, mode: str, incremental: bool = True) -> tuple[Parser, Callable]:
    """The parser for grounding ``mode`` (the AT-SPI tree first where it is used, else pixels); and what to call
    when done."""
    from app.engine.parsers import make_parser as for_mode

    pixels = ScreenParser(incremental=incremental)
    source = MssScreenSource(display, monitor)
    frame = source.capture().frame
    source.close()
    parser = for_mode(mode, display, frame, pixels)
    return (pixels, lambda: None) if parser is None else (parser, parser.close)


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
    # each frame is read whole: an incremental read can keep a stale view of a region (a focus ring drawn
    # round a field) and miss a target for every retry that follows
    parser, done = make_parser(options.display, options.monitor, options.grounding, incremental=False)
    loop = Loop(source, DesktopExecutor(driver), parser, max_steps=len(demo.steps) * (waits + 1) + 2,
                on_event=on_event)
    try:
        return loop.run(agent, trajectory)
    finally:
        done()
        source.close()
        driver.close()
