"""Lists and trees the pixel parser is not benchmarked on (tests/pages/inbox.html and files.html in Chromium on
Xvfb, at device scale 1 and 2): a mail list's rows are buttons named by their senders, a tree's rows are tree items
(folders with their expanded or collapsed state, files too), and the one-line paragraphs between rules below the
tree are text, not rows."""

from pathlib import Path

import pytest

from app.desktop.browser import ChromiumApp
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.xvfb import VirtualDisplay
from grounding.elements import Screen
from grounding.parser import ScreenParser

PAGES = Path(__file__).resolve().parent / "pages"
WIDTH, HEIGHT = 800, 1000


def _parsed(page: str, scale: float) -> Screen:
    with VirtualDisplay(WIDTH, HEIGHT) as vd, ChromiumApp((PAGES / page).as_uri(), vd.display, WIDTH, HEIGHT,
                                                          scale=scale):
        wait_for_content(vd.display)
        source = MssScreenSource(vd.display)
        try:
            return ScreenParser(incremental=False).parse(source.capture().image)
        finally:
            source.close()


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_mail_lists_rows_are_buttons_named_by_their_senders(scale):
    screen = _parsed("inbox.html", scale)
    rows = [b for b in screen.by_role("button") if b.name != "Messages"]  # the header band is no row
    senders = ["Grace Hopper", "Alan Turing", "Ada Lovelace", "Edsger Dijkstra"]
    assert [r.name for r in rows] == senders
    assert len({(round(r.box.x0), round(r.box.x1)) for r in rows}) == 1  # each row spans the list
    assert all(abs(a.box.y1 - b.box.y0) <= 2 for a, b in zip(rows, rows[1:]))  # stacked, no gaps
    text = {t.name for t in screen.lines()}
    assert "Compiler notes for Friday" in text and "09:12" in text  # what a row shows stays readable
    assert not screen.by_role("text_area")


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_trees_rows_are_tree_items_and_the_notes_below_are_text(scale):
    screen = _parsed("files.html", scale)
    items = {t.name: t.states for t in screen.by_role("tree_item")}
    assert list(items) == ["Projects", "Compiler", "Website", "index.html", "style.css", "notes.txt", "Photos",
                           "budget.ods"]
    assert items["Projects"] == items["Website"] == {"expanded"}
    assert items["Compiler"] == items["Photos"] == {"collapsed"}
    assert items["index.html"] == frozenset()
    tree_bottom = max(t.box.y1 for t in screen.by_role("tree_item"))
    below = [c for c in screen.controls() if c.box.y0 > tree_bottom]
    assert not below, below  # paragraphs between rules are no list's rows
    assert any(t.name.startswith("Nothing here is shared") for t in screen.lines())
