"""Coordinate spaces and pure conversions between them.

Four spaces appear in DeskPilot:
- ``image``: pixels of the screenshot the parser and models look at;
- ``logical``: desktop coordinates the input driver takes (X11 pixels, macOS points);
- ``physical``: device pixels (logical times the device pixel ratio);
- ``normalized``: model answers, 0-1 (or 0-1000) of the image width and height.
Every conversion here is a pure function and is tested without a display.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Space(StrEnum):
    IMAGE = "image"
    LOGICAL = "logical"
    PHYSICAL = "physical"
    NORMALIZED = "normalized"


@dataclass(frozen=True)
class Point:
    """A point that says which space it lives in."""

    x: float
    y: float
    space: Space

    def rounded(self) -> tuple[int, int]:
        return round(self.x), round(self.y)


@dataclass(frozen=True)
class Frame:
    """Where a captured image sits on the desktop.

    ``left``/``top`` are the monitor's origin in logical desktop coordinates; ``scale`` is image pixels per
    logical pixel (2.0 for a Retina capture, 0.5 for a screenshot shrunk for a model).
    """

    left: int
    top: int
    width: int
    height: int
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"frame size must be positive, got {self.width}x{self.height}")
        if self.scale <= 0:
            raise ValueError(f"frame scale must be positive, got {self.scale}")

    def resized(self, width: int, height: int) -> Frame:
        """The same desktop area seen through an image resized to ``width`` x ``height``."""
        return Frame(self.left, self.top, width, height, self.scale * width / self.width)


def _expect(p: Point, space: Space) -> None:
    if p.space is not space:
        raise ValueError(f"expected a point in {space.value} space, got {p.space.value}")


def image_to_logical(p: Point, frame: Frame) -> Point:
    _expect(p, Space.IMAGE)
    return Point(frame.left + p.x / frame.scale, frame.top + p.y / frame.scale, Space.LOGICAL)


def logical_to_image(p: Point, frame: Frame) -> Point:
    _expect(p, Space.LOGICAL)
    return Point((p.x - frame.left) * frame.scale, (p.y - frame.top) * frame.scale, Space.IMAGE)


def logical_to_physical(p: Point, device_pixel_ratio: float) -> Point:
    _expect(p, Space.LOGICAL)
    return Point(p.x * device_pixel_ratio, p.y * device_pixel_ratio, Space.PHYSICAL)


def physical_to_logical(p: Point, device_pixel_ratio: float) -> Point:
    _expect(p, Space.PHYSICAL)
    return Point(p.x / device_pixel_ratio, p.y / device_pixel_ratio, Space.LOGICAL)


def normalized_to_image(p: Point, frame: Frame, full_scale: float = 1.0) -> Point:
    """Model answer to image pixels; ``full_scale`` is 1.0 for 0-1 answers and 1000.0 for 0-1000 answers."""
    _expect(p, Space.NORMALIZED)
    return Point(p.x / full_scale * frame.width, p.y / full_scale * frame.height, Space.IMAGE)


def image_to_normalized(p: Point, frame: Frame, full_scale: float = 1.0) -> Point:
    _expect(p, Space.IMAGE)
    return Point(p.x / frame.width * full_scale, p.y / frame.height * full_scale, Space.NORMALIZED)


def resized_image_to_image(p: Point, resized: tuple[int, int], original: tuple[int, int]) -> Point:
    """A point on a model's resized copy of the screenshot back onto the original screenshot."""
    _expect(p, Space.IMAGE)
    return Point(p.x * original[0] / resized[0], p.y * original[1] / resized[1], Space.IMAGE)


def contains(frame: Frame, p: Point) -> bool:
    """Whether a logical point lies on the captured monitor."""
    _expect(p, Space.LOGICAL)
    right = frame.left + frame.width / frame.scale
    bottom = frame.top + frame.height / frame.scale
    return frame.left <= p.x < right and frame.top <= p.y < bottom


class OffImage(ValueError):
    """A model's point that lies off the image it was shown; the message goes back to the model."""


@dataclass(frozen=True)
class ModelImage:
    """The screenshot as a model received it, and the frame of its answers.

    ``width`` x ``height`` is the size of the image sent (after any resize); ``full_scale`` 0 means the model
    answers in pixels of that image (Claude, OpenAI, UI-TARS-1.5, Qwen2.5-VL), otherwise on a 0..full_scale grid
    laid over it (Qwen3-VL: 999, Holo and UI-TARS-2: 1000).
    """

    width: int
    height: int
    full_scale: float = 0.0

    def __post_init__(self) -> None:
        if self.width <= 0 or self.height <= 0:
            raise ValueError(f"model image size must be positive, got {self.width}x{self.height}")

    @property
    def limits(self) -> tuple[float, float]:
        """The largest x and y the model may answer."""
        return (self.full_scale, self.full_scale) if self.full_scale else (self.width, self.height)


def model_to_image(x: float, y: float, view: ModelImage, original: tuple[int, int]) -> Point:
    """A model's answer to pixels of the original screenshot (``original`` = (width, height)); OffImage when the
    answer lies outside the image the model saw. Each axis is scaled on its own: a smart resize changes the
    aspect ratio slightly."""
    lx, ly = view.limits
    if not (0 <= x <= lx and 0 <= y <= ly):
        unit = f"0-{view.full_scale:g} grid" if view.full_scale else f"{view.width}x{view.height} screenshot"
        raise OffImage(f"the point ({x:g}, {y:g}) is outside the {unit}; answer a point on it")
    w, h = original
    if view.full_scale:
        p = Point(x / view.full_scale * w, y / view.full_scale * h, Space.IMAGE)
    else:
        p = resized_image_to_image(Point(x, y, Space.IMAGE), (view.width, view.height), (w, h))
    return Point(min(p.x, w - 1), min(p.y, h - 1), Space.IMAGE)  # the far edge belongs to the last pixel


def model_to_logical(x: float, y: float, view: ModelImage, frame: Frame) -> Point:
    """A model's answer on its image to the desktop point the input driver takes."""
    return image_to_logical(model_to_image(x, y, view, (frame.width, frame.height)), frame)


def logical_to_model(p: Point, view: ModelImage, frame: Frame) -> tuple[float, float]:
    """A desktop point in the model's own frame (to tell it where the cursor is)."""
    img = logical_to_image(p, frame)
    if view.full_scale:
        return img.x / frame.width * view.full_scale, img.y / frame.height * view.full_scale
    back = resized_image_to_image(img, (frame.width, frame.height), (view.width, view.height))
    return back.x, back.y


def fit_within(width: int, height: int, max_long: int = 0, max_pixels: int = 0) -> tuple[int, int]:
    """The largest size with the same aspect ratio whose long side is at most ``max_long`` and whose area is at
    most ``max_pixels`` (0: no such limit); never larger than the original."""
    factor = 1.0
    if max_long and max(width, height) > max_long:
        factor = max_long / max(width, height)
    if max_pixels and width * height * factor * factor > max_pixels:
        factor = (max_pixels / (width * height)) ** 0.5
    return max(1, int(width * factor)), max(1, int(height * factor))
