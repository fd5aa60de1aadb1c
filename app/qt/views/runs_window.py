"""The runs browser: past runs on the left (searchable), the chosen run step by step on the right."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.qt import theme
from app.qt.views.live_view import LiveView
from app.qt.views.timeline import StepRow, Timeline
from app.qt.views.widgets import ElidedLabel, card, column
from app.runs.marks import Marks

COLUMNS = ["Task", "Result", "Steps", "Cost", "Time", "Started"]


@dataclass(frozen=True)
class RunRow:
    """One run as the list shows it; ``key`` (its folder) is what selecting it reports."""

    key: str
    task: str
    status: str
    steps: int
    cost: str
    duration: str
    started: str


class RunsWindow(QMainWindow):
    """Layout only; the RunsController fills it and answers its signals."""

    run_picked = Signal(str)  # the key of the run now selected ("" when none is)
    step_picked = Signal(int)
    search_changed = Signal(str)
    refresh_clicked = Signal()
    open_clicked = Signal()
    export_clicked = Signal()
    delete_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("DeskPilot runs")
        self.setWindowIcon(theme.logo())
        self.resize(1240, 760)
        root = QWidget()
        outer = column(root, (18, 16, 18, 16), 12)
        outer.addLayout(self._top())
        split = QSplitter(Qt.Orientation.Horizontal)
        split.setHandleWidth(14)
        split.addWidget(card("History", self._history()))
        split.addWidget(card("Run", self._detail()))
        split.setSizes([470, 870])
        outer.addWidget(split, 1)
        self.setCentralWidget(root)
        self.statusBar().setSizeGripEnabled(False)

    def _top(self) -> QHBoxLayout:
        top = QHBoxLayout()
        title = QLabel("Past runs")
        title.setStyleSheet("font-size:14pt;font-weight:600;")
        self._folder = ElidedLabel("")
        self._folder.setObjectName("Muted")
        self._search = QLineEdit()
        self._search.setPlaceholderText("Search tasks and results")
        self._search.setClearButtonEnabled(True)
        self._search.setFixedWidth(260)
        self._search.textChanged.connect(self.search_changed)
        self._refresh_button = QPushButton(theme.icon("refresh", theme.INK, 16), " Refresh")
        self._open_button = QPushButton(theme.icon("folder", theme.INK, 16), " Open folder")
        self._delete_button = QPushButton(theme.icon("cross", theme.DANGER, 16), " Delete")
        self._export_button = QPushButton(theme.icon("export", "#ffffff", 16), " Export HTML")
        self._export_button.setObjectName("Primary")
        top.addWidget(title)
        top.addSpacing(10)
        top.addWidget(self._folder, 1)
        top.addWidget(self._search)
        for b, signal in ((self._refresh_button, self.refresh_clicked), (self._open_button, self.open_clicked),
                          (self._delete_button, self.delete_clicked), (self._export_button, self.export_clicked)):
            b.clicked.connect(signal)
            top.addWidget(b)
        return top

    def _history(self) -> QTreeWidget:
        self._runs = QTreeWidget()
        self._runs.setHeaderLabels(COLUMNS)
        self._runs.setRootIsDecorated(False)
        self._runs.setTextElideMode(Qt.TextElideMode.ElideRight)
        self._runs.setUniformRowHeights(True)
        header = self._runs.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for section in range(1, len(COLUMNS)):
            header.setSectionResizeMode(section, QHeaderView.ResizeMode.ResizeToContents)
        self._runs.currentItemChanged.connect(self._picked)
        return self._runs

    def _detail(self) -> QWidget:
        detail = QWidget()
        dl = column(detail, (0, 0, 0, 0), 8)
        self._task = ElidedLabel("Choose a run on the left.")
        self._task.setObjectName("Title")
        self._result = QLabel("")
        self._result.setWordWrap(True)
        self._result.setTextFormat(Qt.TextFormat.RichText)
        self._result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self._task)
        dl.addWidget(self._result)
        inner = QSplitter(Qt.Orientation.Horizontal)
        inner.setHandleWidth(10)
        self._view = LiveView("Choose a step to see the screen the agent saw.")
        self._steps = Timeline()
        self._steps.picked.connect(self.step_picked)
        inner.addWidget(self._view)
        inner.addWidget(self._steps)
        inner.setSizes([470, 400])
        dl.addWidget(inner, 1)
        self._step_detail = QLabel("")
        self._step_detail.setObjectName("Muted")
        self._step_detail.setWordWrap(True)
        self._step_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        dl.addWidget(self._step_detail)
        return detail

    # -- what the controller may do ---------------------------------------------------------------------------------
    def set_folder(self, text: str) -> None:
        self._folder.setText(text)

    def set_runs(self, rows: list[RunRow], colours: dict[str, str], select: str = "") -> None:
        """Replace the list; ``select`` (a key) is selected again when it is there, else the first row."""
        self._runs.blockSignals(True)
        self._runs.clear()
        first = match = None
        for row in rows:
            item = QTreeWidgetItem([row.task or "(no task)", row.status, str(row.steps), row.cost, row.duration,
                                    row.started])
            item.setToolTip(0, row.task)
            item.setForeground(1, QColor(colours.get(row.status, theme.MUTED)))
            for column_ in (2, 3, 4):
                item.setTextAlignment(column_, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            item.setData(0, Qt.ItemDataRole.UserRole, row.key)
            self._runs.addTopLevelItem(item)
            first = item if first is None else first
            match = item if row.key == select else match
        chosen = match if match is not None else first
        self._runs.blockSignals(False)
        self._runs.setCurrentItem(chosen)  # None: nothing selected; the signal says so either way
        if chosen is None:
            self.run_picked.emit("")

    def select_run(self, key: str) -> None:
        for i in range(self._runs.topLevelItemCount()):
            item = self._runs.topLevelItem(i)
            if item.data(0, Qt.ItemDataRole.UserRole) == key:
                self._runs.setCurrentItem(item)

    def run_keys(self) -> list[str]:
        return [self._runs.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
                for i in range(self._runs.topLevelItemCount())]

    def run_cells(self, index: int) -> list[str]:
        item = self._runs.topLevelItem(index)
        return [item.text(c) for c in range(len(COLUMNS))] if item is not None else []

    def set_search(self, text: str) -> None:
        self._search.setText(text)

    def set_actions(self, has_run: bool) -> None:
        for b in (self._export_button, self._delete_button):
            b.setEnabled(has_run)

    def show_run(self, task: str, result_html: str) -> None:
        """The chosen run's task (one line, all of it on hover) and its result."""
        self._task.setText(task)
        self._result.setText(result_html)

    def run_texts(self) -> tuple[str, str]:
        return self._task.text(), self._result.text()

    def set_steps(self, rows: list[tuple[StepRow, QImage | None]]) -> None:
        self._steps.clear()
        for row, thumb in rows:
            self._steps.put(row, thumb)

    def step_texts(self, step: int) -> tuple[str, str] | None:
        return self._steps.texts(step)

    def step_rows(self) -> int:
        return self._steps.count()

    def pick_step(self, step: int) -> None:
        self._steps.pick(step)

    def show_screen(self, image: QImage | None, marks: Marks | None = None) -> None:
        self._view.show_image(image, marks)

    def set_step_detail(self, text: str) -> None:
        self._step_detail.setText(text)

    def step_detail(self) -> str:
        return self._step_detail.text()

    def show_message(self, text: str) -> None:
        self.statusBar().showMessage(text)

    def _picked(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        self.run_picked.emit(str(item.data(0, Qt.ItemDataRole.UserRole)) if item is not None else "")
