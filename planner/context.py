"""What the planner remembers, kept bounded: a task ledger of facts and progress (Magentic-One), the last few turns
word for word, older turns folded into a fixed-size summary, and the last few screenshots."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

import numpy as np

MAX_FACTS = 12
MAX_PROGRESS = 8
RECENT_TURNS = 6
LINE_CAP = 240


def clip(text: str, cap: int = LINE_CAP) -> str:
    text = " ".join(text.split())
    return text if len(text) <= cap else text[: cap - 1] + "…"


@dataclass
class Ledger:
    """Facts learned and progress made; the oldest entries give way so the ledger never grows past its caps."""

    facts: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_FACTS))
    progress: deque[str] = field(default_factory=lambda: deque(maxlen=MAX_PROGRESS))

    def learn(self, facts: list[str]) -> None:
        for fact in facts:
            fact = clip(fact)
            if fact and fact not in self.facts:
                self.facts.append(fact)

    def note(self, line: str) -> None:
        self.progress.append(clip(line))

    def render(self) -> str:
        facts = "\n".join(f"- {f}" for f in self.facts) or "- (none yet)"
        progress = "\n".join(f"- {p}" for p in self.progress) or "- (nothing finished yet)"
        return f"Facts:\n{facts}\nProgress:\n{progress}"


@dataclass
class TurnLog:
    """The current subtask's turns: the last few verbatim, the rest counted by kind and outcome."""

    recent: deque[str] = field(default_factory=lambda: deque(maxlen=RECENT_TURNS))
    older: Counter[str] = field(default_factory=Counter)
    total: int = 0

    def add(self, line: str, kind: str, ok: bool) -> None:
        if len(self.recent) == self.recent.maxlen:
            self.older[f"{kind} {'ok' if ok else 'failed'}"] += 1
        self.recent.append(clip(line))
        self.total += 1

    def clear(self) -> None:
        self.recent.clear()
        self.older.clear()
        self.total = 0

    def render(self) -> str:
        lines = []
        if self.older:
            # the fold names at most six kinds, so it stays the same size however long the subtask runs
            kinds = ", ".join(f"{k}" for k, _ in self.older.most_common(6))
            lines.append(f"(earlier turns on this subtask: {kinds})")
        lines += [f"- {line}" for line in self.recent]
        return "\n".join(lines) or "- (no actions yet on this subtask)"


@dataclass
class Screens:
    """The last ``keep`` screenshots, newest last."""

    keep: int = 2
    images: deque[np.ndarray] = field(default_factory=deque)

    def push(self, image: np.ndarray) -> None:
        self.images.append(image)
        while len(self.images) > self.keep:
            self.images.popleft()

    @property
    def previous(self) -> np.ndarray | None:
        return self.images[-2] if len(self.images) >= 2 else None
