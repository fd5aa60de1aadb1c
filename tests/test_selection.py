"""Selected text in a field is the field's value: the highlight band over it is no button of its own."""

from grounding.elements import Box
from grounding.proposals import Proposal
from grounding.selection import selection_in_field


def _bar(x0, y0, x1, y1, fill):
    return Proposal(Box(x0, y0, x1, y1), "bar", fill, 0.1, 0.0, 0.0)


def test_a_highlight_band_at_a_fields_left_end_and_the_rest_of_its_face_are_the_field():
    field, band, rest = _bar(120, 349, 557, 376, 255), _bar(125, 354, 174, 370, 119), _bar(173, 353, 553, 372, 255)
    outlines = [field, band, rest]
    assert selection_in_field(band, outlines, 11.0) and selection_in_field(rest, outlines, 11.0)
    assert not selection_in_field(field, outlines, 11.0)


def test_a_coloured_button_is_not_a_selection():
    alone = _bar(125, 354, 174, 370, 119)  # a blue button standing on the page, in no field
    assert not selection_in_field(alone, [alone], 11.0)
    panel = _bar(0, 300, 700, 420, 255)  # a white panel with a button far from its left end
    button = _bar(300, 354, 400, 380, 90)
    assert not selection_in_field(button, [panel, button], 11.0)


def test_an_icon_before_a_buttons_caption_is_its_picture_not_a_checkbox():
    from grounding.elements import Element
    from grounding.selection import icon_of_a_button

    button = _bar(840, 525, 964, 565, 238)
    icon = Element(Box(864, 531, 887, 558), "checkbox", source="widget")
    caption = Element(Box(892, 536, 930, 552), "text", name="Save")
    assert icon_of_a_button(button, [icon], {id(icon)}, [caption], 16.0)
    assert not icon_of_a_button(button, [icon], {id(icon)}, [], 16.0)  # no caption: a framed toggle
    field = _bar(840, 525, 964, 565, 255)  # a white face: a field or a list row with a checkbox in it
    assert not icon_of_a_button(field, [icon], {id(icon)}, [caption], 16.0)
    form = _bar(0, 300, 700, 420, 238)  # far taller than a line: a form holding a checkbox and its label
    assert not icon_of_a_button(form, [icon], {id(icon)}, [caption], 16.0)
