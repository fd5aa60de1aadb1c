"""Text selected all over (white on blue bands) is turned back into dark text on white before the parse; coloured
buttons, whose captions are inset from their edges, are left as they are."""

import cv2
import numpy as np

from grounding.selected_text import unselected

BLUE = (51, 103, 209)


def _screen(lines: int, inset: int) -> np.ndarray:
    image = np.full((300, 400, 3), 255, np.uint8)
    for i in range(lines):
        y = 20 + 40 * i
        (w, _), _ = cv2.getTextSize(f"line {i} text", cv2.FONT_HERSHEY_SIMPLEX, 0.6, 1)
        cv2.rectangle(image, (20, y), (20 + w + 2 * inset, y + 22), BLUE, -1)
        cv2.putText(image, f"line {i} text", (20 + inset, y + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.6, (255, 255, 255), 1)
    return image


def test_lines_selected_all_over_read_as_dark_text_on_white():
    out = unselected(_screen(5, inset=1))
    band = out[20:43, 20:120]
    assert float(np.median(band)) >= 250  # the face is white again
    assert band.min() < 60  # and the glyphs dark
    assert not (np.abs(out.astype(np.int16) - BLUE).max(axis=2) <= 24).any()


def test_coloured_buttons_with_inset_captions_stay_as_they_are():
    image = _screen(5, inset=14)
    assert (unselected(image) == image).all()


def test_a_screen_with_one_selected_line_is_left_alone():
    image = _screen(1, inset=1)
    assert (unselected(image) == image).all()


def test_ticked_boxes_a_theme_fills_with_its_accent_colour_are_no_selected_lines():
    """GTK's Adwaita fills a ticked box or chosen radio with the accent colour, a light mark at its left: squares
    of the highlight's colour, not bands of selected text, however many the screen shows."""
    image = np.full((300, 400, 3), 246, np.uint8)
    for i in range(6):
        y = 20 + 40 * i
        cv2.rectangle(image, (20, y), (36, y + 16), BLUE, -1)
        cv2.line(image, (23, y + 8), (27, y + 12), (255, 255, 255), 2)
        cv2.line(image, (27, y + 12), (33, y + 4), (255, 255, 255), 2)
        cv2.putText(image, "checkbutton", (42, y + 13), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1)
    assert (unselected(image) == image).all()
