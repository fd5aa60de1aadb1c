"""The pixel screen model on real desktop applications under Xvfb (no accessibility tree): what the pixels alone
must show of a GTK calculator and a GTK editor."""

import pytest

from app.testing.desktop import Desktop
from grounding.parser import ScreenParser

pytestmark = pytest.mark.display


def test_gtk_calculator_from_pixels_has_its_menu_bar_and_one_glyph_keys(tmp_path):
    with Desktop(tmp_path, 800, 600) as d:
        d.launch("galculator")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    menu = screen.by_role("menu_bar_item")
    assert [e.name for e in menu] == ["File", "Edit", "View", "Calculator", "Help"]
    keys = {e.name for e in screen.by_role("button")}
    # one-glyph captions the text detector passes over are read on their own key
    assert {"7", "8", "0", "1", "(", "="} <= keys
    (display,) = [e for e in screen.controls() if e.value == "0"]
    assert "File" not in display.name  # the menu bar above names no field
    assert all(e.box.y1 <= min(k.box.y0 for k in screen.by_role("button")) for e in menu)


def test_gtk_editor_menu_bar_and_text_area_from_pixels(tmp_path):
    with Desktop(tmp_path, 800, 600) as d:
        d.launch("mousepad")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    names = [e.name for e in screen.by_role("menu_bar_item")]
    assert names[:2] == ["File", "Edit"] and names[-1] == "Help"
    assert not any(e.name in names for e in screen.controls() if e.role != "menu_bar_item")


def test_qt_editor_flat_tool_buttons_are_unnamed_buttons_and_faint_ones_disabled(tmp_path):
    with Desktop(tmp_path, 900, 640) as d:
        d.launch("featherpad")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    menu = screen.by_role("menu_bar_item")
    assert [e.name for e in menu][:2] == ["File", "Edit"]
    row = [b for b in screen.by_role("button") if not b.name and menu[0].box.y1 <= b.box.y0 < menu[0].box.y1 + 40]
    assert len(row) >= 8  # New, Open, Save, Undo, Redo, Reload, Find, Replace, ...
    assert any(b.disabled for b in row) and not all(b.disabled for b in row)  # nothing to redo yet
    assert not any(e.role == "text" and len(e.name) <= 2 and e.box.intersection(row[0].box) for e in screen.lines())
