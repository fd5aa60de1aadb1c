"""Small layout helpers the windows share: a titled card and a column with margins."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


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
