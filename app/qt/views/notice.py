"""The notice under the task row: why a run ended (or the agent's answer), in full, with what to do next."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from app.qt import theme

TONES = {"failed": (theme.DANGER, "#fef2f2"), "error": (theme.DANGER, "#fef2f2"), "stopped": (theme.WARN, "#fffbeb"),
         "done": (theme.GOOD, "#f0fdf4")}


class Notice(QFrame):
    """Hidden until a run ends with something to say; ``details_clicked`` and ``fix_clicked`` carry the buttons."""

    details_clicked = Signal()
    fix_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("Notice")
        row = QHBoxLayout(self)
        row.setContentsMargins(14, 10, 10, 10)
        row.setSpacing(10)
        self._text = QLabel("")
        self._text.setWordWrap(True)
        self._text.setTextFormat(Qt.TextFormat.RichText)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._details = QPushButton("Details")
        self._fix = QPushButton(theme.icon("settings", "#ffffff", 16), " Set up a model")
        self._fix.setObjectName("Primary")
        for button in (self._details, self._fix):
            button.setCursor(Qt.CursorShape.PointingHandCursor)
        row.addWidget(self._text, 1)
        row.addWidget(self._details, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self._fix, 0, Qt.AlignmentFlag.AlignTop)
        self._details.clicked.connect(self.details_clicked)
        self._fix.clicked.connect(self.fix_clicked)
        self._plain = ""
        self.hide()

    def show_text(self, status: str, headline: str, text: str, details: bool, fix: str = "") -> None:
        """Show ``headline`` (bold) and ``text`` in the colours of ``status``; ``fix`` labels the settings button."""
        edge, fill = TONES.get(status, (theme.MUTED, "#f8fafc"))
        self.setStyleSheet(f"#Notice {{ background:{fill}; border:1px solid {edge}; border-left:4px solid {edge};"
                           " border-radius:8px; }")
        body = html.escape(text).replace("\n", "<br>")
        self._text.setText(f"<b style='color:{edge}'>{html.escape(headline)}</b>&nbsp; {body}")
        self._plain = f"{headline} {text}"
        self._details.setVisible(details)
        self._fix.setVisible(bool(fix))
        self._fix.setText(f" {fix}")
        self.show()

    def text(self) -> str:
        """The notice as plain text ("" while hidden)."""
        return self._plain if not self.isHidden() else ""
