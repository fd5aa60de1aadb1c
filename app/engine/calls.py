"""Every model call kept with its run: the raw reply (secrets masked) in calls.jsonl, and a ``Called`` event, so the
app and the CLI count tokens and cost from the first call on, whether or not a step follows it. The planner's chat
model and a native agent's protocol (its wire) are logged alike."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models.chat import BudgetExceeded, ChatModel, Message, Meter, ModelError, Reply
from planner.events import Called, Events, ignore
from planner.trajectory import Trajectory, Usage


@dataclass
class CallLog:
    """Writes calls to the run's trajectory and announces the run's usage after each."""

    on_event: Events = ignore
    trajectory: Trajectory | None = None  # compose sets it once the run folder exists (no call happens before)
    calls: int = 0
    _prompt: int = 0
    _completion: int = 0

    def record(self, *, reply: str, model: str, prompt: int, completion: int, seconds: float, error: str,
               meter: Meter | None) -> None:
        """One call: its raw reply and tokens in calls.jsonl, then a ``Called`` event with the run's totals."""
        self.calls += 1
        self._prompt += prompt
        self._completion += completion
        total = self._total(meter)
        if self.trajectory is not None:
            self.trajectory.append_call({
                "call": self.calls, "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "seconds": round(seconds, 3), "model": model, "prompt_tokens": prompt, "completion_tokens": completion,
                "reply": reply, "error": error, "total": total.to_json()})
        self.on_event(Called(calls=self.calls, usage=total, seconds=seconds, error=error))

    def _total(self, meter: Meter | None) -> Usage:
        """The run's usage so far: the meter's count (it prices the tokens), else this log's own sum."""
        if meter is not None:
            return Usage(prompt_tokens=meter.used.prompt_tokens, completion_tokens=meter.used.completion_tokens,
                         cost=meter.cost)
        return Usage(prompt_tokens=self._prompt, completion_tokens=self._completion)


@dataclass
class LoggedModel:
    """A ChatModel whose every call goes to ``log``; anything else goes to ``inner``."""

    inner: ChatModel
    log: CallLog

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def meter(self) -> Meter | None:
        return getattr(self.inner, "meter", None)

    def __getattr__(self, name: str) -> Any:  # models(), model and whatever else the backend offers
        if name in ("inner", "log"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        """The inner model's answer; the call is written and announced even when it fails."""
        started = time.perf_counter()
        try:
            reply = self.inner.complete(messages, max_tokens=max_tokens, json_mode=json_mode)
        except (ModelError, BudgetExceeded) as exc:
            self.log.record(reply="", model=self.name, prompt=0, completion=0, seconds=time.perf_counter() - started,
                            error=str(exc), meter=self.meter)
            raise
        self.log.record(reply=reply.text, model=reply.model or self.name, prompt=reply.usage.prompt_tokens,
                        completion=reply.usage.completion_tokens, seconds=time.perf_counter() - started, error="",
                        meter=self.meter)
        return reply


@dataclass
class LoggedWire:
    """A native computer-use protocol (planner.native.base.Wire) whose every turn goes to ``log``: the server's
    raw answer, and the tokens the turn added to the meter."""

    inner: Any
    log: CallLog

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def meter(self) -> Meter:
        return self.inner.meter

    def __getattr__(self, name: str) -> Any:
        if name in ("inner", "log"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def turn(self, obs: Any, results: list[Any], note: str) -> Any:
        before, started = self.meter.used, time.perf_counter()
        try:
            turn = self.inner.turn(obs, results, note)
        except (ModelError, BudgetExceeded) as exc:
            self._record("", started, before, str(exc))
            raise
        raw = turn.raw if isinstance(turn.raw, str) else json.dumps(turn.raw, default=str, ensure_ascii=False)
        self._record(raw if turn.raw is not None else turn.text, started, before, "")
        return turn

    def acknowledge(self, checks: list[dict[str, Any]]) -> None:
        self.inner.acknowledge(checks)

    def _record(self, reply: str, started: float, before: Any, error: str) -> None:
        used = self.meter.used
        self.log.record(reply=reply, model=self.name, prompt=used.prompt_tokens - before.prompt_tokens,
                        completion=used.completion_tokens - before.completion_tokens,
                        seconds=time.perf_counter() - started, error=error, meter=self.meter)
