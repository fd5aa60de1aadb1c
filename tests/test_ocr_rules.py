"""Underlines are taken out of a line's crop before the recognizer reads it: they make letters of descenders."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image, ImageDraw

from models import ocr, ocr_rules
from tests.render import Canvas, font

pytest.importorskip("rapidocr_onnxruntime")

LINK = (0, 0, 238)
TEXT = (51, 51, 51)
# closely set text as MiniWoB's 11 px pages show it: each line's box takes in the underline of the line above
PARAGRAPH = [[("aliquam", True), (" amet, ", False), ("ipsum", True)],
             [("quam", True), (" in ", False), ("aliquam", True), (" ", False), ("quam", True)],
             [("quam", False), (" eget ", False), ("hendrerit.", True)]]


def _paragraph(size: int = 11, pitch: int = 11) -> np.ndarray:
    """Lines with underlined links, the underline one pixel under the baseline and broken around descenders
    (Chromium's text-decoration-skip-ink)."""
    face = font(size)
    ascent, _ = face.getmetrics()
    image = Image.new("RGB", (160, 20 + pitch * len(PARAGRAPH)), "white")
    draw = ImageDraw.Draw(image)
    for n, parts in enumerate(PARAGRAPH):
        x, y = 10.0, 8 + n * pitch
        for text, link in parts:
            draw.text((x, y), text, fill=LINK if link else TEXT, font=face)
            width = draw.textlength(text, font=face)
            if link:
                glyphs = Image.new("L", image.size, 0)
                ImageDraw.Draw(glyphs).text((x, y), text, fill=255, font=face)
                under = ascent + y + 1
                crossed = np.asarray(glyphs)[under - 1:under + 2].max(axis=0) > 60
                skipped = np.convolve(crossed, np.ones(5), "same") > 0  # two pixels clear on either side
                for column in range(int(x), int(x + width)):
                    if not skipped[column]:
                        draw.point((column, under), fill=LINK)
            x += width
    return np.asarray(image)


def test_underlined_links_read_as_their_letters():
    assert [line.text for line in ocr.recognize(_paragraph())] == \
        ["aliquam amet, ipsum", "quam in aliquam quam", "quam eget hendrerit."]


def test_an_underline_is_erased_and_the_descenders_it_skips_stay():
    # the last line, "quam eget hendrerit.", from the underline of the line above (its top row) down
    crop = _paragraph()[31:45, 5:155]
    cleaned = ocr_rules.without_rules(crop)
    ink = cleaned.astype(int).sum(axis=2) < 600
    rows = np.flatnonzero(ink.sum(axis=1) > 0.5 * crop.shape[1])
    assert not rows.size  # no row is mostly ink: both underlines are gone
    changed = (cleaned != crop).any(axis=2)
    assert changed.any() and not changed[2:10].any()  # the x-height rows, the letters' bodies, are untouched
    # the tail of q and g, under the baseline, is kept where the underline broke for it
    assert ink[10:13, :40].any()


def test_text_without_rules_is_passed_on_as_it_is():
    image = np.full((20, 200, 3), 255, np.uint8)
    image[5:15, 10:12] = 0  # a stroke, no rule
    assert ocr_rules.without_rules(image) is image


def test_a_box_keeps_its_edges_so_its_sides_are_not_read_as_bars():
    canvas = Canvas(240, 60)
    canvas.font = font(16)
    canvas.draw.rounded_rectangle((10, 10, 200, 38), radius=3, fill="white", outline="#767676", width=1)
    canvas.draw.text((16, 15), "Norwegian Bokmal", fill="black", font=canvas.font)
    crop = canvas.array()[8:42, 8:203]  # a dropdown's face as the parser reads it, its outline all round
    assert ocr_rules.without_rules(crop) is crop
    assert ocr.read_crops([crop])[0][0] == "Norwegian Bokmal"  # no "[" or "|" for its sides
