"""VLM point grounding: ask a Qwen2-VL-family model where a target is, and map its answer back onto the screenshot.

The model sees the screenshot resized by its own processor; its answer is read in that image's space
(ShowUI: [x, y] in 0-1; UI-TARS-1.5 and Qwen2.5-VL: pixels of the resized image; UI-TARS 1.0: 0-1000) and
scaled back through the actual resize. With a token ratio above 0, ShowUI's UI-guided selection drops
redundant visual tokens before the language model. An answer with no readable point goes back as NotFound
(an observation for the planner), never as a crash.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

from grounding.coords import Point, resized_image_to_image
from grounding.elements import ROLES, Box, Element, Screen
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref
from grounding.refs.words import family
from grounding.vlm_tokens import AnswerError, Selection, parse_point, select_tokens

VLM_SCORE = 0.8  # below an exact text match (1.0), above fuzzy ones: the VLM decides when the words do not
PROMPTS = Path(__file__).resolve().parent / "prompts" / "vlm_grounding.yaml"


class PointModel(Protocol):
    """What the grounder needs from a VLM (models.vlm.LocalVLM, or a fake)."""

    style: str

    def encode(self, messages: list[dict], image: np.ndarray) -> Any: ...  # has .resized (w, h) and .grid

    def seen_image(self, encoded: Any) -> np.ndarray: ...

    def generate(self, encoded: Any, keep: np.ndarray | None = None, max_new_tokens: int = 32,
                 prune_vision: bool = False, from_layer: int = 0) -> str: ...


@dataclass(frozen=True)
class TokenSelection:
    """ShowUI's UI-guided visual token selection; ratio 0 turns it off. The unselected tokens are dropped from
    language-model layer ``from_layer`` on (0: all layers); ``prune_vision`` drops them before the vision tower as
    well (not ShowUI's method)."""

    ratio: float = 0.0
    threshold: float = 1.0
    mode: str = "uniform"
    aggressive: bool = False
    prune_vision: bool = False
    from_layer: int = 0

    @classmethod
    def of(cls, settings: Any) -> TokenSelection:
        """The selection a [vlm] settings table (models.settings.VLMSettings) describes."""
        return cls(settings.token_ratio, settings.threshold, settings.selection, settings.aggressive,
                   settings.prune_vision, settings.from_layer)

    def select(self, seen: np.ndarray) -> Selection | None:
        if self.ratio <= 0:
            return None
        return select_tokens(seen, self.ratio, self.threshold, self.mode, aggressive=self.aggressive)


@dataclass(frozen=True)
class Pointing:
    """One answer: the point on the original screenshot, what the model said, and what it was shown."""

    point: Point
    answer: str
    visual_tokens: int
    kept_tokens: int
    ms: float


@cache
def prompts() -> dict[str, dict[str, str]]:
    return yaml.safe_load(PROMPTS.read_text(encoding="utf-8"))


def messages(style: str, target: str) -> list[dict]:
    """One user turn: the style's text before the screenshot, the screenshot, the text after it."""
    if style not in prompts():
        raise ValueError(f"unknown answer style {style!r}; choose {', '.join(prompts())}")
    p = prompts()[style]
    parts = [{"type": "text", "text": p["before"].replace("{target}", target)}] if p["before"] else []
    parts += [{"type": "image"}, {"type": "text", "text": p["after"].replace("{target}", target)}]
    return [{"role": "user", "content": parts}]


@dataclass
class VLMGrounder:
    """A Mixture-of-Grounding member that asks a local VLM for a point."""

    model: PointModel
    selection: TokenSelection = field(default_factory=TokenSelection)
    style: str = ""  # answer style; empty: the model's own
    max_new_tokens: int = 32
    name: str = "vlm"

    def applies(self, ref: Ref) -> bool:
        return True

    def point(self, target: str, image: np.ndarray) -> Pointing:
        """Where ``target`` is on ``image`` (image pixels); AnswerError when the answer holds no point."""
        t0 = time.perf_counter()
        style = self.style or self.model.style
        encoded = self.model.encode(messages(style, target), image)
        chosen = self.selection.select(self.model.seen_image(encoded))
        keep = None if chosen is None else chosen.keep
        pruning = keep is not None
        answer = self.model.generate(encoded, keep, self.max_new_tokens,
                                     prune_vision=pruning and self.selection.prune_vision,
                                     from_layer=self.selection.from_layer if pruning else 0)
        rows, cols = encoded.grid
        ms = (time.perf_counter() - t0) * 1000
        on_resized = parse_point(answer, style, encoded.resized)
        h, w = image.shape[:2]
        point = resized_image_to_image(on_resized, encoded.resized, (w, h))
        return Pointing(point, answer, rows * cols, rows * cols if keep is None else int(keep.sum()), ms)

    def candidates(self, ref: Ref, screen: Screen, echo: str) -> list[Match]:
        if screen.image is None:
            return []  # a screen parsed without its pixels (tests, replays): nothing for a VLM to look at
        target = ref.said or ref.describe()
        try:
            found = self.point(target, screen.image)
        except AnswerError as exc:
            raise NotFound(f"the VLM could not point at {target}: {exc}") from None
        x, y = found.point.x, found.point.y
        if not (0 <= x < screen.width and 0 <= y < screen.height):
            raise NotFound(f"the VLM pointed at ({x:.0f}, {y:.0f}), outside the {screen.width}x{screen.height} "
                           f"screen, for {target}")
        role = next((r for r in family(ref.role) if r in ROLES), "button")  # a point to click: a control it saw
        element = Element(Box(x - 4, y - 4, x + 4, y + 4), role, name=ref.label, source="vlm",
                          confidence=VLM_SCORE)
        kept = (f", {found.kept_tokens}/{found.visual_tokens} visual tokens"
                if found.kept_tokens != found.visual_tokens else "")
        return [Match(element, VLM_SCORE, f"VLM answered {found.answer.strip()[:40]!r}{kept}")]

