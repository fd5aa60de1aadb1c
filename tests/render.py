"""Draw small synthetic screens with PIL for parser tests (no display needed)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_PATHS = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf"]


def font(size: int = 20) -> ImageFont.ImageFont:
    for path in FONT_PATHS:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    return ImageFont.load_default(size)


class Canvas:
    def __init__(self, width: int = 640, height: int = 400) -> None:
        self.image = Image.new("RGB", (width, height), "white")
        self.draw = ImageDraw.Draw(self.image)
        self.font = font()

    def text(self, x: int, y: int, s: str, color: str = "black") -> tuple[int, int, int, int]:
        self.draw.text((x, y), s, fill=color, font=self.font)
        return self.draw.textbbox((x, y), s, font=self.font)

    def button(self, x: int, y: int, label: str, w: int = 120, h: int = 40) -> tuple[int, int, int, int]:
        self.draw.rounded_rectangle((x, y, x + w, y + h), radius=4, fill="#efefef", outline="#767676", width=2)
        tw = self.draw.textlength(label, font=self.font)
        self.draw.text((x + (w - tw) / 2, y + 9), label, fill="black", font=self.font)
        return x, y, x + w, y + h

    def field(self, x: int, y: int, w: int = 220, h: int = 36, value: str = "") -> tuple[int, int, int, int]:
        self.draw.rectangle((x, y, x + w, y + h), fill="white", outline="#767676", width=2)
        if value:
            self.draw.text((x + 8, y + 7), value, fill="black", font=self.font)
        return x, y, x + w, y + h

    def checkbox(self, x: int, y: int, size: int = 22, checked: bool = False) -> tuple[int, int, int, int]:
        fill = "#1a73e8" if checked else "white"
        self.draw.rounded_rectangle((x, y, x + size, y + size), radius=3, fill=fill, outline="#767676", width=2)
        if checked:  # a white tick, as toolkits draw it
            s = size
            self.draw.line([(x + 0.22 * s, y + 0.52 * s), (x + 0.42 * s, y + 0.72 * s), (x + 0.78 * s, y + 0.3 * s)],
                           fill="white", width=max(2, s // 8))
        return x, y, x + size, y + size

    def radio(self, x: int, y: int, size: int = 22, checked: bool = False) -> tuple[int, int, int, int]:
        self.draw.ellipse((x, y, x + size, y + size), fill="white", outline="#1a73e8" if checked else "#767676",
                          width=2)
        if checked:  # an accent dot, as browsers draw it
            d = round(size * 0.3)
            self.draw.ellipse((x + d, y + d, x + size - d, y + size - d), fill="#1a73e8")
        return x, y, x + size, y + size

    def array(self) -> np.ndarray:
        return np.array(self.image)


def inside(point: tuple[float, float], box: tuple[int, int, int, int]) -> bool:
    return box[0] <= point[0] <= box[2] and box[1] <= point[1] <= box[3]
