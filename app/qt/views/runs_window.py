"""The runs browser's layout: past runs on the left, the chosen run step by step on the right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QWidget,
)

from app.qt import theme
from app.qt.views.live_view import LiveView
from app.qt.views.timeline import Timeline
from app.qt.views.widgets import card, column


class RunsWindow(QMainWindow):
    """Widgets only; the RunsController lists runs and shows their steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("DeskPilot runs")
        self.setWindowIcon(theme.logo())
        self.resize(1240, 760)
        root = QWidget()
        outer = column(root, (18, 16, 18, 16), 12)
        top = QHBoxLayout()
        title = QLabel("Past runs")
        title.setStyleSheet("font-size:14pt;font-weight:600;")
        self.folder = QLabel("")
        self.folder.setObjectName("Muted")
        self.refresh_button = QPushButton(theme.icon("refresh", theme.INK, 16), " Refresh")
        self.open_button = QPushButton(theme.icon("folder", theme.INK, 16), " Open folder")
        self.export_button = QPushButton(theme.icon("export", "#ffffff", 16), " Export HTML")
        self.export_button.setObjectName("Primary")
        top.addWidget(title)
        top.addSpacing(10)
        top.addWidget(self.folder, 1)
        for b in (self.refresh_button, self.open_button, self.export_button):
            top.addWidget(b)
        outer.addLayout(top)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setHandleWidth(14)
        self.runs = QTreeWidget()
        self.runs.setHeaderLabels(["Task", "Result", "Steps", "Started"])
        self.runs.setRootIsDecorated(False)
        header = self.runs.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for section in (1, 2, 3):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        split.addWidget(card("History", self.runs))
        detail = QWidget()
        dl = column(detail, (0, 0, 0, 0), 8)
        self.task = QLabel("Choose a run on the left.")
        self.task.setObjectName("Title")
        self.task.setWordWrap(True)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        dl.addWidget(self.task)
        dl.addWidget(self.result)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.setHandleWidth(10)
        self.view = LiveView("Choose a step to see the screen the agent saw.")
        self.steps = Timeline()
        inner.addWidget(self.view)
        inner.addWidget(self.steps)
        inner.setSizes([520, 380])
        dl.addWidget(inner, 1)
        self.step_detail = QLabel("")
        self.step_detail.setObjectName("Muted")
        self.step_detail.setWordWrap(True)
        self.step_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self.step_detail)
        split.addWidget(card("Run", detail))
        split.setSizes([460, 880])
        outer.addWidget(split, 1)
        self.setCentralWidget(root)
        self.statusBar().setSizeGripEnabled(False)
