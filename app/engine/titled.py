"""A parser that also says what only the window system knows: which window is in front (the planner reads the
title to notice a new window or dialog, and stops a batch of actions there), and which boxes are tooltips (drawn,
one looks like a button; grounding/tooltip_windows.py)."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from app.desktop.windows import WindowTitles
from grounding.coords import Frame
from grounding.elements import Screen
from grounding.tooltip_windows import on_image, with_tooltips
from planner.protocols import Parser


@dataclass
class TitledParser:
    """``parser``'s screen as ``windowed`` completes it; ``frame``: where the captured images lie on the desktop."""

    parser: Parser
    titles: WindowTitles
    frame: Frame | None = None

    def parse(self, image: np.ndarray) -> Screen:
        return windowed(self.parser.parse(image), self.titles, self.frame)

    @property
    def stats(self) -> object:
        """The wrapped parser's stats (the tree-first parser's say where OCR ran and why it fell back)."""
        return getattr(self.parser, "stats", None)

    def close(self) -> None:
        getattr(self.parser, "close", lambda: None)()
        self.titles.close()


def windowed(screen: Screen, titles: WindowTitles, frame: Frame | None) -> Screen:
    """``screen`` with the tooltip windows' text made tooltips (when ``frame`` places the image on the desktop),
    the active window's id, and its title filled in where the parse left it empty."""
    if frame is not None:
        screen = with_tooltips(screen, on_image(titles.tooltips(), frame))
        front = titles.front()
        boxes = on_image([front], frame) if front is not None else []
        if boxes and boxes[0].area < 0.95 * frame.width * frame.height:  # a window the size of the screen holds all
            screen = replace(screen, front=boxes[0])
    title, window = titles.active_window()
    return replace(screen, title=screen.title or title, window=window)
