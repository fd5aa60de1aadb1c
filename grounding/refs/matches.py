"""What a description resolves to: matches (an element, how surely, and why), ranked best first."""

from __future__ import annotations

from dataclasses import dataclass

from grounding.elements import Element


@dataclass(frozen=True)
class Match:
    element: Element
    score: float
    reason: str


class NotFound(LookupError):
    """No element on the screen fits the description (a model- or user-caused error, reported back)."""


def best_first(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.element.box.y0, m.element.box.x0))


def overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    """How much of the shorter of two spans the other covers."""
    return max(0.0, min(a1, b1) - max(a0, b0)) / max(1e-6, min(a1 - a0, b1 - b0))
