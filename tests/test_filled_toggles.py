"""Ticked boxes and chosen radios a theme draws as faces filled with its accent colour (grounding/toggles.py
`filled_toggle`): checkboxes and radios, not pictures; an application's many-coloured icon stays a picture."""

import cv2
import numpy as np
import pytest

from app.testing.desktop import Desktop
from grounding.elements import Box, Element
from grounding.parser import ScreenParser
from grounding.toggles import filled_toggle

BLUE = (53, 132, 228)  # Adwaita's accent
WORDS = [Element(Box(42, 22, 130, 34), "text", name="checkbutton", line=0)]


def face(draw) -> tuple[np.ndarray, Element]:
    image = np.full((60, 160, 3), 246, np.uint8)
    draw(image)
    return image, Element(Box(20, 20, 36, 36), "image", source="widget")


def tick(image):
    cv2.rectangle(image, (20, 20), (35, 35), BLUE, -1)
    cv2.line(image, (24, 29), (26, 31), (255, 255, 255), 2)
    cv2.line(image, (26, 31), (31, 25), (255, 255, 255), 2)


def dot(image):
    cv2.circle(image, (28, 28), 8, BLUE, -1, cv2.LINE_AA)
    cv2.circle(image, (28, 28), 3, (255, 255, 255), -1, cv2.LINE_AA)


def icon(image):  # an application's icon: a face of two colours and shades, a light glyph on it
    for x in range(20, 36):
        cv2.line(image, (x, 20), (x, 35), (200 - 6 * (x - 20), 60, 40 + 8 * (x - 20)), 1)
    cv2.rectangle(image, (20, 28), (35, 35), (40, 160, 60), -1)
    cv2.line(image, (24, 24), (31, 31), (255, 255, 255), 2)


def test_a_filled_square_with_a_light_tick_and_a_label_is_a_ticked_checkbox():
    image, picture = face(tick)
    box = filled_toggle(picture, image, WORDS, 12.0)
    assert box.role == "checkbox" and box.checked


def test_a_filled_disc_with_a_light_dot_and_a_label_is_a_chosen_radio():
    image, picture = face(dot)
    radio = filled_toggle(picture, image, WORDS, 12.0)
    assert radio.role == "radio" and radio.checked


def test_a_many_coloured_icon_or_one_without_a_label_stays_a_picture():
    image, picture = face(icon)
    assert filled_toggle(picture, image, WORDS, 12.0).role == "image"
    image, picture = face(tick)
    assert filled_toggle(picture, image, [], 12.0).role == "image"  # no label: a picture of a tick
    far = [w.with_(box=Box(90, 22, 170, 34)) for w in WORDS]
    assert filled_toggle(picture, image, far, 12.0).role == "image"  # words further on are no label of it


@pytest.mark.display
def test_gtk_widget_factory_ticked_boxes_and_chosen_radios_are_toggles_not_pictures(tmp_path):
    """gtk3-widget-factory (gtk-3-examples): Adwaita's blue ticked boxes and radios beside their labels."""
    with Desktop(tmp_path, 1280, 800) as desk:
        desk.launch("gtk3-widget-factory", timeout=45)
        screen = ScreenParser(incremental=False).parse(desk.screenshot())
    column = [e for e in screen.elements if 10 <= e.box.x0 <= 40 and 360 <= e.box.y0 <= 540 and e.box.width < 30]
    toggles = [e for e in column if e.role == "checkbox"]
    assert len([t for t in toggles if t.checked]) >= 2, [(e.role, e.box.to_list()) for e in column]
    assert len(toggles) >= 4  # ticked, unticked and the disabled ones of the first column
