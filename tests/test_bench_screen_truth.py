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


def test_a_toolkit_check_box_is_scored_by_its_indicator_and_its_label_is_a_line_beside_it():
    # GTK's check box box runs on to the end of its row; the indicator is the square at its left, the label the rest
    elements = (Element(Box(154, 69, 491, 91), "checkbox", name="Show line numbers"),
                Element(Box(154, 141, 364, 175), "radio", name="Long line margin", states=frozenset({"checked"})))
    truth = truth_of(elements)
    (check, radio) = truth.controls
    assert (check.box.to_list(), radio.box.to_list()) == ([154, 69, 176, 91], [154, 141, 188, 175])
    assert radio.states == frozenset({"checked"}) and radio.name == "Long line margin"
    assert [(line.text, line.box.to_list()) for line in truth.lines] == [
        ("Show line numbers", [176, 69, 491, 91]), ("Long line margin", [188, 141, 364, 175])]


def test_a_toggle_without_room_for_a_label_or_named_only_by_a_tooltip_keeps_its_box():
    elements = (Element(Box(10, 10, 26, 26), "checkbox", name="Select row"),  # a bare indicator in a list row
                Element(Box(40, 10, 120, 26), "checkbox", name="Match case"),  # named by its tooltip only
                Element(Box(130, 10, 300, 26), "button", name="Apply"))
    truth = truth_of(elements, tooltips=(("Match case", Box(40, 10, 120, 26)),))
    assert [c.box.to_list() for c in truth.controls] == [[10, 10, 26, 26], [40, 10, 120, 26], [130, 10, 300, 26]]
    assert truth.lines == ()


def test_a_field_named_after_its_group_box_no_label_on_screen_says_is_not_held_against_the_pixels():
    elements = (Element(Box(150, 104, 280, 128), "text", name="Start with this size:"),
                Element(Box(283, 104, 360, 128), "spin_box", name="Window Settings"),  # Qt: no buddy, the group's
                Element(Box(150, 140, 230, 160), "text", name="Tab position:"),
                Element(Box(238, 140, 300, 160), "dropdown", name="Tab position:"))  # its label's buddy
    truth = truth_of(elements)
    assert not _named(truth, "Window Settings") and _named(truth, "Tab position:")
