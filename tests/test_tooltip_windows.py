"""Tooltips named by the window system: what lies inside an X tooltip window is one tooltip element, never a
button (grounding/tooltip_windows.py, app/engine/titled.py)."""

from __future__ import annotations

import time

import pytest

from app.desktop.windows import WindowTitles
from app.engine.titled import TitledParser
from app.testing.desktop import Desktop
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.parser import ScreenParser
from grounding.tooltip_windows import on_image, with_tooltips
from planner.actions import Move


def test_what_lies_inside_a_tooltip_window_becomes_one_tooltip_named_by_its_text():
    screen = Screen(800, 600, (
        Element(Box(10, 10, 40, 40), "button"),
        Element(Box(20, 48, 120, 66), "button", name="Show/hide"),  # the tooltip's box, drawn like a button
        Element(Box(124, 48, 200, 66), "text", name="replacement dock", line=3),
        Element(Box(0, 80, 800, 600), "text_area"),
    ))
    got = with_tooltips(screen, [Box(16, 44, 204, 70)])
    tips = got.by_role("tooltip")
    assert [(t.name, t.box) for t in tips] == [("Show/hide replacement dock", Box(16, 44, 204, 70))]
    assert [e.role for e in got.elements if e.role != "tooltip"] == ["button", "text_area"]  # the rest stays
    assert not any(e.is_control and "Show" in e.name for e in got.elements)


def test_a_tooltip_the_tree_named_keeps_its_name_and_an_empty_window_changes_nothing():
    tree = Element(Box(20, 48, 200, 66), "tooltip", name="Replace", source="a11y")
    screen = Screen(800, 600, (tree, Element(Box(24, 50, 90, 64), "text", name="Repl", line=0)))
    assert [(t.name, t.source) for t in with_tooltips(screen, [Box(16, 44, 204, 70)]).by_role("tooltip")] == \
        [("Replace", "a11y")]
    assert with_tooltips(screen, [Box(400, 400, 500, 420)]).elements == screen.elements


def test_window_boxes_are_placed_on_the_image_of_their_monitor():
    frame = Frame(100, 50, 800, 600, 2.0)  # a HiDPI monitor whose origin is at (100, 50)
    assert on_image([(110, 60, 160, 70)], frame) == [Box(20, 20, 120, 40)]
    assert on_image([(0, 0, 90, 40)], frame) == []  # on another monitor
    assert on_image([(490, 340, 600, 400)], frame) == [Box(780, 580, 800, 600)]  # cut at the image's edge


@pytest.mark.display
def test_a_qt_tooltip_shown_under_the_pointer_is_listed_as_a_tooltip_not_a_button(tmp_path):
    with Desktop(tmp_path, 900, 640) as d:
        d.launch("featherpad")
        assert d.display is not None
        plain = ScreenParser(incremental=False)
        icons = [e for e in plain.parse(d.screenshot()).elements if e.role == "button" and not e.name]
        assert icons, "FeatherPad's toolbar shows icon buttons with no readable name"
        titles = WindowTitles(d.display.display)
        parser = TitledParser(ScreenParser(incremental=False), titles, Frame(0, 0, 900, 640, 1.0))
        try:
            x, y = icons[0].box.center
            d._executor.execute(Move(x=x, y=y))
            screen = parser.parse(d.screenshot())
            for _ in range(12):  # Qt shows a tooltip after 0.7 s
                time.sleep(0.25)
                screen = parser.parse(d.screenshot())
                if screen.by_role("tooltip"):
                    break
        finally:
            parser.close()
        tips = screen.by_role("tooltip")
        assert len(tips) == 1 and any(c.isalpha() for c in tips[0].name), screen.elements
        assert tips[0].box.y0 > icons[0].box.y0  # below the button pointed at
        assert not any(e.is_control and e.name == tips[0].name for e in screen.elements)
