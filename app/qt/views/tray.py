"""The tray icon: the run's status in its tooltip and menu, with Show and Stop."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.qt import theme


class Tray(QSystemTrayIcon):
    """Layout only; the AppController listens to its signals."""

    show_requested = Signal()
    stop_requested = Signal()
    quit_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(theme.logo(), parent)
        self._menu = QMenu()
        self._status_action = QAction("Ready", self._menu)
        self._status_action.setEnabled(False)
        self._show_action = QAction("Show DeskPilot", self._menu)
        self._stop_action = QAction(theme.icon("stop", theme.DANGER, 16), "Stop the run", self._menu)
        self._quit_action = QAction("Quit", self._menu)
        for action in (self._status_action, self._show_action, self._stop_action):
            self._menu.addAction(action)
        self._menu.addSeparator()
        self._menu.addAction(self._quit_action)
        self.setContextMenu(self._menu)
        self._show_action.triggered.connect(self.show_requested)
        self._stop_action.triggered.connect(self.stop_requested)
        self._quit_action.triggered.connect(self.quit_requested)
        self.activated.connect(lambda *_: self.show_requested.emit())
        self.set_status("Ready", running=False)

    def set_status(self, text: str, running: bool) -> None:
        self._status_action.setText(text)
        self.setToolTip(f"DeskPilot: {text}")
        self._stop_action.setEnabled(running)

    def status(self) -> tuple[str, bool]:
        """The status line and whether Stop is offered."""
        return self._status_action.text(), self._stop_action.isEnabled()
