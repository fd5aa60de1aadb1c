"""Each intent's effect checked on the next screen, on the simulated UI (tests/ui_world.py): the live page's
checks run in tests/test_direct_checks_live.py; these cover the kinds it does not (lists, dropdowns, spin boxes)."""

import re

import numpy as np
import pytest

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.refs.grammar import parse_ref
from grounding.router import Router
from planner.direct_checks import verify
from planner.doing.base import Situation
from planner.language import intents as it
from planner.protocols import Observation
from planner.verdicts import Doing, Verdict, summary
from tests.render import Canvas
from tests.ui_world import World, drive, el


def form(**kw: object) -> World:
    return World([el("text", "Name", (10, 10, 60, 30)), el("text_field", "Name", (70, 10, 250, 30)),
                  el("checkbox", "Remember me", (10, 50, 30, 70)), el("button", "Ping", (10, 90, 80, 110)),
                  el("spin_box", "Copies", (10, 130, 80, 150), value="1")], **kw)


def test_what_held_and_what_cannot_be_seen_make_the_summary():
    result, world = drive("type 'Ada' into the Name field, tick Remember me, set Copies to 3 and press tab", form())
    assert result == "done"
    assert world.summary == "4 commands: 3 seen to work, 1 not checkable (press tab)"
    assert summary([Verdict(said="a", held=True, detail="")]) == "1 command: 1 seen to work"


def test_a_field_that_keeps_three_characters_is_typed_again_once_then_fails():
    result, world = drive("type 'Grace' into the Name field and click Ping", form(drops={2: 3}))
    assert result == "Typed 'Grace' into 'Name', but the field shows 'Gra' (after one retry)."
    assert [x for x in world.log if x.startswith("type")] == ["type 'Grace'", "type 'Grace'"]
    assert "click Ping" not in world.log


def test_a_spin_box_that_stays_put_fails_with_the_number_it_shows():
    class Stuck(World):
        def _key(self, keys: tuple[str, ...]) -> None:
            self.log.append("key " + "+".join(keys))  # the arrows do nothing

    result, _ = drive("set Copies to 3", Stuck(form().elements))
    assert "Copies" in result and "1" in result and result.endswith(".")


def test_a_silent_button_is_said_to_show_nothing_and_is_clicked_once():
    result, world = drive("click Ping", form(silent={4}))
    assert result == "done" and world.summary == "1 command: 0 seen to work, 1 with no visible effect (click Ping)"
    assert world.log.count("click Ping") == 1


def test_a_dropdown_that_keeps_its_old_choice_is_reported():
    class Deaf(World):
        def _click(self, e, hold):
            if e.role == "option":  # the list closes without taking the option
                self.shown -= {h for hs in self.hidden.values() for h in hs}
                self.image[-10:] = 255 - self.image[-10:]
                return
            super()._click(e, hold)

    world = Deaf([el("text", "Colour", (10, 10, 60, 30)), el("dropdown", "Colour", (70, 10, 250, 30), value="Red"),
                  el("option", "Red", (70, 32, 250, 52), parent=2), el("option", "Blue", (70, 54, 250, 74),
                                                                         parent=2)], hidden={2: [3, 4]})
    result, world = drive("choose Blue from the Colour dropdown", world)
    assert result == "Chose 'Blue' in 'Colour', but it shows 'Red' (after one retry)."
    assert world.log.count("click Blue") == 2


def test_a_steps_checks_show_on_its_card_in_the_app_and_on_its_terminal_line(capsys):
    pytest.importorskip("PySide6")
    from app.cli.progress import print_event
    from app.qt.controllers.rows import step_row
    from planner.events import Stepped
    from planner.trajectory import StepRecord

    checks = [{"intent": "type 'Grace' into the Name field", "held": False, "retried": True,
               "detail": "Typed 'Grace' into 'Name', but the field shows 'Gra'"},
              {"intent": "click Ping", "held": None, "quiet": True, "retried": False,
               "detail": "clicked 'Ping'; the screen did not change"}]
    record = StepRecord(step=3, action={"kind": "fail", "reason": "x"}, outcome={"ok": True}, info={"checks": checks})
    note = step_row(record, "fail").note
    assert "checked \"type 'Grace' into the Name field\": NOT seen to work, after one retry (Typed 'Grace'" in note
    assert "checked 'click Ping': no visible effect (clicked 'Ping'; the screen did not change)" in note
    print_event(Stepped(record=record, text="fail"))
    assert "NOT seen to work" in capsys.readouterr().out


def december(world: type[World]) -> World:
    """A date field whose calendar (December 2016, a day per cell) opens when it is clicked."""
    days = [el("text", str(d), (20 + 30 * ((d - 1) % 7), 120 + 25 * ((d - 1) // 7), 40 + 30 * ((d - 1) % 7),
                                  140 + 25 * ((d - 1) // 7))) for d in range(1, 32)]
    return world([el("text_field", "Date", (20, 20, 200, 50)), el("heading", "December 2016", (40, 80, 200, 100)),
                  *days], hidden={1: list(range(2, 34))})


def test_a_date_the_field_shows_wrong_is_picked_again_then_fails():
    class OffByOne(World):  # the calendar writes the day before the one clicked into its field
        def _click(self, e, hold):
            super()._click(e, hold)
            if e.role == "text" and e.name.isdigit():
                self.put(self.get(1).with_(value=f"12/{int(e.name) - 1:02d}/2016"))
                self.shown -= set(self.hidden[1])

    world = december(OffByOne)
    result, world = drive("Select 12/23/2016 as the date", world)
    assert result == "Set 'Date' to 12/23/2016, but it shows '12/22/2016' (after one retry)."
    assert world.log.count("click 23") == 2
    class Right(OffByOne):
        def _click(self, e, hold):
            super()._click(e, hold)
            if e.role == "text" and e.name.isdigit():
                self.put(self.get(1).with_(value=f"Dec {int(e.name)}, 2016"))  # its own format, the right day

    world = december(Right)
    result, world = drive("Select 12/23/2016 as the date", world)
    assert result == "done" and world.summary == "1 command: 1 seen to work"


def test_a_date_field_left_blank_fails_but_one_whose_text_cannot_be_read_is_not_checkable():
    from planner.checks import blank

    class Blank(World):  # the calendar closes on a click without writing the day into its field
        def _click(self, e, hold):
            super()._click(e, hold)
            if e.role == "text" and e.name.isdigit():
                self.shown -= set(self.hidden[1])

    world = december(Blank)
    result, world = drive("Select 12/23/2016 as the date", world)
    assert result == "Set 'Date' to 12/23/2016, but it shows nothing (after one retry)."
    field = Box(20, 20, 200, 50)
    image = np.full((60, 220, 3), 255, np.uint8)
    image[24:46, 20], image[24:46, 199], image[30:40, 40] = 0, 0, 0  # its border, and a caret
    assert blank(image, field)
    image[30:40, 60:90:3] = 0  # strokes OCR may not read: ink all the same
    assert not blank(image, field)


def test_a_time_field_showing_another_time_is_typed_again_then_fails_before_submitting():
    class Clock(World):  # whatever is typed, it shows 02:07 PM
        def _type(self, text: str) -> None:
            self.log.append(f"type {text!r}")
            self.put(self.get(1).with_(value="02:07 PM"))

    world = Clock([el("text_field", "Time", (20, 20, 200, 50)), el("button", "Submit", (20, 60, 100, 90))])
    result, world = drive("Enter 1:47 PM as the time and press submit.", world)
    assert result == "Typed '1:47 PM' into 'Time', but the field shows '02:07 PM' (after one retry)."
    assert "click Submit" not in world.log


def test_a_reading_the_resting_pointer_spoils_is_not_a_failure_but_a_field_that_kept_less_is():
    from grounding.elements import Box
    from planner.readings import under_the_pointer

    field = Box(408, 202, 729, 238)
    on_it, elsewhere = (446.0, 220.0), (100.0, 50.0)
    assert under_the_pointer(field, on_it, "LorIdon", "London")  # its I-beam over the n
    assert under_the_pointer(field, on_it, "Lor[don", "London")
    assert not under_the_pointer(field, elsewhere, "LorIdon", "London")
    assert not under_the_pointer(field, None, "LorIdon", "London")
    assert not under_the_pointer(field, on_it, "Gra", "Grace")  # cut short: the field kept less
    assert not under_the_pointer(field, on_it, "Londo", "London")
    assert not under_the_pointer(field, on_it, "Paris", "London")


def test_a_redo_that_grounds_something_else_is_still_judged_on_the_field_first_typed_into():
    class Lost(World):  # whatever is typed, it shows 02:07 PM, and the parse then takes the field for a button
        def _type(self, text: str) -> None:
            self.log.append(f"type {text!r}")
            self.put(self.get(2).with_(role="button", value="02:07 PM"))

    world = Lost([el("text", "Time:", (10, 20, 60, 50)), el("text_field", "Time", (70, 20, 250, 50))])
    result, world = drive("type 1:47 PM into the Time field", world)
    assert world.log[0] == "click Time" and "click Time:" in world.log  # the redo grounded the label
    assert result == "Typed '1:47 PM' into 'Time', but the field shows '02:07 PM' (after one retry)."


def signup(full: str = "", email: str = "") -> Screen:
    """A form whose fields are named by their own labels (the accessibility tree's reading)."""
    return Screen(800, 600, (Element(Box(20, 40, 300, 70), "text_field", name="Full name", value=full, id=1),
                             Element(Box(20, 100, 300, 130), "text_field", name="Email", value=email, id=2)))


@pytest.mark.parametrize("description, held", [("the email", False), ("the Email field", False),
                                               ("the first field", True), ("the full name", True)])
def test_text_typed_into_a_field_other_than_the_one_the_words_name_is_not_seen_to_work(description, held):
    before, after = signup(), signup(full="dana@example.org")
    intent = it.TypeInto(text="dana@example.org", into=parse_ref(description))
    doing = Doing(intent=intent, said=f"fill in {description}", before=before, acted=[(before.elements[0], before)])
    situation = Situation(obs=Observation(np.zeros((600, 800, 3), np.uint8), Frame(0, 0, 800, 600)), screen=after,
                          router=None)
    verdict = verify(doing, situation)
    assert verdict.held is held
    if not held:
        assert verdict.detail.endswith("which is 'Email'") and not verdict.retry


def checkout(shown: str) -> Screen:
    """A bordered box around a whole form, read as one text area holding its fields' labels and values."""
    return Screen(800, 600, (Element(Box(20, 40, 500, 300), "text_area", name="Checkout", value=shown, id=1),))


def judged(intent: object, said: str, before: Screen, after: Screen) -> Verdict:
    doing = Doing(intent=intent, said=said, before=before, acted=[(before.elements[0], before)])
    return verify(doing, Situation(obs=Observation(np.zeros((600, 800, 3), np.uint8), Frame(0, 0, 800, 600)),
                                   screen=after, router=None))


@pytest.mark.parametrize("intent, said, shown, held", [
    (it.SetValue(target=parse_ref("the delivery date"), value="03/15/2027"), "set the delivery date to 03/15/2027",
     "Step 1 of 3 Full name 03/15/2027] Country Japan Delivery date mm/dd/yy Next", False),
    (it.TypeInto(text="Grace Hopper", into=parse_ref("Full name")), "type 'Grace Hopper' into Full name",
     "Step 1 of 3 Full name 03/15/2027] Country Japan Delivery date mm/dd/yy Next", False),
    (it.TypeInto(text="Grace Hopper", into=parse_ref("Full name")), "type 'Grace Hopper' into Full name",
     "Step 1 of 3 Full name Grace Hopper Country -- choose -- Delivery date mm/dd/yyyy Next", None),
    (it.TypeInto(text="Grace Hopper", into=parse_ref("the first text area")), "type 'Grace Hopper' into the first",
     "Step 1 of 3 Full name Grace Hopper Country -- choose -- Delivery date mm/dd/yyyy Next", True),
])
def test_text_inside_a_box_that_holds_the_named_fields_label_is_never_seen_to_work(intent, said, shown, held):
    verdict = judged(intent, said, checkout(""), checkout(shown))
    assert verdict.held is held
    if held is False:
        assert verdict.retry
        assert re.search(r"but '(Full name|delivery date)' there shows '(03/15|mm/dd)", verdict.detail)


def read(description: str, before: Screen, after: Screen, earlier: Screen | None = None) -> Verdict:
    intent = it.Find(target=parse_ref(description), report=True)
    doing = Doing(intent=intent, said=f"read {description}", before=before, earlier=earlier)
    return verify(doing, Situation(obs=Observation(np.zeros((600, 800, 3), np.uint8), Frame(0, 0, 800, 600)),
                                   screen=after, router=Router()))


def calculator(*fields: Element) -> Screen:
    return Screen(800, 600, (Element(Box(400, 10, 440, 25), "text", name="unt."),
                             Element(Box(20, 60, 300, 90), "text_field", value="15"),
                             Element(Box(20, 100, 60, 130), "button", name="7"), *fields))


@pytest.mark.parametrize("description", ["the display", "the number on the display"])
def test_read_the_display_reads_the_field_that_shows_a_number_not_words_beside_it(description):
    verdict = read(description, calculator(), calculator())
    assert verdict.held is True and verdict.reading == f"{description} shows '15'"
    unsure = read(description, calculator(), calculator(Element(Box(20, 140, 300, 170), "text_field", value="36")))
    assert unsure.held is None and "not sure: 2 fields show a value" in unsure.reading


def page(*lines: str) -> Screen:
    return Screen(800, 600, (Element(Box(20, 20, 200, 40), "heading", name="Checkout"),
                             Element(Box(20, 60, 120, 90), "button", name="Save"),
                             *(Element(Box(20, 100 + 30 * i, 400, 120 + 30 * i), "text", name=n)
                               for i, n in enumerate(lines))))


def test_read_the_result_reads_the_line_that_appeared_after_the_last_act_and_is_unsure_without_one():
    verdict = read("the result", page("Total 3"), page("Total 3", "Order placed: #1042"), earlier=page("Total 3"))
    assert verdict.held is True and verdict.reading == "the result shows 'Order placed: #1042'"
    verdict = read("the message", page("Total 3"), page("Total 3"), earlier=page("Total 3"))
    assert verdict.held is None and not verdict.reading and "no line appeared" in verdict.detail


def test_a_dropdown_the_parse_reads_no_value_of_is_read_in_its_own_box():
    canvas = Canvas(800, 600)
    box = canvas.field(100, 100, value="Admin")
    before = Screen(800, 600, (Element(Box(*box), "dropdown", name="Role", id=1),))
    intent = it.Choose(options=(parse_ref("Admin"),), within=parse_ref("the dropdown next to Role"))
    doing = Doing(intent=intent, said="choose Admin in the dropdown next to Role", before=before,
                  acted=[(before.elements[0], before)])
    after = Screen(800, 600, before.elements, image=canvas.array())
    verdict = verify(doing, Situation(obs=Observation(canvas.array(), Frame(0, 0, 800, 600)), screen=after,
                                      router=None))
    assert verdict.held is True and verdict.detail == "'Role' shows 'Admin'"


def test_a_box_whose_reading_jumbles_its_columns_is_judged_by_the_words_on_the_named_labels_row():
    words = tuple(Element(Box(*b), "text", name=n) for n, b in [
        ("Full", (31, 169, 63, 181)), ("name", (69, 169, 110, 181)), ("03/15/2027", (140, 169, 230, 181)),
        ("elivery", (36, 220, 100, 241)), ("date", (105, 220, 138, 241)), ("mm/dd/yyyy", (149, 220, 234, 241))])
    box = Element(Box(20, 20, 500, 300), "text_area", name="Checkout", id=1)
    before = Screen(800, 600, (box,), words=words)
    after = Screen(800, 600, (box.with_(value="Step ull elivery name date 03/15/2027 of mm/dd/yyyy"),), words=words)
    verdict = judged(it.SetValue(target=parse_ref("the delivery date"), value="03/15/2027"),
                     "set the delivery date to 03/15/2027", before, after)
    assert verdict.held is False and verdict.detail.endswith("but 'delivery date' there shows 'mm/dd/yyyy'")
    verdict = judged(it.TypeInto(text="03/15/2027", into=parse_ref("Full name")), "type 03/15/2027 into Full name",
                     before, after)
    assert verdict.held is None and "not read from the field's own box" in verdict.detail
