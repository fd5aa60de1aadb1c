"""Issue 22 without a display: targets recorded as a person names them, found again with evidence or not at all,
each step's effect checked, parameters bound to fields, format-1 demos still loading, and the replay asking the
person (the hook the app uses) instead of guessing."""

import json

import numpy as np
import pytest

from grounding.elements import Box, Element, Screen
from planner.checks import check_effect
from planner.demos import DemoStep, DemoStore
from planner.effects import Effect, effect_of
from planner.finding import TargetMissing, TargetUnsure, find_target
from planner.loop import Loop
from planner.replay import ReplayAgent
from planner.targets import target_at
from planner.trajectory import Trajectory, read_steps
from tests.form_app import FormApp, record


def replay(app, demo, tmp_path, values=None, chooser=None, timeout=0.3):
    loop = Loop(app, app, app, max_steps=200, settle_timeout=0.05)
    agent = ReplayAgent(demo, demo.values(values or {}), timeout=timeout, poll=0.01, chooser=chooser)
    result = loop.run(agent, Trajectory.create(tmp_path / "runs", "replay"))
    return result, read_steps(result.folder)


@pytest.fixture
def city(tmp_path):
    """The issue's recording: click City, type Rome, click Save; the typed text is the parameter city."""
    demo = record(FormApp(["Name", "City"]), DemoStore(tmp_path / "demos"), "city3", [("City", "Rome"), ("Save", "")])
    demo.mark_param(2, "city")
    demo.save()
    return DemoStore(tmp_path / "demos").load("city3")


def test_a_field_is_recorded_by_its_label_with_its_neighbours_never_by_its_text(tmp_path):
    app = FormApp(["Name", "City"], values={"City": "Rome"})
    target, _ = target_at(app.screen(), app.image(), *app.point("City"))
    assert (target.role, target.name, target.value) == ("text_field", "City", "Rome")
    assert target.describe() == 'the "City" text field' and target.ordinal == (1, 2)
    relations = {(n.name, n.role): n.relation for n in target.neighbours}
    assert relations[("City", "text")] == "above" and relations[("Save", "button")] == "below"
    unnamed = FormApp(["Name", "City"], unnamed=True, values={"City": "Rome"})
    assert target_at(unnamed.screen(), unnamed.image(), *unnamed.point("City"))[0].name == "City"  # its caption
    misnamed = FormApp(["Name", "City"], misnamed=True)
    assert target_at(misnamed.screen(), misnamed.image(), *misnamed.point("City"))[0].name == "City"


def test_the_issue_scenario_types_the_parameter_into_city_moved_resized_and_at_scale_2(city, tmp_path):
    assert city.params == {"city": "Rome"} and city.param_fields()["city"][0][1].name == "City"
    assert city.steps[2].effect == Effect(kind="screen", appeared=("Saved  from {city}",))
    for app in (FormApp(["Name", "City"]), FormApp(["Name", "City"], x=300, y=140, scale=2.0)):
        result, steps = replay(app, city, tmp_path, {"city": "Oslo"})
        assert result.status == "done", result.message
        assert app.values == {"City": "Oslo"} and app.result == "Saved  from Oslo"
        assert steps[0].grounding["how"] == "name" and steps[0].grounding["candidates"][0]["evidence"]["name"] == 1.0
        assert [s.info.get("checked", {}).get("held") for s in steps[2:]] == [True, True]


def test_with_the_city_field_removed_the_replay_stops_on_that_step_and_clicks_nothing(city, tmp_path):
    app = FormApp(["Name"])
    result, steps = replay(app, city, tmp_path, {"city": "Oslo"})
    assert result.status == "failed"
    assert result.message.startswith("Step 1 of 'city3' (click the \"City\" text field) could not be replayed after "
                                     "0.3s of waiting: no text field named \"City\" is on the screen; the text fields "
                                     "there: \"Name\".")
    assert app.values == {} and not any(s.action["kind"] == "click" for s in steps)
    assert steps[-1].grounding["candidates"][0]["element"] == 'the "Name" text field'  # what was seen instead


def test_reordered_fields_and_a_similar_label_do_not_mislead_it(city, tmp_path):
    for labels in (["City", "Name"], ["Name", "Work city", "City"], ["Name", "Cities", "City"]):
        app = FormApp(labels)
        result, _ = replay(app, city, tmp_path, {"city": "Oslo"})
        assert result.status == "done" and app.values == {"City": "Oslo"}, (labels, result.message)


def test_a_mislabelled_or_unlabelled_field_is_found_by_its_caption(city, tmp_path):
    for app in (FormApp(["Name", "City"], misnamed=True), FormApp(["Name", "City"], unnamed=True)):
        result, _ = replay(app, city, tmp_path, {"city": "Oslo"})
        assert result.status == "done" and app.values == {"City": "Oslo"}, result.message


def test_a_field_that_held_text_replays_on_the_unchanged_screen(tmp_path):
    app = FormApp(["Name", "City"], values={"City": "Rome"})
    demo = record(app, DemoStore(tmp_path), "held", [("City", "")])
    assert demo.steps[0].target.value == "Rome" and demo.steps[0].target.name == "City"
    same = FormApp(["Name", "City"], values={"City": "Rome"})
    result, _ = replay(same, demo, tmp_path)
    assert result.status == "done" and same.focus == "City"


def two_names(shipping_first=False, headings=True, blocks=None):
    """Two fields both called Name: one under a Billing heading, one under Shipping."""
    order = [("Shipping", 20), ("Billing", 200)] if shipping_first else [("Billing", 20), ("Shipping", 200)]
    blocks = blocks or order
    els = []
    for heading, y in blocks:
        if headings:
            els.append(Element(Box(20, y, 200, y + 24), "heading", name=heading))
        els += [Element(Box(20, y + 40, 80, y + 62), "text", name="Name", line=y),
                Element(Box(20, y + 66, 320, y + 100), "text_field", name="Name", source="widget+ocr")]
    return Screen(400, 400, tuple(els))


def test_of_two_fields_with_one_name_the_neighbours_pick_the_one_recorded_or_it_is_unsure():
    target, _ = target_at(two_names(), None, 100, 283)  # the Shipping one
    found = find_target(target, two_names(shipping_first=True), None, None)
    assert found.box == Box(20, 86, 320, 120)  # Shipping moved to the top: found there, by its heading
    assert {c["evidence"]["name"] for c in found.notes["candidates"]} == {1.0}
    assert find_target(target, two_names(headings=False), None, None).box == Box(20, 266, 320, 300)  # the 2nd still
    three = two_names(headings=False, blocks=[("", 20), ("", 200), ("", 380)])  # a third: which is it now?
    with pytest.raises(TargetUnsure, match='cannot be told apart: the "Name" text field .* fit about equally'):
        find_target(target, three, None, None)


def test_an_unnamed_spot_is_found_by_its_crop_only_with_its_neighbours_and_a_field_never_by_its_crop():
    c = np.full((200, 300, 3), 255, np.uint8)
    c[60:90, 140:170] = (200, 40, 40)  # an icon: a red square with a white bar
    c[72:78, 145:165] = 255
    screen = Screen(300, 200, (Element(Box(20, 65, 120, 85), "text", name="Record", line=0),))
    icon, box = target_at(screen, c, 155, 75)
    from grounding.template import crop

    assert icon.name == "" and icon.describe() == 'the spot right of "Record"'
    pixels = crop(c, box)
    moved = np.full((200, 300, 3), 255, np.uint8)
    moved[100:130, 160:190] = c[60:90, 140:170]
    found = find_target(icon, Screen(300, 200, (Element(Box(40, 105, 140, 125), "text", name="Record", line=0),)),
                        moved, pixels)
    assert found.how == "crop" and found.box.center == (175, 115)  # the icon's middle, where it is now
    with pytest.raises(TargetMissing):  # the crop is there, but nothing that was around it
        find_target(icon, Screen(300, 200, ()), moved, pixels)
    blank = np.full((200, 400, 3), 255, np.uint8)
    blank[20:50, 20:300] = 0
    blank[22:48, 22:298] = 255
    empty = Screen(400, 200, (Element(Box(20, 20, 300, 50), "text_field", source="widget"),))
    field, box = target_at(empty, blank, 100, 35)
    assert field.describe() == "an unlabelled text field" and field.ordinal == (0, 1)
    two = Screen(400, 200, (Element(Box(20, 20, 300, 50), "text_field", source="widget"),
                            Element(Box(20, 120, 300, 150), "text_field", source="widget")))
    twice = blank.copy()
    twice[100:200] = blank[0:100]
    with pytest.raises(TargetMissing) as missing:  # one empty box looks like another: its crop is no evidence
        find_target(field, two, twice, crop(blank, box))
    assert all("crop" not in c.evidence for c in missing.value.seen)


def test_effects_are_seen_and_checked_with_the_replay_values():
    app = FormApp(["Name", "City"])
    before = app.screen()
    into, _ = target_at(before, before.image, *app.point("City"))
    app.execute(app_click(app, "City"))
    app.values["City"] = "Rome"
    typed = effect_of("type", None, into, "Rome", before, app.screen())
    assert typed == Effect(kind="value", text="Rome")
    saved = effect_of("click", None, None, "", app.screen(), (app.execute(app_click(app, "Save")), app.screen())[1])
    assert saved == Effect(kind="screen", appeared=("Saved  from Rome",))
    assert saved.with_param("Rome", "city").appeared == ("Saved  from {city}",)
    step = DemoStep(kind="type", text="{city}", into=into, effect=Effect(kind="value", text="{city}"))
    wrong = FormApp(["Name", "City"], values={"Name": "Oslo"})  # typed into the wrong field
    check = check_effect(step, {"city": "Oslo"}, wrong.screen(), None, None, None)
    assert not check.held and check.detail == "the \"City\" text field holds '', not 'Oslo'"
    right = FormApp(["Name", "City"], values={"City": "Oslo"})
    assert check_effect(step, {"city": "Oslo"}, right.screen(), None, None, None).held


def app_click(app, name):
    from planner.actions import Click

    x, y = app.point(name)
    return Click(x=x, y=y)


def test_a_replay_stops_at_the_first_effect_that_does_not_hold(city, tmp_path):
    class Stuck(FormApp):  # a Save button that saves nothing
        def execute(self, action):
            result = self.result
            out = super().execute(action)
            self.result = result
            return out

    app = Stuck(["Name", "City"])
    result, steps = replay(app, city, tmp_path, {"city": "Oslo"})
    assert result.status == "failed"
    assert result.message.startswith("Step 3 of 'city3' (click the \"Save\" button) did not have its recorded effect "
                                     "(\"Saved  from Oslo\" appears): 'Saved  from Oslo' did not appear")
    assert steps[-1].action["kind"] == "fail" and steps[-1].info["checked"]["held"] is False


def test_the_person_is_asked_instead_of_guessing_and_their_pick_is_used(tmp_path):
    app = FormApp(["Name", "City"])
    demo = record(app, DemoStore(tmp_path), "pick", [("City", "Rome")])
    demo.steps[0] = DemoStep(kind="click", x=1, y=1, target=demo.steps[0].target.__class__(role="text_field"))
    asked = []

    class Person:
        def choose(self, question):
            asked.append(question)
            return [c.box for c in question.candidates].index(app._boxes()["City"])

    fresh = FormApp(["Name", "City"])
    result, steps = replay(fresh, demo, tmp_path, chooser=Person())
    assert result.status == "done" and fresh.values == {"City": "Rome"}
    assert asked[0].step == 1 and len(asked[0].candidates) == 2  # nothing says which: both are put to the person
    assert asked[0].reason.startswith("an unlabelled text field is not on the screen")
    assert steps[[s.action["kind"] for s in steps].index("click")].grounding["how"] == "person"
    class Nobody:
        def choose(self, question):
            return None

    nobody, _ = replay(FormApp(["Name", "City"]), demo, tmp_path, chooser=Nobody())
    assert nobody.status == "failed" and "The person chose none of what was seen." in nobody.message


def test_a_format_1_demo_still_loads_and_replays(tmp_path):
    folder = tmp_path / "old"
    (folder / "crops").mkdir(parents=True)
    (folder / "demo.json").write_text(json.dumps({"format_version": 1, "name": "old", "task": "save a city",
                                                  "params": {"city": "Rome"}, "complete": True}))
    v1 = [{"kind": "click", "x": 150, "y": 207, "target": {"role": "text_field", "text": "Rome", "label": "City",
                                                           "name": "", "box": [20, 166, 320, 200], "offset": [0.5, 0.5],
                                                           "occurrence": 0, "crop": "", "crop_occurrence": 0}},
          {"kind": "type", "text": "{city}"},
          {"kind": "click", "x": 60, "y": 230, "target": {"role": "button", "text": "Save", "label": "", "name": "",
                                                          "box": [20, 210, 110, 250]}}]
    (folder / "steps.jsonl").write_text("".join(json.dumps(s) + "\n" for s in v1))
    demo = DemoStore(tmp_path).load("old")
    assert (demo.steps[0].target.name, demo.steps[0].target.value) == ("City", "Rome")
    assert [s.describe() for s in demo.steps] == ['click the "City" text field', "type '{city}'",
                                                  'click the "Save" button']
    app = FormApp(["Name", "City"], x=60, scale=1.5)
    result, _ = replay(app, demo, tmp_path, {"city": "Oslo"})
    assert result.status == "done" and app.values == {"City": "Oslo"}
    demo.save()
    assert json.loads((folder / "demo.json").read_text())["format_version"] == 2


def test_demos_edit_binds_a_parameter_to_its_field_by_number_or_by_the_field_name(tmp_path, capsys):
    from app.cli import main

    record(FormApp(["Name", "City"]), DemoStore(tmp_path), "form", [("Name", "Ada"), ("City", "Rome"), ("Save", "")])
    dirs = ["--demos-dir", str(tmp_path)]
    assert main(["demos", "edit", "form", "--param", "City=city", *dirs]) == 0
    out = capsys.readouterr().out
    assert "param city = 'Rome'  -> fills the \"City\" text field (step 4)" in out
    assert "then: \"Saved Ada from {city}\" appears" in out
    assert main(["demos", "edit", "form", "--param", "2=who", *dirs]) == 0
    assert "param who = 'Ada'  -> fills the \"Name\" text field (step 2)" in capsys.readouterr().out
    assert main(["demos", "edit", "form", "--param", "Town=x", *dirs]) == 2
    assert "no step types into a field called 'Town' (fields typed into: 'City', 'Name')" in capsys.readouterr().err


def test_a_tick_is_checked_by_its_look_when_the_parser_misses_it():
    def screen(fill, parsed=True):
        img = np.full((100, 200, 3), 255, np.uint8)
        img[40:60, 20:40] = 90
        img[42:58, 22:38] = fill
        els = [Element(Box(50, 40, 150, 60), "text", name="Newsletter", line=0)]
        if parsed:  # a parser that reads no tick: the box is there, never "checked"
            els.append(Element(Box(20, 40, 40, 60), "checkbox", name="Newsletter", source="widget+ocr"))
        return Screen(200, 100, tuple(els), image=img)

    before, after = screen((255, 255, 255)), screen((20, 110, 250))
    target, _ = target_at(before, before.image, 30, 50)
    effect = effect_of("click", target, None, "", before, after)
    assert effect.kind == "state" and effect.checked and len(effect.looks) == 2
    step = DemoStep(kind="click", x=30, y=50, target=target, effect=effect)
    clicked = Box(20, 40, 40, 60)
    assert check_effect(step, {}, screen((30, 120, 240), parsed=False), None, None, clicked).held  # hovered blue
    unticked = check_effect(step, {}, screen((255, 255, 255)), None, None, clicked)
    assert not unticked.held and unticked.detail == 'the "Newsletter" checkbox looks as it was before the click'


def test_the_terminal_asks_which_candidate_it_is(capsys):
    from app.cli.choose import TerminalChooser
    from planner.finding import Candidate
    from planner.replay import Question

    seen = (Candidate(Box(20, 50, 320, 84), 0.42, {"name": 0.0}, Element(Box(20, 50, 320, 84), "text_field"), "Name"),
            Candidate(Box(20, 120, 320, 154), 0.40, {}, Element(Box(20, 120, 320, 154), "text_field"), "Work city"))
    question = Question(2, 'click the "City" text field', "cannot be told apart", seen)
    answers = iter(["7", "x", "2"])
    assert TerminalChooser(read=lambda prompt: next(answers)).choose(question) == 1
    out = capsys.readouterr().out
    assert 'Step 2 (click the "City" text field): cannot be told apart.' in out
    assert '1. the "Name" text field at (170, 67) in the screenshot, score 0.42' in out
    assert TerminalChooser(read=lambda prompt: "0").choose(question) is None

    def closed(prompt):
        raise EOFError

    assert TerminalChooser(read=closed).choose(question) is None


def test_what_changes_by_itself_is_no_effect_and_a_closed_dialog_is():
    def screen(*lines, title=""):
        els = [Element(Box(10, 10 + 30 * i, 300, 30 + 30 * i), "text", name=t, line=i) for i, t in enumerate(lines)]
        return Screen(400, 300, tuple(els), title=title)

    before = screen("Delete this note?", "Notes", title="Confirm")
    after = screen("Notes", "Order 48213 placed", "Last saved 12:01", "Note deleted", title="Notes")
    effect = effect_of("click", None, None, "", before, after)
    assert effect.appeared == ("Note deleted",)  # not the order number nor the clock: they change by themselves
    assert effect.gone == ("Delete this note?", "Confirm")  # the dialog's question and its window title
    step = DemoStep(kind="click", effect=effect)
    assert check_effect(step, {}, after, None, None, None).held
    still_open = check_effect(step, {}, screen("Delete this note?", "Note deleted", title="Notes"), None, None, None)
    assert not still_open.held and still_open.detail == "'Delete this note?' is still there"


def test_bench_replay_counts_right_ends_honest_stops_and_wrong_ends():
    from app.bench.replay import Replay, judge, report, summarise

    assert judge("done", "replayed", right=True) == "right"
    assert judge("done", "replayed", right=False) == "wrong"  # done, but the page says something else
    assert judge("failed", "Step 3 of 'contact-form' (click ...) could not be replayed", right=False) == "stopped"
    assert judge("error", "RuntimeError: boom", right=False) == "wrong"  # a stop that names no step is no answer
    runs = [Replay(1, 1.0, (0, 0), (900, 700), "Oslo", "as recorded", "right", "done", 9.0, 7, ""),
            Replay(2, 2.0, (0, 0), (900, 700), "Oslo", "City removed", "stopped", "failed", 12.0, 6, "Step 3 ..."),
            Replay(3, 2.0, (0, 0), (900, 700), "Oslo", "similar label", "wrong", "done", 10.0, 7, "page says ...")]
    summary = summarise(runs)
    assert (summary["right"], summary["stopped"], summary["wrong_done"]) == (1, 1, 1)
    assert summary["by_variant"]["City removed"] == {"n": 1, "right": 0, "stopped": 1, "wrong": 0, "reachable": False}
    assert report(summary)[0] == ("right end state: 1/3 (33%); stopped honestly: 1/3 (33%); done with a wrong end "
                                  "state: 1; median 10.0s per replay")


def test_a_long_effect_is_said_by_the_changes_that_fit_never_a_change_cut_in_two():
    effect = Effect(kind="screen", appeared=("Orders", "Order Item Status", "1001 Office chair Shipped"),
                    gone=("Profile", "Full name"))
    assert effect.describe() == ('"Orders" appears, "Order Item Status" appears, "1001 Office chair Shipped" '
                                 'appears, "Profile" goes away, "Full name" goes away')
    assert effect.describe(limit=80) == '"Orders" appears, "Order Item Status" appears, and 3 more changes'
    assert effect.describe(limit=10) == '"Orders" appears, and 4 more changes'  # the first, however long
