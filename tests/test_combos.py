"""Editable combo boxes: a field and the arrow box at its right end are one dropdown; a button beside a field
that shows no down-pointing mark stays a button."""

import cv2
import numpy as np

from grounding.combos import join_combos, points_down
from grounding.elements import Box, Element


def _scene(mark: str) -> tuple[np.ndarray, list[Element]]:
    image = np.full((60, 300, 3), 240, np.uint8)
    cv2.rectangle(image, (10, 20), (200, 43), (120, 120, 120), 1)
    cv2.rectangle(image, (201, 20), (224, 43), (120, 120, 120), 1)
    if mark == "triangle":
        cv2.fillPoly(image, [np.array([(207, 28), (219, 28), (213, 35)])], (40, 40, 40))
    elif mark == "chevron":
        cv2.polylines(image, [np.array([(207, 28), (213, 34), (219, 28)])], False, (40, 40, 40), 2)
    else:  # a magnifier: round, no narrower at the bottom than at the top
        cv2.circle(image, (212, 31), 5, (40, 40, 40), 2)
    field = Element(Box(10, 20, 201, 44), "text_field", name="Search", source="widget+ocr")
    arrow = Element(Box(201, 20, 225, 44), "radio", source="widget")
    return image, [field, arrow]


def test_a_field_with_an_arrow_box_at_its_end_is_one_dropdown():
    for mark in ("triangle", "chevron"):
        image, widgets = _scene(mark)
        (combo,) = join_combos(widgets, image)
        assert combo.role == "dropdown" and combo.name == "Search" and combo.box == Box(10, 20, 225, 44)


def test_a_button_beside_a_field_that_points_nowhere_stays_apart():
    image, widgets = _scene("circle")
    assert [w.role for w in join_combos(widgets, image)] == ["text_field", "radio"]
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    assert not points_down(gray, Box(201, 20, 225, 44))
    far = [widgets[0], widgets[1].with_(box=Box(240, 20, 264, 44))]  # not touching the field: two controls
    image2, _ = _scene("triangle")
    assert len(join_combos(far, image2)) == 2


def test_a_menu_buttons_arrow_is_no_part_of_its_caption():
    image = np.full((40, 200, 3), 240, np.uint8)
    memory = Element(Box(10, 5, 70, 35), "button", name="MS v", source="widget+ocr")
    vitamin = Element(Box(80, 5, 140, 35), "button", name="v", source="widget+ocr")  # a caption of its own
    assert [w.name for w in join_combos([memory, vitamin], image)] == ["MS", "v"]


def test_a_spin_boxs_up_and_down_arrows_point_both_ways():
    image = np.full((48, 36, 3), 240, np.uint8)
    cv2.fillPoly(image, [np.array([(10, 17), (24, 17), (17, 10)])], (40, 40, 40))  # up
    cv2.fillPoly(image, [np.array([(10, 31), (24, 31), (17, 38)])], (40, 40, 40))  # down
    assert not points_down(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), Box(0, 0, 36, 48))
