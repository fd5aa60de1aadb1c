"""The manager's plan as a short list: subtasks done, the one being worked on, and those ahead."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget

from app.qt import theme


@dataclass(frozen=True)
class PlanRow:
    """One subtask and where the run is with it."""

    title: str
    state: str  # done | current | next


MARKS = {"done": ("✓", theme.GOOD), "current": ("▶", theme.ACCENT), "next": ("○", theme.MUTED)}


class PlanList(QListWidget):
    """Rows of subtasks; the current one is bold. Read-only: a person watches it, never edits it."""

    def __init__(self, rows_shown: int = 6, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Plan")
        self.setSelectionMode(QListWidget.SelectionMode.NoSelection)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setWordWrap(False)
        self.rows_shown = rows_shown

    def set_rows(self, rows: list[PlanRow]) -> None:
        """Show ``rows`` and keep the current one in view."""
        self.clear()
        current = None
        for row in rows:
            mark, colour = MARKS.get(row.state, MARKS["next"])
            item = QListWidgetItem(f"{mark}  {row.title}", self)
            item.setToolTip(row.title)
            item.setForeground(QColor(theme.INK if row.state == "current" else colour))
            if row.state == "current":
                font = item.font()
                font.setBold(True)
                item.setFont(font)
                current = item
        if current is not None:
            self.scrollToItem(current)
        rows_high = max(1, min(self.rows_shown, len(rows)))
        self.setFixedHeight(rows_high * (self.fontMetrics().height() + 8) + 6)

    def titles(self) -> list[str]:
        """What the list shows, row by row (for whoever checks it)."""
        return [self.item(i).text() for i in range(self.count())]
