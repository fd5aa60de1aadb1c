"""Python's cycle collector, run on the GUI thread only.

A collection runs in whichever thread happens to allocate when the counts pass their threshold: often the
engine's worker thread, mid-run. A cycle holding a Qt object (a closed dialog, a view and its slot) is then freed
there, and a Qt object destroyed outside the thread that owns it can crash the whole process (the app's tests
hit it: a segmentation fault inside a worker's json.dumps, "Garbage-collecting"). So the app turns automatic
collection off and collects from a timer on the GUI thread instead, as often as the thresholds would have.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 200


class MainThreadCollector(QObject):
    """While it lives, cycles are collected only on the thread that made it (the GUI thread)."""

    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.timeout.connect(self.check)
        self._timer.start(interval_ms)

    def check(self) -> None:
        """Collect the generations whose counts passed their thresholds, as the automatic collector would."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        for generation in (2, 1, 0):
            if counts[generation] > thresholds[generation]:
                gc.collect(generation)
                return

    def stop(self) -> None:
        """Give collection back to Python (a test's app is done; the next tests have no timer to run it)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
        gc.collect()
