"""Lists drawn without a frame: a selection band and the rows aligned with it (grounding/sidebars.py)."""

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.sidebars import unframed_lists

TEXT = 11.0  # the screen's glyph height


def _sidebar(words_at: float, band_words_at: float, caption: str = "Home") -> tuple[np.ndarray, list[Element]]:
    """A window with a blue selected row and two rows under it, each a square icon then a word."""
    image = np.full((300, 400, 3), 250, np.uint8)
    cv2.rectangle(image, (0, 40), (155, 75), (228, 132, 53)[::-1], -1)  # GTK's selection blue (RGB order)
    out = [Element(Box(band_words_at, 51, band_words_at + 40, 64), "text", name=caption, line=0, source="ocr")]
    for k, (y, name) in enumerate(((78, "Desktop"), (114, "Music")), 1):
        cv2.rectangle(image, (13, y + 10), (29, y + 26), (60, 60, 60), -1)
        out.append(Element(Box(words_at, y + 11, words_at + 50, y + 24), "text", name=name, line=k, source="ocr"))
    cv2.rectangle(image, (13, 50), (29, 66), (255, 255, 255), -1)  # the selected row's icon, drawn light
    for k, w in enumerate(out):  # the words' ink: light on the band, dark below it
        cv2.rectangle(image, (int(w.box.x0), int(w.box.y0) + 2), (int(w.box.x1), int(w.box.y1) - 2),
                      (255, 255, 255) if k == 0 else (40, 40, 40), -1)
    return image, out


def test_a_selected_band_and_the_rows_aligned_with_it_are_a_list():
    image, words = _sidebar(words_at=38, band_words_at=38)
    screen = unframed_lists(Screen(400, 300, tuple(words), (), image), TEXT)
    (box,) = screen.by_role("list_box")
    rows = screen.by_role("option")
    assert [(o.name, o.selected) for o in rows] == [("Home", True), ("Desktop", False), ("Music", False)]
    assert all(o.parent == box.id for o in rows) and not screen.by_role("text")


def test_a_button_with_its_caption_in_the_middle_and_lines_under_it_is_no_list():
    image, words = _sidebar(words_at=38, band_words_at=60, caption="Submit")
    cv2.rectangle(image, (13, 50), (29, 66), (228, 132, 53)[::-1], -1)  # no picture at its left: a plain button
    screen = unframed_lists(Screen(400, 300, tuple(words), (), image), TEXT)
    assert not screen.by_role("option") and len(screen.by_role("text")) == 3


def test_rows_whose_words_start_elsewhere_are_not_the_band_s_list():
    image, words = _sidebar(words_at=38, band_words_at=38)
    image[78:150, :] = 250  # no icons in the rows below: their words start further right than the band's picture
    screen = unframed_lists(Screen(400, 300, tuple(words), (), image), TEXT)
    assert not screen.by_role("option")


def test_a_header_band_starting_with_its_words_over_a_column_of_names_is_no_list():
    image, words = _sidebar(words_at=13, band_words_at=13, caption="Primary")
    image[40:150, 30:36] = image[40:150, 60:66]  # no pictures: the band and the rows start with their words
    screen = unframed_lists(Screen(400, 300, tuple(words), (), image), TEXT)
    assert not screen.by_role("option")
