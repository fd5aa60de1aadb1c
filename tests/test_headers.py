"""Column headers over a file list are the columns' titles (text), not tabs or fields; a row of tabs that fit
their captions stays a row of tabs."""

from grounding.elements import Box, Element
from grounding.headers import column_headers


def _word(text, x0, y0=104, h=14):
    return Element(Box(x0, y0, x0 + 8 * len(text), y0 + h), "text", name=text, line=0)


def _cell(role, x0, x1, y0=100, y1=124):
    return Element(Box(x0, y0, x1, y1), role, name="", source="widget+ocr")


def test_touching_cells_with_titles_at_their_left_are_column_headers():
    words = [_word("Name", 163), _word("Size", 948), _word("Type", 993), _word("Modified", 1042)]
    cells = [_cell("text_field", 157, 941), _cell("tab", 942, 986), _cell("tab", 987, 1035), _cell("tab", 1036, 1110)]
    save = Element(Box(1000, 760, 1090, 794), "button", name="Save", source="widget+ocr")
    controls, free = column_headers([*cells, save], [], words)
    assert controls == [save]
    assert sorted(w.name for w in free) == ["Modified", "Name", "Size", "Type"]


def test_tabs_that_fit_their_captions_stay_tabs():
    words = [_word("General", 110), _word("Fonts", 186), _word("Colours", 248)]
    tabs = [_cell("tab", 100, 176), _cell("tab", 177, 238), _cell("tab", 239, 315)]
    controls, free = column_headers(tabs, [], words)
    assert controls == tabs and free == []
    apart = [_cell("button", 100, 176), _cell("button", 186, 800), _cell("button", 810, 900)]  # gaps between
    assert column_headers(apart, [], words)[0] == apart


def test_buttons_two_pixels_apart_beside_a_field_are_no_header_row():
    words = [_word("Pause", 37), _word("Reset", 99), _word("12:04", 152)]
    row = [_cell("button", 28, 87), _cell("button", 89, 146), _cell("text_field", 148, 331)]
    assert column_headers(row, [], words)[0] == row
