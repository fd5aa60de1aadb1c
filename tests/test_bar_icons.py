"""Light pictures on a dark bar, in pixels mode on a real page (tests/pages/appbar.html in Chromium under Xvfb): an
app bar's menu, search and ⋮ icons are its buttons; the white folder icon of a selected list row and the plus
inside a filled Compose button are not buttons of their own."""

from pathlib import Path

import numpy as np
import pytest

from app.bench import screen_dom
from app.bench.screen_pages import settle, shown_page
from app.bench.screen_truth import score
from grounding.bar_icons import bars, dark_bars, role_on
from grounding.elements import Box
from grounding.parser import ScreenParser

PAGE = Path(__file__).resolve().parent / "pages" / "appbar.html"


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_an_app_bars_icons_are_its_buttons_and_a_selected_rows_icon_is_not(scale):
    with shown_page(PAGE.as_uri(), 800, 500, scale, False) as (_, capture, driver):
        image = settle(capture)
        truth = screen_dom.read(driver, image.shape)
    screen = ScreenParser(incremental=False).parse(image)
    result = score(truth, screen)
    assert result.found == result.controls, result.misses  # the three bar icons, the rows, Compose
    assert result.phantoms == 0, result.misses
    bar_buttons = [e for e in screen.by_role("button") if e.box.y1 <= 56 * scale]
    assert len(bar_buttons) == 3
    assert {e.name for e in bar_buttons} >= {"⋮"}


def test_a_bar_is_solid_dark_and_wide_and_its_pictures_between_words_are_pictures():
    gray = np.full((120, 400), 255, np.uint8)
    gray[10:50, :] = 60  # a dark bar 40 pixels tall across the page
    gray[0:120, 0] = 0  # a one-pixel frame touching it joins nothing
    gray[22:38, 16:32] = 250  # a light picture at its left end
    gray[70:110, 100:130] = 60  # a dark square: too short a box to be a bar
    (found,) = bars(dark_bars(gray), [])
    bar, light = found
    assert (bar.y0, bar.y1) == (10, 50) and bar.width >= 398
    assert light[12:28, 16:32].all() and not light[0].any()
    assert bars(dark_bars(gray), [Box(0, 0, 400, 60)]) == []  # inside a list: a selected row
    words = [Box(50, 20, 120, 40), Box(300, 20, 360, 40)]
    assert role_on(bar, Box(10, 20, 30, 40), words) == "button"
    assert role_on(bar, Box(200, 20, 220, 40), words) == "image"
    assert role_on(bar, Box(370, 20, 390, 40), words) == "button"
