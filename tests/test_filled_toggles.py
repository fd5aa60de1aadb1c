"""Ticked boxes and chosen radios a theme draws as faces filled with its accent colour (grounding/toggles.py
`filled_toggle`): checkboxes and radios, not pictures; an application's many-coloured icon stays a picture."""

import cv2
import numpy as np

from grounding.elements import Box, Element
from grounding.toggles import faint_ones_disabled, filled_toggle

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


def dash(image):  # neither ticked nor not: GTK's inconsistent box
    cv2.rectangle(image, (20, 20), (35, 35), BLUE, -1)
    cv2.rectangle(image, (23, 27), (32, 29), (255, 255, 255), -1)


def test_a_filled_square_with_a_light_dash_is_a_mixed_checkbox():
    image, picture = face(dash)
    box = filled_toggle(picture, image, WORDS, 12.0)
    assert box.role == "checkbox" and box.states == {"mixed"} and box.name == "checkbutton"


def test_greyed_labels_say_which_toggles_are_disabled_where_every_unticked_box_is_light():
    """Adwaita draws every unticked box with the same light edge; the labels of the disabled ones are light grey."""
    image = np.full((120, 200, 3), 246, np.uint8)
    words = []
    for row, ink in enumerate((50, 150)):
        y = 20 + 50 * row
        cv2.rectangle(image, (20, y), (35, y + 15), (190, 190, 190), 1)
        cv2.putText(image, "option", (42, y + 12), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (ink, ink, ink), 1)
        words.append(Element(Box(42, y + 2, 92, y + 14), "text", name="option", line=row))
    boxes = [Element(Box(20, 20 + 50 * r, 36, 36 + 50 * r), "checkbox", name="option", source="widget")
             for r in range(2)]
    ticked = Element(Box(120, 20, 136, 36), "checkbox", name="", states={"checked"}, source="widget")
    cv2.rectangle(image, (120, 20), (135, 35), (20, 20, 20), -1)  # a dark ticked box elsewhere
    judged = faint_ones_disabled(boxes + [ticked], image, words, 12.0)
    assert [t.disabled for t in judged] == [False, True, False]


def test_a_letter_avatar_beside_a_name_stays_a_picture():
    """A blue disc with a white initial beside "Alice": OCR reads the initial on it, no tick or dot would be."""
    image, picture = face(dot)
    initial = Element(Box(24, 22, 33, 34), "text", name="A", line=1)
    assert filled_toggle(picture, image, WORDS + [initial], 12.0).role == "image"


def test_an_unticked_box_on_a_coloured_row_is_no_mark_inside_a_face():
    from grounding.toggles import _inside_a_face

    row = np.full((80, 300, 3), 246, np.uint8)
    row[20:60] = BLUE  # a selected row of a list, the colour running on past the box
    cv2.rectangle(row, (30, 32), (45, 47), (255, 255, 255), -1)
    assert not _inside_a_face(row, Box(30, 32, 46, 48))
    disc = np.full((80, 300, 3), 246, np.uint8)
    cv2.circle(disc, (38, 40), 9, BLUE, -1)
    cv2.circle(disc, (38, 40), 3, (255, 255, 255), -1)
    assert _inside_a_face(disc, Box(35, 37, 42, 44))  # the dot of a chosen radio
