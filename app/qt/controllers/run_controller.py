"""A run from the main window: start, pause/resume, stop; the app steps aside while the agent uses its screen."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage

from app.config import AppSettings, ConfigError, load_app, remember
from app.desktop.masked import Exclusions, MaskedSource
from app.qt import theme
from app.qt.controllers.approvals import ApprovalController
from app.qt.controllers.step_aside import StepAside
from app.qt.engine import Engine, EngineCall, EngineRunner, run_engine
from app.qt.views.approval_dialog import ApprovalDialog
from app.qt.views.live_view import to_qimage
from app.qt.views.main_window import MainWindow
from app.qt.views.overlay import Overlay
from app.qt.views.timeline import StepRow
from app.runs.marks import action_marks, short
from planner.events import Decided, Finished, Stepped


def hotkey_label(hotkey: str) -> str:
    """``<ctrl>+<alt>+s`` -> ``Ctrl+Alt+S``."""
    return "+".join(p.strip("<>").capitalize() for p in hotkey.split("+"))


class RunController(QObject):
    """Owns one run at a time and everything the window shows about it."""

    run_started = Signal(str)
    run_finished = Signal(object)  # planner.events.Finished
    stop_requested = Signal(str)

    def __init__(self, window: MainWindow, engine: Engine = run_engine,
                 settings: Callable[[], AppSettings] = load_app) -> None:
        super().__init__()
        self.window = window
        self.runner = EngineRunner(engine, self)
        self.load_settings = settings
        self.exclusions = Exclusions()
        self.overlay = Overlay()
        self.aside = StepAside(window, self.overlay, self.exclusions)
        self.approvals = ApprovalController(ApprovalDialog(window), self.exclusions)
        self.control: Any = None  # planner.control.RunControl of the current run (loaded with the first run)
        self.source: MaskedSource | None = None
        self.settings = AppSettings()
        self.started = 0.0
        self.images: dict[int, QImage] = {}
        self.aimed: tuple[float, float] | None = None
        self.corner: Any = None
        self.last_folder = ""
        self._clock = QTimer(self)
        self._clock.setInterval(100)
        self._clock.timeout.connect(self._tick)
        self._wire()
        self._set_idle("Ready", "idle")

    def _wire(self) -> None:
        w = self.window
        w.run_button.clicked.connect(self.start)
        w.task.lineEdit().returnPressed.connect(self.start)
        w.pause_button.clicked.connect(self.toggle_pause)
        w.stop_button.clicked.connect(lambda: self.stop("Stopped with the Stop button."))
        self.overlay.stop_button.clicked.connect(lambda: self.stop("Stopped from the status window."))
        w.timeline.picked.connect(self.show_step)
        self.runner.decided.connect(self._decided)
        self.runner.stepped.connect(self._stepped)
        self.runner.finished.connect(self._finished)
        self.runner.failed.connect(self._failed)
        self.stop_requested.connect(self._stop_shown)
        self.approvals.showing.connect(self._approval_showing)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def start(self) -> bool:
        """Start the task in the task box; False (with the reason on the status line) when it cannot start."""
        task = self.window.task.currentText().strip()
        if self.busy:
            return False
        if not task:
            self._set_idle("Type a task first, e.g. click Save.", "failed")
            return False
        try:
            self.settings = self.load_settings()
            call = self._call(task)
        except (ConfigError, RuntimeError) as exc:
            self._set_idle(str(exc), "failed")
            return False
        self._show_history(remember(task))
        self._reset_view()
        self.run_started.emit(task)
        if self._should_step_aside():
            self.aside.leave(call.options.display, lambda: self._launch(call))
        else:
            self._launch(call)
        return True

    def _call(self, task: str) -> EngineCall:
        from app.desktop.session import screen_source, session_display
        from app.engine.options import RunOptions
        from app.qt.approver import DialogApprover
        from planner.control import RunControl

        s = self.settings
        display = s.display or session_display()
        if not display:
            raise ConfigError("There is no display to work on: set DISPLAY or choose one in Settings.")
        options = RunOptions(task=task, display=display, out=s.runs_path(), max_steps=s.max_steps, input_driver=s.input,
                             grounding=s.grounding)
        self.control = RunControl()
        approver = DialogApprover(self.control)
        approver.asked.connect(self.approvals.ask)
        approver.withdrawn.connect(self.approvals.withdraw)
        self.source = MaskedSource(screen_source(display), self.exclusions)
        self.display = display
        return EngineCall(options, approver, self.control, self.source)

    def _should_step_aside(self) -> bool:
        same_screen = not self.settings.display or self.settings.display == os.environ.get("DISPLAY")
        onscreen = QGuiApplication.platformName() not in ("offscreen", "minimal")
        return self.settings.hide_while_running and same_screen and onscreen

    def _launch(self, call: EngineCall) -> None:
        self.started = time.monotonic()
        self._clock.start()
        if self.settings.failsafe_corner:
            self._start_corner(call.options.display)
        self.runner.start(call)
        self._buttons(running=True)
        self.window.set_state(f"Running: {short(call.options.task, 70)}", "running")

    def _start_corner(self, display: str) -> None:
        from app.desktop.session import corner_stop
        from app.desktop.stoppers import StopperError

        try:
            self.corner = corner_stop(display, self.stop_from_anywhere, aimed=lambda: self.aimed)
        except StopperError as exc:
            self.corner = None
            self.window.hotkey_hint.setText(str(exc))

    def stop_from_anywhere(self, reason: str) -> None:
        """Thread-safe: the hotkey and corner threads call this; the run stops within one typing chunk."""
        if self.runner.busy:
            self.control.stop(reason)
            self.stop_requested.emit(reason)

    def stop(self, reason: str = "Stopped by the user.") -> None:
        if self.runner.busy:
            self.control.stop(reason)
            self._stop_shown(reason)

    def toggle_pause(self) -> None:
        if not self.runner.busy:
            return
        if self.control.paused:
            self.control.resume()
            self.window.set_state("Running", "running")
            self.overlay.set_text("DeskPilot is working", self._detail())
        else:
            self.control.pause()
            self.window.set_state("Paused: the agent waits before its next action", "paused")
            self.overlay.set_text("Paused", "the agent waits before its next action")
        self._buttons(running=True)

    def _stop_shown(self, reason: str) -> None:
        self.window.set_state(f"Stopping… {reason}", "stopped")
        self.overlay.set_text("Stopping…", reason)

    def _decided(self, event: Decided) -> None:
        step, action = event.step, event.action
        image = to_qimage(event.image) if event.image is not None else None
        if image is not None:
            self.images[step] = image
        self.aimed = (action["x"], action["y"]) if "x" in action and "y" in action else None
        marks = action_marks(action, event.grounding, event.frame)
        if marks.text and marks.point is None and marks.box is None:  # typing goes where the last click went
            marks = replace(marks, box=self.window.live.marks.box, point=self.window.live.marks.point)
        self.window.live.show_image(image, marks)
        self.window.action_caption.setText(f"Step {step}: {short(event.text, 60)}")
        self.window.timeline.put(StepRow(step, event.text, event.thought), image)
        self.overlay.set_text(f"Step {step}: {short(event.text, 34)}", self._detail())

    def _stepped(self, event: Stepped) -> None:
        r = event.record
        verdict = "ok" if r.ok else (r.outcome or {}).get("error") or "failed"
        note = f"{sum(r.timing_ms.values()):.0f} ms" if r.timing_ms else ""
        if r.policy:
            note = f"{note}   ·   policy: {r.policy.get('reason', '')}".strip(" ·")
        self.window.timeline.put(StepRow(r.step, event.text, r.response, verdict, note), self.images.get(r.step))
        self.window.steps.setText(f"{r.step} steps")
        if r.usage is not None:
            self.window.tokens.setText(f"{r.usage.tokens:,} tokens")
            self.window.cost.setText(f"${r.usage.cost:.4f}")
        self.window.step_count.setText(f"{r.step} done")

    def _finished(self, event: Finished) -> None:
        self._wind_down()
        self.last_folder = event.folder
        self._set_idle(f"{event.status.replace('_', ' ').capitalize()}: {event.message}", event.status)
        self.window.action_caption.setText(f"Trajectory: {Path(self.last_folder).name}")
        self.run_finished.emit(event)

    def _failed(self, message: str) -> None:
        self._wind_down()
        self._set_idle(message, "error")
        self.run_finished.emit(Finished(status="error", message=message, folder=""))

    def _wind_down(self) -> None:
        self._clock.stop()
        self._tick()
        if self.corner is not None:
            self.corner.stop()
            self.corner = None
        if self.approvals.request is not None:
            self.approvals.withdraw(self.approvals.request)
        self.aimed = None
        self.aside.come_back()

    def _approval_showing(self, up: bool) -> None:
        title = "Waiting for your approval" if up else "DeskPilot is working"
        self.overlay.set_text(title, self._detail())

    def show_step(self, step: int) -> None:
        """Show a step's screenshot again (clicked in the timeline)."""
        if step in self.images and not self.runner.busy:
            self.window.live.show_image(self.images[step])
            self.window.action_caption.setText(f"Step {step}")

    def _tick(self) -> None:
        elapsed = time.monotonic() - self.started if self.started else 0.0
        self.window.elapsed.setText(f"{elapsed:.1f} s")
        if self.overlay.isVisible():
            self.overlay.detail.setText(self._detail())

    def _detail(self) -> str:
        elapsed = time.monotonic() - self.started if self.started else 0.0
        return f"{elapsed:.1f} s  ·  {hotkey_label(self.settings.hotkey)} stops"

    def _reset_view(self) -> None:
        self.images.clear()
        self.window.timeline.clear()
        self.window.live.show_image(None)
        for label, text in ((self.window.steps, "0 steps"), (self.window.tokens, "0 tokens"),
                            (self.window.cost, "$0.0000"), (self.window.step_count, ""),
                            (self.window.action_caption, "")):
            label.setText(text)

    def _show_history(self, items: list[str]) -> None:
        box = self.window.task
        text = box.currentText()
        box.blockSignals(True)
        box.clear()
        box.addItems(items)
        box.setEditText(text)
        box.blockSignals(False)

    def _set_idle(self, text: str, status: str) -> None:
        self.window.set_state(text, status)
        self._buttons(running=False)

    def _buttons(self, running: bool) -> None:
        w = self.window
        w.run_button.setEnabled(not running)
        w.task.setEnabled(not running)
        w.pause_button.setEnabled(running)
        w.stop_button.setEnabled(running)
        paused = running and self.control is not None and self.control.paused
        w.pause_button.setText(" Resume" if paused else " Pause")
        w.pause_button.setIcon(theme.icon("play" if paused else "pause", theme.INK, 16))
