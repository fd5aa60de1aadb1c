"""`set` and `select` checked once the screen settled (planner/set_check.py, planner/forms.py), on fake desks that
draw what a real one did in a user trial: GTK's font chooser, whose spin box a click at its centre misses, and a
page's native and custom dropdowns. The harness (Desk, Run, the login screen) is tests/test_planner_batch.py's."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grounding.elements import Box, Element, Screen
from tests.fakes import RecordingDriver, RoleScript
from tests.test_planner_batch import Desk, Run, centre, clicks, plan, turn


def _image_point(call) -> tuple[float, float]:
    """Where a recorded click landed, in the image pixels of FRAME."""
    return (call[1] - 100) * 2, (call[2] - 50) * 2


SIZE = Box(520, 40, 792, 108)  # GTK's spin button: its value's cell, then - (656-724) and + (724-792)


@dataclass
class FontChooser(Desk):
    """GTK's font chooser: a search field with the keyboard, and a size spin box holding 10 that goes up to 72. A
    click on the spin box's value cell gives it the keyboard; its buttons never take it (GTK's do not), so keys
    typed after a click on them go on into the search field."""

    def parse(self, image: np.ndarray) -> Screen:
        focus, texts, selected = "search", {"search": "", "size": "10"}, False
        for c in self.driver.calls:
            if c[0] == "click":
                x, y = _image_point(c)
                if SIZE.contains_point(x, y) and x < 656:
                    focus, selected = "size", False
                elif Box(40, 40, 500, 108).contains_point(x, y):
                    focus, selected = "search", False
            elif c[0] == "key" and c[1] == "ctrl+a":
                selected = True
            elif c[0] == "type":
                texts[focus] = c[1] if selected else texts[focus] + c[1]
                selected = False
            elif c[0] == "key" and c[1] == "tab" and focus == "size":
                texts["size"] = f"{min(float(texts['size']), 72):g}"  # the spin button commits, within its range
                focus = "select"
        focused = frozenset({"focused"})
        return Screen(800, 600, (
            Element(Box(40, 40, 500, 108), "text_field", name="Search", value=texts["search"],
                    states=focused if focus == "search" else frozenset()),
            Element(SIZE, "spin_box", name="Size", value=texts["size"],
                    states=focused if focus == "size" else frozenset()),
            Element(Box(600, 500, 780, 560), "button", name="Select"),
            Element(Box(40, 200, 500, 240), "text", name="No Fonts Found" if texts["search"] else "Sans 10", line=0),
        ), title="Choose a font")


def test_set_types_into_a_spin_boxs_value_cell_never_at_the_centre_of_its_buttons(tmp_path):
    script = RoleScript(manager=[plan("font size 16"), {"done": True}],
                        worker=[turn({"type": "set", "target": "#{Size}", "value": 16.0},
                                     {"type": "click", "target": "#{Select}", "done": "16 chosen"})])
    result, driver, _, _ = Run(script, desk=FontChooser).go(tmp_path)
    assert result.status == "done"
    click = next(c for c in driver.calls if c[0] == "click")
    assert SIZE.x0 <= _image_point(click)[0] < 656  # in the value's cell, left of the - (the box's centre: 656)
    assert driver.calls[1:4] == [("key", "ctrl+a"), ("type", "16"), ("key", "tab")]


def test_a_set_whose_control_does_not_show_the_value_fails_and_stops_the_batch(tmp_path):
    script = RoleScript(manager=[plan("font size 100"), {"impossible": "the size stops at 72"}],
                        worker=[turn({"type": "set", "target": "#{Size}", "value": 100},
                                     {"type": "click", "target": "#{Select}", "done": "100 chosen"}),
                                turn({"type": "fail", "reason": "72 is the largest size"})])
    result, driver, _, agent = Run(script, desk=FontChooser).go(tmp_path)
    assert result.status == "failed"
    assert len(clicks(driver)) == 1  # Select was never clicked
    second = script.prompts("worker")[1]
    assert '1. set #2 to 100.0 -> FAILED: #2 shows "72" after set 100' in second, second
    assert "2. click #3 -> not run: an action before it did not work" in second
    assert 'Your "done" was not taken' in second and agent.calls["reflector"] == 1


def test_the_check_after_set_says_where_the_keys_went_when_the_spin_box_kept_its_value():
    from planner.aci import Wanted
    from planner.set_check import unset

    desk = FontChooser(RecordingDriver())
    before = desk.parse(None)
    spin = before.get(2)
    # a click on the box's centre (the -'s edge): the keys went on into the search field
    desk.driver.calls += [("click", *centre(SIZE)), ("key", "ctrl+a"), ("type", "16"), ("key", "tab")]
    assert unset(Wanted(spin, "#2", value="16"), desk.parse(None)) == \
        '#2 still shows "10" after set 16; the focused #1 text field "Search" shows "16"'
    assert unset(Wanted(spin, "#2", value="10.0"), before) is None  # 10 is 10.0
    # a spin box gone from its place is no "done" (GTK's font chooser hides its size once the search finds nothing)
    assert unset(Wanted(spin.with_(box=Box(0, 300, 10, 310)), "#2", value="3"), before) == \
        "#2 is no longer on the screen after set 3"
    # a checkbox the screen model did not find again gets no verdict: the pixels may have missed it once
    box = Element(Box(0, 300, 10, 310), "checkbox", name="Bold")
    assert unset(Wanted(box, "#5", on=True), before) is None


PARTY = Box(40, 40, 400, 90)
PEOPLE = [f"{n} {'person' if n == 1 else 'people'}" for n in range(1, 7)]
TIMES = {"6 pm": Box(40, 200, 70, 230), "7 pm": Box(40, 260, 70, 290)}


@dataclass
class Booking(Desk):
    """A page's native <select> as Chromium runs it: a click opens or closes its popup (whose rows this screen
    model cannot read); with the popup open, typing moves its highlight and Enter chooses it; closed and focused,
    typing chooses the option it starts, and Enter opens the popup; a click elsewhere while it is open only closes
    it. ``states``: whether the screen model reads the select's expanded or collapsed state (a tree does)."""

    states: bool = True

    def parse(self, image: np.ndarray) -> Screen:
        value, opened, lit, focus, time = "2 people", False, "", "", ""
        for c in self.driver.calls:
            if c[0] == "click":
                x, y = _image_point(c)
                if opened and not PARTY.contains_point(x, y):
                    opened = False  # the click only closed the popup
                    continue
                focus = "party" if PARTY.contains_point(x, y) else ""
                opened = not opened if focus else False
                time = next((t for t, b in TIMES.items() if b.contains_point(x, y)), time)
            elif c[0] == "type" and focus == "party":
                match = next((o for o in PEOPLE if o.lower().startswith(c[1].lower())), "")
                lit, value = (match, value) if opened else ("", match or value)
            elif c[0] == "key" and c[1] == "enter" and focus == "party":
                value, opened = (lit or value, False) if opened else (value, True)
        state = ("expanded" if opened else "collapsed") if self.states else ""
        popup = (Element(Box(40, 90, 400, 330), "list"),) if opened else ()
        return Screen(800, 600, (
            Element(PARTY, "dropdown", name="Party size", value=value, states=frozenset({state} - {""})),
            *(Element(b, "radio", name=t, states=frozenset({"checked"} if t == time else ()))
              for t, b in TIMES.items()),
            Element(Box(40, 400, 240, 460), "button", name="Book"),
            *popup,
        ), title="Book a table")


def test_select_in_a_native_dropdown_already_open_types_into_its_list_and_the_next_action_lands(tmp_path):
    script = RoleScript(manager=[plan("book for 4 at 7 pm"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#{Party size}"}),
                                turn({"type": "select", "target": "#{Party size}", "option": "4"},
                                     {"type": "set", "target": "#{7 pm}", "value": True},
                                     {"type": "click", "target": "#{Book}", "done": "booked"})])
    desk = {}
    result, driver, _, _ = Run(script, desk=lambda d: desk.setdefault("it", Booking(d))).go(tmp_path)
    assert result.status == "done"
    now = desk["it"].parse(None)
    assert now.get(1).value == "4 people" and now.get(3).checked  # 4 people, at 7 pm
    assert [c for c in driver.calls if c[0] != "click"] == [("type", "4"), ("key", "enter")]


def test_select_in_a_dropdown_its_click_closed_types_without_enter(tmp_path):
    # the screen model reads no expanded state: the select's click closes the popup the click before opened
    script = RoleScript(manager=[plan("book for 4"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#{Party size}"}),
                                turn({"type": "select", "target": "#{Party size}", "option": "4"},
                                     {"type": "click", "target": "#{Book}", "done": "booked"})])
    desk = {}
    result, driver, _, _ = Run(script, desk=lambda d: desk.setdefault("it", Booking(d, states=False))).go(tmp_path)
    assert result.status == "done"
    now = desk["it"].parse(None)
    assert now.get(1).value == "4 people" and not now.by_role("list")  # chosen, and no list left open
    assert ("key", "enter") not in driver.calls


def test_a_set_on_a_radio_whose_click_only_closed_a_popup_fails_and_stops_the_batch(tmp_path):
    script = RoleScript(manager=[plan("book at 7 pm"), {"impossible": "x"}],
                        worker=[turn({"type": "click", "target": "#{Party size}"},
                                     {"type": "set", "target": "#{7 pm}", "value": True},
                                     {"type": "click", "target": "#{Book}", "done": "booked"}),
                                turn({"type": "fail", "reason": "x"})])
    result, driver, _, _ = Run(script, desk=Booking).go(tmp_path)
    second = script.prompts("worker")[1]
    assert "2. set #3 to True -> FAILED: #3 is still not chosen after set on" in second, second
    assert "3. click #4 -> not run" in second and len(clicks(driver)) == 2
