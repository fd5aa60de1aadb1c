"""A parser that reads the pixels and the accessibility tree and merges them (Mixture of Grounding's
structural source)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from grounding.a11y import merge, to_elements
from grounding.coords import Frame
from grounding.elements import Screen
from grounding.parser import ScreenParser


@dataclass
class A11yParser:
    """``nodes`` returns the tree's nodes in logical pixels; ``frame`` maps them onto the captured image."""

    nodes: Callable[[], list[dict[str, Any]]]
    frame: Frame
    pixels: ScreenParser
    on_close: Callable[[], None] = lambda: None  # stops whatever reads the tree (a reader process)

    def parse(self, image: np.ndarray) -> Screen:
        screen = self.pixels.parse(image)
        return merge(screen, to_elements(self.nodes(), self.frame))

    def close(self) -> None:
        self.on_close()
