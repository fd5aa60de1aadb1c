"""Run control shared by the loop, the executor and whoever drives them (CLI, app, hotkey): pause, resume, stop."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


class Stopped(Exception):
    """The person stopped the run; the loop ends it with status ``stopped`` and keeps its trajectory."""


@dataclass
class RunControl:
    """Thread-safe flags; the engine calls ``checkpoint`` between steps and between chunks of typing."""

    _stop: threading.Event = field(default_factory=threading.Event)
    _running: threading.Event = field(default_factory=threading.Event)
    reason: str = "Stopped by the user."

    def __post_init__(self) -> None:
        self._running.set()

    def stop(self, reason: str = "Stopped by the user.") -> None:
        self.reason = reason
        self._stop.set()
        self._running.set()  # a paused run wakes up to stop

    def pause(self) -> None:
        if not self._stop.is_set():
            self._running.clear()

    def resume(self) -> None:
        self._running.set()

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    @property
    def paused(self) -> bool:
        return not self._running.is_set()

    def checkpoint(self) -> None:
        """Return at once when running; block while paused; raise Stopped once stopped."""
        self._running.wait()
        if self._stop.is_set():
            raise Stopped(self.reason)

    def sleep(self, seconds: float) -> None:
        """Sleep that a stop cuts short."""
        if self._stop.wait(seconds):
            raise Stopped(self.reason)
