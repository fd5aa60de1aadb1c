"""The approval dialog: exactly what will run, why the policy asks, and three answers."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QDialog, QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from app.qt import theme


class ApprovalDialog(QDialog):
    """Shows one action; ``answered`` carries "once", "always" or "deny". Closing the window denies."""

    answered = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle("DeskPilot: approve this step?")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(22, 20, 22, 18)
        layout.setSpacing(12)
        head = QHBoxLayout()
        shield = QLabel()
        shield.setPixmap(theme.icon("shield", theme.WARN, 34).pixmap(34, 34))
        titles = QVBoxLayout()
        title = QLabel("The agent wants to do something that needs your approval")
        title.setObjectName("Title")
        title.setWordWrap(True)
        self._reason = QLabel("")
        self._reason.setObjectName("Muted")
        self._reason.setWordWrap(True)
        titles.addWidget(title)
        titles.addWidget(self._reason)
        head.addWidget(shield, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(titles, 1)
        layout.addLayout(head)
        self._summary = QLabel("")
        self._summary.setWordWrap(True)
        self._summary.setStyleSheet("font-size:11pt;font-weight:600;")
        layout.addWidget(self._summary)
        self._exact = QPlainTextEdit()
        self._exact.setObjectName("Code")
        self._exact.setReadOnly(True)
        layout.addWidget(self._exact)
        self._where = QLabel("")
        self._where.setObjectName("Muted")
        self._where.setWordWrap(True)
        self._where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._where)
        note = QLabel("The run waits until you answer. Stopping the run denies the step.")
        note.setObjectName("Muted")
        layout.addWidget(note)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color:{theme.LINE};")
        layout.addWidget(line)
        self._deny_button = QPushButton(theme.icon("cross", theme.DANGER, 16), " Deny")
        self._always_button = QPushButton("Always allow for this run")
        self._once_button = QPushButton(theme.icon("check", "#ffffff", 16), " Allow once")
        self._once_button.setObjectName("Primary")
        buttons = QHBoxLayout()
        buttons.addWidget(self._deny_button)
        buttons.addStretch(1)
        buttons.addWidget(self._always_button)
        buttons.addWidget(self._once_button)
        layout.addLayout(buttons)
        self._deny_button.setDefault(True)
        self._deny_button.clicked.connect(lambda: self._answer("deny"))
        self._always_button.clicked.connect(lambda: self._answer("always"))
        self._once_button.clicked.connect(lambda: self._answer("once"))
        self._sent = False

    def show_action(self, summary: str, details: dict, reason: str, workdir: str = "") -> None:
        """Fill in the action (its JSON is what the executor receives), the policy's reason and, for code, the
        folder it runs in."""
        self._sent = False
        code = details.get("kind") == "run_code"
        self._where.setText(f"It runs in the work folder {workdir}" if code and workdir else "")
        self._where.setVisible(code and bool(workdir))
        self._summary.setText(summary)
        self._reason.setText(f"The safety policy asks first because it {reason}.")
        if details.get("kind") == "run_code":
            writes = ", ".join(["the work folder", *details.get("writes", [])])
            shown = (f"# {details.get('language', '')}, stopped after {details.get('timeout', 0):g} s\n# may write: "
                     f"{writes}; network: {'on' if details.get('network') else 'off'}\n{details['code']}")
        else:
            shown = json.dumps(details, indent=2, ensure_ascii=False)
        self._exact.setPlainText(shown)
        lines = shown.count("\n") + 1
        self._exact.setFixedHeight(min(240, 44 + lines * self._exact.fontMetrics().lineSpacing()))

    def texts(self) -> tuple[str, str, str, str]:
        """The summary, the policy's reason, the exact action and the work-folder line, as shown."""
        return self._summary.text(), self._reason.text(), self._exact.toPlainText(), self._where.text()

    def choose(self, answer: str) -> None:
        """Answer as the buttons do: "once", "always" or "deny"."""
        self._answer(answer)

    def _answer(self, answer: str) -> None:
        if not self._sent:
            self._sent = True
            self.answered.emit(answer)
        self.hide()

    def reject(self) -> None:
        self._answer("deny")

    def closeEvent(self, event: QCloseEvent) -> None:
        self._answer("deny")
        super().closeEvent(event)
