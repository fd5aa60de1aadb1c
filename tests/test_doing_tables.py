"""Phrasings on a table: a row's own button, the cell of a column in a named row (a simulated UI)."""

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
