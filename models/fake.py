"""The scripted model tests and demos use: it replays answers in order and records what it was asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from models.chat import Message, Meter, ModelError, Reply, Usage


@dataclass
class ScriptedModel:
    answers: list[str]
    meter: Meter = field(default_factory=Meter)
    asked: list[list[Message]] = field(default_factory=list)
    name: str = "scripted"

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        self.asked.append(list(messages))
        if not self.answers:
            raise ModelError("the scripted model has no answers left")
        text = self.answers.pop(0)
        usage = Usage(sum(len(m.text) // 4 + 85 * len(m.images) for m in messages), len(text) // 4)
        self.meter.add(usage)
        return Reply(text, usage, self.name)
