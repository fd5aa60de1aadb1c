"""A replay on a desktop: the ReplayAgent in the ordinary run (compose), so a replay leaves an ordinary trajectory."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.engine.compose import Parts, compose
from app.engine.options import RunOptions, runs_root
from app.engine.parsers import make_parser
from planner.control import RunControl
from planner.demos import Demo
from planner.events import Events, ignore
from planner.loop import RunResult
from planner.policy import Approver
from planner.replay import ReplayAgent, TargetChooser


@dataclass
class ReplayOptions:
    display: str
    out: Path | None = None  # default: the runs folder
    timeout: float = 10.0
    monitor: int = 1
    input_driver: str = "xtest"
    grounding: str = "auto"  # auto | accessibility | pixels (app/engine/parsers.py)


def replay_demo(demo: Demo, values: dict[str, str], options: ReplayOptions, on_event: Events = ignore,
                control: RunControl | None = None, approver: Approver | None = None,
                chooser: TargetChooser | None = None) -> RunResult:
    """Replay ``demo`` with parameter ``values`` (already checked by ``Demo.values``); the trajectory is kept.

    Every step passes the same policy as a run (``approver`` answers what it asks; nobody by default). A step
    whose target cannot be found surely is put to ``chooser`` (the person), if given, instead of ending the
    replay."""
    agent = ReplayAgent(demo, values, timeout=options.timeout, chooser=chooser)
    shown = {k: ("•" * 8 if any(v == s for s in agent.secrets) else v) for k, v in values.items()}
    waits = int(options.timeout / agent.poll) + 2
    run = RunOptions(task=f"replay {demo.name}: {demo.task}".strip(": "), display=options.display,
                     out=options.out or runs_root(), max_steps=len(demo.steps) * (waits + 1) + 2,
                     monitor=options.monitor, input_driver=options.input_driver,
                     meta={"agent": "replay", "demo": demo.name, "params": shown})
    # each frame is read whole: an incremental read can keep a stale view of a region (a focus ring drawn
    # round a field) and miss a target for every retry that follows
    parser = make_parser(options.grounding, options.display, incremental=False)
    try:
        return compose(run, on_event, Parts(agent=agent, parser=parser, control=control, approver=approver)).run()
    finally:
        getattr(parser, "close", lambda: None)()
