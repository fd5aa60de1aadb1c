"""Where two screenshots of one screen differ, cell by cell: what an incremental parse reads again, and how a wait
tells a screen that holds still from one where only a small animation keeps moving.

A screen with a spinner, a progress pulse or a clock never shows two equal frames in a row. A wait for "equal
twice" then waits its whole timeout on every look (an application launched for a GUI test with a spinner in its
window was reported as "nothing appeared" after 45 s), so `Stillness` also counts a screen as still once its
changes have stayed inside one small area for a few looks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import cv2
import numpy as np

CELL = 16  # px: the grid the screen is compared on
LEVEL = 24  # a channel must move by more than this (anti-aliased edges and dithering flicker by a few levels)
SMALL = 0.01  # an animation may cover this share of the screen's cells (a 100 px square on 1280x800)
HOLD = 0.5  # seconds of changes inside one small area before they count as an animation that goes on (a switch
# sliding over or a button's ripple is over sooner, and is waited for)


def changed_cells(prev: np.ndarray, cur: np.ndarray, cell: int = CELL) -> np.ndarray:
    """The grid (rows x columns of ``cell`` px squares, the last ones partial) of cells where a pixel differs."""
    diff = cv2.absdiff(prev, cur)
    if diff.ndim == 3:
        channels = cv2.split(diff)
        diff = cv2.max(cv2.max(channels[0], channels[1]), channels[2])
    diff = diff > LEVEL
    h, w = diff.shape
    gh, gw = -(-h // cell), -(-w // cell)
    padded = np.zeros((gh * cell, gw * cell), bool)
    padded[:h, :w] = diff
    return padded.reshape(gh, cell, gw, cell).any(axis=(1, 3))


@dataclass
class Stillness:
    """Looks at a screen and says when it holds still: a look the same as the one before, or looks whose changes
    have all stayed inside the same small area (together at most ``SMALL`` of the screen: a spinner, a blinking
    caret, a clock) for ``HOLD`` seconds and at least two looks; ``every``: the seconds the caller waits between
    looks (the hold is timed by the clock: a look also costs its capture). A change anywhere else starts again."""

    every: float
    clock: Callable[[], float] = time.monotonic
    _last: np.ndarray | None = None
    _moving: np.ndarray | None = field(default=None, repr=False)  # the cells changed since the count began
    _count: int = 0
    _since: float = 0.0  # when the current count began

    def still(self, now: np.ndarray) -> bool:
        last, self._last = self._last, now
        if last is None or last.shape != now.shape:
            self._moving, self._count = None, 0
            return False
        if np.array_equal(last, now):
            return True
        cells = changed_cells(last, now)
        moving = cells if self._moving is None else self._moving | cells
        if moving.mean() > SMALL:  # more than an animation: the screen is still changing
            self._moving, self._count = None, 0
            return False
        if self._moving is None:
            self._since = self.clock() - self.every  # the first small change came during the last wait
        self._moving, self._count = moving, self._count + 1
        return self._count >= 2 and self.clock() - self._since >= HOLD
