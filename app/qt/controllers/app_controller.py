"""The app as a whole: main window, run controller, global stop hotkey, tray, settings and runs windows."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.config import load_app, load_history
from app.desktop.stoppers import hotkey_label
from app.qt.controllers.record_controller import RecordController
from app.qt.controllers.run_controller import RunController
from app.qt.engine import Engine, run_engine
from app.qt.views.main_window import MainWindow
from app.qt.views.tray import Tray
from models.settings import SettingsError
from planner.events import Finished


def profile_text() -> str:
    """The agent and model the next run uses, in a few words."""
    from models.native_settings import load_agent, load_native
    from models.settings import SettingsError, load

    try:
        mode = load_agent().mode
        if mode == "native":
            native = load_native()
            return f"{native.model or 'no model set'} · native {native.protocol}"
        llm = load()
    except SettingsError:
        return "Model settings unusable · direct commands"
    if mode == "direct":
        return "Direct commands only · chosen in Settings"
    if llm.provider == "scripted" and llm.configured:
        return f"Planner · scripted answers ({Path(llm.script).name})"
    if llm.configured:
        where = {"openai": llm.base_url, "anthropic": "Anthropic", "transformers": "local weights"}
        return f"{llm.model} · {where.get(llm.provider, llm.provider)}"
    return "Direct commands · no model configured"


class AppController(QObject):
    """Builds the windows lazily and keeps the hotkey registered with the current settings."""

    def __init__(self, engine: Engine = run_engine) -> None:
        super().__init__()
        self.window = MainWindow()
        self.run = RunController(self.window, engine)
        self.record = RecordController(self.window)
        self.hotkey = None
        self.tray: Tray | None = None
        self.settings_controller = None
        self.runs_controller = None
        self.window.settings_clicked.connect(self.open_settings)
        self.window.runs_clicked.connect(self.open_runs)
        self.window.closing.connect(self.shutdown)
        self.run.ending.fix_requested.connect(lambda: self.open_settings("model"))
        self.run.run_started.connect(lambda task: self._tray_status(f"Running: {task}", True))
        self.run.run_finished.connect(self._finished)
        self.window.set_history(load_history())
        self.window.set_task_text("")
        self.window.set_profile(profile_text())
        QTimer.singleShot(0, self.refresh)  # the hotkey (pynput, Xlib) registers once the window is up

    def refresh(self) -> None:
        """Re-read the settings: profile label and hotkey."""
        self.window.set_profile(profile_text())
        try:
            settings = load_app()
        except SettingsError as exc:
            self.window.set_hotkey_hint(str(exc))
            return
        self._register_hotkey(settings.hotkey)

    def _register_hotkey(self, hotkey: str) -> None:
        from app.desktop.session import hotkey_stop
        from app.desktop.stoppers import StopperError

        if self.hotkey is not None:
            self.hotkey.stop()
            self.hotkey = None
        try:
            self.hotkey = hotkey_stop(hotkey, self.run.stop_from_anywhere)
            self.window.set_hotkey_hint(f"{hotkey_label(hotkey)} stops")
        except StopperError as exc:
            self.window.set_hotkey_hint(f"Stop hotkey off: {exc}")

    def show(self) -> None:
        self.window.show()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = Tray(self.window)
            self.tray.show_requested.connect(self._show_window)
            self.tray.stop_requested.connect(lambda: self.run.stop("Stopped from the tray."))
            self.tray.quit_requested.connect(self.window.close)
            self.tray.show()

    def _show_window(self) -> None:
        if not self.run.aside.away:
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()

    def open_settings(self, tab: str = "") -> None:
        """The settings dialog, on ``tab`` (model, grounding, safety, stop) when given."""
        from app.qt.controllers.settings_controller import SettingsController

        if self.settings_controller is None:
            self.settings_controller = SettingsController.build(self.window)
            self.settings_controller.saved.connect(self.refresh)
        self.settings_controller.open(tab)

    def open_runs(self) -> None:
        from app.qt.controllers.runs_controller import RunsController
        from app.qt.views.runs_window import RunsWindow

        try:
            root = load_app().runs_path()
        except SettingsError as exc:
            self.window.set_state(str(exc), "failed")
            return
        if self.runs_controller is None:
            self.runs_controller = RunsController(RunsWindow(self.window), root)
        self.runs_controller.refresh(root)
        self.runs_controller.window.show()
        self.runs_controller.window.raise_()
        self.runs_controller.window.activateWindow()

    def _finished(self, event: Finished) -> None:
        self._tray_status(f"{event.status}: {event.message}", False)
        if self.runs_controller is not None and self.runs_controller.window.isVisible():
            self.runs_controller.refresh()

    def _tray_status(self, text: str, running: bool) -> None:
        if self.tray is not None:
            self.tray.set_status(text, running)

    def shutdown(self) -> None:
        """Stop a run that is still going, release the hotkey, and leave."""
        self.run.stop("The app was closed.")
        self.record.finish()
        self.run.runner.wait(3.0)
        if self.hotkey is not None:
            self.hotkey.stop()
            self.hotkey = None
        if self.tray is not None:
            self.tray.hide()
        QApplication.quit()
