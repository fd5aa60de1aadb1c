"""The agent-computer interface without a model: targets into logical points through the capture frame, the
description's head role, and what select and set do on screens of every kind (a tree's list box with options, an
open dropdown, a slider read back after each round of keys)."""

import pytest

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound
from grounding.refs import parse_ref
from grounding.router import Router
from planner.aci import Later, Translator, View, chord
from planner.actions import ActionError, Click, Key, TypeText
from planner.context import clip, clip_lines
from planner.replies import At, SelectA, SetA, Turn, parse_as

FORM = Screen(1000, 800, tuple(e.with_(id=i) for i, e in enumerate((
    Element(Box(100, 100, 400, 140), "dropdown", name="Country", value="Belgium", states=frozenset({"expanded"})),
    Element(Box(100, 140, 400, 170), "option", name="Belgium", parent=1),
    Element(Box(100, 170, 400, 200), "option", name="Canada", parent=1),
    Element(Box(100, 200, 400, 230), "option", name="Chile", parent=1),
    Element(Box(500, 100, 530, 130), "checkbox", name="Canada", states=frozenset({"checked"})),
    Element(Box(100, 300, 400, 420), "list_box", name="Days", states=frozenset({"multiselectable"})),
    Element(Box(100, 300, 400, 330), "option", name="Monday", parent=6),
    Element(Box(100, 330, 400, 360), "option", name="Tuesday", parent=6),
    Element(Box(100, 360, 400, 390), "option", name="Wednesday", parent=6),
    Element(Box(600, 300, 900, 330), "slider", name="Volume", value="20"),
    Element(Box(600, 400, 700, 430), "spin_box", name="Copies", value="1"),
    Element(Box(600, 500, 620, 520), "radio", name="Air", states=frozenset({"checked"})),
    Element(Box(100, 600, 300, 640), "dropdown", name="Size", value="Small"),
), 1)))  # ids as an accessibility tree gives them: the options point at their list
FRAME = Frame(0, 0, 1000, 800)


def tr(screen=FORM, frame=FRAME, sent=(1000, 800)):
    return Translator(Router(), View(screen, frame, sent))


def test_the_words_of_an_aside_or_a_negation_never_become_the_role():
    q = parse_ref("the text 'Canada' (the option in the open Country dropdown list, between 'Belgium' and "
                          "'Chile'), not the checkbox")
    assert (q.label, q.role) == ("Canada", "text")
    assert parse_ref('the "Do not disturb" checkbox').label == "Do not disturb"
    assert parse_ref("the Save button, not the Save As button").label == "Save"
    a = tr().aim("the text 'Canada' (the option in the open Country dropdown list), not the checkbox")
    assert a.element is FORM.get(3)  # the option, not the checkbox named Canada


def test_a_point_is_in_the_pixels_of_the_screenshot_sent_and_lands_through_the_capture_frame():
    # a 2000x1600 HiDPI capture of a monitor at (1920, 0) holding 1000x800 logical pixels, sent at 1280x1024
    frame = Frame(1920, 0, 2000, 1600, 2.0)
    screen = Screen(2000, 1600, (Element(Box(200, 200, 800, 280), "dropdown", name="Country"),))
    t = Translator(Router(), View(screen, frame, (1280, 1024)))
    a = t.aim(At(x=320, y=153.6))
    assert (a.x, a.y) == (1920 + 250, 120) and a.element is screen.elements[0]
    with pytest.raises(NotFound, match=r"outside the screenshot, which is 1280x1024 pixels"):
        t.aim(At(x=1280, y=10))
    b = t.aim("#1")
    assert (b.x, b.y) == (1920 + 250, 120)


def test_select_in_an_open_list_clicks_the_option_of_that_list():
    steps = tr().steps(SelectA(type="select", target="#1", option="Canada"))
    assert steps == [Click(x=250, y=185, target="'Canada'")]


def test_select_what_a_dropdown_already_shows_does_nothing():
    assert tr().steps(SelectA(type="select", target="the Country dropdown", option="belgium")) == []


def test_select_several_rows_of_a_multi_select_list_ctrl_clicks_all_but_the_first():
    steps = tr().steps(SelectA(type="select", target="the Days list box", option=["Monday", "Wednesday"]))
    assert steps == [Click(x=250, y=315, target="'Monday'"), Click(x=250, y=375, target="'Wednesday'", hold=("ctrl",))]
    with pytest.raises(NotFound, match="'Friday' is not in view in the list: scroll it first"):
        tr().steps(SelectA(type="select", target="#6", option=["Monday", "Friday"]))
    # rows a pixel parse read as text lines, one with its space lost, no list around them: clicked where they are
    rows = Screen(400, 300, (Element(Box(10, 10, 90, 30), "text", name="Giftwrap", line=0),
                             Element(Box(10, 30, 90, 50), "text", name="Signature", line=1)))
    steps = tr(rows, Frame(0, 0, 400, 300), (400, 300)).steps(SelectA(type="select", option=["Gift wrap", "Signature"]))
    assert steps == [Click(x=50, y=20, target="'Gift wrap'"), Click(x=50, y=40, target="'Signature'", hold=("ctrl",))]


def test_select_in_a_closed_dropdown_opens_it_then_chooses_on_the_screen_that_shows_the_list():
    t = tr()
    first, later = t.steps(SelectA(type="select", target="#13", option="Large"))
    assert first == Click(x=200, y=620, target="#13") and isinstance(later, Later)
    opened = Screen(1000, 800, (Element(Box(100, 600, 300, 640), "dropdown", name="Size", value="Small"),
                                Element(Box(100, 640, 300, 670), "text", name="Small", line=0),
                                Element(Box(100, 670, 300, 700), "text", name="Large", line=1)))
    assert later.run(View(opened, FRAME, (1000, 800))) == [Click(x=200, y=685, target="'Large'")]
    # a list came up whose rows the screen cannot read: the open list jumps to what is typed, Enter takes it
    unread = Screen(1000, 800, (opened.elements[0], Element(Box(100, 640, 300, 700), "list")))
    assert later.run(View(unread, FRAME, (1000, 800))) == [TypeText(text="Large"), Key(keys=("enter",))]
    # rows a pixel parse read as text below it, the option not among them (it is further down the list): open
    rows = Screen(1000, 800, (opened.elements[0], Element(Box(100, 640, 300, 670), "text", name="Small", line=0),
                              Element(Box(100, 670, 300, 700), "text", name="Medium", line=1)))
    assert later.run(View(rows, FRAME, (1000, 800))) == [TypeText(text="Large"), Key(keys=("enter",))]
    # no list shows: the dropdown is closed and has the keyboard (a click closed the list it had open): typing
    # alone chooses there; Enter would open its list (Chromium's <select>) and choose nothing
    closed = Screen(1000, 800, (opened.elements[0],))
    assert later.run(View(closed, FRAME, (1000, 800))) == [TypeText(text="Large")]


def test_select_in_an_open_dropdown_whose_option_is_not_in_view_types_into_its_list_without_closing_it():
    assert tr().steps(SelectA(type="select", target="#1", option="Zambia")) == [TypeText(text="Zambia"),
                                                                                Key(keys=("enter",))]


def test_set_reads_the_state_first():
    assert tr().steps(SetA(type="set", target="the Canada checkbox", value=True)) == []
    assert tr().steps(SetA(type="set", target="the Canada checkbox", value="off")) == [Click(x=515, y=115,
                                                                                              target="the Canada "
                                                                                                     "checkbox")]
    with pytest.raises(NotFound, match="goes off when another one in its group is chosen"):
        tr().steps(SetA(type="set", target="#12", value=False))
    with pytest.raises(ActionError, match="set to true or false"):
        tr().steps(SetA(type="set", target="#5", value="maybe"))
    # a spin box is typed into through its value's cell (left of its buttons), and Tab commits the value
    assert tr().steps(SetA(type="set", target="#11", value=3)) == [Click(x=625, y=415, target="#11"),
                                                                   Key(keys=("ctrl", "a")), TypeText(text="3"),
                                                                   Key(keys=("tab",))]


def test_a_spin_box_is_clicked_in_its_value_cell_never_on_its_buttons():
    from planner.forms import value_cell

    # GTK 3: the value's cell, then - and + as squares as tall as the box (mousepad's font size box at scale 1)
    gtk = Element(Box(300, 200, 436, 234), "spin_box", name="Size", value="10")
    cell = value_cell(gtk, Screen(1000, 800, (gtk,)))
    assert (cell.x0, cell.x1) == (300, 436 - 68) == (300, gtk.box.center[0])  # the box's centre is the -'s edge
    # the buttons the screen read inside it bound the cell where they start
    minus = Element(Box(370, 202, 398, 232), "button", name="-")
    plus = Element(Box(400, 202, 428, 232), "button", name="+")
    assert value_cell(gtk, Screen(1000, 800, (gtk, minus, plus))).x1 == 370
    # a narrow box keeps at least its left half; a vertical spin button has its value in its middle
    assert value_cell(Element(Box(0, 0, 60, 30), "spin_box"), Screen(100, 100, ())).x1 == 30
    tall = value_cell(Element(Box(0, 0, 40, 120), "spin_box"), Screen(100, 200, ()))
    assert (tall.y0, tall.y1) == (40, 80)
    t = tr(Screen(1000, 800, (gtk,)))
    click = t.steps(SetA(type="set", target="#1", value=16.0))[0]
    assert click == Click(x=334, y=217, target="#1")


def test_set_moves_a_slider_by_keys_and_learns_the_size_of_a_step_from_what_it_reads_back():
    t = tr()
    click, later = t.steps(SetA(type="set", target="the Volume slider", value=50))
    assert click == Click(x=750, y=315, target="the Volume slider")

    def at(value):
        return View(FORM.with_elements([e.with_(value=value) if e.role == "slider" else e for e in FORM.elements]),
                    FRAME, (1000, 800))

    keys, again = later.run(at("35"))  # the click moved it to the middle
    assert keys == Key(keys=("right",), repeat=15)
    keys, again = again.run(at("65"))  # 15 presses moved it 30: a step is 2
    assert keys == Key(keys=("left",), repeat=8)
    assert again.run(at("50")) == []


def test_keys_a_model_writes_become_one_chord_or_an_observation():
    assert chord("ctrl+shift+s") == ("ctrl", "shift", "s")
    assert chord(["Control", "S"]) == ("ctrl", "S")
    assert chord(["ctrl+s"]) == ("ctrl", "s")
    with pytest.raises(ActionError, match="not a key combination this keyboard has"):
        chord(["s", "ctrl"])


def test_a_turn_is_one_action_or_a_list_whose_last_may_finish_the_subtask():
    t = parse_as(Turn, '{"actions": [{"type": "press", "keys": "tab"}, {"type": "click", "target": "#2", '
                       '"done": "sent"}]}')
    assert [a.type for a in t.batch] == ["press", "click"] and t.batch[-1].done == "sent"
    for bad, why in [('{"actions": [{"type": "click", "target": "#1", "done": "x"}, {"type": "press", "keys": "a"}]}',
                      'only the last action may carry "done"'),
                     ('{"actions": [{"type": "code", "instruction": "x"}, {"type": "press", "keys": "a"}]}',
                      "a code action goes alone"),
                     ('{"action": {"type": "click", "target": {"x": 1}}}', "action.click.target.y: Field required")]:
        with pytest.raises(ValueError, match=why):
            parse_as(Turn, bad)


def test_text_is_cut_at_a_word_and_code_keeps_its_lines():
    assert clip("Email address field is empty", 16) == "Email address…"
    code = "\n".join(f"print({i})" for i in range(400))
    shown = clip_lines(code, 200)
    assert shown.startswith("print(0)\nprint(1)\n") and shown.endswith("more characters not shown]")
    tail = clip_lines(code, 60, keep="tail")
    assert tail.startswith("[") and tail.endswith("print(399)") and "\nprint(398)\n" in tail


def test_later_actions_read_ids_on_the_screen_the_worker_saw_and_find_new_things_on_the_screen_now():
    closed = Screen(400, 300, (Element(Box(0, 0, 60, 20), "menu_bar_item", name="File"),
                               Element(Box(100, 100, 200, 130), "button", name="OK")))
    opened = Screen(400, 300, (Element(Box(0, 0, 60, 20), "menu_bar_item", name="File"),
                               Element(Box(0, 20, 120, 40), "menu_item", name="Save As…"),
                               Element(Box(100, 100, 200, 130), "button", name="OK")))
    frame = Frame(0, 0, 400, 300)
    t = Translator(Router(), View(opened, frame, (400, 300)), asked=View(closed, frame, (400, 300)))
    assert (t.aim("#2").x, t.aim("#2").y) == (150, 115)  # id 2 of the screen it saw (OK), though OK is #3 now
    a = t.aim('the "Save As…" menu item')  # not on the screen it saw: the menu an earlier click opened
    assert a.element.name == "Save As…" and (a.x, a.y) == (60, 30)
    gone = Screen(400, 300, (closed.elements[0],))
    with pytest.raises(NotFound, match=r'#2 \(the button "OK"\) is no longer on the screen'):
        Translator(Router(), View(gone, frame, (400, 300)), asked=View(closed, frame, (400, 300))).aim("#2")


def test_the_turn_log_folds_whole_turns_by_their_own_kinds_and_groups_the_rest_by_turn():
    from planner.context import RECENT_TURNS, TurnLog

    log = TurnLog()
    log.add([("open mousepad -> started", "open", True)])
    for i in range(RECENT_TURNS + 1):  # the turns before the last hold one action more than are shown verbatim
        log.add([(f"type 'line {i}' -> typed", "type", True)])
    shown = log.render()
    assert shown.splitlines()[0] == "(older turns: open ok)"  # the first turn's kind, not the last
    assert "open mousepad" not in shown and shown.count("- type") == RECENT_TURNS + 1
    assert shown.endswith(f"a turn of 1 action:\n- type 'line {RECENT_TURNS}' -> typed")
    log.add([("click #3 -> did nothing", "click", False), ("click #4 -> done", "click", True)])
    assert log.render().splitlines()[0] == "(older turns: open ok, type ok)"
    assert log.render().endswith("a turn of 2 actions:\n- click #3 -> did nothing\n- click #4 -> done")
    assert log.render(but_last=True).splitlines()[-1] == f"- type 'line {RECENT_TURNS}' -> typed"
