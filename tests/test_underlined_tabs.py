"""Tab strips that mark the open tab with a bar of colour under its caption and draw no box around their tabs
(grounding/tabs.py `underlined_tabs`): GTK's notebooks in Adwaita, a dialog's View / Editor / Window row."""

import cv2
import numpy as np

from grounding.elements import Box, Element
from grounding.tabs import underlined_tabs

BLUE = (53, 132, 228)


def row(*names: str, x: int = 40, y: int = 20) -> list[Element]:
    out = []
    for n, name in enumerate(names):
        width = 9 * len(name)
        out.append(Element(Box(x, y, x + width, y + 12), "text", name=name, line=n))
        x += width + 40
    return out


def bar_under(image: np.ndarray, word: Element, pad: int = 12, colour=BLUE) -> None:
    cv2.rectangle(image, (int(word.box.x0) - pad, 39), (int(word.box.x1) + pad, 42), colour, -1)


def test_one_caption_over_a_bar_of_colour_makes_the_row_tabs_with_it_selected():
    image = np.full((100, 500, 3), 246, np.uint8)
    words = row("View", "Editor", "Window")
    bar_under(image, words[1])
    tabs, left = underlined_tabs(words, image, 12.0)
    assert [(t.role, t.name, t.selected) for t in tabs] == [("tab", "View", False), ("tab", "Editor", True),
                                                            ("tab", "Window", False)]
    assert not left


def test_a_row_of_links_each_underlined_or_a_coloured_edge_under_all_of_them_is_no_tab_strip():
    words = row("Overview", "Orders", "Reports")
    links = np.full((100, 500, 3), 246, np.uint8)
    for w in words:
        bar_under(links, w)  # every caption over its own bar: links or a styled nav row, no open tab among them
    assert underlined_tabs(words, links, 12.0)[0] == []
    hugging = np.full((100, 500, 3), 246, np.uint8)
    cv2.rectangle(hugging, (int(words[1].box.x0), 33), (int(words[1].box.x1), 34), BLUE, -1)
    assert underlined_tabs(words, hugging, 12.0)[0] == []  # one link's underline at its words' foot
    edge = np.full((100, 500, 3), 246, np.uint8)
    cv2.rectangle(edge, (0, 39), (499, 42), BLUE, -1)  # a header's coloured border, running on past every word
    assert underlined_tabs(words, edge, 12.0)[0] == []


def test_another_colour_drawn_beside_the_bar_does_not_hide_it():
    image = np.full((100, 500, 3), 246, np.uint8)
    cv2.rectangle(image, (0, 28), (20, 44), (180, 40, 70), -1)  # a window behind, its red warning bar showing
    words = row("View", "Editor", x=34)
    bar_under(image, words[0])
    assert [t.selected for t in underlined_tabs(words, image, 12.0)[0]] == [True, False]


def test_a_sentence_with_one_link_in_it_is_no_tab_strip():
    image = np.full((100, 700, 3), 246, np.uint8)
    words, x = [], 20
    for name in "Read the help page before you click".split():
        width = 9 * len(name)
        words.append(Element(Box(x, 20, x + width, 32), "text", name=name, line=0))
        x += width + 5  # a space apart
    cv2.rectangle(image, (int(words[3].box.x0) - 4, 39), (int(words[3].box.x1) + 4, 42), BLUE, -1)
    assert underlined_tabs(words, image, 12.0)[0] == []


def test_captions_on_filled_buttons_are_no_tabs_however_their_faces_run_on_under_them():
    image = np.full((100, 500, 3), 246, np.uint8)
    words = row("Sign up", "Cancel")
    cv2.rectangle(image, (int(words[0].box.x0) - 12, 12), (int(words[0].box.x1) + 12, 44), BLUE, -1)
    assert underlined_tabs(words, image, 12.0)[0] == []


def test_the_open_tab_at_the_edge_of_the_screen_is_still_marked():
    image = np.full((100, 300, 3), 246, np.uint8)
    words = row("View", "Editor", x=4)
    cv2.rectangle(image, (0, 39), (int(words[0].box.x1) + 12, 42), BLUE, -1)
    assert [t.selected for t in underlined_tabs(words, image, 12.0)[0]] == [True, False]
