"""Set-of-marks: each element's id drawn on the screenshot next to its box, so any multimodal model can answer
with the number it sees instead of coordinates; the numbers are the legend's ids and map back to the element."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from grounding.elements import Element, Screen
from grounding.legend import render

PALETTE = [(230, 25, 75), (60, 140, 60), (0, 90, 200), (245, 130, 48), (145, 30, 180), (0, 150, 150)]


@dataclass(frozen=True)
class Marks:
    image: np.ndarray
    legend: str
    elements: tuple[Element, ...]

    def element(self, number: int) -> Element:
        """The element behind mark ``number``; a wrong number is the model's error, reported back."""
        for e in self.elements:
            if e.id == number:
                return e
        top = max((e.id for e in self.elements), default=0)
        raise LookupError(f"there is no mark {number}; marks go from 1 to {top}")


def mark(image: np.ndarray, screen: Screen, include_text: bool = True, limit: int = 200) -> Marks:
    """Draw every control's id on its box (and, optionally, the first text lines' up to ``limit`` marks in all;
    controls are never left out) and write the legend."""
    controls = screen.controls()
    chosen = controls + (screen.lines()[:max(0, limit - len(controls))] if include_text else [])
    canvas = Image.fromarray(image).convert("RGB")
    draw = ImageDraw.Draw(canvas)
    size = max(11, int(np.median([e.box.height for e in chosen]) * 0.55)) if chosen else 12
    for el in chosen:
        n = el.id
        color = PALETTE[n % len(PALETTE)]
        x0, y0, x1, y1 = el.box.to_list()
        draw.rectangle((x0, y0, x1, y1), outline=color, width=2)
        tag = _tag(n, size)
        ty = y0 - tag.height if y0 - tag.height >= 0 else y0
        canvas.paste(tag, (int(x0), int(ty)))
    legend = render(screen, limit_lines=len(chosen) - len(controls))
    return Marks(np.asarray(canvas), legend, tuple(chosen))


@lru_cache(maxsize=1024)
def _tag(n: int, size: int) -> Image.Image:
    """The label of mark ``n``: white digits on the mark's colour, drawn once and pasted on every frame."""
    font = _font(size)
    tw, th = ImageDraw.Draw(Image.new("RGB", (1, 1))).textbbox((0, 0), str(n), font=font)[2:]
    tag = Image.new("RGB", (tw + 4, th + 2), PALETTE[n % len(PALETTE)])
    ImageDraw.Draw(tag).text((2, 0), str(n), fill="white", font=font)
    return tag


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.ImageFont:
    for path in ("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
                 "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default()
