"""The main window: header with the model in use, the task row, the notice, live view, plan and steps, status line.

Its widgets are private: controllers use the signals and small methods below (TagStudio's rule)."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtGui import QCloseEvent, QImage, QKeySequence, QShortcut
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
from app.qt.views.notice import Notice
from app.qt.views.plan import PlanList, PlanRow
from app.qt.views.timeline import StepRow, Timeline
from app.qt.views.widgets import ElidedLabel, card, column
from app.runs.marks import Marks


class MainWindow(QMainWindow):
    """Layout only; the RunController, RecordController and AppController drive it through its methods."""

    run_clicked = Signal()
    pause_clicked = Signal()
    stop_clicked = Signal()
    record_clicked = Signal()
    runs_clicked = Signal()
    settings_clicked = Signal()
    details_clicked = Signal()
    fix_clicked = Signal()  # the notice's settings button
    step_picked = Signal(int)
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
        body.setSpacing(12)
        body.addWidget(self._task_row())
        self._notice = Notice()
        body.addWidget(self._notice)
        body.addWidget(self._work_area(), 1)
        outer.addLayout(body, 1)
        self.setCentralWidget(root)
        self._status_bar()
        self._notice.details_clicked.connect(self.details_clicked)
        self._notice.fix_clicked.connect(self.fix_clicked)
        self._timeline.picked.connect(self.step_picked)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self._run_button.click)

    # -- layout ---------------------------------------------------------------------------------------------------
    def _header(self) -> QWidget:
        header = QFrame()
        header.setObjectName("Header")
        row = QHBoxLayout(header)
        row.setContentsMargins(18, 10, 12, 10)
        logo = QLabel()
        logo.setPixmap(theme.logo().pixmap(28, 28))
        brand = QLabel("DeskPilot")
        brand.setObjectName("Brand")
        self._profile = QLabel("")
        self._profile.setObjectName("Profile")
        self._record_button = QPushButton(theme.icon("record", "#cbd5e1"), " Record")
        self._record_button.setToolTip("Show DeskPilot a task once: it records what you click and type")
        self._runs_button = QPushButton(theme.icon("history", "#cbd5e1"), " Runs")
        self._settings_button = QPushButton(theme.icon("settings", "#cbd5e1"), " Settings")
        for b, signal in ((self._record_button, self.record_clicked), (self._runs_button, self.runs_clicked),
                          (self._settings_button, self.settings_clicked)):
            b.setObjectName("Flat")
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.clicked.connect(signal)
        for widget in (logo, brand):
            row.addWidget(widget)
        row.addSpacing(10)
        row.addWidget(self._profile)
        row.addStretch(1)
        for b in (self._record_button, self._runs_button, self._settings_button):
            row.addWidget(b)
        return header

    def _task_row(self) -> QWidget:
        frame = QFrame()
        frame.setObjectName("Card")
        row = QHBoxLayout(frame)
        row.setContentsMargins(12, 10, 12, 10)
        row.setSpacing(8)
        self._task = QComboBox()
        self._task.setObjectName("TaskBox")
        self._task.setEditable(True)
        self._task.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self._task.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._task.lineEdit().setPlaceholderText('What should DeskPilot do?  e.g.  type "Ada" into the Name field '
                                                 'and click Save')
        self._task.lineEdit().returnPressed.connect(self.run_clicked)
        self._run_button = QPushButton(theme.icon("play", "#ffffff", 16), " Run")
        self._run_button.setObjectName("Primary")
        self._pause_button = QPushButton(theme.icon("pause", theme.INK, 16), " Pause")
        self._stop_button = QPushButton(theme.icon("stop", "#ffffff", 16), " Stop")
        self._stop_button.setObjectName("Danger")
        row.addWidget(self._task, 1)
        for b, signal in ((self._run_button, self.run_clicked), (self._pause_button, self.pause_clicked),
                          (self._stop_button, self.stop_clicked)):
            b.setCursor(Qt.CursorShape.PointingHandCursor)
            b.setMinimumWidth(96)
            b.clicked.connect(signal)
            row.addWidget(b)
        return frame

    def _work_area(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Horizontal)
        self._live = LiveView()
        self._caption = QLabel("")
        self._caption.setObjectName("Muted")
        splitter.addWidget(card("Live view", self._live, self._caption))
        side = QWidget()
        lay = column(side, (0, 0, 0, 0), 12)
        self._plan = PlanList()
        self._plan_progress = QLabel("")
        self._plan_progress.setObjectName("Muted")
        self._plan_card = card("Plan", self._plan, self._plan_progress)
        self._plan_card.hide()
        self._timeline = Timeline()
        self._step_count = QLabel("")
        self._step_count.setObjectName("Muted")
        lay.addWidget(self._plan_card)
        lay.addWidget(card("Steps", self._timeline, self._step_count), 1)
        splitter.addWidget(side)
        splitter.setSizes([760, 400])
        splitter.setHandleWidth(14)
        return splitter

    def _status_bar(self) -> None:
        bar = self.statusBar()
        bar.setSizeGripEnabled(False)
        self._state_dot = QLabel("●")
        self._state = ElidedLabel("Ready")
        self._state.setTextFormat(Qt.TextFormat.PlainText)  # key names like <ctrl> are text, never markup
        self._steps = QLabel("0 steps")
        self._elapsed = QLabel("0.0 s")
        self._tokens = QLabel("0 tokens")
        self._cost = QLabel("$0.0000")
        self._hotkey_hint = QLabel("")
        self._hotkey_hint.setObjectName("Muted")
        bar.addWidget(self._state_dot)
        bar.addWidget(self._state, 1)
        for label in (self._steps, self._elapsed, self._tokens, self._cost, self._hotkey_hint):
            bar.addPermanentWidget(label)

    # -- what controllers may do ------------------------------------------------------------------------------------
    def task_text(self) -> str:
        return self._task.currentText()

    def set_task_text(self, text: str) -> None:
        self._task.setEditText(text)

    def set_history(self, items: list[str]) -> None:
        """Tasks typed before, newest first, under the task box; what is typed now stays."""
        text = self._task.currentText()
        self._task.blockSignals(True)
        self._task.clear()
        self._task.addItems(items)
        self._task.setEditText(text)
        self._task.blockSignals(False)

    def history(self) -> list[str]:
        return [self._task.itemText(i) for i in range(self._task.count())]

    def set_profile(self, text: str) -> None:
        self._profile.setText(text)

    def set_controls(self, running: bool, paused: bool = False) -> None:
        """Run and the task box while idle; Pause (or Resume) and Stop while a run goes on."""
        self._run_button.setEnabled(not running)
        self._task.setEnabled(not running)
        self._pause_button.setEnabled(running)
        self._stop_button.setEnabled(running)
        self._pause_button.setText(" Resume" if paused else " Pause")
        self._pause_button.setIcon(theme.icon("play" if paused else "pause", theme.INK, 16))

    def set_recording(self, recording: bool) -> None:
        self._record_button.setText(" Stop recording" if recording else " Record")

    def set_state(self, text: str, status: str) -> None:
        """The status line's first field, its dot coloured by the run's status; the text is shown as typed (plain
        text, elided, whole on hover)."""
        self._state_dot.setStyleSheet(f"color:{theme.status_colour(status)};padding:0 0 0 8px;")
        self._state.setText(text)

    def state_text(self) -> str:
        return self._state.text()

    def set_counts(self, steps: int, tokens: int, cost: float) -> None:
        self._steps.setText(f"{steps} step{'s' * (steps != 1)}")
        self._tokens.setText(f"{tokens:,} tokens")
        self._cost.setText(f"${cost:.4f}")

    def counts(self) -> tuple[str, str, str]:
        """The status line's steps, tokens and cost fields as shown."""
        return self._steps.text(), self._tokens.text(), self._cost.text()

    def set_elapsed(self, seconds: float) -> None:
        self._elapsed.setText(f"{seconds:.1f} s")

    def elapsed_text(self) -> str:
        return self._elapsed.text()

    def set_hotkey_hint(self, text: str) -> None:
        self._hotkey_hint.setText(text)

    def hotkey_hint(self) -> str:
        return self._hotkey_hint.text()

    def show_screen(self, image: QImage | None, marks: Marks | None = None, caption: str = "") -> None:
        """The screenshot in the live view, with what the agent aims at drawn on it."""
        self._live.show_image(image, marks)
        self._caption.setText(caption)

    def caption(self) -> str:
        return self._caption.text()

    def put_step(self, row: StepRow, thumb: QImage | None = None, count: str = "") -> None:
        self._timeline.put(row, thumb)
        if count:
            self._step_count.setText(count)

    def step_texts(self, step: int) -> tuple[str, str] | None:
        return self._timeline.texts(step)

    def step_rows(self) -> int:
        return self._timeline.count()

    def clear_steps(self) -> None:
        self._timeline.clear()
        self._step_count.setText("")

    def set_plan(self, rows: list[PlanRow]) -> None:
        """The manager's subtasks (hidden when there is no plan), with how far the run has come."""
        self._plan.set_rows(rows)
        done = sum(r.state == "done" for r in rows)
        self._plan_progress.setText(f"{done} of {len(rows)} done" if rows else "")
        self._plan_card.setVisible(bool(rows))

    def plan_titles(self) -> list[str]:
        return self._plan.titles() if not self._plan_card.isHidden() else []

    def show_notice(self, status: str, headline: str, text: str, details: bool = True, fix: str = "") -> None:
        self._notice.show_text(status, headline, text, details, fix)

    def hide_notice(self) -> None:
        self._notice.hide()

    def notice_text(self) -> str:
        return self._notice.text()

    def screen_rect(self) -> QRect:
        """The window's frame on the desktop (what must leave the screen before the agent looks)."""
        return self.frameGeometry()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)
