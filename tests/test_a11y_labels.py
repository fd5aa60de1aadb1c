"""Nameless fields named as a person reads them: by the short label beside or above them, else by their
placeholder, which the legend says is one; and descriptions that say a label with its colon ("the Find: field")."""

import pytest

from grounding.a11y_nodes import to_records
from grounding.a11y_reader import TreeSnapshot
from grounding.a11y_screen import tree_elements
from grounding.a11y_tree import RawNode, _placeholder
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.legend import render
from grounding.locate import NotFound, locate
from grounding.refs import parse_ref

SHOWN = ("showing", "enabled", "sensitive")
EDITABLE = (*SHOWN, "editable", "focusable", "single_line")


def node(role, parent=-1, name="", states=SHOWN, box=(0, 0, 10, 10), **kw):
    return RawNode("app", f"/{role}/{name}/{box}", parent, role=role, states=frozenset(states), name=name, box=box,
                   **kw)


def entry(parent, box, **kw):
    return node("text", parent, states=EDITABLE, box=box, text="", **kw)


def replace_dock():
    """FeatherPad's replace dock as Qt 5 reads it: labels apart from their line edits, which carry their
    placeholders (Qt says them as the description), and the find bar's combo box whose line edit says 'Search...'."""
    return [node("frame", name="Untitled", box=(0, 0, 700, 500)),
            node("combo box", 0, states=(*SHOWN, "focusable"), box=(2, 373, 557, 396)),
            entry(1, (4, 375, 536, 394), placeholder="Search..."),
            node("panel", 0, box=(0, 400, 700, 470)),
            node("label", 3, "Find:", box=(31, 425, 60, 440)),
            entry(3, (91, 421, 640, 444), placeholder="To be replaced"),
            node("label", 3, "Replace with:", box=(5, 448, 86, 463)),
            entry(3, (91, 444, 640, 467), placeholder="Replacing text")]


def fields(records):
    return {r["box"][1]: (r["name"], r.get("placeholder", "")) for r in records
            if r["role"] in ("text_field", "dropdown", "spin_box", "list_box", "slider")}


def legend(nodes):
    snap = TreeSnapshot(records=tuple(to_records(nodes)), windows=((0, 0, 700, 500),))
    elements = tree_elements(snap, Frame(0, 0, 700, 500), 700, 500)
    return render(Screen(700, 500, (), source="accessibility").with_elements(elements))


def test_qt_fields_take_the_label_beside_them_and_keep_their_placeholders():
    records = to_records(replace_dock())
    assert fields(records) == {421: ("Find:", "To be replaced"), 444: ("Replace with:", "Replacing text"),
                               373: ("Search...", "Search...")}  # no label: named by its placeholder
    assert {"Find:", "Replace with:"} <= {r["name"] for r in records if r["role"] == "text"}  # the labels stay text


def test_the_legend_says_which_words_are_a_placeholder():
    lines = legend(replace_dock()).splitlines()
    assert any(line.endswith('text field "Find:" (placeholder "To be replaced") = ""') for line in lines), lines
    assert any(line.endswith('text field "Replace with:" (placeholder "Replacing text") = ""') for line in lines)
    assert any(line.endswith('dropdown (placeholder "Search...") = "" (collapsed)') for line in lines), lines


def test_a_filled_field_shows_its_label_and_value_not_its_placeholder():
    nodes = replace_dock()
    nodes[5].text = "colour"
    assert any(line.endswith('text field "Find:" = "colour"') for line in legend(nodes).splitlines())


def test_a_caption_right_above_a_field_names_it_when_their_left_edges_align():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("label", 0, "Email address", box=(20, 20, 120, 36)),
             entry(0, (20, 40, 300, 64)),
             node("label", 0, "Notes", box=(140, 100, 200, 116)),  # over the field's middle: not its caption
             entry(0, (20, 120, 300, 144)),
             node("label", 0, "Comment", box=(20, 170, 90, 186)),  # too far above
             entry(0, (20, 220, 300, 244))]
    assert fields(to_records(nodes)) == {40: ("Email address", ""), 120: ("", ""), 220: ("", "")}


def test_no_label_across_another_control_nor_a_sentence_nor_a_label_twice():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("label", 0, "Size:", box=(10, 12, 50, 28)),
             node("spin button", 0, states=EDITABLE, box=(60, 10, 120, 30), text="12"),
             node("spin button", 0, states=EDITABLE, box=(130, 10, 190, 30), text="4"),  # "Size:" is the first's
             node("label", 0, "Name:", box=(10, 52, 50, 68)),
             node("push button", 0, "Pick", box=(60, 50, 100, 70)),
             entry(0, (110, 50, 400, 70)),  # a button between it and "Name:"
             node("label", 0, "Type the name of the new folder", box=(10, 92, 230, 108)),
             entry(0, (240, 90, 500, 110))]  # a sentence beside it is an instruction
    records = to_records(nodes)
    assert [r["name"] for r in records if r["role"] == "spin_box"] == ["Size:", ""]
    assert [r["name"] for r in records if r["role"] == "text_field"] == ["", ""]


def test_a_label_on_the_row_wins_over_the_same_label_above_the_next_field():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("label", 0, "To:", box=(10, 12, 40, 28)),
             entry(0, (50, 10, 400, 30)),
             entry(0, (10, 32, 400, 52))]  # right under "To:", left edges aligned
    assert fields(to_records(nodes)) == {10: ("To:", ""), 32: ("", "")}


def test_a_list_box_takes_the_label_by_its_top_row_and_a_named_field_keeps_its_name():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("label", 0, "Places:", box=(10, 22, 60, 38)),
             node("list box", 0, box=(70, 20, 300, 200)),
             node("list item", 2, "Home", states=(*SHOWN, "selectable"), box=(70, 20, 300, 40)),
             node("label", 0, "Label:", box=(10, 232, 60, 248)),
             entry(0, (70, 230, 300, 250), label="Title", name="Title")]
    assert fields(to_records(nodes)) == {20: ("Places:", ""), 230: ("Title", "")}


@pytest.mark.parametrize("description", ["the Find: field", "the Find field", "the 'Find:' box", 'the "Find" field',
                                         "the text field next to Find:"])
def test_a_label_said_with_or_without_its_colon_finds_the_field(description):
    find = Element(Box(91, 421, 640, 444), "text_field", name="Find:", id=1, source="a11y")
    swap = Element(Box(91, 444, 640, 467), "text_field", name="Replace with:", id=2, source="a11y")
    words = [Element(Box(31, 425, 60, 440), "text", name="Find:", id=3, source="a11y"),
             Element(Box(5, 448, 86, 463), "text", name="Replace with:", id=4, source="a11y")]
    screen = Screen(700, 500, (find, swap, *words))
    assert locate(description, screen).element.box == find.box
    assert locate("the Replace with: field", screen).element.box == swap.box
    pixels = Screen(700, 500, (find.with_(name="Find"), swap.with_(name="Replace with"), *words))  # OCR drops it
    assert locate(description, pixels).element.box == find.box


def test_a_colon_ends_its_word_in_a_description_and_no_article_is_said_twice():
    assert parse_ref("the Find: field").to_json() == {"label": "Find:", "role": "field"}
    assert parse_ref("the Replace with: box").to_json() == {"label": "Replace with:", "role": "box"}
    unread = parse_ref("the OK, button")  # no reading: one label, said back without a second article
    assert unread.label == "OK, button" and unread.describe() == 'the "OK, button" element'
    with pytest.raises(NotFound, match=r'matches the "Find:" field$'):
        locate("the Find: field", Screen(700, 500, (Element(Box(0, 0, 50, 20), "button", name="Go", id=1),)))


def test_a_label_the_toolkit_tied_to_one_field_names_no_other():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("label", 0, "Email", box=(8, 10, 48, 28)),
             entry(0, (56, 8, 300, 30), name="Email", label="Email"),  # a page's <label for>
             entry(0, (8, 34, 300, 56), placeholder="Search the site")]  # right under "Email", aligned
    assert fields(to_records(nodes)) == {8: ("Email", ""), 34: ("Search the site", "Search the site")}


def test_chromiums_name_from_a_placeholder_is_a_placeholder():
    named = node("entry", name="To be replaced")
    _placeholder(named, {"name-from": "placeholder", "tag": "input"})
    assert (named.name, named.placeholder) == ("", "To be replaced")  # a label beside it may name it now
    labelled = node("entry", name="Email")
    _placeholder(labelled, {"name-from": "related-element", "placeholder": "you@example.com"})
    assert (labelled.name, labelled.placeholder) == ("Email", "you@example.com")
    gtk = node("text")
    _placeholder(gtk, {"placeholder-text": "Type to search"})
    assert (gtk.name, gtk.placeholder) == ("", "Type to search")


def test_a_line_above_a_field_with_a_placeholder_names_it_only_as_a_caption_with_a_colon():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("label", 0, "Name", box=(8, 10, 48, 28)),
             entry(0, (8, 30, 300, 52), placeholder="Search"),  # "Name" may be a column's title: it asks Search
             node("label", 0, "Subject:", box=(8, 70, 68, 88)),
             entry(0, (8, 90, 300, 112), placeholder="What is it about")]
    assert fields(to_records(nodes)) == {30: ("Search", "Search"), 90: ("Subject:", "What is it about")}


def test_a_text_area_or_a_field_in_a_table_no_label_names_is_named_by_its_placeholder():
    nodes = [node("frame", box=(0, 0, 600, 400)),
             node("text", 0, states=(*EDITABLE[:-1], "multi_line"), box=(8, 10, 300, 200), text="",
                  placeholder="Write your message"),
             node("table", 0, box=(8, 220, 500, 300)),
             node("table cell", 2, box=(8, 220, 200, 250)),
             entry(3, (10, 222, 190, 248), placeholder="Quantity")]
    names = {r["role"]: (r["name"], r.get("placeholder")) for r in to_records(nodes) if r["role"] != "text"}
    assert names["text_area"] == ("Write your message", "Write your message")
    assert names["text_field"] == ("Quantity", "Quantity")
