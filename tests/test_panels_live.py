"""A bordered panel (a form's step, a card, a fieldset) is a group in pixels-only mode: its fields, dropdowns,
toggles and buttons are read as such, never the whole box as one text area; real Chromium on Xvfb."""

from pathlib import Path

import pytest

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.desktop.xvfb import VirtualDisplay
from app.engine.compose import Parts, compose
from app.engine.executor import DesktopExecutor
from app.engine.options import RunOptions
from grounding.elements import Screen
from grounding.parser import ScreenParser
from tests.live_pages import page_shown

pytestmark = [pytest.mark.display, pytest.mark.browser]
PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture(scope="module")
def desktop():
    with VirtualDisplay(1000, 700) as vd, DrivenChromium(vd.display, 1000, 700, 1.0,
                                                         app_url="data:text/html,") as browser:
        yield vd, browser


def _shown(desktop, page: str) -> Screen:
    vd, browser = desktop
    browser.driver.get((PAGES / page).as_uri())
    return ScreenParser(incremental=False).parse(page_shown(vd.display, browser))


def _controls(screen: Screen) -> set[tuple[str, str]]:
    return {(e.role, e.name.rstrip("]")) for e in screen.controls()}


def test_a_form_step_under_a_title_and_a_heading_is_its_fields_not_a_text_area(desktop):
    screen = _shown(desktop, "checkout_steps.html")
    controls = _controls(screen)
    assert {("text_field", "Full name"), ("dropdown", "Country"), ("button", "Next")} <= controls, controls
    assert any(name == "Delivery date" for _, name in controls), controls
    assert not [e for e in screen.elements if e.role == "text_area"], controls


def test_a_card_and_a_fieldset_are_groups_of_the_controls_inside_them(desktop):
    screen = _shown(desktop, "panels.html")
    controls = _controls(screen)
    assert {("text_field", "Email"), ("text_field", "Phone"), ("text_field", "Street"), ("text_field", "City"),
            ("checkbox", "Send me news"), ("radio", "Morning"), ("radio", "Evening"),
            ("button", "Save profile")} <= controls, controls
    assert len([e for e in screen.controls() if e.role == "text_field"]) == 4, controls
    assert not [e for e in screen.elements if e.role == "text_area"], controls


def test_typing_into_a_field_of_the_step_puts_the_text_in_that_field(desktop, tmp_path):
    vd, browser = desktop
    browser.driver.get((PAGES / "checkout_steps.html").as_uri())
    page_shown(vd.display, browser)
    source, driver = MssScreenSource(vd.display), make_driver("xtest", vd.display)
    try:
        options = RunOptions(task="type 'Grace Hopper' into Full name, choose Japan from the Country list and "
                             "set the delivery date to 03/15/2027",
                             display=vd.display, out=tmp_path, max_steps=30, agent="direct", grounding="pixels")
        result = compose(options, parts=Parts(source=source, executor=DesktopExecutor(driver))).run()
    finally:
        source.close()
        driver.close()
    assert result.status == "done", result.message
    assert browser.driver.execute_script("return [fullname.value, country.value, deliv.value]") == \
        ["Grace Hopper", "Japan", "2027-03-15"]


def test_a_page_selected_all_over_reads_as_it_did_before(desktop):
    vd, browser = desktop
    before = _controls(_shown(desktop, "panels.html"))
    browser.driver.execute_script("document.execCommand('selectAll')")
    screen = ScreenParser(incremental=False).parse(page_shown(vd.display, browser))
    after = _controls(screen)
    assert {("text_field", "Phone"), ("text_field", "City"), ("checkbox", "Send me news"),
            ("button", "Save profile")} <= after, after
    assert not [c for c in screen.controls() if c.role == "tab"], after
    assert len(after ^ before) <= 1, (before, after)
