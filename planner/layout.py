"""Where a recorded target should be now, from the labelled elements that were around it.

The neighbours a target was recorded with are looked for again by what they say. Each one found once tells
where the target should sit (its recorded offset, scaled by how much bigger the text is drawn now); the median
of those guesses is the target's expected place in the window, whatever the window's position, size or device
scale. A candidate's ``layout`` evidence is how close it is to that place; its ``neighbours`` evidence is how
many of the recorded neighbours sit around it as they sat around the target.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass

from grounding.elements import Box, Element, Screen, reading_order
from planner.targets import Neighbour, Target, labelled, says

KIN = (("text", "link", "heading"), ("text_field", "text_area", "spin_box"), ("checkbox", "radio"),
       ("button", "link", "tab"))


@dataclass(frozen=True)
class Layout:
    """The target's expected centre on the current screen and the drawing scale, when neighbours were found."""

    scale: float | None = None
    centre: tuple[float, float] | None = None
    anchors: int = 0

    @classmethod
    def of(cls, target: Target, screen: Screen) -> Layout:
        """Where ``target`` should be on ``screen``, from those of its neighbours found there exactly once."""
        pool = labelled(screen)
        pairs: list[tuple[Neighbour, Element]] = []
        for n in target.neighbours:
            same = [e for e in pool if _kin(n.role, e.role) and says(n.name, e.name)]
            if len(same) == 1:  # a name seen twice places nothing
                pairs.append((n, same[0]))
        if not pairs:
            return cls()
        ratios = [e.box.height / n.height for n, e in pairs if n.height > 0]
        scale = min(max(statistics.median(ratios), 0.3), 4.0) if ratios else 1.0
        xs = [e.box.center[0] - scale * n.dx for n, e in pairs]
        ys = [e.box.center[1] - scale * n.dy for n, e in pairs]
        return cls(scale, (statistics.median(xs), statistics.median(ys)), len(pairs))

    def place(self, target: Target, box: Box, el: Element | None, screen: Screen,
              occurrence: tuple[int, int] | None) -> float | None:
        """How well ``box`` sits where the target should be (1 on the spot, 0 a row or more away); without
        neighbours to place it, whether it is the same one of its name (``occurrence``: its index and how many
        bear the name now), or of its role, as when recorded: telling only when there are as many as then."""
        if self.centre is not None and self.scale:
            w, h = target.size
            cx, cy = box.center
            d = math.hypot((cx - self.centre[0]) / (self.scale * w), (cy - self.centre[1]) / (self.scale * h))
            return max(0.0, 1.0 - d / 2)
        if occurrence is not None:
            index, count = occurrence
            if target.occurrences and count != target.occurrences:
                return None  # a name seen more (or fewer) times than then: its order tells nothing
            return 1.0 if index == target.occurrence else 0.0
        index, count = target.ordinal
        if not count or el is None or not el.is_control:
            return None
        same = reading_order([e for e in screen.controls() if e.role == el.role])
        now = next((i for i, e in enumerate(same) if e is el), -1)
        if now != index:
            return 0.0
        return 1.0 if len(same) == count else 0.4  # one more or fewer of its kind: its number is a weak hint


def neighbour_score(target: Target, box: Box, el: Element | None, screen: Screen, scale: float | None) -> float:
    """The share of the recorded neighbours (the nearer ones weighing more) that sit around ``box`` now as they
    sat around the target."""
    w_t, h_t = target.size
    s = scale or min(max(box.height / h_t, 0.3), 4.0)
    cx, cy = box.center
    pool = [e for e in labelled(screen) if e is not el]
    got = total = 0.0
    for n in target.neighbours:
        weight = 1.0 / (1.0 + n.distance / (4 * h_t))
        total += weight
        ex, ey = cx + s * n.dx, cy + s * n.dy
        tolerance = s * (1.5 * max(h_t, n.height) + 0.25 * n.distance)
        if any(_kin(n.role, e.role) and says(n.name, e.name)
               and math.hypot(e.box.center[0] - ex, e.box.center[1] - ey) <= tolerance for e in pool):
            got += weight
    return got / total if total else 0.0


def _kin(a: str, b: str) -> bool:
    return a == b or any(a in k and b in k for k in KIN)
