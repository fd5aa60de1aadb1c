"""Menu bars from pixels: a window's top row of one-word titles, and what is not one."""

from grounding.parser import ScreenParser
from tests.render import Canvas


def _menu(screen):
    return [e.name for e in screen.by_role("menu_bar_item")]


def test_a_windows_top_row_of_titles_is_a_menu_bar_and_names_no_field():
    c = Canvas(640, 300)
    c.draw.rectangle((0, 0, 640, 34), fill="#f2f2f2")
    c.draw.line((0, 34, 640, 34), fill="#c8c8c8")
    x = 10
    for title in ("File", "Edit", "Format", "Tools", "Help"):
        c.text(x, 6, title)
        x += int(c.draw.textlength(title, font=c.font)) + 26
    c.field(10, 60, w=400)
    screen = ScreenParser().parse(c.array())
    assert _menu(screen) == ["File", "Edit", "Format", "Tools", "Help"]
    items = screen.by_role("menu_bar_item")
    assert all(a.box.x1 <= b.box.x0 + 1 for a, b in zip(items, items[1:]))  # cells side by side, no overlap
    # each item is its title with a margin, not half the gap to its neighbours (a page's item is its words)
    assert all(b.box.x0 - a.box.x1 >= 8 for a, b in zip(items, items[1:]))
    assert [f.name for f in screen.by_role("text_field")] == [""]  # the titles above it are not its label


def test_a_menu_bar_cut_short_by_a_dialog_over_its_window_is_still_one():
    c = Canvas(640, 300)
    c.draw.rectangle((0, 0, 640, 34), fill="#f2f2f2")
    x = 10
    for title in ("File", "Edit", "Search"):
        c.text(x, 6, title)
        x += int(c.draw.textlength(title, font=c.font)) + 26
    # a dialog standing over the rest of the bar, its edge a few pixels after the last title, from the top down
    c.draw.rectangle((x - 22, 0, 630, 290), fill="#f6f5f4", outline="#a0a0a0")
    screen = ScreenParser().parse(c.array())
    assert _menu(screen) == ["File", "Edit", "Search"]


def test_capitalised_words_in_text_or_under_other_text_are_no_menu_bar():
    c = Canvas(640, 300)
    c.text(10, 10, "Delivery notes for the week")
    c.text(10, 40, "Monday    Tuesday    Friday")  # a row of titles, but right under a line of text
    c.text(10, 120, "Alice Baker Carter Dawson")  # names in a sentence-like run: the gaps are spaces
    c.button(10, 200, "Open", w=90)
    c.button(110, 200, "Save", w=90)
    c.button(210, 200, "Close", w=90)  # a row of buttons: captions framed one by one
    screen = ScreenParser().parse(c.array())
    assert _menu(screen) == []
    assert sorted(b.name for b in screen.by_role("button")) == ["Close", "Open", "Save"]


def test_a_row_of_flat_icons_is_a_row_of_unnamed_tool_buttons():
    c = Canvas(640, 200)
    x = 12
    for n in range(5):  # "upload" pictures (a tray and an arrow) without frames, one of them faint (disabled)
        color = "#c8c8c8" if n == 3 else "#303030"
        c.draw.line((x, 22, x, 44, x + 18, 44, x + 18, 22), fill=color, width=2)
        c.draw.line((x + 4, 30, x + 9, 24, x + 14, 30), fill=color, width=2)
        c.draw.line((x + 9, 24, x + 9, 38), fill=color, width=2)
        x += 34
    c.text(12, 120, "Tools below the bar")
    screen = ScreenParser().parse(c.array())
    tools = [b for b in screen.by_role("button") if not b.name]
    assert len(tools) == 5 and [b.disabled for b in tools] == [False, False, False, True, False]
    assert not any(b.box.y0 > 100 for b in screen.controls())  # a line of text holds no tool button
