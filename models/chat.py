"""The chat-model seam: messages (with screenshots) in, text and token usage out."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Message:
    role: str  # system | user | assistant
    text: str
    images: tuple[bytes, ...] = ()  # encoded PNG or JPEG


@dataclass(frozen=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(self.prompt_tokens + other.prompt_tokens, self.completion_tokens + other.completion_tokens)


@dataclass(frozen=True)
class Reply:
    text: str
    usage: Usage = field(default_factory=Usage)
    model: str = ""


class ChatModel(Protocol):
    """Any backend: OpenAI-compatible servers, Anthropic, local transformers, the scripted fake."""

    name: str

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        """One answer; ``json_mode`` asks backends that support it for a single JSON object."""
        ...


class ModelError(RuntimeError):
    """The model could not be reached or refused the request; the message says what to check."""


class BudgetExceeded(RuntimeError):
    """The run spent its token or cost budget; the run stops cleanly with its trajectory."""


def media_type(data: bytes) -> str:
    """image/png or image/jpeg, read from the bytes themselves."""
    return "image/jpeg" if data[:3] == b"\xff\xd8\xff" else "image/png"


def png_data_url(data: bytes) -> str:
    return f"data:{media_type(data)};base64," + base64.b64encode(data).decode()


@dataclass
class Meter:
    """Counts tokens and cost for a run and stops it at its budget."""

    price_in: float = 0.0  # per million prompt tokens
    price_out: float = 0.0  # per million completion tokens
    max_tokens: int = 0  # 0: no token budget
    max_cost: float = 0.0  # 0: no cost budget
    used: Usage = field(default_factory=Usage)
    calls: int = 0

    @property
    def cost(self) -> float:
        return (self.used.prompt_tokens * self.price_in + self.used.completion_tokens * self.price_out) / 1e6

    def add(self, usage: Usage) -> None:
        self.used = self.used + usage
        self.calls += 1
        total = self.used.prompt_tokens + self.used.completion_tokens
        if self.max_tokens and total > self.max_tokens:
            raise BudgetExceeded(f"The run used {total} tokens, over its budget of {self.max_tokens}.")
        if self.max_cost and self.cost > self.max_cost:
            raise BudgetExceeded(f"The run cost ${self.cost:.4f}, over its budget of ${self.max_cost:.4f}.")
