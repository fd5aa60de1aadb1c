"""Squares and rings told apart by their corners (grounding/proposals.py), at the sizes scale 1 and 2 draw them."""

import numpy as np
import pytest
from PIL import Image, ImageDraw

from grounding.proposals import find_outlines


def _shape(draw_one, size: int) -> str:
    """The shape of the outermost outline traced round the drawing (the one the control's box is)."""
    image = Image.new("RGB", (3 * size, 3 * size), (246, 245, 244))
    draw_one(ImageDraw.Draw(image), (size, size, 2 * size, 2 * size), size)
    return max(find_outlines(np.array(image), text_height=0.6 * size), key=lambda p: p.box.area).shape


def _rounded(draw, box, size):  # Adwaita's check box: corners rounded by 3 px per device pixel
    draw.rounded_rectangle(box, radius=round(size / 5.5), fill="white", outline=(190, 184, 178),
                           width=max(1, size // 16))


def _ring(draw, box, size):
    draw.ellipse(box, fill="white", outline=(190, 184, 178), width=max(1, size // 16))


@pytest.mark.parametrize("size", [16, 24, 32, 40])
def test_a_rounded_box_is_a_square_and_a_ring_a_circle_at_every_scale(size):
    assert _shape(_rounded, size) == "square"
    assert _shape(_ring, size) == "circle"
