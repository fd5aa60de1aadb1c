"""The tree of a page with a scrolling list and bare clickable icons (tests/pages/scrollbox.html in Chromium
under Xvfb): what scrolled out of the list is gone, what is half out keeps only the part that shows (its centre
is where a click opens it), and an icon a script made clickable is a nameless button, not a picture."""

import subprocess
import time
from pathlib import Path

import pytest

from app.testing.desktop import Desktop

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
