"""The tray icon: the run's status in its tooltip and menu, with Show and Stop."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QSystemTrayIcon, QWidget

from app.qt import theme


class Tray(QSystemTrayIcon):
    """Layout only; the AppController connects the actions."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(theme.logo(), parent)
        self.menu = QMenu()
        self.status_action = QAction("Ready", self.menu)
        self.status_action.setEnabled(False)
        self.show_action = QAction("Show DeskPilot", self.menu)
        self.stop_action = QAction(theme.icon("stop", theme.DANGER, 16), "Stop the run", self.menu)
        self.quit_action = QAction("Quit", self.menu)
        for action in (self.status_action, self.show_action, self.stop_action):
            self.menu.addAction(action)
        self.menu.addSeparator()
        self.menu.addAction(self.quit_action)
        self.setContextMenu(self.menu)
        self.set_status("Ready", running=False)

    def set_status(self, text: str, running: bool) -> None:
        self.status_action.setText(text)
        self.setToolTip(f"DeskPilot: {text}")
        self.stop_action.setEnabled(running)
