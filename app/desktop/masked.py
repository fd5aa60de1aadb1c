"""A screen source that keeps the app's own windows out of what the agent sees.

X11 has no way to exclude a window from capture, so every rectangle the app shows on the agent's screen (the
small status window, an approval dialog) is painted over with one flat colour in every captured image. The
agent reasons about the screen without the app in it, and the screen-changed check stays quiet while the status
window's clock ticks.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the app imports this module at start-up; numpy and the planner load with the first run
    from grounding.coords import Frame
    from planner.protocols import Observation, ScreenSource

MASK_RGB = (128, 128, 128)
Rect = tuple[int, int, int, int]  # left, top, width, height in logical desktop pixels


@dataclass
class Exclusions:
    """Rectangles to keep out of captures, set by the GUI thread and read by the engine thread."""

    _rects: dict[str, Rect] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set(self, name: str, rect: Rect | None) -> None:
        with self._lock:
            if rect is None:
                self._rects.pop(name, None)
            else:
                self._rects[name] = rect

    def rects(self) -> list[Rect]:
        with self._lock:
            return list(self._rects.values())


@dataclass
class MaskedSource:
    """Wraps a ScreenSource; paints the excluded rectangles over each image, in the image's own pixels."""

    inner: ScreenSource
    exclusions: Exclusions
    last_frame: Frame | None = None

    def capture(self) -> Observation:
        from planner.protocols import Observation

        obs = self.inner.capture()
        self.last_frame = obs.frame
        rects = self.exclusions.rects()
        if not rects:
            return obs
        image = obs.image.copy()
        for rect in rects:
            x0, y0, x1, y1 = image_rect(rect, obs.frame)
            if x1 > x0 and y1 > y0:
                image[y0:y1, x0:x1] = MASK_RGB
        return Observation(image, obs.frame, obs.timestamp)

    def close(self) -> None:
        close = getattr(self.inner, "close", None)
        if close is not None:
            close()


def image_rect(rect: Rect, frame: Frame) -> Rect:
    """A desktop rectangle as (x0, y0, x1, y1) image pixels, clipped to the image; one pixel of margin."""
    from grounding.coords import Point, Space, logical_to_image

    left, top, width, height = rect
    a = logical_to_image(Point(left, top, Space.LOGICAL), frame)
    b = logical_to_image(Point(left + width, top + height, Space.LOGICAL), frame)
    x0, y0, x1, y1 = int(a.x) - 1, int(a.y) - 1, int(round(b.x)) + 1, int(round(b.y)) + 1
    return max(0, x0), max(0, y0), min(frame.width, x1), min(frame.height, y1)
