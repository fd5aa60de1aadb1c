"""The small always-on-top status window shown while the agent works on the app's own screen: the current action
and subtask, Pause and Stop, and the plan when a person opens it."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.qt import theme
from app.qt.views.plan import PlanList, PlanRow
from app.qt.views.widgets import ElidedLabel

SIZE = (600, 72)  # collapsed; the plan adds its rows below
MARGIN = 24  # away from the screen's corners, which are the fail-safe


class Overlay(QWidget):
    """Frameless, on top, never takes keyboard focus (the agent's typing must reach the target application)."""

    stop_clicked = Signal()
    pause_clicked = Signal()
    resized = Signal()  # the plan opened or closed: the window covers another rectangle now

    def __init__(self) -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint | Qt.WindowType.WindowDoesNotAcceptFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setWindowTitle("DeskPilot status")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        frame = QFrame()
        frame.setObjectName("Overlay")
        outer.addWidget(frame)
        lay = QVBoxLayout(frame)
        lay.setContentsMargins(12, 8, 8, 8)
        lay.setSpacing(6)
        lay.addLayout(self._top_row())
        self._plan = PlanList(rows_shown=6)
        self._plan.setStyleSheet("QListWidget { background: transparent; } QListWidget::item { color: #e2e8f0; "
                                 "border: none; }")
        self._plan.hide()
        lay.addWidget(self._plan)
        self._rows: list[PlanRow] = []
        self._fit()

    def _top_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.setSpacing(8)
        logo = QLabel()
        logo.setPixmap(theme.logo().pixmap(26, 26))
        text = QVBoxLayout()
        text.setSpacing(0)
        self._title = ElidedLabel("DeskPilot is working")
        self._title.setStyleSheet("font-weight:600;color:white;")
        self._detail = ElidedLabel("")
        self._detail.setStyleSheet("color:#94a3b8;font-size:9pt;")
        text.addWidget(self._title)
        text.addWidget(self._detail)
        self._plan_button = QPushButton("Plan ▾")
        self._pause_button = QPushButton(theme.icon("pause", theme.INK, 14), "")
        self._pause_button.setToolTip("Pause before the next action")
        self._stop_button = QPushButton(theme.icon("stop", "#ffffff", 14), " Stop")
        self._stop_button.setObjectName("Danger")
        self._plan_button.hide()  # there only when the manager has a plan
        for b in (self._plan_button, self._pause_button, self._stop_button):
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            b.setCursor(Qt.CursorShape.PointingHandCursor)
        self._plan_button.clicked.connect(self._toggle_plan)
        self._pause_button.clicked.connect(self.pause_clicked)
        self._stop_button.clicked.connect(self.stop_clicked)
        row.addWidget(logo, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(text, 1)
        for b in (self._plan_button, self._pause_button, self._stop_button):
            row.addWidget(b, 0, Qt.AlignmentFlag.AlignVCenter)
        return row

    def place(self) -> QRect:
        """Move to the bottom centre of the primary screen and return the rectangle it covers."""
        screen = QGuiApplication.primaryScreen().geometry()
        w, h = self.width(), self.height()
        x = screen.x() + (screen.width() - w) // 2
        y = screen.y() + screen.height() - h - MARGIN
        self.move(x, y)
        return QRect(x, y, w, h)

    def set_text(self, title: str, detail: str) -> None:
        """The current action (or state) and the line under it: subtask, time, how to stop."""
        self._title.setText(title)
        self._detail.setText(detail)

    def texts(self) -> tuple[str, str]:
        return self._title.text(), self._detail.text()

    def set_paused(self, paused: bool) -> None:
        self._pause_button.setIcon(theme.icon("play" if paused else "pause", theme.INK, 14))
        self._pause_button.setToolTip("Resume" if paused else "Pause before the next action")

    def set_plan(self, rows: list[PlanRow]) -> None:
        """The plan shown when opened; the Plan button is there only when there is one."""
        self._rows = rows
        self._plan.set_rows(rows)
        self._plan_button.setVisible(bool(rows))
        if not rows and not self._plan.isHidden():
            self._toggle_plan()
        elif not self._plan.isHidden():
            self._fit()

    def plan_open(self) -> bool:
        return not self._plan.isHidden()

    def show_plan(self, shown: bool) -> None:
        """Open or close the plan (as the Plan button does)."""
        if shown != self.plan_open():
            self._toggle_plan()

    def _toggle_plan(self) -> None:
        opening = self._plan.isHidden() and bool(self._rows)
        self._plan.setVisible(opening)
        self._plan_button.setText("Plan ▴" if opening else "Plan ▾")
        self._fit()
        if self.isVisible():
            self.place()
        self.resized.emit()

    def _fit(self) -> None:
        extra = self._plan.height() + 6 if not self._plan.isHidden() else 0
        self.setFixedSize(SIZE[0], SIZE[1] + extra)
