"""The step timeline: one card per step with its number, action, thought, outcome and a thumbnail."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.qt import theme
from app.qt.views.widgets import ElidedLabel


@dataclass(frozen=True)
class StepRow:
    """What a card shows; the controller fills it from the loop's events or a trajectory line."""

    step: int
    action: str
    thought: str = ""
    outcome: str = ""  # "" while the step is about to run, "ok" or the error sentence afterwards
    note: str = ""
    mark: str = ""  # "stopped": a stop cut it short; "denied": the policy or the person did not let it run


def status_line(row: StepRow) -> tuple[str, str]:
    """The card's outcome line and its colour."""
    if row.outcome == "":
        return "about to run…", theme.MUTED
    if row.outcome == "ok":
        return "✓ done", theme.GOOD
    if row.mark == "stopped":
        return f"■ stopped: {row.outcome}", theme.WARN
    if row.mark == "denied":
        return f"⊘ {row.outcome}", theme.WARN
    return f"✗ {row.outcome}", theme.DANGER


class StepCard(QWidget):
    """Layout of one step."""

    def __init__(self, row: StepRow, thumb: QImage | None) -> None:
        super().__init__()
        if row.outcome == "":  # the step about to run stands out
            self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground)
            self.setStyleSheet("StepCard { background: #eff6ff; border-radius: 8px; }")
        outer = QHBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(10)
        status, tone = status_line(row)
        badge = QLabel(str(row.step))
        badge.setFixedSize(26, 26)
        badge.setAlignment(Qt.AlignmentFlag.AlignCenter)
        colour = theme.ACCENT if row.outcome in ("", "ok") else tone
        badge.setStyleSheet(f"background:{colour};color:white;border-radius:13px;font-weight:600;")
        outer.addWidget(badge, 0, Qt.AlignmentFlag.AlignTop)
        text = QVBoxLayout()
        text.setSpacing(2)
        self._action = ElidedLabel(row.action)
        self._action.setStyleSheet("font-weight:600;")
        text.addWidget(self._action)
        if row.thought:
            thought = ElidedLabel(row.thought)
            thought.setObjectName("Thought")
            text.addWidget(thought)
        self._outcome = ElidedLabel(status + (f"   ·   {row.note}" if row.note else ""))
        self._outcome.setStyleSheet(f"color:{tone};font-size:9pt;")
        text.addWidget(self._outcome)
        outer.addLayout(text, 1)
        if thumb is not None and not thumb.isNull():
            pic = QLabel()
            pic.setPixmap(QPixmap.fromImage(thumb.scaled(QSize(96, 60), Qt.AspectRatioMode.KeepAspectRatio,
                                                         Qt.TransformationMode.SmoothTransformation)))
            pic.setStyleSheet(f"border:1px solid {theme.LINE};border-radius:4px;")
            outer.addWidget(pic, 0, Qt.AlignmentFlag.AlignTop)

    def texts(self) -> tuple[str, str]:
        """The action line and the outcome line, as shown (unelided)."""
        return self._action.text(), self._outcome.text()


class Timeline(QListWidget):
    """A list of StepCards; ``picked`` gives the step number a person clicked."""

    picked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSpacing(0)
        self.currentRowChanged.connect(self._emit_pick)

    def put(self, row: StepRow, thumb: QImage | None = None) -> None:
        """Add the step, or replace its card when it is already there (decided, then done)."""
        item = self._item(row.step)
        if item is None:
            item = QListWidgetItem(self)
            item.setData(Qt.ItemDataRole.UserRole, row.step)
        card = StepCard(row, thumb)
        item.setSizeHint(QSize(120, card.sizeHint().height()))
        self.setItemWidget(item, card)
        self.scrollToItem(item)

    def texts(self, step: int) -> tuple[str, str] | None:
        """The action and outcome lines of ``step``'s card; None when there is no such step."""
        item = self._item(step)
        card = self.itemWidget(item) if item is not None else None
        return card.texts() if isinstance(card, StepCard) else None

    def pick(self, step: int) -> None:
        """Select ``step`` (as a click would); ``picked`` follows."""
        item = self._item(step)
        if item is not None:
            self.setCurrentItem(item)

    def _item(self, step: int) -> QListWidgetItem | None:
        for i in range(self.count()):
            if self.item(i).data(Qt.ItemDataRole.UserRole) == step:
                return self.item(i)
        return None

    def _emit_pick(self, row: int) -> None:
        if row >= 0:
            self.picked.emit(int(self.item(row).data(Qt.ItemDataRole.UserRole)))
