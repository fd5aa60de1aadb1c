"""Record real input (xdotool) with `deskpilot record` on a real Chromium page and a real Qt window, then replay
it with `deskpilot replay` after the window moved and was resized, with a changed parameter, with a password
supplied at replay time, and with the target gone (a clean stop, nothing clicked)."""

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.bench.replay import FORM, perform_form, result_line
from app.desktop.browser import DrivenChromium
from app.desktop.capture import wait_for_content
from app.desktop.input import XdotoolDriver
from app.desktop.xvfb import VirtualDisplay
from app.testing.desktop import Desktop
from grounding.locate import locate
from planner.demos import DemoStore

pytestmark = [pytest.mark.display, pytest.mark.browser]

ROOT = Path(__file__).resolve().parent.parent
NOTES_APP = ROOT / "assets" / "examples" / "notes_app.py"
LOGIN = (ROOT / "assets" / "examples" / "login.html").as_uri()


def cli(*args, env=None, timeout=120):
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, timeout=timeout,
                          env=env or os.environ.copy(), cwd=ROOT)


def start_recording(display, name, demos, task, *extra, env=None):
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "record", name, "--display", display, "--task", task,
                             "--demos-dir", str(demos), *extra], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT, env=env or os.environ.copy())
    ready, _, _ = select.select([proc.stdout], [], [], 30)
    line = proc.stdout.readline() if ready else ""
    assert line.startswith("recording"), (line, proc.poll())
    time.sleep(0.4)
    return proc


def finish(proc):
    out, err = proc.communicate(timeout=90)
    assert proc.returncode == 0, err
    return out


def test_chromium_demo_replays_moved_resized_and_with_a_new_city(tmp_path):
    demos = tmp_path / "demos"
    with VirtualDisplay(1280, 960) as vd, DrivenChromium(vd.display, 820, 640, 1.0, app_url=FORM.as_uri()) as b:
        wait_for_content(vd.display)
        proc = start_recording(vd.display, "contact", demos, "fill in the contact form and save it")
        perform_form(b.driver, vd.display)
        time.sleep(0.6)
        proc.send_signal(signal.SIGTERM)  # a polite kill ends the recording like the stop keys
        out = finish(proc)
        assert result_line(b.driver) == "Saved Ada Lovelace from London, newsletter yes"
        demo = DemoStore(demos).load("contact")
        assert [s.describe() for s in demo.steps] == [
            'click the "Name" text field', "type 'Ada Lovelace'", 'click the "City" text field', "type 'London'",
            'click the "Newsletter" checkbox', 'click the "Save" button'], out
        assert demo.meta["complete"] and all(s.window == "DeskPilot demo: contact form" for s in demo.steps)
        events = [json.loads(line) for line in (demo.folder / "events.jsonl").read_text().splitlines()]
        assert {e["kind"] for e in events} >= {"mouse_down", "mouse_up", "key_down", "key_up"}
        assert all((demo.folder / e["shot"]).exists() for e in events)
        assert (demo.folder / demo.steps[5].target.crop).exists()
        edit = cli("demos", "edit", "contact", "--param", "4=city", "--demos-dir", str(demos))
        assert edit.returncode == 0 and "param city = 'London'" in edit.stdout, edit.stderr

        for rect, params, city in (((330, 200, 900, 700), [], "London"),
                                   ((20, 40, 700, 880), ["--param", "city=Paris"], "Paris")):
            b.driver.get(FORM.as_uri())
            b.driver.set_window_rect(x=rect[0], y=rect[1], width=rect[2], height=rect[3])
            wait_for_content(vd.display)
            r = cli("replay", "contact", *params, "--display", vd.display, "--demos-dir", str(demos),
                    "--out", str(tmp_path / "runs"))
            assert r.returncode == 0, r.stdout + r.stderr
            assert result_line(b.driver) == f"Saved Ada Lovelace from {city}, newsletter yes"


def test_password_is_never_stored_and_is_supplied_at_replay(tmp_path):
    demos = tmp_path / "demos"
    # a screen no bigger than the window: the recorder grabs it all every 50 ms and each step reads it all
    with VirtualDisplay(800, 600) as vd, DrivenChromium(vd.display, 800, 600, 1.0, app_url=LOGIN) as b:
        wait_for_content(vd.display)
        proc = start_recording(vd.display, "login", demos, "sign in to the example site")
        xdo = XdotoolDriver(vd.display)
        for selector, text in (("#user", "ada"), ("#pass", "secret"), ("button", "")):
            box = b.driver.execute_script(f"const r = document.querySelector('{selector}').getBoundingClientRect();"
                                          "return [r.left + r.width / 2, r.top + r.height / 2, window.screenX,"
                                          " window.screenY + window.outerHeight - window.innerHeight];")
            xdo.click(round(box[0] + box[2]), round(box[1] + box[3]))
            time.sleep(0.4)
            if text:
                xdo.type_text(text)
                time.sleep(0.4)
        assert b.driver.execute_script("return document.getElementById('message').textContent") == "Welcome, ada"
        time.sleep(0.3)
        xdo.press(("ctrl", "alt", "shift", "r"))  # the stop keys end the recording by themselves
        finish(proc)
        demo = DemoStore(demos).load("login")
        documents = [json.loads((demo.folder / "demo.json").read_text())] + [
            json.loads(line) for p in demo.folder.glob("*.jsonl") for line in p.read_text().splitlines() if line]
        stored = [v for d in documents for v in strings(d)]
        assert not any("secret" in v for v in stored) and "ada" in stored
        assert demo.steps[-1].effect.appeared == ("Welcome, ada",)  # what the password led to, not the password
        assert [s.describe() for s in demo.steps][-2:] == ["type a password {password}", 'click the "Sign in" button']
        no_password = cli("replay", "login", "--display", vd.display, "--demos-dir", str(demos))
        assert no_password.returncode == 2 and "needs a value for 'password'" in no_password.stderr
        b.driver.get(LOGIN)
        wait_for_content(vd.display)
        r = cli("replay", "login", "--param", "password=secret", "--display", vd.display, "--demos-dir", str(demos),
                "--out", str(tmp_path / "runs"))
        assert r.returncode == 0, r.stdout
        assert b.driver.execute_script("return document.getElementById('message').textContent") == "Welcome, ada"
        folder = Path(r.stdout.split("trajectory: ")[1].strip())
        assert "secret" not in (folder / "traj.jsonl").read_text() + (folder / "task.json").read_text()
        b.driver.get(LOGIN)
        wait_for_content(vd.display)
        wrong = cli("replay", "login", "--param", "password=hunter22", "--timeout", "2", "--display", vd.display,
                    "--demos-dir", str(demos), "--out", str(tmp_path / "runs"))
        assert wrong.returncode == 1, wrong.stdout  # a wrong password is not "done": the recorded welcome is missing
        assert ("Step 5 of 'login' (click the \"Sign in\" button) did not have its recorded effect (\"Welcome, ada\" "
                "appears): 'Welcome, ada' did not appear; the nearest line there says 'Wrong password'") in wrong.stdout
        folder = Path(wrong.stdout.split("trajectory: ")[1].strip())
        assert "hunter22" not in (folder / "traj.jsonl").read_text()


def strings(data):
    """Every string value in a JSON document (keys left out)."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for v in data.values():
            yield from strings(v)
    elif isinstance(data, list):
        for v in data:
            yield from strings(v)


def window_id(display, title):
    out = subprocess.run(["xdotool", "search", "--name", f"^{title}$"], env={**os.environ, "DISPLAY": display},
                         capture_output=True, text=True, check=True).stdout.split()
    return out[0]


def xdotool(display, *args):
    subprocess.run(["xdotool", *args], env={**os.environ, "DISPLAY": display}, check=True)


def test_qt_demo_replays_after_move_and_resize_and_stops_cleanly_when_the_target_is_gone(tmp_path):
    demos = tmp_path / "demos"
    with Desktop(tmp_path / "desk", 1024, 768, a11y=True) as desk:
        desk.launch(f"python {NOTES_APP}")
        display = desk.display.display
        bus = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": desk._bus.address}
        screen = desk.parser().parse(desk.screenshot())
        spots = {q: locate(q, screen).element.box.center
                 for q in ("the Title field", "the \"Text\" field", "Save", "Delete note")}
        proc = start_recording(display, "note", demos, "save a note called Groceries in the notes app",
                               "--accessibility", env=bus)
        xdo = XdotoolDriver(display)
        for query, text in (("the Title field", "Groceries"), ("the \"Text\" field", "milk and eggs"), ("Save", ""),
                            ("Delete note", "")):
            xdo.click(*map(round, spots[query]))
            time.sleep(0.4)
            if text:
                xdo.press(("ctrl", "a"))
                time.sleep(0.2)
                xdo.type_text(text)
                time.sleep(0.4)
        time.sleep(0.6)
        xdo.press(("ctrl", "alt", "shift", "r"))
        finish(proc)
        saved = desk.home / "notes.txt"
        assert saved.read_text() == "Groceries\nmilk and eggs\nnot pinned\n"
        demo = DemoStore(demos).load("note")
        assert [s.describe() for s in demo.steps][:-1] == [
            'click the "Title" text field', "press ctrl+a", "type 'Groceries'", 'click the "Text" text field',
            "press ctrl+a", "type 'milk and eggs'", 'click the "Save" button']
        # an icon that only its accessible name describes (the pixels may or may not have seen it as an icon)
        assert demo.steps[-1].describe() in ('click the "Delete note" button', 'click the "Delete note" icon')
        assert demo.steps[-1].target.name == "Delete note"
        assert all(s.window == "Notes" for s in demo.steps)

        saved.unlink()
        wid = window_id(display, "Notes")
        xdotool(display, "windowmove", wid, "380", "260")
        xdotool(display, "windowsize", wid, "600", "380")
        time.sleep(0.8)
        r = cli("replay", "note", "--accessibility", "--display", display, "--demos-dir", str(demos),
                "--out", str(tmp_path / "runs"), env=bus)
        assert r.returncode == 0, r.stdout
        assert saved.read_text() == "Groceries\nmilk and eggs\nnot pinned\n"
        assert desk.has_text("Note deleted")

        xdotool(display, "windowunmap", wid)
        time.sleep(0.5)
        before = {p.name for p in (tmp_path / "runs").iterdir()}
        gone = cli("replay", "note", "--timeout", "1.5", "--display", display, "--demos-dir", str(demos),
                   "--out", str(tmp_path / "runs"))
        assert gone.returncode == 1
        assert gone.stdout.splitlines()[-2] == (
            "FAILED: Step 1 of 'note' (click the \"Title\" text field in the window 'Notes') could not be replayed "
            "after 1.5s of waiting: no text field named \"Title\" is on the screen; there is no text field at all. "
            "Nothing was clicked; check that the application shows that screen.")
        (run,) = {p.name for p in (tmp_path / "runs").iterdir()} - before
        actions = [json.loads(line)["action"]["kind"] for line in (tmp_path / "runs" / run / "traj.jsonl").open()]
        assert "click" not in actions and actions[-1] == "fail"
