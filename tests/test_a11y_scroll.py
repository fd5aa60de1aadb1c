"""The tree of a page with a scrolling list and bare clickable icons (tests/pages/scrollbox.html in Chromium
under Xvfb): what scrolled out of the list is gone, what is half out keeps only the part that shows (its centre
is where a click opens it), and an icon a script made clickable is a nameless button, not a picture; and right after
a page scrolls, the parse is of the scrolled page, though Chromium's tree trails it (grounding/a11y_fresh.py)."""

import subprocess
import time
from pathlib import Path

import numpy as np
import pytest

from app.testing.desktop import Desktop
from tests.test_a11y import _all, _one

PAGE = Path(__file__).resolve().parent / "pages" / "scrollbox.html"
pytestmark = [pytest.mark.display, pytest.mark.browser]


def _click(desk, x: float, y: float) -> None:
    env = {**desk.env(), "DISPLAY": desk.display.display}
    subprocess.run(["xdotool", "mousemove", str(round(x)), str(round(y)), "click", "1"], env=env, check=True,
                   timeout=10)
    time.sleep(0.8)


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_scrolled_list_and_bare_icons_read_as_a_person_sees_them(tmp_path, scale):
    with Desktop(tmp_path, round(800 * scale), round(500 * scale), a11y=True) as d:
        d.launch(open=str(PAGE), scale=scale)
        parser = d.parser()
        screen = parser.parse(d.screenshot())
        (box,) = [e for e in screen.elements if e.role == "button" and e.name == "notes.txt"]
        buttons = {e.name: e for e in screen.by_role("button")}
        assert "report.pdf" not in buttons and "todo.md" not in buttons  # scrolled out of the list
        half = buttons["photo.png"]  # cut by the list's bottom edge: its box ends there
        assert half.box.height < box.box.height * 0.6 and half.box.y1 <= box.box.y0 + 120 * scale
        icons = [e for e in screen.by_role("button") if not e.name]
        assert len(icons) == 2 and all(e.source == "a11y" for e in icons)
        assert not [e for e in screen.by_role("image") if any(e.box.iou(i.box) > 0.3 for i in icons)]
        _click(d, *half.box.center)
        assert parser.parse(d.screenshot()).title.startswith("opened photo.png")
        _click(d, *icons[0].box.center)
        assert parser.parse(d.screenshot()).title.startswith("picked red")


def _scrolled(desk, button: str) -> object:
    """Wheel ten notches (4 up, 5 down) and parse the moment the pixels hold still, as a run's step does; on a busy
    machine a smooth scroll can pause mid-way and look still: then the page is scrolled to its end and it is done
    again, so that what is checked is the parse of the scrolled page."""
    from grounding.frame_diff import Stillness

    env = {**desk.env(), "DISPLAY": desk.display.display}
    for _ in range(4):
        before = desk.screenshot()
        subprocess.run(["xdotool", "mousemove", "500", "350", "click", "--repeat", "10", "--delay", "1", button],
                       env=env, check=True, timeout=30)
        looks, deadline = Stillness(0.04), time.monotonic() + 3
        looks.still(before)
        now = before
        while time.monotonic() < deadline and (np.array_equal(now, before) or not looks.still(now)):
            time.sleep(0.04)
            now = desk.screenshot()
        screen = desk.parser().parse(now)
        time.sleep(1.0)
        if np.array_equal(now, desk.screenshot()):
            return screen
        back = "4" if button == "5" else "5"
        subprocess.run(["xdotool", "click", "--repeat", "30", back], env=env, check=True, timeout=30)
        time.sleep(1.5)
        desk.parser().parse(desk.screenshot())
    raise AssertionError("the page never held still after a scroll")


def test_right_after_a_scroll_the_screen_is_the_scrolled_page_not_the_trees_older_one(tmp_path):
    filler = "".join(f"<p>Paragraph {i} of the course rules, with enough words to fill a line.</p>" for i in range(30))
    page = tmp_path / "long.html"
    page.write_text(f"<html><head><title>Long form</title></head><body style='font:16px sans-serif'>"
                    f"<label>Full name <input id=n></label>{filler}<button>Register</button></body></html>")
    with Desktop(tmp_path, 1000, 700, a11y=True) as d:
        d.launch(open=str(page))
        first = d.parser().parse(d.screenshot())
        field = _one(first, "text_field", "Full name")
        assert not _all(first, "button", "Register")
        down = _scrolled(d, "5")
        register = _one(down, "button", "Register")
        assert 0 <= register.box.y0 and register.box.y1 <= 700 and not _all(down, "text_field", "Full name")
        up = _scrolled(d, "4")
        assert _one(up, "text_field", "Full name").box.iou(field.box) > 0.9 and not _all(up, "button", "Register")
