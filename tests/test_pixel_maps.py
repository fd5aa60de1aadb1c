"""The maps the parser finds while OCR reads give each pass what it finds on its own, and no pass may draw in them."""

import numpy as np
import pytest

from grounding import ocr
from grounding.documents import find_documents
from grounding.elements import Screen
from grounding.icons import find_icons
from grounding.more_widgets import augment
from grounding.parser import text_height
from grounding.pixel_maps import pixel_maps, start, start_late
from grounding.proposals import find_outlines
from grounding.rows import list_rows
from grounding.toolbar import find_tool_buttons
from grounding.widgets import compose
from tests.render import Canvas


def _screen() -> np.ndarray:
    c = Canvas(520, 320)
    c.field(20, 20)
    c.checkbox(20, 80)
    c.text(52, 79, "Remember me")
    c.radio(20, 130)
    c.text(52, 129, "Express")
    c.button(20, 180, "Go")
    for x in range(300, 460, 36):  # a row of framed icons
        c.button(x, 20, "+")
    image = c.array().copy()
    image[250:290, 20:500] = 40  # a dark bar with a light picture at its end
    image[262:278, 470:486] = 250
    return image


def test_each_pass_given_the_maps_finds_what_it_finds_alone() -> None:
    image = _screen()
    maps = start(image).result()
    words = ocr.read_words(image)
    glyphs = text_height(words)
    alone = find_outlines(image, glyphs)
    assert alone == find_outlines(image, glyphs, (maps.gray, maps.edges, maps.contours)) and alone
    assert compose(image, words, alone, glyphs) == compose(image, words, alone, glyphs, maps.edges)
    frames = [p.box for p in alone if p.drawn]
    assert find_tool_buttons(image, words, [], frames, glyphs) == \
        find_tool_buttons(image, words, [], frames, glyphs, parts=maps.icon_parts)
    controls, free = compose(image, words, alone, glyphs)
    screen = Screen(image.shape[1], image.shape[0], tuple(controls + free), (), image)
    assert augment(screen) == augment(screen, (maps.gray, maps.edges, maps.outlined, maps.squares))
    late = start_late(maps.gray, glyphs).result()
    ink = late.ink
    assert ink.solid and ink.joined and len(ink.bars) == 1
    assert augment(screen) == augment(screen, (maps.gray, maps.edges, maps.outlined, maps.squares), ink)
    assert find_icons(maps.gray, list(controls), []) == find_icons(maps.gray, list(controls), [], ink)
    assert late.light[0] > 1 and late.rules  # the page and its dark bar's edges
    assert list_rows(screen, maps.gray, glyphs) == list_rows(screen, maps.gray, glyphs, late.rules)
    assert find_documents(screen, glyphs, maps.gray) == find_documents(screen, glyphs, maps.gray, late.light)


def test_no_pass_may_draw_in_the_shared_maps() -> None:
    maps = pixel_maps(_screen())
    for shared in (maps.gray, maps.edges):
        with pytest.raises(ValueError):
            shared[0, 0] = 1
