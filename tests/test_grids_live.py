"""Bordered tables in Chromium on Xvfb, read from pixels alone: a team's users (tests/pages/team.html, one ruled
line between cells) and a ledger of numbers with a field in each row (tests/pages/ledger.html, cells spaced apart
with borders of their own). Every cell's words are a line of text; only the page's real controls are controls;
two captures of the still page parse the same."""

from pathlib import Path

import pytest

from app.desktop.browser import ChromiumApp
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.xvfb import VirtualDisplay
from grounding.elements import Screen
from grounding.parser import ScreenParser

PAGES = Path(__file__).resolve().parent / "pages"


def _two_parses(page: str) -> tuple[Screen, Screen]:
    with VirtualDisplay(1024, 600) as vd, ChromiumApp((PAGES / page).as_uri(), vd.display, 1024, 600):
        wait_for_content(vd.display)
        source = MssScreenSource(vd.display)
        try:
            return tuple(ScreenParser(incremental=False).parse(source.capture().image) for _ in range(2))
        finally:
            source.close()


def _controls(screen: Screen) -> list[tuple[str, str, str]]:
    return [(c.role, c.name, c.value) for c in screen.controls()]


@pytest.mark.display
@pytest.mark.browser
def test_a_ruled_table_of_users_is_text_with_its_buttons_and_reads_the_same_twice():
    screen, again = _two_parses("team.html")
    assert [e.to_json() for e in screen.elements] == [e.to_json() for e in again.elements]
    assert _controls(screen) == [("text_field", "Search users", ""), ("button", "Search", ""),
                                 ("checkbox", "Show admins only", "")] + [("button", "Edit", ""),
                                                                          ("button", "Remove", "")] * 4
    lines = [e.name for e in screen.lines()]
    for cell in ("Name", "Email", "Role", "Actions", "alice", "alice@example.com", "Admin", "bob",
                 "bob@example.com", "carol", "carol@example.com", "Editor", "dave", "dave@example.com"):
        assert cell in lines, (cell, lines)  # a line of its own, not run together with its row
    assert lines.count("Viewer") == 2


@pytest.mark.display
@pytest.mark.browser
def test_a_ledger_keeps_its_numbers_as_text_and_its_fields_named_by_their_column():
    screen, again = _two_parses("ledger.html")
    assert [e.to_json() for e in screen.elements] == [e.to_json() for e in again.elements]
    assert _controls(screen) == [("text_field", "Budget", v) for v in ("900", "950", "", "1000")] + [
        ("button", "Save budget", "")]
    lines = [e.name for e in screen.lines()]
    for cell in ("Month", "Income", "Costs", "Budget", "January", "1200", "870", "February", "1350", "910", "March",
                 "990", "1020", "April", "1410", "880"):
        assert cell in lines, (cell, lines)
