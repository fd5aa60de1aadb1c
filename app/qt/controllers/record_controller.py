"""The Record button: asks for a name and a task, gets out of the way, records the person's demonstration with
``app.record.recorder.Recorder`` off the GUI thread, and reports the saved demonstration when the stop keys end it."""

from __future__ import annotations

import os
import re
import threading
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QInputDialog, QLineEdit

from app.config import load_app
from app.qt.views.main_window import MainWindow
from models.settings import SettingsError

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class RecordController(QObject):
    """Start and stop one recording at a time; the recorder's worker threads reach the window through signals."""

    stepped = Signal(int, str)
    ended = Signal(str, str)  # status word, sentence

    def __init__(self, window: MainWindow, store: Any = None) -> None:
        super().__init__()
        self.window = window
        self.store = store  # planner.demos.DemoStore; None: the default demos folder
        self.recorder: Any = None
        self._lock = threading.Lock()
        self.window.record_clicked.connect(self.toggle)
        self.stepped.connect(self._stepped)
        self.ended.connect(self._ended)

    @property
    def recording(self) -> bool:
        return self.recorder is not None

    def toggle(self) -> None:
        if self.recording:
            self.finish()
        else:
            self.begin()

    def begin(self) -> None:
        """Ask what to call the demonstration and what task it shows, then start recording."""
        name, ok = QInputDialog.getText(self.window, "Record a demonstration",
                                        "Name (letters, digits, dots, dashes):", QLineEdit.EchoMode.Normal)
        if not ok:
            return
        if not NAME.match(name.strip()):
            self.window.set_state(f"{name!r} cannot name a demonstration: use letters, digits, dots and dashes.",
                                  "failed")
            return
        task, ok = QInputDialog.getText(self.window, "Record a demonstration", "The task it shows:",
                                        QLineEdit.EchoMode.Normal, self.window.task_text())
        if ok:
            self.start(name.strip(), task.strip())

    def start(self, name: str, task: str) -> None:
        from app.record.recorder import DEFAULT_STOP, Recorder
        from planner.demos import DemoError, DemoStore

        try:
            display = load_app().display or os.environ.get("DISPLAY", "")
        except SettingsError as exc:
            self.window.set_state(str(exc), "failed")
            return
        try:
            self.recorder = Recorder(name, task, display or None, self.store or DemoStore(), replace_old=True,
                                     on_step=lambda step, n: self.stepped.emit(n, step.describe())).start()
        except (DemoError, OSError, RuntimeError) as exc:
            self.window.set_state(f"Recording could not start: {exc}", "failed")
            self.recorder = None
            return
        self.keys = "+".join(DEFAULT_STOP)
        self.window.set_recording(True)
        where = "this screen" if display == os.environ.get("DISPLAY") else f"display {display}"
        self.window.set_state(f"Recording {name!r} on {where}: do the task now; {self.keys} or Stop recording ends "
                              "it.", "running")
        threading.Thread(target=self._wait, name="deskpilot-record", daemon=True).start()

    def _wait(self) -> None:
        recorder = self.recorder
        if recorder is not None and recorder.wait():
            self._save(recorder)

    def finish(self) -> None:
        """End the recording from the button (the stop keys end it by themselves)."""
        recorder = self.recorder
        if recorder is not None:
            threading.Thread(target=self._save, args=(recorder,), daemon=True).start()

    def _save(self, recorder: Any) -> None:
        with self._lock:  # the stop keys and the button may both end it; one of them saves
            if self.recorder is not recorder:
                return
            self.recorder = None
        try:
            demo = recorder.stop()
        except Exception as exc:  # the recording's own trouble: the person gets one sentence, events stay on disk
            self.ended.emit("failed", f"The recording could not be finished ({exc}); its events are kept.")
            return
        self.ended.emit("done", f"Saved the demonstration {demo.name!r} with {len(demo.steps)} step(s); replay "
                                f"it with `deskpilot replay {demo.name}`.")

    def _stepped(self, n: int, text: str) -> None:
        self.window.set_state(f"Recording: step {n}: {text}", "running")

    def _ended(self, status: str, sentence: str) -> None:
        self.window.set_recording(False)
        self.window.set_state(sentence, status)
