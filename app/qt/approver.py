"""Approvals across threads: the engine thread asks and waits; the GUI thread shows the dialog and answers."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from planner.actions import Action, TypeText, describe, to_json
from planner.control import RunControl
from planner.policy import Answer, Ruling


@dataclass
class ApprovalRequest:
    """One question to the person: the action exactly as it will run, and why the policy asks."""

    action: Action
    ruling: Ruling
    _answer: Answer = "deny"
    _done: threading.Event = field(default_factory=threading.Event)

    @property
    def summary(self) -> str:
        """The action in words; a secret is described, never shown."""
        if isinstance(self.action, TypeText) and self.action.secret:
            return f"Type a secret ({len(self.action.text)} characters, hidden here) where the keyboard focus is"
        return describe(self.action)

    @property
    def details(self) -> dict:
        return to_json(self.action)

    def answer(self, answer: Answer) -> None:
        """Called once on the GUI thread; wakes the engine thread."""
        self._answer = answer
        self._done.set()

    @property
    def answered(self) -> bool:
        return self._done.is_set()

    def wait(self, seconds: float) -> Answer | None:
        """The answer, once given within ``seconds``; None while the person has not answered."""
        return self._answer if self._done.wait(seconds) else None


class DialogApprover(QObject):
    """An ``Approver`` for the loop: emits ``asked`` and blocks the engine until an answer or a stop."""

    asked = Signal(object)  # ApprovalRequest
    withdrawn = Signal(object)  # ApprovalRequest given up because the run stopped

    def __init__(self, control: RunControl, poll: float = 0.05) -> None:
        super().__init__()
        self.control = control
        self.poll = poll

    def approve(self, action: Action, ruling: Ruling) -> Answer:
        request = ApprovalRequest(action, ruling)
        self.asked.emit(request)
        while (answer := request.wait(self.poll)) is None:
            if self.control.stopped:
                self.withdrawn.emit(request)
                return "deny"
        return answer
