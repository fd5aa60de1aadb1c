"""FrameBuffer: the last few distinct screenshots, grabbed continuously, so any input event can be paired with
the screen as it was just before it; the screenshots an event refers to are written by a background saver.
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from app.desktop.capture import MssScreenSource
from grounding.coords import Frame
from planner.targets import save_png


@dataclass
class Shot:
    """A distinct screenshot: first seen at ``t`` (seconds on the recording's clock), its Frame and file."""

    t: float
    image: np.ndarray
    frame: Frame
    file: str = ""


@dataclass
class FrameBuffer:
    """Grabs ``display`` every ``interval`` seconds, keeping the last ``keep`` distinct frames."""

    display: str | None
    folder: Path
    clock: float
    monitor: int = 1
    interval: float = 0.05
    keep: int = 12
    _shots: deque[Shot] = field(default_factory=deque)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _saves: queue.Queue = field(default_factory=queue.Queue)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _files: int = 0

    def start(self) -> FrameBuffer:
        source = MssScreenSource(self.display, self.monitor)
        self._grab(source)  # a frame is at hand before the first event
        for target, args in ((self._grab_loop, (source,)), (self._save_loop, ())):
            thread = threading.Thread(target=target, args=args, name=f"frames-{target.__name__}", daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Stop grabbing and write every screenshot still waiting to be saved."""
        self._stop.set()
        self._saves.put(None)
        for thread in self._threads:
            thread.join(timeout)

    def before(self, t: float) -> Shot:
        """The last frame first seen at or before ``t``, given a file name (saved in the background)."""
        with self._lock:
            shots = list(self._shots)
        shot = next((s for s in reversed(shots) if s.t <= t), shots[0])
        if not shot.file:
            self._files += 1
            shot.file = f"shots/frame_{self._files:04d}.png"
            self._saves.put((shot.image, self.folder / shot.file))
        return shot

    def _grab_loop(self, source: MssScreenSource) -> None:
        try:
            while not self._stop.is_set():
                self._grab(source)
                time.sleep(self.interval)
        finally:
            source.close()

    def _grab(self, source: MssScreenSource) -> None:
        t = time.monotonic() - self.clock
        obs = source.capture()
        with self._lock:
            if not self._shots or not np.array_equal(self._shots[-1].image, obs.image):
                self._shots.append(Shot(t, obs.image, obs.frame))
                while len(self._shots) > self.keep:
                    self._shots.popleft()

    def _save_loop(self) -> None:
        while True:
            item = self._saves.get()
            if item is None:
                return
            save_png(*item)
