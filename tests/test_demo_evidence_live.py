"""Issue 22 on a real desktop: real input (xdotool as the person) recorded with `deskpilot record` on the demo form in
real Chromium, then `deskpilot replay` at the recorded size, moved and resized, at device scale 2, with the City
field removed (a stop that names the step, exit 1), and on the unchanged screen of a field that held text."""

import json
import signal
import time
from pathlib import Path

import pytest

from app.bench.replay import BOXES_JS, FORM, centre, result_line
from app.desktop.browser import DrivenChromium
from app.desktop.capture import wait_for_content
from app.desktop.input import XdotoolDriver
from app.desktop.xvfb import VirtualDisplay
from planner.demos import DemoStore
from tests.test_recorder_live import cli, finish, start_recording

pytestmark = [pytest.mark.display, pytest.mark.browser]


def person(driver, display, *acts):
    """Click the form's elements and type, as a person would: ("city", "Rome") clicks City and types Rome."""
    page = driver.execute_script(BOXES_JS)
    xdo = XdotoolDriver(display)
    for key, text in acts:
        if key:
            xdo.click(*centre(page, key))
            time.sleep(0.4)
        if text:
            xdo.press(text) if isinstance(text, tuple) else xdo.type_text(text)
            time.sleep(0.4)


def replay(name, demos, runs, display, *args):
    return cli("replay", name, *args, "--display", display, "--demos-dir", str(demos), "--out", str(runs))


def trajectory(result):
    folder = Path(result.stdout.split("trajectory: ")[1].strip())
    return [json.loads(line) for line in (folder / "traj.jsonl").read_text().splitlines()]


def test_the_city_is_recorded_by_its_label_and_replayed_into_city_or_stopped_on_that_step(tmp_path):
    demos, runs = tmp_path / "demos", tmp_path / "runs"
    # a screen just big enough for the moved and resized window: every recorded frame and every replayed step reads
    # the whole screen, and reading costs by the pixel
    with VirtualDisplay(1280, 960) as vd:
        with DrivenChromium(vd.display, 820, 640, 1.0, app_url=FORM.as_uri()) as b:
            wait_for_content(vd.display)
            proc = start_recording(vd.display, "city3", demos, "save the contact form with a city")
            person(b.driver, vd.display, ("city", "Rome"), ("save", ""))
            time.sleep(0.6)
            proc.send_signal(signal.SIGTERM)
            finish(proc)
            assert result_line(b.driver) == "Saved  from Rome, newsletter no"
            demo = DemoStore(demos).load("city3")
            assert [s.describe() for s in demo.steps] == [
                'click the "City" text field', "type 'Rome'", 'click the "Save" button']
            city = demo.steps[0].target
            assert (city.name, city.value) == ("City", "") and {n.name for n in city.neighbours} >= {"City", "Name"}
            edit = cli("demos", "edit", "city3", "--param", "2=city", "--demos-dir", str(demos))
            assert edit.returncode == 0, edit.stderr
            assert "param city = 'Rome'  -> fills the \"City\" text field (step 2)" in edit.stdout
            assert "then: \"Saved from {city}, newsletter no\" appears" in edit.stdout

            for rect in (None, (330, 200, 900, 760)):  # the recorded size, then moved and resized
                b.driver.get(FORM.as_uri())
                if rect:
                    b.driver.set_window_rect(x=rect[0], y=rect[1], width=rect[2], height=rect[3])
                wait_for_content(vd.display)
                r = replay("city3", demos, runs, vd.display, "--param", "city=Oslo")
                assert r.returncode == 0, r.stdout + r.stderr
                assert result_line(b.driver) == "Saved  from Oslo, newsletter no"
                steps = trajectory(r)
                assert steps[0]["grounding"]["how"] == "name" and steps[0]["grounding"]["score"] >= 0.5
                assert steps[-1]["info"]["checked"]["held"] and "every recorded effect held" in r.stdout

            b.driver.get(FORM.as_uri() + "?without=city")
            wait_for_content(vd.display)
            gone = replay("city3", demos, runs, vd.display, "--param", "city=Oslo", "--timeout", "1.5")
            assert gone.returncode == 1, gone.stdout
            assert ("FAILED: Step 1 of 'city3' (click the \"City\" text field in the window 'DeskPilot demo: "
                    "contact form') could not be replayed after 1.5s of waiting: no text field named \"City\" is on "
                    "the screen; the text fields there: \"Name\". Nothing was clicked") in gone.stdout
            steps = trajectory(gone)
            assert [s["action"]["kind"] for s in steps if s["action"]["kind"] != "wait"] == ["fail"]
            assert result_line(b.driver) == ""


    # device scale 2: everything drawn twice as big, on a window that shows the whole form (1560x1160 pixels), on a
    # screen of its own
    with VirtualDisplay(1600, 1200) as vd, DrivenChromium(vd.display, 780, 580, 2.0, app_url=FORM.as_uri()) as big:
        wait_for_content(vd.display)
        r = replay("city3", demos, runs, vd.display, "--param", "city=Oslo")
        assert r.returncode == 0, r.stdout + r.stderr
        assert result_line(big.driver) == "Saved  from Oslo, newsletter no"


def test_a_field_recorded_while_it_held_text_replays_on_the_unchanged_screen(tmp_path):
    demos, runs = tmp_path / "demos", tmp_path / "runs"
    page = FORM.as_uri() + "?city=Rome"
    with VirtualDisplay(1024, 768) as vd, DrivenChromium(vd.display, 820, 640, 1.0, app_url=page) as b:
        wait_for_content(vd.display)
        proc = start_recording(vd.display, "recity", demos, "change the city")
        person(b.driver, vd.display, ("city", ("ctrl", "a")), ("", "Oslo"), ("save", ""))
        time.sleep(0.6)
        XdotoolDriver(vd.display).press(("ctrl", "alt", "shift", "r"))
        finish(proc)
        assert result_line(b.driver) == "Saved  from Oslo, newsletter no"
        demo = DemoStore(demos).load("recity")
        city = demo.steps[0].target
        assert (city.role, city.name, city.value) == ("text_field", "City", "Rome")  # named by its label, not "Rome"
        assert [s.describe() for s in demo.steps] == [
            'click the "City" text field', "press ctrl+a", "type 'Oslo'", 'click the "Save" button']

        b.driver.get(page)  # the same screen the recording started on: City holds Rome
        wait_for_content(vd.display)
        r = replay("recity", demos, runs, vd.display)
        assert r.returncode == 0, r.stdout + r.stderr
        assert result_line(b.driver) == "Saved  from Oslo, newsletter no"
