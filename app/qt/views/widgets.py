"""Small pieces the windows share: a titled card, a column with margins, a label that elides."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget


def column(widget: QWidget, margins: tuple[int, int, int, int], spacing: int) -> QVBoxLayout:
    """A vertical layout on ``widget`` with the given margins and spacing."""
    layout = QVBoxLayout(widget)
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    return layout


def card(title: str, body: QWidget, aside: QWidget | None = None) -> QFrame:
    """A white rounded panel with a title row."""
    frame = QFrame()
    frame.setObjectName("Card")
    layout = column(frame, (14, 12, 14, 14), 8)
    row = QHBoxLayout()
    label = QLabel(title)
    label.setObjectName("Title")
    row.addWidget(label)
    row.addStretch(1)
    if aside is not None:
        row.addWidget(aside)
    layout.addLayout(row)
    layout.addWidget(body, 1)
    return frame


class ElidedLabel(QLabel):
    """One line of text that ends in an ellipsis when the label is too narrow; the full text is the tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self.full = text
        self.setToolTip(text if len(text) > 30 else "")  # the whole text on hover, where it may be cut
        self._elide()

    def text(self) -> str:
        return self.full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()  # inside the padding a style sheet may give the label
        shown = self.fontMetrics().elidedText(self.full, Qt.TextElideMode.ElideRight, max(40, width - 2))
        super().setText(shown)
