"""A run from the main window: start, pause/resume, stop; the app steps aside while the agent uses its screen, and
the window (or the status window) shows the plan, each step, the tokens and cost as they are spent, and the end."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage

from app.config import AppSettings, load_app, remember
from app.desktop.masked import Exclusions, MaskedSource
from app.desktop.stoppers import hotkey_label
from app.engine.workdir import drop_if_empty, make_workdir
from app.qt.controllers.approvals import ApprovalController
from app.qt.controllers.ending import EndingController, RunContext
from app.qt.controllers.rows import PlanTracker, step_row
from app.qt.controllers.step_aside import StepAside
from app.qt.engine import Engine, EngineCall, EngineRunner, run_engine
from app.qt.views.approval_dialog import ApprovalDialog
from app.qt.views.live_view import to_qimage
from app.qt.views.main_window import MainWindow
from app.qt.views.overlay import Overlay
from app.qt.views.timeline import StepRow
from app.runs.marks import Marks, action_marks, short
from models.settings import SettingsError
from planner.events import Called, Decided, Finished, Planned, Stepped


def _choose_agent() -> Any:
    """The agent the config chooses (app.engine.agents), and whether direct commands were chosen on purpose."""
    from app.engine.agents import choose_agent
    from models.native_settings import load_agent

    return choose_agent(), load_agent().mode == "direct"


class RunController(QObject):
    """Owns one run at a time and everything the window shows about it."""

    run_started = Signal(str)
    run_finished = Signal(object)  # planner.events.Finished
    stop_requested = Signal(str)

    def __init__(self, window: MainWindow, engine: Engine = run_engine,
                 settings: Callable[[], AppSettings] = load_app, agents: Callable[[], Any] = _choose_agent) -> None:
        super().__init__()
        self.window = window
        self.runner = EngineRunner(engine, self)
        self.load_settings, self.choose_agent = settings, agents
        self.exclusions = Exclusions()
        self.overlay = Overlay()
        self.aside = StepAside(window, self.overlay, self.exclusions)
        self.approvals = ApprovalController(ApprovalDialog(window), self.exclusions)
        self.ending = EndingController(window)
        self.plan = PlanTracker()
        self.control: Any = None  # planner.control.RunControl of the current run (loaded with the first run)
        self.source: MaskedSource | None = None
        self.settings = AppSettings()
        self.context = RunContext()
        self.started = 0.0
        self.images: dict[int, QImage] = {}
        self.final: QImage | None = None
        self.marks = Marks()  # the last action's, for typing that goes where the last click went
        self.aimed: tuple[float, float] | None = None
        self.corner: Any = None
        self.last_folder = ""
        self.pending: StepRow | None = None  # a step decided but not yet written
        self.counts = (0, 0, 0.0)  # steps, tokens, cost
        self._clock = QTimer(self)
        self._clock.setInterval(100)
        self._clock.timeout.connect(self._tick)
        self._wire()
        self._set_idle("Ready", "idle")

    def _wire(self) -> None:
        w, r = self.window, self.runner
        w.run_clicked.connect(self.start)
        w.pause_clicked.connect(self.toggle_pause)
        w.stop_clicked.connect(lambda: self.stop("Stopped with the Stop button."))
        w.step_picked.connect(self.show_step)
        self.overlay.stop_clicked.connect(lambda: self.stop("Stopped from the status window."))
        self.overlay.pause_clicked.connect(self.toggle_pause)
        for signal, slot in ((r.decided, self._decided), (r.stepped, self._stepped), (r.planned, self._planned),
                             (r.called, self._called), (r.finished, self._finished), (r.failed, self._failed)):
            signal.connect(slot)
        self.stop_requested.connect(self._stop_shown)
        self.approvals.showing.connect(self._approval_showing)

    @property
    def busy(self) -> bool:
        return self.runner.busy

    def start(self) -> bool:
        """Start the task in the task box; False (with the reason on the status line) when it cannot start."""
        task = self.window.task_text().strip()
        if self.busy:
            return False
        if not task:
            self._set_idle("Type a task first, e.g. click Save.", "failed")
            return False
        try:
            self.settings = self.load_settings()
            call = self._call(task)
        except (SettingsError, RuntimeError) as exc:
            self._set_idle(str(exc), "failed")
            return False
        except ValueError as exc:  # models.settings.SettingsError: the model the settings choose cannot be used
            self._set_idle(str(exc), "failed")
            self.window.show_notice("failed", "The model is not set up.", str(exc), details=False,
                                    fix="Model settings")
            return False
        self.window.set_history(remember(task))
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
            raise SettingsError("There is no display to work on: set DISPLAY or choose one in Settings.")
        choice, on_purpose = self.choose_agent()  # SettingsError (a ValueError): the model is not usable
        workdir = _work_folder(s.workdir)
        self.context = RunContext(direct=choice.mode == "direct", model_configured=on_purpose, workdir=workdir,
                                  own_workdir=not s.workdir)
        options = RunOptions(task=task, display=display, out=s.runs_path(), max_steps=s.max_steps, input_driver=s.input,
                             grounding=s.grounding, workdir=workdir, agent="direct" if self.context.direct else "auto")
        self.control = RunControl()
        approver = DialogApprover(self.control)
        approver.asked.connect(self.approvals.ask)
        approver.withdrawn.connect(self.approvals.withdraw)
        self.approvals.workdir = workdir
        self.source = MaskedSource(screen_source(display), self.exclusions)
        return EngineCall(options, approver, self.control, self.source, choice=choice)

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
        self.window.set_controls(running=True)
        self.window.set_state(f"Running: {short(call.options.task, 70)}", "running")

    def _start_corner(self, display: str) -> None:
        from app.desktop.session import corner_stop
        from app.desktop.stoppers import StopperError

        try:
            self.corner = corner_stop(display, self.stop_from_anywhere, aimed=lambda: self.aimed)
        except StopperError as exc:
            self.corner = None
            self.window.set_hotkey_hint(str(exc))

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
        self.overlay.set_paused(self.control.paused)
        self.window.set_controls(running=True, paused=self.control.paused)

    def _stop_shown(self, reason: str) -> None:
        self.window.set_state(f"Stopping… {reason}", "stopped")
        self.overlay.set_text("Stopping…", reason)

    # -- the engine's events, on the GUI thread -----------------------------------------------------------------------
    def _decided(self, event: Decided) -> None:
        step, action = event.step, event.action
        image = to_qimage(event.image) if event.image is not None else None
        if image is not None:
            self.images[step] = image
        self.aimed = (action["x"], action["y"]) if "x" in action and "y" in action else None
        marks = action_marks(action, event.grounding, event.frame)
        if marks.text and marks.point is None and marks.box is None:  # typing goes where the last click went
            marks = replace(marks, box=self.marks.box, point=self.marks.point)
        self.marks, self.pending = marks, StepRow(step, event.text, event.thought)
        self.window.show_screen(image, marks, f"Step {step}: {short(event.text, 60)}")
        self.window.put_step(self.pending, image)
        self.overlay.set_text(f"Step {step}: {short(event.text, 44)}", self._detail())

    def _stepped(self, event: Stepped) -> None:
        r = event.record
        self.window.put_step(step_row(r, event.text), self.images.get(r.step), f"{r.step} done")
        self.pending = None
        usage = r.usage
        self._count(r.step, usage.tokens if usage else self.counts[1], usage.cost if usage else self.counts[2])

    def _planned(self, event: Planned) -> None:
        rows = self.plan.update(event.current, event.subtasks)
        self.window.set_plan(rows)
        self.overlay.set_plan(rows)
        self.overlay.set_text(self.overlay.texts()[0], self._detail())

    def _called(self, event: Called) -> None:
        self._count(self.counts[0], event.usage.tokens, event.usage.cost)

    def _finished(self, event: Finished) -> None:
        self._wind_down()
        self.last_folder = event.folder
        if event.usage is not None:
            self._count(event.steps, event.usage.tokens, event.usage.cost)
        if self.pending is not None:  # decided, then the run ended before the step could be written
            self.window.put_step(replace(self.pending, outcome="not run: the run ended first", mark="stopped"),
                                 self.images.get(self.pending.step))
        self._set_idle(f"{event.status.replace('_', ' ').capitalize()}: {event.message}", event.status)
        self.final = to_qimage(event.image) if event.image is not None else None
        if self.final is not None:
            self.window.show_screen(self.final, None, "The screen as the run left it")
        else:
            self.window.show_screen(self.images.get(event.steps), None, f"Trajectory: {Path(event.folder).name}")
        self.ending.ended(event, self.context)
        self._drop_workdir()
        self.run_finished.emit(event)

    def _failed(self, message: str) -> None:
        self._wind_down()
        self._set_idle(message, "error")
        event = Finished(status="error", message=message, folder="")
        self.ending.ended(event, self.context)
        self._drop_workdir()
        self.run_finished.emit(event)

    def _drop_workdir(self) -> None:
        """The work folder made for the run goes when the code wrote nothing there (the notice named it if it did)."""
        if self.context.own_workdir:
            drop_if_empty(self.context.workdir)

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
        """Show a step's screenshot again (clicked in the timeline) once the run is over."""
        if step in self.images and not self.runner.busy:
            self.window.show_screen(self.images[step], None, f"Step {step}")

    # -- the status line ----------------------------------------------------------------------------------------------
    def _count(self, steps: int, tokens: int, cost: float) -> None:
        self.counts = (steps, tokens, cost)
        self.window.set_counts(steps, tokens, cost)

    def _tick(self) -> None:
        self.window.set_elapsed(time.monotonic() - self.started if self.started else 0.0)
        if self.overlay.isVisible():
            self.overlay.set_text(self.overlay.texts()[0], self._detail())
            self.overlay.raise_()  # without a window manager "stay on top" is not kept: the agent's app may cover it

    def _detail(self) -> str:
        elapsed = time.monotonic() - self.started if self.started else 0.0
        subtask = f"{short(self.plan.current, 38)}  ·  " if self.plan.current else ""
        return f"{subtask}{elapsed:.1f} s  ·  {hotkey_label(self.settings.hotkey)} stops"

    def _reset_view(self) -> None:
        self.images.clear()
        self.final, self.marks, self.pending = None, Marks(), None
        self.plan.clear()
        self.window.clear_steps()
        self.window.set_plan([])
        self.overlay.set_plan([])
        self.window.show_screen(None)
        self.ending.clear()
        self._count(0, 0, 0.0)

    def _set_idle(self, text: str, status: str) -> None:
        self.window.set_state(text, status)
        self.window.set_controls(running=False)


def _work_folder(setting: str) -> str:
    """The folder code runs in: the one in Settings (created when missing), else a new temporary one."""
    if setting:
        folder = Path(setting).expanduser()
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SettingsError(f"The work folder {folder} cannot be made ({exc.strerror}); choose another in "
                              "Settings.") from None
        return str(folder)
    return make_workdir()
