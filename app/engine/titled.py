"""A parser that also says which window is in front: the pixels cannot tell, the X server can. The planner reads
the title to notice a new window or dialog (and stops a batch of actions there)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from app.desktop.windows import WindowTitles
from grounding.elements import Screen
from planner.protocols import Parser


@dataclass
class TitledParser:
    """``parser``'s screen with the active window's title filled in where the parser left it empty."""

    parser: Parser
    titles: WindowTitles

    def parse(self, image: np.ndarray) -> Screen:
        screen = self.parser.parse(image)
        if screen.title:
            return screen
        title = self.titles.active()
        return replace(screen, title=title) if title else screen

    @property
    def stats(self) -> object:
        """The wrapped parser's stats (the tree-first parser's say where OCR ran and why it fell back)."""
        return getattr(self.parser, "stats", None)

    def close(self) -> None:
        getattr(self.parser, "close", lambda: None)()
        self.titles.close()
