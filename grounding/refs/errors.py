"""LanguageError: a command the grammar cannot read, said in one sentence with the closest form it does read."""

from __future__ import annotations

MODEL_HINT = "for open-ended tasks configure a language model (`deskpilot doctor` shows the settings)"


class LanguageError(ValueError):
    """The part that could not be read, why, and the closest command that would be read."""

    def __init__(self, reason: str, *, part: str = "", example: str = "", command: str = "",
                 open_ended: bool = False) -> None:
        self.reason, self.part, self.example, self.command = reason, part.strip(), example.strip(), command.strip()
        self.open_ended = open_ended
        super().__init__(self.sentence())

    def sentence(self) -> str:
        """One sentence: the part not read, why, the closest form read, and (for non-commands) the model hint."""
        where = f"I can't read {self.part!r}" if self.part else "I can't read this command"
        if self.command and self.part and self.part != self.command:
            where += f" in {self.command!r}"
        text = f"{where}: {self.reason}"
        if self.example:
            text += f"; the closest form I understand is {self.example!r}"
        if self.open_ended:
            text += f"; {MODEL_HINT}"
        return text + "."

    def within(self, command: str) -> LanguageError:
        """The same error, told about the whole command it came from."""
        return LanguageError(self.reason, part=self.part, example=self.example, command=command,
                             open_ended=self.open_ended)
