"""gtk3-widget-factory (Debian's gtk-3-examples), page 1: every GTK 3 widget in Adwaita, parsed in pixels mode. The
rules for filled toggles, greyed labels, spin boxes and underlined tabs were written on it and on mousepad's
Preferences (both had been parsed wrong): it is their check, no longer an unseen application."""

import shutil
import tempfile
import time
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



def _font_chooser(desk, executor):
    """The factory's font button clicked: GTK's font chooser, its search field focused, its size box beside the
    size slider (the dialog of mousepad's Preferences > font, where a user trial met it)."""
    from planner.actions import Click

    before = desk.parser().parse(desk.screenshot())
    button = next(e for e in before.by_role("button") if "Sans" in e.name or "Regular" in e.name)
    assert executor.execute(Click(x=round(button.box.center[0]), y=round(button.box.center[1]))).ok
    for _ in range(20):
        time.sleep(0.3)
        screen = desk.parser().parse(desk.screenshot())
        spins = [e for e in screen.by_role("spin_box") if not any(b.box.iou(e.box) > 0.5 for b in before.elements)]
        if spins:
            return spins[0]
    raise AssertionError(f"no font chooser with a size box: {[(e.role, e.name) for e in screen.elements][:30]}")


@pytest.mark.parametrize("mode,aim", [("tree", "cell"), ("pixels", "cell"), ("tree", "centre")])
def test_set_types_a_font_size_into_the_spin_box_of_gtks_font_chooser(mode, aim):
    """The worker's `set` on the font chooser's size box, grounded on the tree's parse or the pixels', carried out
    by pointer and keys: the tree reads the new size afterwards, and the check after set agrees. The box's centre is
    the edge of GTK's - button, which takes no focus: the keys typed after a click there went into the search field
    (a user trial's "done"); the check after set calls that a failure, and says where the value went."""
    from app.desktop.session import input_driver
    from app.engine.executor import DesktopExecutor
    from grounding.coords import Frame
    from grounding.router import Router
    from planner.aci import Later, Translator, View
    from planner.actions import Click
    from planner.replies import SetA
    from planner.set_check import unset

    with tempfile.TemporaryDirectory(prefix="deskpilot-factory-") as tmp, \
            Desktop(Path(tmp), 1280, 800, a11y=True) as desk:
        desk.launch("gtk3-widget-factory", timeout=45)
        assert desk.display is not None
        executor = DesktopExecutor(input_driver("xtest", desk.display.display))
        size = _font_chooser(desk, executor)
        screen = desk.parser().parse(desk.screenshot()) if mode == "tree" else \
            ScreenParser(incremental=False).parse(desk.screenshot())
        spin = next(e for e in screen.by_role("spin_box") if e.box.iou(size.box) > 0.5)
        assert spin.value != "16"
        tr = Translator(Router(), View(screen, Frame(0, 0, 1280, 800), (1280, 800)))
        steps = tr.steps(SetA(type="set", target=f"#{spin.id}", value=16.0))
        assert not [s for s in steps if isinstance(s, Later)] and isinstance(steps[0], Click)
        if aim == "centre":  # where the click went before the value cell was looked for
            steps[0] = Click(x=round(spin.box.center[0]), y=round(spin.box.center[1]))
        for step in steps:
            assert executor.execute(step).ok
        time.sleep(0.7)
        after = desk.parser().parse(desk.screenshot())
        now = next((e for e in after.by_role("spin_box") if e.box.iou(size.box) > 0.5), None)
        assert tr.wanted is not None
        missed = unset(tr.wanted, after)
        if aim == "centre":
            assert now is None or now.value != "16"
            assert missed is not None and '"Search" shows "16"' in missed, missed
        else:
            assert now is not None and now.value == "16", [(e.value, e.box.to_list()) for e in
                                                           after.by_role("spin_box")]
            assert missed is None
