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
        self.reason = QLabel("")
        self.reason.setObjectName("Muted")
        self.reason.setWordWrap(True)
        titles.addWidget(title)
        titles.addWidget(self.reason)
        head.addWidget(shield, 0, Qt.AlignmentFlag.AlignTop)
        head.addLayout(titles, 1)
        layout.addLayout(head)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-size:11pt;font-weight:600;")
        layout.addWidget(self.summary)
        self.exact = QPlainTextEdit()
        self.exact.setObjectName("Code")
        self.exact.setReadOnly(True)
        layout.addWidget(self.exact)
        note = QLabel("The run waits until you answer. Stopping the run denies the step.")
        note.setObjectName("Muted")
        layout.addWidget(note)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setStyleSheet(f"color:{theme.LINE};")
        layout.addWidget(line)
        self.deny_button = QPushButton(theme.icon("cross", theme.DANGER, 16), " Deny")
        self.always_button = QPushButton("Always allow for this run")
        self.once_button = QPushButton(theme.icon("check", "#ffffff", 16), " Allow once")
        self.once_button.setObjectName("Primary")
        buttons = QHBoxLayout()
        buttons.addWidget(self.deny_button)
        buttons.addStretch(1)
        buttons.addWidget(self.always_button)
        buttons.addWidget(self.once_button)
        layout.addLayout(buttons)
        self.deny_button.setDefault(True)
        self.deny_button.clicked.connect(lambda: self._answer("deny"))
        self.always_button.clicked.connect(lambda: self._answer("always"))
        self.once_button.clicked.connect(lambda: self._answer("once"))
        self._sent = False

    def show_action(self, summary: str, details: dict, reason: str) -> None:
        """Fill in the action (its JSON is what the executor receives) and the policy's reason."""
        self._sent = False
        self.summary.setText(summary)
        self.reason.setText(f"The safety policy asks first because it {reason}.")
        if details.get("kind") == "run_code":
            writes = ", ".join(["the work folder", *details.get("writes", [])])
            shown = (f"# {details.get('language', '')}, stopped after {details.get('timeout', 0):g} s\n# may write: "
                     f"{writes}; network: {'on' if details.get('network') else 'off'}\n{details['code']}")
        else:
            shown = json.dumps(details, indent=2, ensure_ascii=False)
        self.exact.setPlainText(shown)
        lines = shown.count("\n") + 1
        self.exact.setFixedHeight(min(240, 44 + lines * self.exact.fontMetrics().lineSpacing()))

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
