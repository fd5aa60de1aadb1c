"""Spin boxes as GTK 3 draws them (grounding/spin_boxes.py): one frame, the value's cell, a minus and a plus
square at its right end; one spin box holding its value, not a field, a checkbox and tabs. And as Qt draws them:
the value's cell and a narrow column with an up arrow over a down arrow."""

import cv2
import numpy as np

from grounding.elements import Box
from grounding.parser import ScreenParser
from grounding.spin_boxes import _sign

EDGE, FACE = (200, 196, 192), (246, 245, 244)


def spin_screen(plus: bool = True) -> np.ndarray:
    image = np.full((200, 520, 3), 250, np.uint8)
    cv2.putText(image, "Long line margin at column:", (20, 78), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1,
                cv2.LINE_AA)
    cv2.rectangle(image, (270, 56), (394, 94), EDGE, 1)
    cv2.rectangle(image, (271, 57), (393, 93), FACE, -1)
    cv2.putText(image, "80", (285, 82), cv2.FONT_HERSHEY_SIMPLEX, 0.55, (40, 40, 40), 1, cv2.LINE_AA)
    for x0 in (321, 357):
        cv2.rectangle(image, (x0, 57), (x0 + 36, 93), EDGE, 1)
    cv2.line(image, (331, 75), (347, 75), (60, 60, 60), 2)
    cv2.line(image, (367, 75), (383, 75), (60, 60, 60), 2)
    if plus:
        cv2.line(image, (375, 67), (375, 83), (60, 60, 60), 2)
    return image


def test_a_frame_with_a_value_a_minus_and_a_plus_is_one_spin_box_holding_the_value():
    screen = ScreenParser(incremental=False).parse(spin_screen())
    spins = [e for e in screen.elements if e.role == "spin_box"]
    assert len(spins) == 1 and spins[0].value == "80", [(e.role, e.name, e.box.to_list()) for e in screen.elements]
    assert "margin" in spins[0].name.lower()
    inside = [e for e in screen.elements if e.is_control and e is not spins[0] and spins[0].box.contains(e.box, 3)]
    assert not inside  # no tab, field or checkbox made of its parts
    assert not any(e.role == "tab" for e in screen.elements)


def test_two_squares_without_a_minus_and_a_plus_are_no_spin_box():
    screen = ScreenParser(incremental=False).parse(spin_screen(plus=False))
    assert not any(e.role == "spin_box" for e in screen.elements)


def test_signs_are_read_from_their_strokes():
    image = spin_screen()
    assert _sign(image, Box(321, 57, 357, 93)) == "-"
    assert _sign(image, Box(357, 57, 393, 93)) == "+"
    assert _sign(image, Box(271, 57, 320, 93)) == ""  # digits are no sign


def qt_spin_screen(arrows: bool = True, ink=(60, 60, 60), value_ink=(40, 40, 40)) -> np.ndarray:
    image = np.full((120, 420, 3), 236, np.uint8)
    cv2.putText(image, "Start with this size:", (20, 68), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1,
                cv2.LINE_AA)
    cv2.rectangle(image, (200, 46), (300, 76), (171, 171, 171), 1)
    for y in range(47, 76):  # Fusion shades the face from top to bottom
        cv2.line(image, (201, y), (299, y), (254 - (y - 47) // 2,) * 3, 1)
    cv2.line(image, (282, 47), (282, 75), (171, 171, 171), 1)  # the arrows' column
    cv2.putText(image, "700", (208, 68), cv2.FONT_HERSHEY_SIMPLEX, 0.5, value_ink, 1, cv2.LINE_AA)
    if arrows:
        cv2.fillPoly(image, [np.array([(286, 58), (296, 58), (291, 53)])], ink)  # up
        cv2.fillPoly(image, [np.array([(286, 64), (296, 64), (291, 69)])], ink)  # down
    return image


def test_a_frame_with_a_value_and_stacked_arrows_is_one_spin_box_and_faint_it_is_disabled():
    screen = ScreenParser(incremental=False).parse(qt_spin_screen())
    spins = [e for e in screen.elements if e.role == "spin_box"]
    assert [(e.value, e.disabled) for e in spins] == [("700", False)], [(e.role, e.name) for e in screen.elements]
    assert "size" in spins[0].name.lower()
    faint = ScreenParser(incremental=False).parse(qt_spin_screen(ink=(212, 212, 212), value_ink=(190, 190, 190)))
    assert [(e.value, e.disabled) for e in faint.elements if e.role == "spin_box"] == [("700", True)]


def test_a_frame_with_a_value_and_an_empty_column_is_no_spin_box():
    screen = ScreenParser(incremental=False).parse(qt_spin_screen(arrows=False))
    assert not any(e.role == "spin_box" for e in screen.elements)


def _qt_spin(image: np.ndarray, x: int, value: str) -> None:
    cv2.rectangle(image, (x, 46), (x + 100, 76), (171, 171, 171), 1)
    cv2.rectangle(image, (x + 1, 47), (x + 99, 75), (250, 250, 250), -1)
    cv2.line(image, (x + 82, 47), (x + 82, 75), (171, 171, 171), 1)
    cv2.putText(image, value, (x + 8, 68), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1, cv2.LINE_AA)
    cv2.fillPoly(image, [np.array([(x + 86, 58), (x + 96, 58), (x + 91, 53)])], (60, 60, 60))
    cv2.fillPoly(image, [np.array([(x + 86, 64), (x + 96, 64), (x + 91, 69)])], (60, 60, 60))


def test_an_x_between_two_spin_boxes_is_the_sign_of_a_size_not_a_close_button():
    image = np.full((120, 420, 3), 236, np.uint8)
    cv2.putText(image, "Size:", (20, 68), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (40, 40, 40), 1, cv2.LINE_AA)
    _qt_spin(image, 80, "700")
    cv2.line(image, (192, 55), (204, 67), (150, 150, 150), 2, cv2.LINE_AA)  # a grey x between the boxes
    cv2.line(image, (204, 55), (192, 67), (150, 150, 150), 2, cv2.LINE_AA)
    _qt_spin(image, 212, "500")
    screen = ScreenParser(incremental=False).parse(image)
    assert sorted(e.value for e in screen.by_role("spin_box")) == ["500", "700"]
    assert not screen.by_role("button"), [(e.role, e.name, e.box.to_list()) for e in screen.controls()]
