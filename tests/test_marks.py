import numpy as np
import pytest

from grounding.elements import Box, Element, Screen
from grounding.marks import mark

SCREEN = Screen(300, 200, (
    Element(Box(10, 10, 90, 40), "button", name="Save", source="widget"),
    Element(Box(10, 60, 30, 80), "checkbox", name="Agree", source="widget"),
    Element(Box(40, 60, 90, 80), "text", name="Agree"),
    Element(Box(10, 100, 200, 130), "text_field", name="Name", source="widget"),
))


def test_marks_are_the_legend_ids_and_map_back():
    image = np.full((200, 300, 3), 255, np.uint8)
    marks = mark(image, SCREEN)
    assert marks.legend.splitlines() == ['#1 button "Save"', '#2 checkbox "Agree" (not checked)',
                                         '#3 text field "Name" = ""', "text:", '#4 "Agree"']
    assert marks.element(3).role == "text_field" and marks.element(4).name == "Agree"
    assert (marks.image != image).any() and marks.image.shape == image.shape
    with pytest.raises(LookupError, match="there is no mark 9; marks go from 1 to 4"):
        marks.element(9)


def test_marks_can_leave_out_plain_text():
    marks = mark(np.zeros((200, 300, 3), np.uint8), SCREEN, include_text=False)
    assert [e.role for e in marks.elements] == ["button", "checkbox", "text_field"]
