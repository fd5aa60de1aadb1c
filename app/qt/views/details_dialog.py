"""A run's details after it ended: why, the last step with its policy ruling, and the model's raw replies."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.qt import theme


def _page(text_edit: QPlainTextEdit) -> QPlainTextEdit:
    text_edit.setReadOnly(True)
    text_edit.setObjectName("Code")
    text_edit.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
    return text_edit


class DetailsDialog(QDialog):
    """Layout only; ``show_details`` fills it, ``open_folder_clicked`` asks for the run folder."""

    open_folder_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("DeskPilot: what happened")
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        self._headline = QLabel("")
        self._headline.setObjectName("Title")
        self._headline.setWordWrap(True)
        self._headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._headline)
        self._tabs = QTabWidget()
        self._step = _page(QPlainTextEdit())
        self._replies = _page(QPlainTextEdit())
        self._tabs.addTab(self._step, "Last step")
        self._tabs.addTab(self._replies, "Model replies")
        layout.addWidget(self._tabs, 1)
        row = QHBoxLayout()
        self._folder = QLabel("")
        self._folder.setObjectName("Muted")
        self._folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._open = QPushButton(theme.icon("folder", theme.INK, 16), " Open run folder")
        self._close = QPushButton("Close")
        self._close.setObjectName("Primary")
        row.addWidget(self._folder, 1)
        row.addWidget(self._open)
        row.addWidget(self._close)
        layout.addLayout(row)
        self._open.clicked.connect(self.open_folder_clicked)
        self._close.clicked.connect(self.accept)

    def show_details(self, headline: str, step: str, replies: str, calls: int, folder: str) -> None:
        """Fill every part; the replies tab opens first when the model's answers are what went wrong."""
        self._headline.setText(headline)
        self._step.setPlainText(step or "No step was carried out.")
        self._replies.setPlainText(replies or "No model was asked during this run.")
        self._tabs.setTabText(1, f"Model replies ({calls})" if calls else "Model replies")
        self._folder.setText(folder)
        self._open.setEnabled(bool(folder))
        self._tabs.setCurrentIndex(1 if calls and not step else 0)

    def texts(self) -> tuple[str, str, str]:
        """The headline, the step and the replies as shown."""
        return self._headline.text(), self._step.toPlainText(), self._replies.toPlainText()
