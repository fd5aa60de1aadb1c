"""Date and time fields of parts (Chromium's <input type=date|time>): read from the tree's nodes as one field with
its value and format, their format read off what the pixels show, and a person's date or time turned into the keys
typed part by part in the field's own order (no display needed)."""

import pytest

from grounding.a11y_nodes import to_records
from grounding.a11y_tree import RawNode
from grounding.dates import format_of, keys_for, shows
from grounding.elements import Box, Element
from grounding.legend import control_line
from planner.date_fields import date_typing

LIVE = ("showing", "enabled", "sensitive", "focusable")


def _field(parts, separators, name="Delivery date"):
    """A date editor as Chromium's tree gives it: a section of spin buttons with static separators."""
    nodes = [RawNode("app", "/f", -1, role="frame", states=frozenset(LIVE), name="Checkout", box=(0, 0, 400, 300)),
             RawNode("app", "/d", 0, role="date editor", states=frozenset(LIVE), name=name, box=(100, 10, 230, 32),
                     in_page=True),
             RawNode("app", "/s", 1, role="section", states=frozenset(LIVE), box=(103, 12, 200, 30), in_page=True)]
    x = 104
    for i, (label, shown, placeholder) in enumerate(parts):
        nodes.append(RawNode("app", f"/p{i}", 2, role="spin button", states=frozenset(LIVE), name=f"{label} {name}",
                             box=(x, 12, x + 18, 30), attrs={"valuetext": shown, "placeholder": placeholder},
                             in_page=True))
        if i < len(separators):
            nodes.append(RawNode("app", f"/s{i}", 2, role="static", states=frozenset(LIVE), name=separators[i],
                                 box=(x + 18, 12, x + 26, 30), in_page=True))
        x += 26
    (record,) = [r for r in to_records(nodes) if r["role"] == "text_field"]
    return record


def test_an_empty_date_field_is_one_editable_field_showing_its_format():
    record = _field([("Month", "0", "mm"), ("Day", "0", "dd"), ("Year", "0", "yyyy")], ["/", "/"])
    assert (record["name"], record["value"], record["format"]) == ("Delivery date", "", "mm/dd/yyyy")
    assert "readonly" not in record["states"]  # no "editable" state comes with it, yet it takes keys
    el = Element(Box(100, 10, 230, 32), "text_field", name="Delivery date", id=3, format=record["format"])
    assert control_line(el) == '#3 text field "Delivery date" = "" (mm/dd/yyyy)'
    assert Element.from_json(el.to_json()) == el


def test_a_filled_time_field_shows_its_parts_as_drawn_and_a_half_filled_one_its_placeholders():
    record = _field([("Hours", "07", "--"), ("Minutes", "05", "--"), ("AM/PM", "PM", "--")], [":", ""],
                    name="Alarm")
    assert (record["value"], record["format"]) == ("07:05 PM", "hh:mm AM/PM")
    half = _field([("Day", "24", "dd"), ("Month", "0", "mm"), ("Year", "0", "yyyy")], [".", "."])
    assert (half["value"], half["format"]) == ("24.mm.yyyy", "dd.mm.yyyy")
    filled = Element(Box(0, 0, 10, 10), "text_field", value="07:05 PM", format="hh:mm AM/PM")
    assert "(hh:mm" not in control_line(filled)  # the format is said only while the field is empty


@pytest.mark.parametrize(("fmt", "text", "keys"), [
    ("mm/dd/yyyy", "12/24/2026", "12242026"),
    ("mm/dd/yyyy", "24 December 2026", "12242026"),
    ("mm/dd/yyyy", "Dec 24, 2026", "12242026"),
    ("mm/dd/yyyy", "2026-12-24", "12242026"),
    ("dd.mm.yyyy", "2026-12-24", "24122026"),
    ("dd.mm.yyyy", "12/24/2026", "24122026"),  # 24 is no month: the text was month first
    ("dd.mm.yyyy", "05/04/2026", "05042026"),  # ambiguous: read in the field's own order
    ("yyyy-mm-dd", "3 March 2026", "20260303"),
    ("hh:mm AM/PM", "7:05 pm", "0705P"),
    ("hh:mm AM/PM", "19:05", "0705P"),
    ("hh:mm AM/PM", "12:30 am", "1230A"),
    ("hh:mm", "7:05 PM", "1905"),
    ("mm/dd/yyyy, hh:mm AM/PM", "2026-03-04T13:30", "030420260130P"),
    ("mm yyyy", "December 2026", "122026"),
    ("mmmm yyyy", "12/2027", "122027"),
    ("tt.mm.jjjj", "12/24/2026", "24122026"),  # German placeholders
    ("jj/mm/aaaa", "2026-12-05", "05122026"),  # French
    ("mm/dd/yyyy", "soon", None),
    ("hh:mm", "12/24/2026", None),
])
def test_a_date_or_time_is_typed_part_by_part_in_the_fields_order(fmt, text, keys):
    assert keys_for(fmt, text) == keys


def test_the_pixels_format_is_read_off_an_empty_fields_placeholder():
    assert format_of("", "[mm/d/ yyyy") == "mm/dd/yyyy"  # as OCR reads Chromium's placeholder
    assert format_of("", "dd.mm.yyyy") == "dd.mm.yyyy" and format_of("", "tt.mm.jjjj") == "dd.mm.yyyy"
    assert format_of("", "--.-. --") == format_of("", "- + -- --") == "hh:mm AM/PM"  # the colon misread
    assert format_of("", "--:--") == "hh:mm" and format_of("", "1-2-3") == format_of("", "a --- b") == ""
    assert format_of("", "Ada") == format_of("", "12/24/2026") == format_of("", "mm") == ""
    assert format_of("dd/mm/yyyy", "") == "dd/mm/yyyy"  # the tree's own wins


def test_a_field_shows_a_date_however_either_is_spelt():
    assert shows("mm/dd/yyyy", "12/24/2026", "24 December 2026")
    assert not shows("mm/dd/yyyy", "", "12/24/2026") and not shows("mm/dd/yyyy", "12/24/2025", "12/24/2026")
    assert shows("hh:mm AM/PM", "07:05 PM", "19:05") and not shows("hh:mm AM/PM", "07:05 AM", "19:05")


def test_a_filled_date_field_is_emptied_part_by_part_never_with_select_all():
    box = Box(100, 10, 230, 32)
    filled = date_typing(Element(box, "text_field", value="01/02/2026", format="mm/dd/yyyy"), "2026-12-24")
    assert filled is not None and filled.text == "12242026"
    assert [k.keys for k in filled.clear] == [("backspace",), ("right",)] * 3
    empty = date_typing(Element(box, "text_field", value="mm/dd/yyyy"), "12/24/2026")  # a placeholder, by OCR
    assert empty is not None and empty.clear == () and empty.text == "12242026"
    assert date_typing(Element(box, "text_field", value="Ada"), "12/24/2026") is None  # a plain text field


def test_a_type_the_field_did_not_take_is_told_with_what_it_shows():
    from grounding.elements import Screen
    from planner.aci import Typed
    from planner.typed_check import unshown

    box = Box(100, 10, 230, 32)
    date = Element(box, "text_field", name="Delivery date", format="mm/dd/yyyy", source="a11y")

    def after(value, **changes):
        return Screen(400, 300, (date.with_(value=value, **changes),))

    assert unshown(Typed(date, "12/24/2026", True), after("")) == ""
    assert unshown(Typed(date, "24 December 2026", True), after("12/24/2026")) is None
    assert unshown(Typed(date, "12242026", True), after("12/24/2026")) is None  # the field's own keys (a re-trial)
    assert unshown(Typed(date, "12252026", True), after("12/24/2026")) == "12/24/2026"
    name = Element(box, "text_field", name="Name", source="a11y")
    assert unshown(Typed(name, "Ada Lovelace", True), after("Ada", format="")) == "Ada"
    assert unshown(Typed(name, " Lovelace", False), after("Ada Lovelace", format="")) is None  # appended
    assert unshown(Typed(name, "5551234", True), after("555-1234", format="")) is None  # a field that formats
    ocr = name.with_(source="ocr")
    assert unshown(Typed(ocr, "Ada Lovelace", True), Screen(400, 300, (ocr.with_(value="Ada Love1ace"),))) is None
    secret = Screen(400, 300, (name.with_(value="", states=frozenset({"password"})),))
    assert unshown(Typed(name, "s3cret", True), secret) is None  # a password field's dots are not read back


def test_a_year_or_month_name_before_other_parts_is_left_with_right_for_the_next_part():
    box = Box(100, 10, 300, 32)
    meeting = date_typing(Element(box, "text_field", format="mm/dd/yyyy, hh:mm AM/PM"), "2026-03-04 1:30 pm")
    assert meeting is not None and meeting.text == "030420260130P"
    assert [getattr(k, "text", None) or k.keys for k in meeting.keys] == ["03042026", ("right",), "0130P"]
    expiry = date_typing(Element(box, "text_field", format="mmmm yyyy"), "December 2027")  # "December" waits
    assert expiry is not None and [getattr(k, "text", None) or k.keys for k in expiry.keys] == ["12", ("right",),
                                                                                               "2027"]
