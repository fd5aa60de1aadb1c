"""The app as a whole: main window, run controller, global stop hotkey, tray, settings and runs windows."""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from app.config import ConfigError, load_app, load_history
from app.qt.controllers.record_controller import RecordController
from app.qt.controllers.run_controller import RunController, hotkey_label
from app.qt.engine import Engine, run_engine
from app.qt.views.main_window import MainWindow
from app.qt.views.tray import Tray
from planner.events import Finished


def profile_text() -> str:
    """The model profile the next run uses, in a few words."""
    from models.settings import SettingsError, load

    try:
        llm = load()
    except SettingsError:
        return "Model settings unusable · direct commands"
    if llm.configured:
        where = {"openai": llm.base_url, "anthropic": "Anthropic", "transformers": "local weights"}[llm.provider]
        return f"{llm.model} · {where}"
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
        self.window.settings_button.clicked.connect(self.open_settings)
        self.window.runs_button.clicked.connect(self.open_runs)
        self.window.closing.connect(self.shutdown)
        self.run.run_started.connect(lambda task: self._tray_status(f"Running: {task}", True))
        self.run.run_finished.connect(self._finished)
        self.window.task.addItems(load_history())
        self.window.task.setEditText("")
        self.window.profile.setText(profile_text())
        QTimer.singleShot(0, self.refresh)  # the hotkey (pynput, Xlib) registers once the window is up

    def refresh(self) -> None:
        """Re-read the settings: profile label and hotkey."""
        self.window.profile.setText(profile_text())
        try:
            settings = load_app()
        except ConfigError as exc:
            self.window.hotkey_hint.setText(str(exc))
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
            self.window.hotkey_hint.setText(f"{hotkey_label(hotkey)} stops")
        except StopperError as exc:
            self.window.hotkey_hint.setText(f"Stop hotkey off: {exc}")

    def show(self) -> None:
        self.window.show()
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = Tray(self.window)
            self.tray.show_action.triggered.connect(self._show_window)
            self.tray.stop_action.triggered.connect(lambda: self.run.stop("Stopped from the tray."))
            self.tray.quit_action.triggered.connect(self.window.close)
            self.tray.activated.connect(lambda *_: self._show_window())
            self.tray.show()

    def _show_window(self) -> None:
        if not self.run.aside.away:
            self.window.show()
            self.window.raise_()
            self.window.activateWindow()

    def open_settings(self) -> None:
        from app.qt.controllers.settings_controller import SettingsController
        from app.qt.views.settings_dialog import SettingsDialog

        if self.settings_controller is None:
            self.settings_controller = SettingsController(SettingsDialog(self.window))
            self.settings_controller.saved.connect(self.refresh)
        self.settings_controller.load()
        self.settings_controller.dialog.show()
        self.settings_controller.dialog.raise_()

    def open_runs(self) -> None:
        from app.qt.controllers.runs_controller import RunsController
        from app.qt.views.runs_window import RunsWindow

        try:
            root = load_app().runs_path()
        except ConfigError as exc:
            self.window.set_state(str(exc), "failed")
            return
        if self.runs_controller is None:
            self.runs_controller = RunsController(RunsWindow(self.window), root)
        self.runs_controller.refresh(root)
        self.runs_controller.window.show()
        self.runs_controller.window.raise_()

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
