"""The main window's layout: header with the model in use, the task row, live view and timeline, status line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.qt import theme
from app.qt.views.live_view import LiveView
from app.qt.views.timeline import Timeline
from app.qt.views.widgets import card, column


class MainWindow(QMainWindow):
    """Widgets only; the RunController and AppController connect them."""

    closing = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("DeskPilot")
        self.setWindowIcon(theme.logo())
        self.resize(1180, 760)
        root = QWidget()
        outer = column(root, (0, 0, 0, 0), 0)
        outer.addWidget(self._header())
        body = QVBoxLayout()
        body.setContentsMargins(18, 16, 18, 16)
        body.setSpacing(14)
        body.addWidget(self._task_row())
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self.live = LiveView()
        self.action_caption = QLabel("")
        self.action_caption.setObjectName("Muted")
        self.timeline = Timeline()
        self.step_count = QLabel("")
        self.step_count.setObjectName("Muted")
        splitter.addWidget(card("Live view", self.live, self.action_caption))
        splitter.addWidget(card("Steps", self.timeline, self.step_count))
        splitter.setSizes([760, 400])
        splitter.setHandleWidth(14)
        body.addWidget(splitter, 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(root)
        self._status_bar()
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.run_button.click)

    def _header(self) -> QWidget:
        header = QFrame()
        header.setObjectName("Header")
        row = QHBoxLayout(header)
        row.setContentsMargins(18, 10, 12, 10)
        logo = QLabel()
        logo.setPixmap(theme.logo().pixmap(28, 28))
        brand = QLabel("DeskPilot")
        brand.setObjectName("Brand")
        self.profile = QLabel("")
        self.profile.setObjectName("Profile")
        self.record_button = QPushButton(theme.icon("record", "#cbd5e1"), " Record")
        self.record_button.setToolTip("Show DeskPilot a task once: it records what you click and type")
        self.runs_button = QPushButton(theme.icon("history", "#cbd5e1"), " Runs")
        self.settings_button = QPushButton(theme.icon("settings", "#cbd5e1"), " Settings")
        for b in (self.record_button, self.runs_button, self.settings_button):
            b.setObjectName("Flat")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
        row.addWidget(logo)
        row.addWidget(brand)
        row.addSpacing(10)
        row.addWidget(self.profile)
        row.addStretch(1)
        row.addWidget(self.record_button)
        row.addWidget(self.runs_button)
        row.addWidget(self.settings_button)
        return header

    def _task_row(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("Card")
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 10, 12, 10)
        row.setSpacing(8)
        self.task = QComboBox()
        self.task.setObjectName("TaskBox")
        self.task.setEditable(True)
        self.task.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.task.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.task.lineEdit().setPlaceholderText('What should DeskPilot do?  e.g.  type "Ada" into the Name field and '
                                                'click Save')
        self.run_button = QPushButton(theme.icon("play", "#ffffff", 16), " Run")
        self.run_button.setObjectName("Primary")
        self.pause_button = QPushButton(theme.icon("pause", theme.INK, 16), " Pause")
        self.stop_button = QPushButton(theme.icon("stop", "#ffffff", 16), " Stop")
        self.stop_button.setObjectName("Danger")
        for b in (self.run_button, self.pause_button, self.stop_button):
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setMinimumWidth(96)
        row.addWidget(self.task, 1)
        row.addWidget(self.run_button)
        row.addWidget(self.pause_button)
        row.addWidget(self.stop_button)
        return frame

    def _status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self.state = QLabel("Ready")
        self.steps = QLabel("0 steps")
        self.elapsed = QLabel("0.0 s")
        self.tokens = QLabel("0 tokens")
        self.cost = QLabel("$0.0000")
        self.hotkey_hint = QLabel("")
        self.hotkey_hint.setObjectName("Muted")
        bar.addWidget(self.state, 1)
        for label in (self.steps, self.elapsed, self.tokens, self.cost, self.hotkey_hint):
            bar.addPermanentWidget(label)

    def set_state(self, text: str, status: str) -> None:
        """The status line's first field, coloured by the run's status."""
        self.state.setText(f"<span style='color:{theme.status_colour(status)}'>●</span>&nbsp; {text}")

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
