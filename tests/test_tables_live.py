"""Tables on real pages (tests/pages/orders.html, tickets.html, team.html): real Chromium on Xvfb, read from the
accessibility tree and from pixels, OS input out. The legend shows each table row by row; a cell is read by its
column and a cell of its row; a row's control is clicked by the row a cell names ("click Edit for carol", "remove
the user bob"), and the page says which row it was; a control every row offers, said with no row, is asked about
and nothing is clicked."""

import re
import time
from pathlib import Path

import pytest

from app.testing.desktop import Desktop
from grounding import legend
from grounding.textmatch import shows
from tests.live_pages import LivePage

pytestmark = [pytest.mark.display, pytest.mark.browser]
PAGES = Path(__file__).resolve().parent / "pages"


def _page(request, tmp_path_factory, page: str):
    with Desktop(tmp_path_factory.mktemp("tables"), 1000, 700, a11y=request.param == "accessibility") as d:
        yield LivePage.open(d, PAGES / page)


@pytest.fixture(scope="module", params=["accessibility", "pixels"])
def orders_page(request, tmp_path_factory):
    yield from _page(request, tmp_path_factory, "orders.html")


@pytest.fixture(scope="module", params=["accessibility", "pixels"])
def tickets_page(request, tmp_path_factory):
    yield from _page(request, tmp_path_factory, "tickets.html")


@pytest.fixture(scope="module", params=["accessibility", "pixels"])  # bordered cells: grounding/grids.py
def team_page(request, tmp_path_factory):
    yield from _page(request, tmp_path_factory, "team.html")


@pytest.fixture
def orders(orders_page):
    """The orders page reloaded, at its top."""
    return orders_page.afresh()


@pytest.fixture
def tickets(tickets_page):
    return tickets_page.afresh()


@pytest.fixture
def team(team_page):
    return team_page.afresh()


def test_the_orders_legend_shows_the_table_row_by_row(orders):
    assert orders.do("click Orders").status == "done"
    time.sleep(0.5)
    text = legend.render(orders.parser().parse(orders.screenshot()))
    assert 'table "Orders" columns: "Order" | "Item" | "Status" | ""' in text, text
    row = next(line for line in text.splitlines() if line.startswith("row 2:"))
    assert '"1002" | ' in row and '"Desk lamp" | ' in row and '"Processing" | ' in row and 'button "Cancel"' in row


@pytest.mark.parametrize("command, said", [("read the status of order 1003", "'Shipped'"),
                                           ("what is the status of the USB-C hub", "'Shipped'"),
                                           ("what's the Item of order 1004", "'Monitor stand'")])
def test_an_orders_cell_is_read_by_column_and_row(orders, command, said):
    result = orders.do("click Orders, then " + command)
    assert result.status == "done" and result.message.endswith(f"shows {said}"), result.message


@pytest.mark.parametrize("command, order", [("cancel order 1002", "1002"), ("click the Cancel of Desk lamp", "1002"),
                                            ("click the Cancel for 1004", "1004")])
def test_a_rows_cancel_is_named_by_the_row(orders, command, order):
    result = orders.do("click Orders, then " + command)
    assert result.status == "done", result.message
    assert shows(orders.visible_text(), f"Cancel order {order}")


def test_a_bare_cancel_among_the_rows_asks_which_and_cancels_nothing(orders):
    result = orders.do("click Orders, then click Cancel")
    assert result.status == "failed" and "'Cancel' is in 4 rows of the table 'Orders'" in result.message, \
        result.message
    assert "1002, Desk lamp, Processing" in result.message and not shows(orders.visible_text(), "Cancel order")


@pytest.mark.parametrize("command, said", [("archive ticket T-91", "Archived T-91"),
                                           ("click the Reply button for Sara Berg", "Replied to T-95"),
                                           ("what is the priority of T-88", None)])
def test_another_tables_rows_are_named_by_any_column(tickets, command, said):
    result = tickets.do(command)
    assert result.status == "done", result.message
    if said is None:
        assert result.message.endswith("shows 'High'"), result.message
    else:
        assert shows(tickets.visible_text(), said)


def test_a_web_tables_cells_are_its_columns_and_its_header_is_said_once(team):
    text = legend.render(team.parser().parse(team.screenshot()))
    assert 'columns: "Name" | "Email" | "Role" | "Actions"' in text and '"Name Email Role Actions"' not in text, text
    row = re.sub(r"#\d+ ", "", next(line for line in text.splitlines() if line.startswith("row 3:")))
    assert row == 'row 3: "carol" | "carol@example.com" | "Editor" | button "Edit" button "Remove"', row


@pytest.mark.parametrize("command, said", [("click Edit for carol", "Editing carol"),
                                           ("edit the user dave", "Editing dave")])
def test_a_users_button_is_named_by_the_row(team, command, said):
    result = team.do(command)
    assert result.status == "done", result.message
    assert shows(team.visible_text(), said)


def test_a_users_role_is_read_and_a_verb_on_a_user_clicks_that_rows_button(team):
    result = team.do("read the role of dave")
    assert result.status == "done" and result.message.endswith("shows 'Viewer'"), result.message
    result = team.do("remove the user bob")
    try:
        assert result.status == "done" and "Remove bob?" in result.message, result.message
    finally:
        team.do("press Escape")


def test_a_bare_remove_among_the_users_asks_which_and_removes_nothing(team):
    result = team.do("click Remove")
    assert result.status == "failed" and "'Remove' is in 4 rows of the table" in result.message, result.message
    shown = team.visible_text()
    assert all(shows(shown, f"{n}@example.com") for n in ("alice", "bob", "carol", "dave")) and "Removed" not in shown
