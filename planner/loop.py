"""The agent loop: observe -> decide -> act -> record, one step at a time, the trajectory written every step."""

from __future__ import annotations

import json
import time
from collections import Counter
from dataclasses import dataclass, field, replace

import numpy as np

from grounding.elements import Screen
from grounding.frame_diff import Stillness
from models.chat import BudgetExceeded, ModelError
from planner import landing
from planner.actions import Action, AskUser, Click, Done, Drag, Fail, Key, Scroll, TypeText, describe, to_json
from planner.control import RunControl, Stopped
from planner.events import Decided, Events, Finished, Stepped, ignore
from planner.policy import Gate, Policy, Ruling
from planner.protocols import Agent, Decision, Executor, Observation, Outcome, Parser, ScreenSource
from planner.replies import ReplyError
from planner.trajectory import StepRecord, Trajectory, Usage

EXPECTS_CHANGE = (Click, Drag, Scroll, TypeText, Key)
LOOK = 0.04  # seconds between looks while the screen settles after an action


@dataclass
class RunResult:
    status: str  # done | failed | max_steps | timeout | stopped | budget | error
    message: str
    steps: int
    folder: str
    timings: dict[str, list[float]] = field(default_factory=dict)
    usage: Usage | None = None
    answer: str = ""


@dataclass
class Loop:
    """Runs an agent against a screen source and an executor, recording every step."""

    source: ScreenSource
    executor: Executor
    parser: Parser
    max_steps: int = 30
    settle_timeout: float = 1.0
    time_limit: float | None = None
    on_event: Events = ignore
    gate: Gate = field(default_factory=lambda: Gate(Policy()))
    control: RunControl = field(default_factory=RunControl)
    _automatic: bool = field(default=False, init=False, repr=False)  # the last step was a wait the agent added

    def run(self, agent: Agent, trajectory: Trajectory) -> RunResult:
        timings: dict[str, list[float]] = {"capture": [], "parse": [], "decide": [], "model": [], "act": []}
        status, message = "max_steps", f"Stopped after {self.max_steps} steps without finishing the task."
        deadline = time.monotonic() + self.time_limit if self.time_limit else None
        for secret in agent.secrets:
            trajectory.add_secret(secret)
        counted = waits = 0
        try:
            # max_steps counts what the agent chose to do; the waits it adds on its own for the screen to settle
            # (Decision.info["automatic"]) do not, up to two an action, which no agent needs more of
            while counted < self.max_steps and waits <= 2 * self.max_steps:
                if deadline is not None and time.monotonic() > deadline:
                    status, message = "timeout", f"Ran out of time after {self.time_limit:g}s."
                    break
                final = self.step(agent, trajectory, timings)
                if final is not None:
                    status, message = final
                    break
                waits, counted = (waits + 1, counted) if self._automatic else (waits, counted + 1)
        except KeyboardInterrupt:
            status, message = "stopped", "Stopped by the user."
        except Stopped as exc:
            status, message = "stopped", str(exc)
        except (ModelError, BudgetExceeded, ReplyError) as exc:  # the model's trouble ends the run, cleanly
            status, message = ("budget" if isinstance(exc, BudgetExceeded) else "failed"), str(exc)
        except Exception as exc:
            status, message = "error", f"{type(exc).__name__}: {exc}"
            raise
        finally:
            usage = _usage(agent)
            answer = trajectory.mask(agent.answer) if status == "done" else ""
            trajectory.finish(status, message)
            at = time.monotonic()
            self.on_event(Finished(status=status, message=trajectory.mask(message), folder=str(trajectory.folder),
                                   steps=trajectory.steps, usage=usage, answer=answer, at=at,
                                   image=self._last_screen(trajectory)))
        return RunResult(status, trajectory.mask(message), trajectory.steps, str(trajectory.folder), timings, usage,
                         answer)

    def step(self, agent: Agent, trajectory: Trajectory, timings: dict[str, list[float]]) -> tuple[str, str] | None:
        """One observe-decide-act-record step; returns (status, message) when the run is over."""
        self.control.checkpoint()
        t0 = time.perf_counter()
        obs = self.source.capture()
        t1 = time.perf_counter()
        screen = self.parser.parse(obs.image) if agent.wants_screen() else None
        t2, before = time.perf_counter(), trajectory.model_seconds
        decision = agent.decide(obs, screen)
        t3, model = time.perf_counter(), trajectory.model_seconds - before
        decision, screen = self._landed(decision, obs, screen)
        self._automatic = bool(decision.info.get("automatic"))
        for secret in agent.secrets:  # an agent may learn of a secret mid-run (a password field)
            trajectory.add_secret(secret)
        record = self._decided(decision, obs, trajectory)
        final = self._final(decision.action)
        if final is None:
            record, failed = self._carry_out(agent, decision.action, obs, record)
            final = ("failed", record.outcome["error"]) if failed and record.outcome else None
        t4 = time.perf_counter()
        # "decide" is the agent's own work; its model calls are "model", so the parts still add up to the step
        parts = (t1 - t0, t2 - t1, max(0.0, t3 - t2 - model), model, t4 - t3)
        for name, value in zip(("capture", "parse", "decide", "model", "act"), parts):
            timings[name].append(value)
        record = replace(record, done=final is not None, usage=_usage(agent),
                         timing_ms={k: round(v[-1] * 1000, 1) for k, v in timings.items()},
                         elements=len(screen.elements) if screen is not None else 0)
        if screen is not None:
            record = replace(record, info={**record.info, "screen": self._screen_info(screen)})
        written = trajectory.append(record, obs.image)
        self.on_event(Stepped(record=_masked(trajectory, written), text=trajectory.mask(describe(decision.action))))
        if record.outcome and record.outcome.get("stopped"):
            raise Stopped(self.control.reason)  # the step the stop cut short is written; the run ends as stopped
        return final

    def _landed(self, decision: Decision, obs: Observation,
                screen: Screen | None) -> tuple[Decision, Screen | None]:
        """The decision with the element its click or key acts on named, for the policy (planner/landing.py); the
        screen is parsed for it when the agent did not want one (a native model clicks a bare point)."""
        if not landing.needs_screen(decision.action) or self.gate.policy.settings.risky_clicks == "allow":
            return decision, screen
        if screen is None:
            screen = self.parser.parse(obs.image)
        return replace(decision, action=landing.land(decision.action, screen, obs.frame)), screen

    def _screen_info(self, screen: Screen) -> dict:
        """Who named what on the screen: the accessibility tree ("a11y"), OCR, widget shapes, or several joined with
        "+"; and, from the tree-first parser, where OCR ran and why it fell back to pixels."""
        out: dict = {"source": screen.source, "named_by": dict(Counter(e.source for e in screen.elements))}
        stats = getattr(self.parser, "stats", None)
        if hasattr(stats, "to_json"):
            out["parse"] = stats.to_json()
        return out

    def _decided(self, decision: Decision, obs: Observation, trajectory: Trajectory) -> StepRecord:
        """The step's record so far (what was chosen, on which frame), announced before it runs."""
        info = dict(decision.info)
        grounding = info.pop("grounding", None)
        action = decision.action
        record = StepRecord(step=trajectory.steps + 1, action=to_json(action), response=decision.response,
                            frame=obs.frame, target=getattr(action, "target", ""),
                            grounding=grounding if isinstance(grounding, dict) else None, info=info)
        shown = _masked(trajectory, record)
        self.on_event(Decided(step=shown.step, action=shown.action, text=trajectory.mask(describe(action)),
                              thought=shown.response,
                              image=obs.image, frame=obs.frame, grounding=shown.grounding,
                              agent=str(info.get("agent", ""))))
        return record

    def _carry_out(self, agent: Agent, action: Action, obs: Observation,
                   record: StepRecord) -> tuple[StepRecord, bool]:
        """Run the action past the policy, wait for the screen, tell the agent; True when the failure ends the run."""
        ruling, outcome = self._gated(action)
        stopped = self.control.stopped and not outcome.ok
        changed = None
        if isinstance(action, EXPECTS_CHANGE) and outcome.ok:
            patience = self.settle_timeout if isinstance(action, (Click, Drag, Scroll)) else 0.35
            changed = self._settle(obs.image, patience)
        goes_on = stopped or agent.feedback(action, outcome, changed)
        policy = None
        if ruling is not None and ruling.reason:
            policy = {"verdict": ruling.verdict, "reason": ruling.reason, **({"asked": True} if ruling.asked else {})}
        result = {"ok": outcome.ok, "output": outcome.output[-2000:], "error": outcome.error}
        record = replace(record, policy=policy, screen_changed=changed,
                         outcome={**result, "stopped": True} if stopped else result)
        return record, not outcome.ok and not goes_on

    def _gated(self, action: Action) -> tuple[Ruling | None, Outcome]:
        """The policy's ruling and what running the action did; a stop before or while it runs is its outcome."""
        try:
            self.control.checkpoint()
            ruling = self.gate.check(action)
            self.control.checkpoint()  # stopped while the person was being asked: it never ran
        except Stopped as exc:
            return None, Outcome(ok=False, error=f"Not run: {exc}")
        if ruling.verdict == "deny":
            return ruling, Outcome(ok=False, error=f"Not run: {ruling.reason}.")
        try:
            return ruling, self.executor.execute(action)
        except Stopped as exc:  # an executor that does not say how far it got
            return ruling, Outcome(ok=False, error=f"Cut short: {exc}")

    def _last_screen(self, trajectory: Trajectory) -> np.ndarray | None:
        """The screen as the run left it, kept as final.png; None when it can no longer be captured."""
        try:
            image = self.source.capture().image
            trajectory.save_final(image)
        except Exception:  # the display may be gone with the run's own error: there is no last screen to keep
            return None
        return image

    @staticmethod
    def _final(action: Action) -> tuple[str, str] | None:
        match action:
            case Done(summary=s):
                return "done", s or "Task finished."
            case Fail(reason=r):
                return "failed", r
            case AskUser(question=q):
                return "failed", f"The agent needs an answer it cannot get in this mode: {q}"
        return None

    def _settle(self, before: np.ndarray, patience: float) -> bool:
        """Wait until the screen changes and then holds still (or ``patience`` passes); report whether it changed.
        A spinner or a blinking caret going on after the change counts as still (grounding/frame_diff.py)."""
        deadline = time.perf_counter() + patience
        changed, looks = False, Stillness(LOOK)
        looks.still(before)
        while (left := deadline - time.perf_counter()) > 0:
            time.sleep(min(LOOK, left))  # never past the patience
            now = self.source.capture().image
            if not changed:
                changed = not np.array_equal(now, before)
                looks.still(now)
            elif looks.still(now):
                return True
        return changed


def _usage(agent: Agent) -> Usage | None:
    meter = agent.meter
    if meter is None:
        return None
    return Usage(prompt_tokens=meter.used.prompt_tokens, completion_tokens=meter.used.completion_tokens,
                 cost=meter.cost)


def _masked(trajectory: Trajectory, record: StepRecord) -> StepRecord:
    """The record with the run's secrets masked, for whoever watches the run (the app, the terminal)."""
    if not trajectory.secrets:
        return record
    line = json.loads(trajectory.mask(json.dumps(record.to_json(), default=str, ensure_ascii=False)))
    return replace(StepRecord.from_json(line), frame=record.frame)
