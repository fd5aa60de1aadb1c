"""A target is looked for inside the window in front first (grounding/front.py): the calculator's display, not a
line of the editor behind it that shows beside the calculator."""

import time
from dataclasses import replace

import pytest

from app.desktop.windows import WindowTitles
from app.engine.titled import windowed
from app.testing.desktop import Desktop
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.refs.grammar import parse_ref
from tests.ui_world import World, drive


def desktop(front: bool) -> Screen:
    """An editor (0-800) with a warning bar, a calculator over its left part (0-300) with its display."""
    screen = Screen(800, 600, (
        Element(Box(320, 30, 780, 50), "text_field", name="display", value="unt."),  # the editor's bar, behind
        Element(Box(10, 60, 290, 90), "text_field", value="0", states={"readonly"}),
        Element(Box(10, 100, 60, 130), "button", name="7"), Element(Box(400, 300, 500, 330), "button", name="Save")))
    return replace(screen, front=Box(0, 0, 300, 400)) if front else screen


class Overlapping(World):
    def screen(self) -> Screen:
        return replace(super().screen(), front=Box(0, 0, 300, 400))


def test_the_display_is_grounded_in_the_front_window_and_what_only_the_window_behind_shows_still_is():
    world = Overlapping(list(desktop(front=True).elements))
    drive("type 12*3= into the display", world)
    assert world.get(2).value == "12*3=" and world.get(1).value == "unt."
    result, world = drive("click Save", Overlapping(list(desktop(front=True).elements)))
    assert result == "done" and world.log == ["click Save"]


def test_a_description_that_names_a_window_looks_everywhere():
    from grounding.front import in_front

    assert in_front(desktop(front=True), parse_ref("the display")) is not None
    assert in_front(desktop(front=True), parse_ref("the display in the Mousepad window")) is None
    assert in_front(desktop(front=False), parse_ref("the display")) is None


@pytest.mark.display
def test_with_no_window_manager_the_window_raised_last_is_in_front(tmp_path):
    with Desktop(tmp_path, 800, 600) as d:
        assert d.display is not None
        from Xlib.display import Display

        x = Display(d.display.display)
        root = x.screen().root
        behind = root.create_window(0, 0, 700, 500, 0, x.screen().root_depth)
        ahead = root.create_window(20, 30, 300, 200, 0, x.screen().root_depth)
        behind.set_wm_name("Behind")  # the window: line's window: a top-level window with a title
        ahead.set_wm_name("Ahead")
        untitled = root.create_window(0, 0, 50, 50, 0, x.screen().root_depth)  # no title: no application's
        behind.map()
        ahead.map()
        untitled.map()
        x.sync()
        time.sleep(0.2)
        titles = WindowTitles(d.display.display)
        assert titles.front() == (20, 30, 320, 230)
        behind.raise_window()
        x.sync()
        time.sleep(0.2)
        assert titles.front() == (0, 0, 700, 500)
        screen = windowed(Screen(800, 600), titles, Frame(0, 0, 800, 600, 1.0))
        assert screen.front == Box(0, 0, 700, 500) and (screen.title, screen.window) == ("Behind", behind.id)
        behind.set_wm_name("Behind (3 unsaved)")  # a page that retitles itself: the same window
        x.sync()
        assert titles.active_window() == ("Behind (3 unsaved)", behind.id)
        ahead.set_wm_name("Behind (3 unsaved)")  # another window with that title comes to the front
        ahead.raise_window()
        x.sync()
        time.sleep(0.2)
        assert titles.active_window() == ("Behind (3 unsaved)", ahead.id)
        titles.close()
        x.close()
