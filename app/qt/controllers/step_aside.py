"""Getting out of the agent's way: hide the main window, show the status window, and start the run only once the
screen no longer shows the window (a fixed delay is not enough on a busy machine)."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from app.desktop.masked import Exclusions
from app.qt.views.main_window import MainWindow
from app.qt.views.overlay import Overlay

POLL_MS = 30
LIMIT_S = 3.0


class StepAside(QObject):
    """``leave(then)`` hides ``window`` and calls ``then`` once its rectangle is redrawn; ``come_back`` restores it."""

    def __init__(self, window: MainWindow, overlay: Overlay, exclusions: Exclusions) -> None:
        super().__init__()
        self.window = window
        self.overlay = overlay
        self.exclusions = exclusions
        self.away = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)
        self._then: Callable[[], None] | None = None
        self._grabber: Any = None
        self._rect: dict[str, int] = {}
        self._before: Any = None
        self._last: Any = None
        self._deadline = 0.0
        overlay.resized.connect(self._masked)

    def leave(self, display: str, then: Callable[[], None]) -> None:
        """Hide the window, show the status window (kept out of captures), then wait for the screen to clear."""
        import mss

        self._grabber = mss.MSS(display=display)
        geo, screen = self.window.screen_rect(), self._grabber.monitors[0]
        left, top = max(geo.x(), screen["left"]), max(geo.y(), screen["top"])
        right = min(geo.x() + geo.width(), screen["left"] + screen["width"])
        bottom = min(geo.y() + geo.height(), screen["top"] + screen["height"])
        self._rect = {"left": left, "top": top, "width": max(1, right - left), "height": max(1, bottom - top)}
        self._before = self._grab()
        self._last, self._then = None, then
        self.away = True
        self.window.hide()
        self._masked()
        self.overlay.set_text("DeskPilot is working", "starting…")
        self.overlay.show()
        self._deadline = time.monotonic() + LIMIT_S
        self._timer.start()

    def _masked(self) -> None:
        """Place the status window and keep its rectangle (which grows with the plan) out of the captures."""
        if not self.away:
            return
        rect = self.overlay.place()
        self.exclusions.set("overlay", (rect.x(), rect.y(), rect.width(), rect.height()))

    def _grab(self) -> Any:
        import numpy as np

        shot = self._grabber.grab(self._rect)
        return np.frombuffer(shot.raw, np.uint8).reshape(shot.height, shot.width, 4)[:, :, :3].copy()

    def _poll(self) -> None:
        """Go on once the window's rectangle shows something else and holds still for one poll."""
        import numpy as np

        now = self._grab()
        gone = np.abs(now.astype(np.int16) - self._before).mean() > 2.0
        still = self._last is not None and np.array_equal(now, self._last)
        self._last = now
        if (gone and still) or time.monotonic() > self._deadline:
            self._timer.stop()
            self._grabber.close()
            then, self._then = self._then, None
            if then is not None:
                then()

    def come_back(self) -> None:
        """Hide the status window and show the main window again."""
        self.overlay.hide()
        self.exclusions.set("overlay", None)
        if self.away:
            self.away = False
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()
