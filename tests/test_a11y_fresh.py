"""A tree that trails the pixels (Chromium's boxes a moment after a scroll) is read again until it catches up
(grounding/a11y_fresh.py); one that is simply right is kept after a short wait."""

import numpy as np

from grounding.a11y_fresh import looks_stale, unlike
from grounding.a11y_parser import A11yParser
from grounding.a11y_reader import TreeSnapshot
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen

LINE = {"role": "text", "value": "", "states": [], "parent": -1, "atspi": "static"}
TOPS = (20, 60, 100, 140, 180)


def page(tops, offset=0) -> np.ndarray:
    """White, with a line of glyph-like strokes at each top (+ offset), each line's its own: a page of text."""
    image = np.full((300, 400, 3), 255, np.uint8)
    for i, top in enumerate(tops):
        image[top + offset + 3:top + offset + 15, 20 + 3 * i:200:9] = 30
    return image


def tree(tops) -> TreeSnapshot:
    return TreeSnapshot(windows=((0, 0, 400, 300),),
                        records=tuple({**LINE, "name": f"line {i}", "box": [18, t, 202, t + 18]}
                                      for i, t in enumerate(tops)))


def lines(tops) -> list[Element]:
    return [Element(Box(18, t, 202, t + 18), "text", name=f"line {i}") for i, t in enumerate(tops)]


class NoPixels:
    def parse(self, image):
        return Screen(image.shape[1], image.shape[0])


def test_lines_on_blank_pixels_make_a_tree_look_older_than_the_screen():
    assert looks_stale(page(TOPS), lines(TOPS)) == ""
    assert looks_stale(page(TOPS, offset=120), lines(TOPS)).startswith("3 of the tree's 5 lines")  # 3 on blank
    assert looks_stale(page(TOPS, offset=80), lines(TOPS)) == ""  # 2 of 5 on blank: a page may hold such lines
    assert looks_stale(np.full((300, 400, 3), 255, np.uint8), lines(TOPS[:3])) == ""  # too few lines to tell


def test_elements_not_drawn_where_the_tree_moved_them_make_it_look_older_than_the_screen():
    before, after = page(TOPS), page(TOPS, offset=40)  # scrolled onto other lines: no line lands on blank
    assert looks_stale(after, lines(TOPS)) == ""
    assert unlike(before, lines(TOPS), after, lines(TOPS)).startswith("5 of 5 elements")  # left where they were
    assert unlike(before, lines(TOPS), after, lines([t + 30 for t in TOPS])).startswith("5 of 5")  # moved too little
    assert unlike(before, lines(TOPS), after, lines([t + 40 for t in TOPS])) == ""  # moved as the page did
    assert unlike(before, lines(TOPS), before, lines(TOPS)) == ""
    caret = before.copy()
    caret[60:78, 150:152] = 0  # a caret, a hover: one element changes
    assert unlike(before, lines(TOPS), caret, lines(TOPS)) == ""


def test_a_stale_read_is_read_again_until_the_tree_catches_up():
    reads = [tree(TOPS), tree(TOPS), tree([t + 40 for t in TOPS])]  # the tree learns of the scroll on its third read
    parser = A11yParser(lambda: reads.pop(0) if len(reads) > 1 else reads[0], Frame(0, 0, 400, 300), NoPixels())
    parser.parse(page(TOPS))
    assert parser.stats.stale == ""
    screen = parser.parse(page(TOPS, offset=40))
    assert parser.stats.stale.startswith("5 of 5 elements the tree still names are not drawn where it says")
    assert [e.box.y0 for e in screen.elements] == [t + 40 for t in TOPS]


def test_a_tree_that_does_not_change_is_kept_after_the_wait():
    parser = A11yParser(lambda: tree(TOPS), Frame(0, 0, 400, 300), NoPixels(), catch_up=0.3)
    screen = parser.parse(page(TOPS, offset=100))  # a page whose tree names lines that are drawn nowhere
    assert parser.stats.stale and [e.box.y0 for e in screen.elements] == list(TOPS)


def test_a_menu_opened_over_the_lines_is_another_screen_not_a_tree_left_behind():
    before = page(TOPS)
    menu = before.copy()
    menu[15:200, 10:210] = 200  # a menu of its own items drawn over every line
    items = [Element(Box(12, 20 + 20 * i, 208, 38 + 20 * i), "menu_item", name=f"item {i}") for i in range(8)]
    assert unlike(before, lines(TOPS), menu, lines(TOPS)).startswith("5 of 5")
    assert unlike(before, lines(TOPS), menu, lines(TOPS) + items) == ""
