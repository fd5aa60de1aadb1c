"""A list hanging from a dropdown or field is that dropdown opened, even when two lists hang from one field (a
keypad's columns under a calculator's entry once crashed the parse)."""

from grounding.elements import Box, Element
from grounding.lists import open_lists


def test_two_lists_under_one_field_both_open_it():
    field = Element(Box(5, 171, 360, 231), "text_field", source="widget")
    left = Element(Box(15, 241, 81, 480), "list_box", source="widget", id=0)
    right = Element(Box(82, 241, 148, 480), "list_box", source="widget", id=0)
    out = open_lists([field, left, right], 13.0)
    (dropdown,) = [e for e in out if e.role == "dropdown"]
    assert "expanded" in dropdown.states
    assert [e.parent for e in out if e.role == "list_box"] == [dropdown.id, dropdown.id]
