"""A run on a desktop: capture, parse, decide, act and record, wired together for the CLI and the demo."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.engine.executor import DesktopExecutor
from app.engine.parsers import GroundingModeError
from grounding.a11y_parser import A11yParser
from grounding.parser import ScreenParser
from grounding.router import Router, default_grounders
from models.chat import ChatModel
from planner.control import RunControl
from planner.direct import run_command
from planner.hierarchy import HierarchicalAgent, PlannerConfig
from planner.loop import Events, Loop, RunResult
from planner.memory import examples_for
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
    marks: bool = False  # set-of-marks for the planner's worker
    workdir: str = ""  # where model-written code runs (a fresh temporary folder when empty)
    grounding: str = "auto"  # auto | accessibility | pixels: how the screen is read (app/engine/parsers.py)


def _router() -> Router | None:
    """The grounders the config asks for: a VLM grounder joins when [vlm] model is set (weights load on first use)."""
    from models.settings import load_vlm

    vlm = load_vlm()
    return Router(default_grounders(vlm)) if vlm.model else None


def _parser_for(mode: str, display: str, source: ScreenSource) -> Parser | None:
    """The tree-first parser when ``mode`` (auto: where a bus answers) reads the accessibility tree, else None."""
    from app.engine.parsers import make_parser

    return make_parser(mode, display, source.capture().frame) if mode != "pixels" else None


def run_task(options: RunOptions, on_event: Events = lambda kind, data: None, approver: Approver | None = None,
             control: RunControl | None = None, source: ScreenSource | None = None, parser: Parser | None = None,
             model: ChatModel | None = None, examples: str | None = None) -> RunResult:
    """Run one task on ``options.display``: the hierarchical planner when a model is given, else the direct-command
    interpreter. The trajectory is always kept.

    ``source`` replaces the display's capture (the app wraps it to keep its own windows out of the screenshots);
    ``parser`` replaces the pixel parser (the app's accessibility grounding mode); ``examples`` is few-shot text
    for the planner, by default the recorded demonstrations most like the task."""
    workdir = options.workdir or tempfile.mkdtemp(prefix="deskpilot-work-")
    meta: dict = {"display": options.display, "agent": "planner" if model else "direct", "workdir": workdir}
    if model is not None:
        meta["model"] = getattr(model, "model", model.name)
        if examples is None:
            examples, meta["examples"] = examples_for(options.task)
    source = source or MssScreenSource(options.display, options.monitor)
    if parser is None:
        try:
            parser = _parser_for(options.grounding, options.display, source)
        except GroundingModeError as exc:  # the mode cannot work here: the run still leaves its trajectory
            Trajectory.create(options.out, options.task, {**meta, "grounding": options.grounding}).finish(
                "failed", str(exc))
            raise
    meta["grounding"] = "accessibility" if isinstance(parser, A11yParser) else "pixels"
    trajectory = Trajectory.create(options.out, options.task, meta)
    control = control or RunControl()
    approver = approver or FixedApprover("once" if options.allow_code else "deny")
    driver = make_driver(options.input_driver, options.display)
    executor = DesktopExecutor(driver, workdir=workdir, display=options.display, control=control)
    gate = Gate(Policy(load_policy(), workdir), approver)
    loop = Loop(source, executor, parser or ScreenParser(), max_steps=options.max_steps, on_event=on_event, gate=gate,
                control=control)
    try:
        router = _router()
        if model is None:
            return run_command(loop, options.task, trajectory, router)
        config = PlannerConfig(marks=options.marks, workdir=workdir)
        agent = HierarchicalAgent(model, options.task, config, router or Router(), examples=examples or "")
        return loop.run(agent, trajectory)
    finally:
        for part in (source, parser):  # a caller's parser may hold a reader process for the accessibility tree
            close = getattr(part, "close", None)
            if close is not None:
                close()
        driver.close()
