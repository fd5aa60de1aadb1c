"""`deskpilot replay --ask`: when a step's target cannot be found surely, the terminal asks which one it was."""

from __future__ import annotations

import sys
from collections.abc import Callable

from planner.replay import Question


class TerminalChooser:
    """Shows what the replay saw, numbered, and reads the person's pick (empty or 0: stop the replay)."""

    def __init__(self, read: Callable[[str], str] = input) -> None:
        self.read = read

    def choose(self, question: Question) -> int | None:
        """The index of the person's pick among ``question.candidates``, or None to stop."""
        print(f"\n  Step {question.step} ({question.recorded}): {question.reason}.", flush=True)
        print("  Which is it?")
        for i, c in enumerate(question.candidates, 1):
            x, y = c.box.center
            print(f"    {i}. {c.describe()} at ({x:.0f}, {y:.0f}) in the screenshot, score {c.score:.2f}")
        while True:
            try:
                answer = self.read(f"  Pick 1-{len(question.candidates)}, or 0 to stop the replay: ").strip()
            except EOFError:
                return None
            if answer in ("", "0"):
                return None
            if answer.isdigit() and 1 <= int(answer) <= len(question.candidates):
                return int(answer) - 1

    @staticmethod
    def for_replay(ask: bool) -> TerminalChooser | None:
        """A chooser when --ask was given and there is a terminal to ask at; otherwise nobody is asked."""
        return TerminalChooser() if ask and sys.stdin.isatty() else None
