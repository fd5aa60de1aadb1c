"""Links drawn over other text (grounding/overlaps.py): a pager over a list's last line is read from its own ink."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from grounding.more_widgets import augment
from grounding.parser import ScreenParser
from grounding.router import Router
from planner.language import parse
from tests.render import Canvas

BLUE = (0, 0, 238)


def pager_over_a_line() -> tuple[Canvas, dict[str, tuple[float, float]]]:
    """A black caption and, drawn over its middle, the pager "1 2 3 >" with each link underlined but the 1."""
    c = Canvas(420, 160)
    c.text(10, 20, "Results for cats", color="black")
    c.text(12, 90, "Fames scelerisque pellentesque.", color="black")
    where = {}
    for i, label in enumerate(["1", "2", "3", ">"]):
        x = 100 + 26 * i
        x0, y0, x1, y1 = c.text(x, 86, label, color=BLUE)
        if label != "1":
            c.draw.rectangle((x0, y1 + 3, x1, y1 + 4), fill=BLUE)
        where[label] = ((x0 + x1) / 2, (y0 + y1) / 2)
    return c, where


def test_a_pager_drawn_over_a_line_of_text_is_read_from_its_blue_ink_one_link_a_glyph():
    c, where = pager_over_a_line()
    screen = augment(ScreenParser().parse(c.array()))
    links = {e.name: e for e in screen.elements if e.role == "link"}
    assert {"2", "3", ">"} <= set(links), sorted(links)
    x, y = where[">"]
    assert links[">"].box.contains_point(x, y)


def test_go_to_the_next_page_finds_the_chevron_link():
    c, where = pager_over_a_line()
    screen = augment(ScreenParser().parse(c.array()))
    command = "click >"
    chosen = Router().ground(parse(command)[0].target, screen, echo=command).match.element
    assert chosen.box.contains_point(*where[">"])


def test_blue_text_the_parse_reads_as_a_link_is_not_read_twice():
    c = Canvas(420, 120)
    x0, y0, x1, y1 = c.text(10, 20, "Documentation", color=BLUE)
    c.draw.rectangle((x0, y1 + 2, x1, y1 + 3), fill=BLUE)
    screen = augment(ScreenParser().parse(c.array()))
    assert [e.name for e in screen.elements if e.role == "link"] == ["Documentation"]


def test_a_pagers_links_close_together_are_one_a_glyph_and_its_current_page_none():
    """Page 2 of "< 1 2 3 >": '<' and '1' stand a few pixels apart, each underlined, the current page is black;
    drawn over the end of a sentence, as MiniWoB++'s search-engine draws it."""
    c = Canvas(420, 160)
    c.text(12, 90, "Sed justo arcu, fames scelerisque.", color="black")
    where, x = {}, 150
    for label in ["<", "1", "2", "3", ">"]:
        x0, y0, x1, y1 = c.text(x, 86, label, color="black" if label == "2" else BLUE)
        if label != "2":
            c.draw.rectangle((x0 - 1, y1 + 3, x1 + 1, y1 + 4), fill=BLUE)
        where[label] = ((x0 + x1) / 2, (y0 + y1) / 2)
        x = x1 + 5
    screen = augment(ScreenParser().parse(c.array()))
    links = {e.name: e for e in screen.elements if e.role == "link"}
    assert set(links) == {"<", "1", "3", ">"}, sorted(links)
    for label, link in links.items():
        assert link.box.contains_point(*where[label])


def test_two_links_side_by_side_that_ocr_reads_as_one_word_are_split_at_their_underlines():
    c = Canvas(420, 120)
    c.text(10, 20, "Ipsum dolor", color="black")
    where, x = {}, 140
    for label in ["sed.", "Est"]:
        x0, y0, x1, y1 = c.text(x, 20, label, color=BLUE)
        c.draw.rectangle((x0, y1 + 2, x1, y1 + 3), fill=BLUE)
        where[label] = ((x0 + x1) / 2, (y0 + y1) / 2)
        x = x1 + 4
    c.text(x + 6, 20, "vitae.", color="black")
    screen = augment(ScreenParser().parse(c.array()))
    links = {e.name: e for e in screen.elements if e.role == "link"}
    assert set(links) == {"sed.", "Est"}, sorted(links)
    for label, link in links.items():
        assert link.box.contains_point(*where[label])


def test_a_name_whose_underline_skips_its_descender_is_one_link_and_the_pager_below_it_three():
    """MiniWoB++'s search-engine at device scale 2 (a capture, tests/pages/search_results.png): "Joye" is underlined
    under "Jo" and "e" only, like a pager's links; the pager "1 2 3 >" below it is drawn over the result's text."""
    image = np.array(Image.open(Path(__file__).parent / "pages" / "search_results.png").convert("RGB"))
    links = [e.name for e in ScreenParser().parse(image).elements if e.role == "link"]
    assert links == ["Deneen", "Livia", "Joye", "2", "3", ">"], links
