"""A small Qt application for DeskPilot's example test suite: write a note, pin it, save it to ~/notes.txt.

Run with DESKPILOT_EXAMPLE_BROKEN=1 to get a deliberately broken build: Save says it saved but writes nothing,
and the Pinned box is ignored.
"""

import os
import sys
from pathlib import Path

from PySide6.QtWidgets import (
    QApplication, QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QStyle, QToolButton,
    QVBoxLayout, QWidget,
)

BROKEN = os.environ.get("DESKPILOT_EXAMPLE_BROKEN") == "1"


class NotesWindow(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("Notes")
        self.title = QLineEdit()
        self.body = QLineEdit()
        self.pinned = QCheckBox("Pinned")
        self.save = QPushButton("Save")
        self.delete = QToolButton()  # an icon without a caption: only its accessible name says what it does
        self.delete.setIcon(self.style().standardIcon(QStyle.StandardPixmap.SP_DialogDiscardButton))
        self.delete.setAccessibleName("Delete note")
        self.delete.setToolTip("Delete note")
        self.delete.setFixedSize(44, 36)
        self.status = QLabel("Nothing saved yet")
        form = QFormLayout()
        form.addRow("Title", self.title)
        form.addRow("Text", self.body)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.pinned)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save)
        buttons.addWidget(self.delete)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        self.save.clicked.connect(self.on_save)
        self.delete.clicked.connect(self.on_delete)
        self.setStyleSheet("QWidget { font-size: 18px; } QLineEdit { padding: 4px; }")
        self.setGeometry(20, 20, 520, 300)

    def on_delete(self) -> None:
        self.title.clear()
        self.body.clear()
        self.status.setText("Note deleted")

    def on_save(self) -> None:
        title = self.title.text().strip()
        if not title:
            self.status.setText("A note needs a title")
            return
        if not BROKEN:
            pin = "pinned" if self.pinned.isChecked() else "not pinned"
            (Path.home() / "notes.txt").write_text(f"{title}\n{self.body.text()}\n{pin}\n", encoding="utf-8")
        self.status.setText(f"Saved {title}")


if __name__ == "__main__":
    app = QApplication(sys.argv)
    window = NotesWindow()
    window.show()
    sys.exit(app.exec())
