"""A row's own button on a real page: real Chromium on Xvfb, read from the accessibility tree and from pixels, OS
input out. Each row of an orders table has a Cancel button; the confirmation the page shows names the order it
would cancel (tests/pages/orders.html), so a Cancel of another row is seen, not guessed."""

import json
from contextlib import ExitStack
from pathlib import Path

import pytest

from app.testing.desktop import Desktop
from grounding.textmatch import shows
from tests.live_pages import LivePage
from tests.test_doing_tables import ITEMS, ROW_PHRASINGS

pytestmark = [pytest.mark.display, pytest.mark.browser]
PAGE = Path(__file__).resolve().parent / "pages" / "orders.html"
ORDERS = [str(1001 + i) for i in range(len(ITEMS))]
MODES = ("accessibility", "pixels")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    """The page on a desktop of each mode, started on first use and kept for the module (tests/test_native_live.py
    keeps its browsers so too)."""
    with ExitStack() as stack:
        started: dict[str, LivePage] = {}

        def at(mode: str) -> LivePage:
            if mode not in started:
                d = stack.enter_context(Desktop(tmp_path_factory.mktemp("rows"), 1000, 700,
                                                a11y=mode == "accessibility"))
                started[mode] = LivePage.open(d, PAGE)
            return started[mode]

        yield at


@pytest.fixture
def desk(pages, mode):
    """The page afresh, at its top (a run may scroll to look for a row)."""
    return pages(mode).afresh()


def carry_out(d: Desktop, command: str):
    """The command, and the order numbers the confirmation shown after it asks about."""
    result = d.do(command)
    text = d.visible_text()
    return result, [n for n in ORDERS if shows(text, f"Cancel order {n}")]


def _read_from(d: Desktop) -> set[str]:
    """Where the run's screens were read from (the tree where the desktop has a bus)."""
    steps = [json.loads(line) for line in (d.trajectory.folder / "traj.jsonl").read_text().splitlines()]
    return {s["info"]["screen"]["source"] for s in steps if "screen" in s.get("info", {})}


# each phrasing once, on another row, every row in turn, the first half read from the tree and the rest from pixels
# (the simulated table, tests/test_doing_tables.py, tries every phrasing on every row; a live run costs seconds)
LIVE = [(MODES[2 * i // len(ROW_PHRASINGS)], p, (i + 1) % len(ITEMS)) for i, p in enumerate(ROW_PHRASINGS)]


@pytest.mark.parametrize("mode, phrasing, row", LIVE)
def test_each_rows_cancel_asks_about_that_rows_order(desk, phrasing, row):
    result, asked = carry_out(desk, "click Orders, then " + phrasing.format(ITEMS[row]))
    assert result.status == "done", result.message
    assert asked == [ORDERS[row]]
    assert _read_from(desk) == ({"accessibility"} if desk.a11y else {"pixels"})


@pytest.mark.parametrize("command, said", [
    ("click Cancel in the row for Standing desk", 'the "Cancel" element in the "Standing desk" row'),
    ("click the Cancel button next to Security", 'the "Cancel" button next to the "Security" element'),  # the
    # sidebar's link is level with the first row, but no cell of the table
])
@pytest.mark.parametrize("mode", MODES)
def test_a_row_relation_the_table_does_not_meet_fails_in_one_sentence_and_cancels_nothing(desk, command, said,
                                                                                          monkeypatch):
    monkeypatch.setenv("DESKPILOT_AGENT_PATIENCE", "2")  # the table is all there: 8 more looks (a second each
    # here) would find no other row
    result, asked = carry_out(desk, "click Orders, then " + command)
    assert result.status == "failed"
    assert result.message.startswith(f"Nothing on the screen matches {said}"), result.message
    assert asked == []
