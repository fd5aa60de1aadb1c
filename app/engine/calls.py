"""Every model call kept with its run: the raw reply (secrets masked) in calls.jsonl, and a ``Called`` event, so the
app and the CLI count tokens and cost from the first call on, whether or not a step follows it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from models.chat import BudgetExceeded, ChatModel, Message, Meter, ModelError, Reply
from planner.events import Called, Events, ignore
from planner.trajectory import Trajectory, Usage


@dataclass
class LoggedModel:
    """A ChatModel that writes each call to the run's trajectory and announces it; anything else goes to ``inner``."""

    inner: ChatModel
    on_event: Events = ignore
    trajectory: Trajectory | None = None  # compose sets it once the run folder exists (no call happens before)
    calls: int = 0
    _prompt: int = 0
    _completion: int = 0

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def meter(self) -> Meter | None:
        return getattr(self.inner, "meter", None)

    def __getattr__(self, name: str) -> Any:  # models(), model and whatever else the backend offers
        if name == "inner":
            raise AttributeError(name)
        return getattr(self.inner, name)

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        """The inner model's answer; the call is written and announced even when it fails."""
        started = time.perf_counter()
        self.calls += 1
        try:
            reply = self.inner.complete(messages, max_tokens=max_tokens, json_mode=json_mode)
        except (ModelError, BudgetExceeded) as exc:
            self._record(None, time.perf_counter() - started, str(exc))
            raise
        self._record(reply, time.perf_counter() - started, "")
        return reply

    def _record(self, reply: Reply | None, seconds: float, error: str) -> None:
        if reply is not None:
            self._prompt += reply.usage.prompt_tokens
            self._completion += reply.usage.completion_tokens
        total = self._total()
        if self.trajectory is not None:
            self.trajectory.append_call({
                "call": self.calls, "at": datetime.now(UTC).isoformat(timespec="milliseconds"),
                "seconds": round(seconds, 3), "model": reply.model if reply and reply.model else self.name,
                "prompt_tokens": reply.usage.prompt_tokens if reply else 0,
                "completion_tokens": reply.usage.completion_tokens if reply else 0,
                "reply": reply.text if reply else "", "error": error, "total": total.to_json()})
        self.on_event(Called(calls=self.calls, usage=total, seconds=seconds, error=error))

    def _total(self) -> Usage:
        """The run's usage so far: the meter's count (it prices the tokens), else this log's own sum."""
        meter = self.meter
        if meter is not None:
            return Usage(prompt_tokens=meter.used.prompt_tokens, completion_tokens=meter.used.completion_tokens,
                         cost=meter.cost)
        return Usage(prompt_tokens=self._prompt, completion_tokens=self._completion)
