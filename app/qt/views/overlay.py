"""The small always-on-top status window shown while the agent works on the app's own screen."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.qt import theme

SIZE = (360, 64)
MARGIN = 24  # away from the screen's corners, which are the fail-safe


class Overlay(QWidget):
    """Frameless, on top, never takes keyboard focus (the agent's typing must reach the target application)."""

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle("DeskPilot status")
        self.setFixedSize(*SIZE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame = QFrame()
        frame.setObjectName("Overlay")
        outer.addWidget(frame)
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 8, 8, 8)
        row.setSpacing(10)
        logo = QLabel()
        logo.setPixmap(theme.logo().pixmap(28, 28))
        text = QVBoxLayout()
        text.setSpacing(0)
        self.title = QLabel("DeskPilot is working")
        self.title.setStyleSheet("font-weight:600;color:white;")
        self.detail = QLabel("")
        self.detail.setStyleSheet("color:#94a3b8;font-size:9pt;")
        text.addWidget(self.title)
        text.addWidget(self.detail)
        self.stop_button = QPushButton(theme.icon("stop", "#ffffff", 14), " Stop")
        self.stop_button.setObjectName("Danger")
        self.stop_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.stop_button.setCursor(Qt.CursorShape.PointingHandCursor)
        row.addWidget(logo)
        row.addLayout(text, 1)
        row.addWidget(self.stop_button)

    def place(self) -> QRect:
        """Move to the bottom centre of the primary screen and return the rectangle it covers."""
        screen = QGuiApplication.primaryScreen().geometry()
        x = screen.x() + (screen.width() - SIZE[0]) // 2
        y = screen.y() + screen.height() - SIZE[1] - MARGIN
        self.move(x, y)
        return QRect(x, y, *SIZE)

    def set_text(self, title: str, detail: str) -> None:
        self.title.setText(title)
        self.detail.setText(detail)
