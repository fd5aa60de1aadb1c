"""Phrasings on a table: a row's own button, the cell of a column in a named row (a simulated UI)."""

import pytest

from grounding.elements import Box
from grounding.router import Router
from grounding.table_refs import AmbiguousRows
from tests.ui_world import World, drive, el


def basket() -> World:
    """A table: a Quantity column of spin boxes and a Remove button in each row."""
    return World([el("text", "Item", (20, 20, 80, 40)), el("text", "Quantity", (120, 20, 200, 40)),
                  el("text", "Milk", (20, 60, 80, 80)), el("spin_box", "", (120, 58, 190, 82), value="1"),
                  el("button", "Remove", (230, 58, 300, 82)),
                  el("text", "Apples", (20, 100, 80, 120)), el("spin_box", "", (120, 98, 190, 122), value="6"),
                  el("button", "Remove", (230, 98, 300, 122)),
                  el("button", "Checkout", (20, 160, 120, 190))])


def test_a_verb_an_application_says_clicks_the_control_of_the_row_it_names():
    result, world = drive("Remove Apples", basket())
    assert result == "done" and world.log == ["click Remove"] and world.focus == 8


def test_the_column_of_a_row_is_the_cell_under_its_header_in_that_row():
    result, world = drive("Set the quantity of Apples to 4. Then checkout.", basket())
    assert result == "done"
    assert [e.value for e in world.elements if e.role == "spin_box"] == ["1", "4"]
    assert world.log[-1] == "click Checkout"


ITEMS = ("Office chair", "Desk lamp", "USB-C hub", "Monitor stand")
ROW_PHRASINGS = ("click Cancel in the row for {}", "click the Cancel button in the {} row",
                 'click the "Cancel" button in the row of "{}"', "click the Cancel button on {}'s row",
                 "click the Cancel button next to {}", "click Cancel in the row with {}")


def orders() -> World:
    """A table of orders, cells far apart: the order, its item, its status, then a Cancel button in each row."""
    cells = [el("text", "Order", (20, 20, 70, 36)), el("text", "Item", (120, 20, 160, 36))]
    for i, item in enumerate(ITEMS):
        y = 60 + 40 * i
        cells += [el("text", str(1001 + i), (20, y, 60, y + 16)), el("text", item, (120, y, 230, y + 16)),
                  el("text", "Processing", (300, y, 380, y + 16)), el("button", "Cancel", (560, y - 8, 640, y + 24))]
    return World(cells)


def _row_of(world: World, element_id: int) -> str:
    """The order number said on the same row as the element."""
    y = world.get(element_id).box.center[1]
    return next(e.name for e in world.elements if e.name.isdigit() and abs(e.box.center[1] - y) < 10)


@pytest.mark.parametrize("phrasing", ROW_PHRASINGS)
@pytest.mark.parametrize("row", range(len(ITEMS)))
def test_a_rows_button_is_the_one_on_the_row_its_cell_names(phrasing, row):
    result, world = drive(phrasing.format(ITEMS[row]), orders())
    assert result == "done", result
    assert _row_of(world, world.focus) == str(1001 + row)


@pytest.mark.parametrize("phrasing", ROW_PHRASINGS)
def test_a_row_no_cell_names_fails_and_clicks_nothing(phrasing):
    result, world = drive(phrasing.format("Standing desk"), orders())
    assert result != "done" and "Standing desk" in result and "Cancel" in result
    assert not any(line.startswith("click") for line in world.log)


def test_a_row_relation_another_rows_cell_meets_never_takes_that_rows_button():
    world = orders()
    world.shown -= {e.id for e in world.elements if e.role == "button" and e.box.y0 < 150}  # rows 1 and 2 lose theirs
    result, world = drive("click Cancel in the row for Desk lamp", world)
    assert result != "done" and not any(line.startswith("click") for line in world.log)


def test_a_button_every_row_has_said_without_its_row_asks_which_row_and_clicks_nothing():
    world = orders()
    with pytest.raises(AmbiguousRows, match=r"'Cancel' is in 4 rows of a table \(1001, Office chair, Processing; "):
        Router().ground("Cancel", world.screen())
    result, world = drive("click Cancel", world)
    assert result.startswith("'Cancel' is in 4 rows") and 'say which row, as "Cancel in the row for 1001"' in result
    assert not any(line.startswith("click") for line in world.log)
    assert Router().ground("Cancel in the row for Desk lamp", world.screen()).alike == 0
    with pytest.raises(AmbiguousRows, match="in 4 rows"):
        Router().ground("Cancel in the Processing row", world.screen())  # every row is processing


def test_a_button_every_row_has_is_the_one_of_the_row_an_earlier_click_was_on():
    result, world = drive("click Desk lamp, then click Cancel", orders())
    assert result == "done", result
    assert world.log == ["click Desk lamp", "click Cancel"] and _row_of(world, world.focus) == "1002"


def test_a_row_relation_no_row_meets_fails_though_one_button_shows():
    world = orders()
    world.shown -= {e.id for e in world.elements if e.role == "button" and e.box.y0 > 60}  # row 1 keeps its own
    result, world = drive("click Cancel in the row for Standing desk", world)
    assert result.startswith('Nothing on the screen matches the "Cancel" element in the "Standing desk" row')
    assert not any(line.startswith("click") for line in world.log)


def test_a_sidebar_link_level_with_a_row_is_not_a_cell_of_the_table():
    """The links of a sidebar come at another pitch than the table's rows: one of them level with a row does not
    make that row's button "next to" it."""
    table = [e.with_(box=Box(e.box.x0 + 130, e.box.y0, e.box.x1 + 130, e.box.y1)) for e in orders().elements]
    sidebar = [el("link", name, (0, 30 + 26 * i, 100, 52 + 26 * i)) for i, name in enumerate(("Home", "Security"))]
    world = World(table + sidebar)
    assert world.elements[-1].box.y0 <= world.elements[5].box.y0 + 10  # Security is level with the first row
    result, world = drive("click the Cancel button next to Security", world)
    assert result != "done" and not any(line.startswith("click") for line in world.log)
