"""Editor pages found by what stands on them (grounding/documents.py), on synthetic windows: an open tab whose
face runs on into the page, or a caret; a page of plain text with neither stays text."""

from grounding.parser import ScreenParser
from tests.render import Canvas


def _window(caret: bool = False, tab: bool = False, line: str = "Dear Ada, the meeting is at noon."):
    c = Canvas(900, 560)
    d = c.draw
    d.rectangle((0, 0, 899, 559), fill="black")  # the screen around the window
    d.rectangle((0, 0, 700, 500), fill="#efefef")  # the window's chrome
    d.rectangle((0, 91, 700, 420), fill="white")  # its page
    d.line((0, 90, 700, 90), fill="#ababab")  # the tab strip's foot
    if tab:  # the open tab: its face runs on into the page, a caption and a close box in it
        d.rectangle((0, 58, 130, 90), fill="white", outline="#ababab")
        d.rectangle((1, 59, 129, 91), fill="white")
        c.text(10, 63, "Notes.txt")
        d.line((108, 68, 120, 80), fill="black", width=2)
        d.line((108, 80, 120, 68), fill="black", width=2)
    c.text(6, 96, line)
    if caret:
        x = c.draw.textbbox((6, 96), line, font=c.font)[2] + 3
        d.line((x, 94, x, 121), fill="black", width=1)  # taller than the letters: tops to tails
    c.text(8, 470, "Lines: 1")
    return c.array()


def test_a_page_with_its_open_tab_is_a_text_area_and_the_tab_is_selected():
    screen = ScreenParser(incremental=False).parse(_window(tab=True))
    (area,) = screen.by_role("text_area")
    assert area.box.y0 >= 88 and area.box.y1 <= 423 and area.box.width >= 690 and "meeting" in area.value
    (tab,) = screen.by_role("tab")
    assert (tab.name, tab.selected) == ("Notes.txt", True)
    assert tab.box.y1 <= area.box.y0 + 2 and tab.box.x1 <= 135


def test_a_page_with_a_caret_is_a_text_area_and_without_one_plain_text():
    assert len(ScreenParser(incremental=False).parse(_window(caret=True)).by_role("text_area")) == 1
    plain = ScreenParser(incremental=False).parse(_window())
    assert not plain.by_role("text_area") and not plain.by_role("tab")
    assert any("meeting" in e.name for e in plain.lines())
    # a tall thin letter ("l", "I") is no caret: it does not reach from the letters' tops to their tails
    assert not ScreenParser(incremental=False).parse(_window(line="Il ll lI")).by_role("text_area")


def test_an_edited_page_takes_the_label_above_it_and_never_its_tabs_caption():
    c = Canvas(900, 560)
    c.draw.rectangle((0, 0, 899, 559), fill="black")
    c.draw.rectangle((0, 0, 760, 500), fill="white")  # a page of a form, a large field on it
    c.text(40, 40, "Notes")
    c.draw.rectangle((40, 72, 746, 338), outline="#3b73d8", width=2)  # focused: no grey outline of its own
    c.draw.line((46, 80, 46, 100), fill="black", width=1)  # the caret, in the empty field
    (area,) = ScreenParser(incremental=False).parse(c.array()).by_role("text_area")
    assert area.name == "Notes"
    (page,) = ScreenParser(incremental=False).parse(_window(tab=True)).by_role("text_area")
    assert page.name != "Notes.txt"
