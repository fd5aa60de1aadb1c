"""gtk3-widget-factory (Debian's gtk-3-examples), page 1: every GTK 3 widget in Adwaita, parsed in pixels mode. The
rules for filled toggles, greyed labels, spin boxes and underlined tabs were written on it and on mousepad's
Preferences (both had been parsed wrong): it is their check, no longer an unseen application."""

import shutil
import tempfile
from pathlib import Path

import pytest

from app.testing.desktop import Desktop
from grounding.elements import Screen
from grounding.parser import ScreenParser

pytestmark = [pytest.mark.display, pytest.mark.skipif(shutil.which("gtk3-widget-factory") is None,
                                                      reason="gtk3-widget-factory (gtk-3-examples) is not installed")]


@pytest.fixture(scope="module")
def factory() -> Screen:
    with tempfile.TemporaryDirectory(prefix="deskpilot-factory-") as tmp, Desktop(Path(tmp), 1280, 800) as desk:
        desk.launch("gtk3-widget-factory", timeout=45)
        return ScreenParser(incremental=False).parse(desk.screenshot())


def test_ticked_mixed_and_greyed_toggles_read_as_they_are(factory):
    """Two columns of six checkbuttons and radiobuttons, each ticked, unticked and inconsistent, enabled then
    disabled; Adwaita fills the ticked ones with blue (tests/test_filled_toggles.py)."""
    states = [{"checked"}, set(), {"mixed"}, {"checked", "disabled"}, {"disabled"}, {"mixed", "disabled"}]
    for x, role, name in ((15, "checkbox", "checkbutton"), (141, "radio", "radiobutton")):
        column = sorted((e for e in factory.elements if e.role in ("checkbox", "radio", "image")
                         and x <= e.box.x0 <= x + 8 and 360 <= e.box.y0 <= 540), key=lambda e: e.box.y0)
        assert [(e.role, e.name, set(e.states)) for e in column] == [(role, name, s) for s in states]


def test_its_spin_button_is_one_spin_box_holding_its_value(factory):
    spins = [e for e in factory.elements if e.role == "spin_box"]
    assert any(s.value == "50" for s in spins), [(e.role, e.value, e.box.to_list()) for e in spins]
    for s in spins:
        assert not [e for e in factory.elements if e.is_control and e is not s and s.box.contains(e.box, 3)]


def test_a_notebook_marking_its_open_tab_with_a_blue_bar_is_a_row_of_tabs(factory):
    tabs = sorted((e for e in factory.elements if e.role == "tab" and e.box.x0 < 340 and e.box.y0 > 560),
                  key=lambda e: e.box.x0)
    assert [(t.name, t.selected) for t in tabs] == [("page 1", True), ("page 2", False), ("page 3", False)]
