"""compose(options) -> Run: the one place a run is wired (capture, parser, router, agent, policy and approver,
executor, trajectory). The CLI, the app, `deskpilot test`, the pytest plugin, replay and every bench call it, so
what is measured is what `deskpilot run` does.

Callers hand in what they own instead of what compose would build (the app's masked capture, a test desktop's
executor and parser, a replay's agent); compose closes only what it built.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.engine.calls import CallLog, LoggedModel, LoggedWire
from app.engine.options import RunOptions
from models.chat import ChatModel
from planner.actions import RunCode
from planner.control import RunControl
from planner.events import Events, Finished, ignore
from planner.loop import Loop, RunResult
from planner.policy import Approver, FixedApprover, PolicySettings
from planner.protocols import Agent, Executor, Parser, ScreenSource
from planner.trajectory import Trajectory


@dataclass
class Run:
    """A wired run: ``run()`` carries it out and always closes what compose started, pass or fail."""

    loop: Loop
    agent: Agent | None
    trajectory: Trajectory
    error: str = ""  # a task the interpreter cannot read, a grounding mode that cannot work: the run fails at once
    closers: list[Callable[[], None]] = field(default_factory=list)
    workdir: str = ""  # where model-written code runs: approvals and results name it

    def run(self) -> RunResult:
        try:
            if self.agent is None:
                self.trajectory.finish("failed", self.error)
                self.loop.on_event(Finished(status="failed", message=self.error, folder=str(self.trajectory.folder)))
                return RunResult("failed", self.error, self.trajectory.steps, str(self.trajectory.folder))
            return self.loop.run(self.agent, self.trajectory)
        finally:
            self.close()

    def close(self) -> None:
        while self.closers:
            self.closers.pop()()


@dataclass(kw_only=True)
class Parts:
    """What a caller already has; anything left None is built from the options and the settings."""

    source: ScreenSource | None = None
    parser: Parser | None = None
    executor: Executor | None = None
    approver: Approver | None = None
    control: RunControl | None = None
    model: ChatModel | None = None
    agent: Agent | None = None
    trajectory: Trajectory | None = None
    policy: PolicySettings | None = None
    router: Any = None  # grounding.router.Router
    examples: str | None = None
    planner: Any = None  # models.settings.PlannerSettings: the [planner] table when None
    native: Any = None  # models.native_settings.NativeSettings: a computer-use model chooses every action


def compose(options: RunOptions, on_event: Events = ignore, parts: Parts | None = None) -> Run:
    """Wire one run of ``options.task`` on ``options.display``; the trajectory folder exists when this returns.
    Where wiring fails (a bad [planner] table, a display that does not answer) what was started is closed."""
    closers: list[Callable[[], None]] = []
    try:
        return _wire(options, on_event, parts or Parts(), closers)
    except BaseException:
        while closers:
            closers.pop()()
        raise


def _wire(options: RunOptions, on_event: Events, p: Parts, closers: list[Callable[[], None]]) -> Run:
    from app.desktop.a11y_bus import PUBLISH, app_env
    from app.desktop.session import input_driver, screen_source
    from app.engine.executor import DesktopExecutor
    from app.engine.parsers import GroundingModeError
    from app.engine.safety import make_gate
    from app.engine.sandbox import find_sandbox

    control = p.control or RunControl()
    workdir = options.workdir or _own_workdir(closers)
    router = p.router if p.router is not None else _router()
    log = CallLog(on_event)
    approver = p.approver or FixedApprover("once" if options.allow_code else "deny")
    executor = p.executor
    sandbox = find_sandbox()[0] if executor is None else getattr(executor, "sandbox", None)
    safety = make_gate(options.display, workdir, approver, p.policy or _policy(options), sandbox)
    closers.append(safety.close)
    no_code = safety.gate.refuses(RunCode(language="python", code="print('hello')"))  # nothing runs: asked of it
    agent, error, meta = _agent(options, replace(p, model=LoggedModel(p.model, log) if p.model else None), router,
                                workdir, on_event, no_code)
    if p.native is not None and agent is not None:
        agent.wire = LoggedWire(agent.wire, log)  # type: ignore[attr-defined]  # a native agent's own calls
    trajectory = p.trajectory or Trajectory.create(options.out, options.task, {**meta, **options.meta},
                                                   name=options.name)
    log.trajectory = trajectory  # the model's raw replies are kept with the run from its first call
    source = p.source
    if source is None:
        source = screen_source(options.display, options.monitor)
        closers.append(getattr(source, "close", lambda: None))
    if executor is None:
        driver = input_driver(options.input_driver, options.display, control)  # input gives way to the person
        closers.append(driver.close)
        executor = DesktopExecutor(driver, workdir=workdir, display=options.display, control=control,
                                   sandbox=sandbox, app_env=app_env(options.bus))
    parser = p.parser
    if parser is None:
        try:
            parser = _parser(options, source)
        except GroundingModeError as exc:  # the mode cannot work here: the run fails with that sentence, recorded
            parser, agent, error = _parser(replace(options, grounding="pixels"), source), None, error or str(exc)
        closers.append(getattr(parser, "close", lambda: None))
    if p.executor is None and not options.bus and _reads_tree(parser):
        executor.app_env = dict(PUBLISH)  # what it opens publishes its tree on the desktop's own bus, read by the run
    loop = Loop(source, executor, parser, max_steps=options.max_steps, settle_timeout=options.settle_timeout,
                time_limit=options.time_limit, on_event=on_event, gate=safety.gate, control=control)
    return Run(loop, agent, trajectory, error, closers, workdir)


def _own_workdir(closers: list[Callable[[], None]]) -> str:
    """A work folder made for this run, removed when the run closes with nothing written in it: closed last, after
    the executor whose code might still write there."""
    from app.engine.workdir import drop_if_empty, make_workdir

    workdir = make_workdir()
    closers.append(lambda: drop_if_empty(workdir))
    return workdir


def _agent(options: RunOptions, p: Parts, router: Any, workdir: str, on_event: Events = ignore,
           no_code: str = "") -> tuple[Agent | None, str, dict[str, Any]]:
    """The agent for the run, or None with the sentence saying why the task cannot be run; and the task's meta.
    ``no_code``: why model-written code could never run in this run (the planner then plans none)."""
    meta: dict[str, Any] = {"display": options.display, "workdir": workdir}
    if p.agent is not None:
        return p.agent, "", {**meta, "agent": type(p.agent).__name__}
    if p.native is not None:  # only a person's approver acknowledges the protocol's own safety checks
        from planner.native import make_agent

        meta.update(agent="native", model=p.native.model, protocol=p.native.protocol)
        return make_agent(p.native, options.task, p.approver), "", meta
    if p.model is None or options.agent == "direct":
        from models.native_settings import load_agent
        from models.settings import SettingsError
        from planner.direct import CommandAgent
        from planner.language import LanguageError

        try:
            agent = CommandAgent.from_instruction(options.task, router=router, patience=load_agent().patience)
        except (LanguageError, SettingsError) as exc:  # a task it cannot read, a bad [agent] patience
            return None, str(exc), {**meta, "agent": "direct"}
        return agent, "", {**meta, "agent": "direct"}
    from planner.hierarchy import HierarchicalAgent, PlannerConfig
    from planner.memory import examples_for

    examples = p.examples
    meta.update(agent="planner", model=getattr(p.model, "model", p.model.name))
    if examples is None:
        examples, meta["examples"] = examples_for(options.task)
    settings = p.planner if p.planner is not None else _planner_settings()
    config = PlannerConfig(marks=options.marks, workdir=workdir, no_code=no_code, **settings.model_dump())
    meta["planner"] = settings.model_dump()
    return HierarchicalAgent(p.model, options.task, config, router, examples=examples or "", events=on_event), "", meta


def _planner_settings() -> Any:
    """The [planner] table (models.settings.PlannerSettings); a bad value is the caller's SettingsError."""
    from models.settings import load_planner

    return load_planner()


def _router() -> Any:
    """The grounders the config asks for: a VLM grounder joins when [vlm] model is set (weights load on first use)."""
    from grounding.router import Router, default_grounders
    from models.settings import load_vlm

    return Router(default_grounders(load_vlm()))


def _parser(options: RunOptions, source: ScreenSource) -> Parser:
    """The accessibility tree first, pixels for the rest (options.grounding: auto where a bus answers), or pixels."""
    from app.desktop.windows import WindowTitles
    from app.engine.parsers import make_parser
    from app.engine.titled import TitledParser

    frame = source.capture().frame
    parser = make_parser(options.grounding, options.display, frame, session=options.bus or None)
    return TitledParser(parser, WindowTitles(options.display), frame)


def _reads_tree(parser: Parser) -> bool:
    from grounding.a11y_parser import A11yParser

    return isinstance(getattr(parser, "parser", parser), A11yParser)


def _policy(options: RunOptions) -> PolicySettings:
    from planner.policy import load_policy

    return load_policy(Path(options.policy_file) if options.policy_file else None)
