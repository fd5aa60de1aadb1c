"""The desktop applications' truth (app/bench/screen_atspi.py): a name is counted against the pixels only where
the screen says it."""

from app.bench.screen_atspi import truth_of
from grounding.elements import Box, Element


def _named(truth, name):
    (t,) = [c for c in truth.controls if c.name == name]
    return t.name_drawn


def test_a_list_box_name_no_label_on_screen_says_is_not_held_against_the_pixels():
    elements = (Element(Box(0, 0, 90, 300), "list_box", name="Sidebar"),  # Qt's places: the name is the widget's
                Element(Box(100, 0, 200, 16), "text", name="Fruit"),
                Element(Box(100, 20, 200, 200), "list_box", name="Fruit"),  # labelled by the text above it
                Element(Box(210, 0, 260, 20), "button", name="Save"))
    truth = truth_of(elements)
    assert not _named(truth, "Sidebar")
    assert _named(truth, "Fruit") and _named(truth, "Save")
