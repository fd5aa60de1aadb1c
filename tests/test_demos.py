"""Demonstrations without a display: merging events into steps, storage and parameters, finding targets again
(by words and by crop at another scale), replay stopping cleanly, retrieval and few-shot text, save-run."""

import json

import numpy as np
import pytest
from PIL import Image

from app.record.step_builder import StepBuilder, build_all
from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound
from grounding.template import crop, find_template
from planner.actions import Click, TypeText, Wait
from planner.demos import Demo, DemoError, DemoStep, DemoStore, render
from planner.finding import find_target
from planner.loop import Loop
from planner.memory import DemoIndex, TfidfEmbedder, WordLlamaEmbedder, format_example
from planner.replay import ReplayAgent
from planner.run_to_demo import save_run
from planner.targets import Target, target_at
from planner.trajectory import StepRecord, Trajectory
from tests.fakes import FixedParser, RecordingExecutor, StillScreen
from tests.render import Canvas


def ev(kind, t, **kw):
    return {"kind": kind, "t": t, "x": kw.pop("x", 100), "y": kw.pop("y", 100), **kw}


def keys(text, t0=0.0):
    out = []
    for i, ch in enumerate(text):
        out += [ev("key_down", t0 + i * 0.05, key=ch), ev("key_up", t0 + i * 0.05 + 0.01, key=ch)]
    return out


def test_events_merge_into_clicks_drags_scrolls_typing_and_hotkeys():
    events = [
        ev("mouse_down", 0.0, button="left"), ev("mouse_up", 0.05, button="left"),
        ev("mouse_down", 0.2, button="left"), ev("mouse_up", 0.25, button="left"),  # second click: a double click
        *keys("Lodnon", 1.0),
        ev("key_down", 1.4, key="backspace"), ev("key_down", 1.45, key="backspace"),
        ev("key_down", 1.46, key="backspace"), ev("key_down", 1.47, key="backspace"),
        *keys("ndon", 1.5),
        ev("key_down", 2.0, key="enter"),
        ev("scroll", 3.0, dy=-1), ev("scroll", 3.1, dy=-1), ev("scroll", 3.2, dy=-1),
        ev("mouse_down", 4.0, x=10, y=10, button="left"), ev("mouse_up", 4.3, x=200, y=150, button="left"),
        ev("key_down", 5.0, key="ctrl"), ev("key_down", 5.1, key="s"), ev("key_up", 5.2, key="ctrl"),
        ev("mouse_down", 6.0, x=50, y=60, button="right"), ev("mouse_up", 6.05, x=50, y=60, button="right"),
        ev("key_down", 7.0, key="ctrl"), ev("key_down", 7.0, key="alt"), ev("key_down", 7.0, key="shift"),
        ev("key_down", 7.1, key="R", stop=True),
    ]
    steps = [b.step for b in build_all(events)]
    assert [s.kind for s in steps] == ["click", "type", "key", "scroll", "drag", "key", "click"]
    assert steps[0].count == 2
    assert steps[1].text == "London"
    assert steps[2].keys == ("enter",)
    assert steps[3].dy == -3
    assert (steps[4].x, steps[4].y, steps[4].to_x, steps[4].to_y) == (10, 10, 200, 150)
    assert steps[5].keys == ("ctrl", "s")
    assert steps[6].button == "right" and steps[6].count == 1


def test_a_lone_click_is_closed_once_the_double_click_time_passes():
    b = StepBuilder()
    assert b.feed(ev("mouse_down", 0.0, button="left")) == []
    assert b.feed(ev("mouse_up", 0.05, button="left")) == []
    assert b.tick(0.3) == []
    assert [x.step.kind for x in b.tick(0.7)] == ["click"]


def test_demo_round_trip_parameters_and_errors(tmp_path):
    store = DemoStore(tmp_path)
    demo = store.create("form", "fill in the form")
    demo.steps = [DemoStep(kind="click", x=5, y=6, target=Target(role="text_field", name="City")),
                  DemoStep(kind="type", text="London"), DemoStep(kind="type", text="{password}", secret=True)]
    demo.params["password"] = ""
    demo.mark_param(2, "city")
    demo.save()
    again = store.load("form")
    assert again.steps[0].target == demo.steps[0].target
    assert again.steps[1].text == "{city}" and again.params == {"password": "", "city": "London"}
    assert render(again.steps[1].text, again.values({"city": "Paris", "password": "pw"})) == "Paris"
    assert again.secrets({"city": "Paris", "password": "pw"}) == {"pw"}
    with pytest.raises(DemoError, match="needs a value for 'password'"):
        again.values({})
    with pytest.raises(DemoError, match="has no parameter 'town'"):
        again.values({"town": "x", "password": "pw"})
    with pytest.raises(DemoError, match="only typed text can be a parameter"):
        again.mark_param(1, "x")
    with pytest.raises(DemoError, match="already exists"):
        store.create("form", "again")
    with pytest.raises(DemoError, match="there is no demo called 'nope'"):
        store.load("nope")
    assert store.names() == ["form"]
    assert again.steps[0].describe() == 'click the "City" text field'


def fields_screen(shift=0.0, scale=1.0):
    s = scale
    els = [Element(Box(20 * s + shift, 20 * s, 70 * s + shift, 40 * s), "text", "Name"),
           Element(Box(20 * s + shift, 45 * s, 300 * s + shift, 80 * s), "text_field", "Name", "Ada"),
           Element(Box(20 * s + shift, 90 * s, 60 * s + shift, 110 * s), "text", "City"),
           Element(Box(20 * s + shift, 115 * s, 300 * s + shift, 150 * s), "text_field"),
           Element(Box(20 * s + shift, 170 * s, 100 * s + shift, 200 * s), "text", "Saved"),
           Element(Box(20 * s + shift, 210 * s, 100 * s + shift, 240 * s), "button", "Save")]
    return Screen(int(400 * s + shift), int(300 * s), tuple(els))


def test_a_target_is_found_by_its_words_after_the_window_moved_and_grew():
    image = np.full((300, 400, 3), 255, np.uint8)
    city, _ = target_at(fields_screen(), image, 100, 130)
    assert (city.role, city.name) == ("text_field", "City")  # named by the caption the parser left unattached
    moved = fields_screen(shift=150, scale=1.5)
    found = find_target(city, moved, np.full((450, 750, 3), 255, np.uint8), None)
    assert found.box == moved.by_role("text_field")[1].box and found.how == "name"
    save, _ = target_at(fields_screen(), image, 50, 225)
    assert find_target(save, moved, None, None).element == moved.by_role("button")[0]  # "Saved" is not "Save"
    without_save = Screen(750, 450, tuple(e for e in moved.elements if e.role != "button"))
    with pytest.raises(NotFound, match='no button named "Save" is on the screen; there is no button at all'):
        find_target(save, without_save, np.full((450, 750, 3), 255, np.uint8), None)


def icon_screen(scale):
    c = Canvas(int(400 * scale), int(300 * scale))
    s = scale
    c.draw.ellipse((200 * s, 100 * s, 240 * s, 140 * s), fill="#c0392b")
    c.draw.polygon([(210 * s, 110 * s), (232 * s, 120 * s), (210 * s, 130 * s)], fill="white")
    c.draw.rectangle((60 * s, 100 * s, 100 * s, 140 * s), outline="#333333", width=max(1, round(3 * s)))
    return np.asarray(c.image)


def test_an_unlabelled_icon_is_found_by_its_crop_at_another_scale():
    small, big = icon_screen(1.0), icon_screen(1.5)
    pixels = crop(small, Box(200, 100, 240, 140))
    hits = find_template(big, pixels)
    assert hits and hits[0].scale == 1.5
    assert hits[0].inner().iou(Box(300, 150, 360, 210)) > 0.9
    assert find_template(big, np.full((40, 40, 3), 255, np.uint8)) == []  # a blank patch is not a target


def make_demo(tmp_path, steps):
    demo = DemoStore(tmp_path / "demos").create("d", "save the form")
    demo.steps = steps
    demo.save()
    return demo


def test_replay_waits_for_a_missing_target_then_stops_without_clicking(tmp_path):
    save = Target(role="button", name="Save", box=(20, 210, 100, 240))
    demo = make_demo(tmp_path, [DemoStep(kind="type", text="hi"), DemoStep(kind="click", x=60, y=225, target=save)])
    screen = Screen(400, 300, tuple(e for e in fields_screen().elements if e.role != "button"))
    executor = RecordingExecutor()
    # the fake executor does not sleep on Wait, so the bound is the agent's clock, not the step budget
    loop = Loop(StillScreen(np.full((300, 400, 3), 255, np.uint8)), executor, FixedParser(screen), max_steps=100_000)
    agent = ReplayAgent(demo, {}, timeout=0.4, poll=0.05)
    result = loop.run(agent, Trajectory.create(tmp_path / "runs", "replay"))
    assert result.status == "failed"
    assert result.message.startswith("Step 2 of 'd' (click the \"Save\" button) could not be replayed")
    assert "Nothing was clicked" in result.message
    assert not any(isinstance(a, Click) for a in executor.actions)
    assert isinstance(executor.actions[0], TypeText) and isinstance(executor.actions[1], Wait)
    assert (tmp_path / "runs").exists() and list((tmp_path / "runs").glob("*/traj.jsonl"))


def test_replay_clicks_where_the_target_is_now_and_fills_parameters(tmp_path):
    city = Target(role="text_field", name="City", box=(20, 115, 300, 150), offset=(0.1, 0.5))
    demo = make_demo(tmp_path, [DemoStep(kind="click", x=50, y=130, target=city),
                                DemoStep(kind="type", text="{city}")])
    demo.params["city"] = "London"
    screen = fields_screen(shift=100, scale=2.0)
    executor = RecordingExecutor()
    loop = Loop(StillScreen(np.full((600, 900, 3), 255, np.uint8)), executor, FixedParser(screen), max_steps=20)
    result = loop.run(ReplayAgent(demo, demo.values({"city": "Paris"})), Trajectory.create(tmp_path / "r", "x"))
    assert result.status == "done", result.message
    click, typed = executor.actions
    field = screen.by_role("text_field")[1].box
    assert field.contains_point(click.x, click.y) and click.x < field.center[0]  # the recorded spot, not the middle
    assert typed == TypeText(text="Paris")


def test_replay_of_a_password_step_masks_it_in_the_trajectory(tmp_path):
    demo = make_demo(tmp_path, [DemoStep(kind="type", text="{password}", secret=True)])
    demo.params["password"] = ""
    loop = Loop(StillScreen(), RecordingExecutor(), FixedParser(Screen(160, 120)), max_steps=5)
    result = loop.run(ReplayAgent(demo, demo.values({"password": "hunter22"})), Trajectory.create(tmp_path / "r", "x"))
    assert result.status == "done"
    assert "hunter22" not in (tmp_path / "r" / next((tmp_path / "r").iterdir()).name / "traj.jsonl").read_text()


def test_replay_typing_into_a_live_password_field_is_secret_even_if_not_recorded_so(tmp_path):
    pin = Element(Box(100, 50, 220, 80), "text_field", name="PIN", source="widget")
    target = Target(role="text_field", name="PIN", box=(100, 50, 220, 80))
    demo = make_demo(tmp_path, [DemoStep(kind="click", x=160, y=65, target=target),
                                DemoStep(kind="type", text="{code}")])
    demo.params["code"] = "0000"
    executor = RecordingExecutor()
    loop = Loop(StillScreen(np.full((300, 400, 3), 255, np.uint8)), executor,
                FixedParser(Screen(400, 300, (Element(Box(40, 55, 90, 75), "text", name="PIN", line=0), pin))),
                max_steps=10)
    result = loop.run(ReplayAgent(demo, demo.values({"code": "7391"})), Trajectory.create(tmp_path / "r", "x"))
    assert result.status == "done" and executor.actions[1] == TypeText(text="7391", secret=True)
    assert "7391" not in (next((tmp_path / "r").iterdir()) / "traj.jsonl").read_text()


TASKS = {"login": "log in to the intranet with user name and password",
         "note": "save a note called Groceries in the notes app",
         "news": "sign up for the newsletter with a name and a city",
         "mail": "reply to the last mail from Bob",
         "rename": "rename the report file in the file manager"}


@pytest.mark.parametrize("embedder", [TfidfEmbedder, WordLlamaEmbedder])
def test_retrieval_picks_the_demo_for_the_task(tmp_path, embedder):
    store = DemoStore(tmp_path)
    for name, task in TASKS.items():
        d = store.create(name, task)
        d.steps = [DemoStep(kind="type", text=name)]
        d.meta["complete"] = True
        d.save()
    store.create("unfinished", "save a note called Groceries")  # never completed: not offered as an example
    index = DemoIndex.load(tmp_path, embedder())
    assert [d.name for d in index.retrieve("write a note called Shopping in the notes app", k=1)] == ["note"]
    assert [d.name for d in index.retrieve("answer Bob's last mail", k=1)] == ["mail"]
    assert [d.name for d in index.retrieve("subscribe to the newsletter from Paris", k=1)] == ["news"]
    assert [d.name for d in index.retrieve("rename a file in the file manager", k=2)][0] == "rename"


def test_few_shot_text_shows_grounded_steps():
    demo = Demo(None, "form", "fill in the form", params={"city": "London"}, steps=[
        DemoStep(kind="click", target=Target(role="button", name="Save"), window="Form"),
        DemoStep(kind="type", text="{city}"), DemoStep(kind="key", keys=("ctrl", "s"))])
    assert format_example(demo) == ("Example task: fill in the form\nParameters: {city}\nIn the window 'Form':\n"
                                    "1. click the \"Save\" button\n2. type '{city}'\n3. press ctrl+s\n")


def test_a_successful_run_becomes_a_demo_and_a_failed_one_does_not(tmp_path):
    c = Canvas(400, 200)
    c.button(40, 40, "Save")
    run = Trajectory.create(tmp_path / "runs", "click Save", name="ok")
    run.append(StepRecord(step=0, action={"kind": "click", "x": 100, "y": 60, "button": "left", "count": 1,
                                          "target": "Save"}), np.asarray(c.image))
    run.append(StepRecord(step=0, action={"kind": "type", "text": "••••", "secret": True}))
    run.append(StepRecord(step=0, action={"kind": "done", "summary": ""}, done=True))
    run.finish("done", "ok")
    demo = save_run(run.folder, "saved", DemoStore(tmp_path / "demos"))
    assert [s.kind for s in demo.steps] == ["click", "type"]
    assert (demo.steps[0].target.role, demo.steps[0].target.name) == ("button", "Save")
    assert demo.steps[1].text == "{password}" and demo.params == {"password": ""}
    assert json.loads((demo.folder / "demo.json").read_text())["task"] == "click Save"
    run.finish("failed", "no")
    with pytest.raises(DemoError, match="did not finish successfully"):
        save_run(run.folder, "again", DemoStore(tmp_path / "demos"))


def test_crops_are_real_pixels(tmp_path):
    image = icon_screen(1.0)
    Image.fromarray(crop(image, Box(200, 100, 240, 140))).save(tmp_path / "c.png")
    assert Image.open(tmp_path / "c.png").size == (48, 48)


def test_demos_commands_list_show_edit_and_remove(tmp_path, capsys, monkeypatch):
    from app.cli import main

    d = DemoStore(tmp_path).create("form", "fill the form")
    d.steps = [DemoStep(kind="click", x=1, y=2, target=Target(role="button", name="Save")),
               DemoStep(kind="type", text="London")]
    d.save()
    dirs = ["--demos-dir", str(tmp_path)]
    assert main(["demos", "list", *dirs]) == 0
    assert "form" in capsys.readouterr().out
    assert main(["demos", "edit", "form", "--param", "2=city", "--task", "fill in the contact form", *dirs]) == 0
    out = capsys.readouterr().out
    assert "param city = 'London'" in out and "2. type '{city}'" in out and "fill in the contact form" in out
    assert main(["demos", "edit", "form", "--param", "1=x", *dirs]) == 2
    assert capsys.readouterr().err.startswith("error: step 1 is a click step (click the \"Save\" button)")
    monkeypatch.setenv("DESKPILOT_DEMOS_DIR", str(tmp_path))
    assert main(["demos", "show", "form"]) == 0
    assert main(["replay", "form", "--param", "city"]) == 2
    assert "is not KEY=VALUE" in capsys.readouterr().err
    assert main(["demos", "rm", "form"]) == 0
    assert main(["demos", "show", "form"]) == 2
    assert "there is no demo called 'form'" in capsys.readouterr().err


def test_an_unfinished_recording_is_rebuilt_from_its_events_with_the_password_masked(tmp_path):
    from app.record.recorder import rebuild

    demo = DemoStore(tmp_path).create("crashed", "sign in")
    c = Canvas(500, 200)
    c.text(30, 40, "Password")
    c.field(150, 32)
    c.button(150, 110, "Sign in")
    Image.fromarray(np.asarray(c.image)).save(demo.folder / "shots" / "frame_0001.png")
    base = {"shot": "shots/frame_0001.png", "frame": [0, 0, 500, 200, 1.0], "window": "Login"}
    events = [ev("mouse_down", 0.0, x=250, y=50, button="left"), ev("mouse_up", 0.05, x=250, y=50, button="left"),
              *keys("hunter2", 1.0),
              ev("mouse_down", 2.0, x=210, y=130, button="left"), ev("mouse_up", 2.05, x=210, y=130, button="left")]
    with open(demo.folder / "events.jsonl", "w") as fh:
        for i, e in enumerate(events, 1):
            fh.write(json.dumps({"seq": i, **e, **base}) + "\n")
    rebuilt = rebuild(DemoStore(tmp_path).load("crashed"))
    assert [s.describe() for s in rebuilt.steps] == [
        'click the "Password" text field', "type a password {password}", 'click the "Sign in" button']
    assert rebuilt.meta["complete"] and rebuilt.params == {"password": ""}
    text = (rebuilt.folder / "events.jsonl").read_text() + (rebuilt.folder / "steps.jsonl").read_text()
    assert '"key": "h"' not in text and "hunter2" not in text
