"""The agent loop: observe -> decide -> act -> record, one step at a time, the trajectory written every step."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from models.chat import BudgetExceeded, ModelError
from planner.actions import Action, AskUser, Click, Done, Drag, Fail, Key, Scroll, TypeText, describe, to_json
from planner.control import RunControl, Stopped
from planner.policy import Gate, Policy
from planner.protocols import Agent, Executor, Outcome, Parser, ScreenSource
from planner.replies import ReplyError
from planner.trajectory import Trajectory

EXPECTS_CHANGE = (Click, Drag, Scroll, TypeText, Key)
Events = Callable[[str, dict[str, Any]], None]


@dataclass
class RunResult:
    status: str  # done | failed | max_steps | timeout | stopped | budget | error
    message: str
    steps: int
    folder: str
    timings: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class Loop:
    """Runs an agent against a screen source and an executor, recording every step."""

    source: ScreenSource
    executor: Executor
    parser: Parser
    max_steps: int = 30
    settle_timeout: float = 1.0
    time_limit: float | None = None
    on_event: Events = lambda kind, data: None
    gate: Gate = field(default_factory=lambda: Gate(Policy()))
    control: RunControl = field(default_factory=RunControl)

    def run(self, agent: Agent, trajectory: Trajectory) -> RunResult:
        timings: dict[str, list[float]] = {"capture": [], "parse": [], "decide": [], "act": []}
        status, message = "max_steps", f"Stopped after {self.max_steps} steps without finishing the task."
        deadline = time.monotonic() + self.time_limit if self.time_limit else None
        for secret in getattr(agent, "secrets", ()):
            trajectory.add_secret(secret)
        try:
            for _ in range(self.max_steps):
                if deadline is not None and time.monotonic() > deadline:
                    status, message = "timeout", f"Ran out of time after {self.time_limit:g}s."
                    break
                final = self.step(agent, trajectory, timings)
                if final is not None:
                    status, message = final
                    break
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
            trajectory.finish(status, message)
            self.on_event("finished", {"status": status, "message": message, "folder": str(trajectory.folder)})
        return RunResult(status, message, trajectory.steps, str(trajectory.folder), timings)

    def step(self, agent: Agent, trajectory: Trajectory, timings: dict[str, list[float]]) -> tuple[str, str] | None:
        """One observe-decide-act-record step; returns (status, message) when the run is over."""
        self.control.checkpoint()
        t0 = time.perf_counter()
        obs = self.source.capture()
        t1 = time.perf_counter()
        screen = self.parser.parse(obs.image) if agent.wants_screen() else None
        t2 = time.perf_counter()
        decision = agent.decide(obs, screen)
        t3 = time.perf_counter()
        action = decision.action
        info: dict[str, Any] = dict(decision.info)
        self.on_event("decided", {"step": trajectory.steps + 1, "action": to_json(action), "text": describe(action),
                                  "response": decision.response, "info": info, "image": obs.image})
        final = self._final(action)
        if final is None:
            outcome = self._act(action, info)
            info["outcome"] = {"ok": outcome.ok, "output": outcome.output[-2000:], "error": outcome.error}
            if isinstance(action, EXPECTS_CHANGE) and outcome.ok:
                patience = self.settle_timeout if isinstance(action, (Click, Drag, Scroll)) else 0.35
                info["screen_changed"] = self._settle(obs.image, patience)
            feedback = getattr(agent, "feedback", None)
            if feedback is not None:
                feedback(action, outcome, info)
            elif not outcome.ok:
                final = ("failed", outcome.error)
        t4 = time.perf_counter()
        for name, value in zip(("capture", "parse", "decide", "act"), (t1 - t0, t2 - t1, t3 - t2, t4 - t3)):
            timings[name].append(value)
        info["timing_ms"] = {k: round(v[-1] * 1000, 1) for k, v in timings.items()}
        if screen is not None:
            info["elements"] = len(screen.elements)
            # who named what: the accessibility tree ("a11y"), OCR, widget shapes, or several joined with "+"
            info["screen"] = {"source": screen.source, "named_by": dict(Counter(e.source for e in screen.elements))}
            stats = getattr(self.parser, "stats", None)
            if hasattr(stats, "to_json"):  # the tree-first parser: where OCR ran, and why it fell back to pixels
                info["screen"]["parse"] = stats.to_json()
        meter = getattr(agent, "meter", None)
        if meter is not None:
            info["usage"] = {"prompt_tokens": meter.used.prompt_tokens,
                             "completion_tokens": meter.used.completion_tokens, "cost": round(meter.cost, 6)}
        for secret in getattr(agent, "secrets", ()):  # an agent may learn of a secret mid-run (a password field)
            if secret not in trajectory.secrets:
                trajectory.add_secret(secret)
        line = trajectory.append(action=to_json(action), response=decision.response, image=obs.image,
                                 info=info, done=final is not None)
        self.on_event("step", {"step": line["step_num"], "action": describe(action), "response": decision.response,
                               "info": info})
        return final

    def _act(self, action: Action, info: dict[str, Any]) -> Outcome:
        """Run the action if the policy (and, when it asks, the person) allows it; a denial is an outcome."""
        self.control.checkpoint()
        ruling = self.gate.check(action)
        if ruling.reason:
            info["policy"] = {"verdict": ruling.verdict, "reason": ruling.reason}
        if ruling.verdict == "deny":
            return Outcome(ok=False, error=f"Not run: {ruling.reason}.")
        self.control.checkpoint()
        return self.executor.execute(action)

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
        """Wait until the screen changes and then holds still (or ``patience`` passes); report whether it changed."""
        deadline = time.perf_counter() + patience
        changed, last = False, before
        while time.perf_counter() < deadline:
            time.sleep(0.04)
            now = self.source.capture().image
            if not changed:
                changed = not np.array_equal(now, before)
            elif np.array_equal(now, last):
                return True
            last = now
        return changed
