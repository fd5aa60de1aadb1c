"""Shows approval requests from the engine thread in the dialog and sends the answer back."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal

from app.desktop.masked import Exclusions
from app.qt.views.approval_dialog import ApprovalDialog

if TYPE_CHECKING:
    from app.qt.approver import ApprovalRequest

REPAINT_MS = 150  # the screen under the dialog is redrawn before the engine looks at it again


class ApprovalController(QObject):
    """One request at a time; the dialog's rectangle is kept out of captures while it is up."""

    showing = Signal(bool)

    def __init__(self, dialog: ApprovalDialog, exclusions: Exclusions) -> None:
        super().__init__()
        self.dialog = dialog
        self.exclusions = exclusions
        self.request: ApprovalRequest | None = None
        self.workdir = ""  # the run's work folder, named when code asks to run
        dialog.answered.connect(self._answered)

    def ask(self, request: ApprovalRequest) -> None:
        """Show the dialog for ``request`` (a new one replaces one left unanswered)."""
        self.request = request
        self.dialog.show_action(request.summary, request.details, request.ruling.reason, self.workdir)
        self.dialog.adjustSize()
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()
        geo = self.dialog.frameGeometry()
        self.exclusions.set("approval", (geo.x(), geo.y(), geo.width(), geo.height()))
        self.showing.emit(True)

    def withdraw(self, request: ApprovalRequest) -> None:
        """The run stopped while asking: close the dialog without answering."""
        if request is self.request:
            self.request = None
            self.dialog.blockSignals(True)
            self.dialog.hide()
            self.dialog.blockSignals(False)
            self.exclusions.set("approval", None)
            self.showing.emit(False)

    def _answered(self, answer: str) -> None:
        request, self.request = self.request, None
        if request is None:
            return
        self.dialog.hide()

        def send() -> None:
            self.exclusions.set("approval", None)
            request.answer(answer)  # type: ignore[arg-type]
            self.showing.emit(False)

        QTimer.singleShot(REPAINT_MS, send)
