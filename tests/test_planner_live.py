"""The hierarchical planner end to end: `deskpilot run` on Xvfb with Chromium, the model a loopback OpenAI server."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from grounding.locate import shows
from grounding.parser import ScreenParser
from tests.fakes import RoleScript
from tests.openai_server import ScriptedServer

ROOT = Path(__file__).resolve().parent.parent


def act(kind, **fields):
    return {"thought": f"next: {kind}", "action": {"type": kind, **fields}}


@pytest.mark.display
@pytest.mark.browser
def test_planner_fills_and_saves_the_form_in_chromium(tmp_path):
    script = RoleScript(
        manager=[{"subtasks": [{"title": "fill in name and city"}, {"title": "tick Newsletter and save"}]},
                 {"done": True, "summary": "the form says it saved Ada Lovelace from London"}],
        worker=[act("type", text="Ada Lovelace", into="the Name field"),
                act("type", text="London", into="the City field"), act("done", summary="both filled"),
                act("click", target="the Newsletter checkbox"), act("click", target='the "Save" button'),
                act("done", summary="saved")])
    page = (ROOT / "assets" / "demo" / "form.html").as_uri()
    with ScriptedServer([script] * 40) as server:
        env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"),
               "DESKPILOT_DEMOS_DIR": str(tmp_path / "demos")}
        for var in ("OPENAI_API_KEY", "OLLAMA_HOST", "ANTHROPIC_API_KEY"):
            env.pop(var, None)
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", "run", "Sign Ada Lovelace from London up for the newsletter",
             "--headless", "--open", page, "--out", str(tmp_path / "runs"), "--base-url", server.base_url,
             "--model", "test-model"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"agent: hierarchical planner with 'test-model' at {server.base_url}" in proc.stdout
    run = next((tmp_path / "runs").iterdir())
    steps = [json.loads(line) for line in (run / "traj.jsonl").read_text().splitlines()]
    last = np.asarray(Image.open(run / steps[-1]["screenshot_file"]).convert("RGB"))
    assert shows(ScreenParser(incremental=False).parse(last).visible_text(),
                 "Saved Ada Lovelace from London, newsletter yes")
    assert len(script.prompts("manager")) == 2 and script.prompts("reflector") == []  # every action changed the screen
    assert json.loads((run / "task.json").read_text())["agent"] == "planner"


@pytest.mark.display
@pytest.mark.browser
def test_the_planner_runs_offline_from_a_script_file(tmp_path):
    ok = {"changed": "as intended", "success": True, "advice": ""}
    script = {"manager": [{"subtasks": [{"title": "fill in the name and save"}]},
                          {"done": True, "summary": "saved Ada"}],
              "worker": [act("type", text="Ada Lovelace", into="the Name field"),
                         act("click", target='the "Save" button'), act("done", summary="saved")],
              "reflector": [ok, ok]}
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "DESKPILOT_DEMOS_DIR": str(tmp_path / "demos")}
    page = (ROOT / "assets" / "demo" / "form.html").as_uri()
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "Save Ada Lovelace", "--headless", "--open", page,
                           "--out", str(tmp_path / "runs"), "--provider", "scripted", "--script", str(path)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"agent: hierarchical planner with the scripted answers in {path}" in proc.stdout
    run = next((tmp_path / "runs").iterdir())
    steps = [json.loads(line) for line in (run / "traj.jsonl").read_text().splitlines()]
    last = np.asarray(Image.open(run / steps[-1]["screenshot_file"]).convert("RGB"))
    assert shows(ScreenParser(incremental=False).parse(last).visible_text(), "Saved Ada Lovelace")
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "x", "--headless", "--provider", "scripted",
                           "--script", str(tmp_path / "missing.json")], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1 and "cannot be read" in proc.stderr


def _cli(args, tmp_path, timeout=300):
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "DESKPILOT_DEMOS_DIR": str(tmp_path / "demos")}
    for var in ("OPENAI_API_KEY", "OLLAMA_HOST", "ANTHROPIC_API_KEY"):
        env.pop(var, None)
    return subprocess.run([sys.executable, "-m", "app.cli", "run", *args, "--out", str(tmp_path / "runs")], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=timeout)


def _steps(tmp_path):
    run = next((tmp_path / "runs").iterdir())
    return run, [json.loads(line) for line in (run / "traj.jsonl").read_text().splitlines()]


@pytest.mark.display
@pytest.mark.browser
def test_one_worker_turn_fills_a_real_form_with_select_set_and_a_multi_select_list(tmp_path):
    script = RoleScript(
        manager=[{"subtasks": [{"title": "fill in and send the shipping form"}]},
                 {"done": True, "summary": "the parcel is booked", "answer": "It ships to Ada Lovelace by UPS."}],
        worker=[{"thought": "everything is in view", "actions": [
            {"type": "type", "text": "Ada Lovelace", "into": "the Recipient field"},
            {"type": "select", "target": "the Carrier dropdown", "option": "UPS"},
            {"type": "select", "option": ["Insurance", "Tracking"]},
            {"type": "set", "target": "#{Express delivery}", "value": True},
            {"type": "click", "target": "#{Ship it}", "done": "the page confirms the shipment"}]}])
    page = (ROOT / "tests" / "pages" / "shipping.html").as_uri()
    with ScriptedServer([script] * 20) as server:
        proc = _cli(["Ship my parcel to Ada Lovelace by UPS with insurance and tracking, express; tell me the carrier",
                     "--headless", "--open", page, "--base-url", server.base_url, "--model", "test-model"], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "answer: It ships to Ada Lovelace by UPS."
    assert proc.stdout.count("thought:") == 1 and "  thought: everything is in view\n" in proc.stdout  # once a turn
    run, steps = _steps(tmp_path)
    last = np.asarray(Image.open(run / steps[-1]["screenshot_file"]).convert("RGB"))
    text = ScreenParser(incremental=False).parse(last).visible_text()
    assert shows(text, "Shipping to Ada Lovelace by UPS with Insurance and Tracking"), text
    assert shows(text, "express on, door off"), text  # the box that was already ticked stayed ticked
    targets = [s["action"].get("target") for s in steps if s["action"]["kind"] == "click"]
    assert "'UPS'" in targets  # the option was clicked in the open list, not typed
    held = [s["action"]["hold"] for s in steps if s["action"]["kind"] == "click" and s["action"].get("hold")]
    assert held == [["ctrl"]]  # the second row of the list was ctrl-clicked
    assert len(script.prompts("worker")) == 1 and len(script.prompts("manager")) == 2
    assert script.prompts("reflector") == []


@pytest.mark.display
def test_the_planner_saves_through_a_real_gtk_file_dialog(tmp_path):
    from app.desktop.capture import wait_for_content
    from app.desktop.processes import stop_group
    from app.desktop.xvfb import VirtualDisplay

    if shutil.which("mousepad") is None:
        pytest.skip("mousepad is not installed (installers/linux.sh installs it)")
    work = tmp_path / "work"
    work.mkdir()
    target = work / "shopping.txt"
    script = RoleScript(
        manager=[{"subtasks": [{"title": f"write the list in the editor and save it as {target}"}]},
                 {"done": True, "summary": "saved"}],
        worker=[{"thought": "type, then Save As", "actions": [
                    {"type": "type", "text": "milk, eggs", "window": "Mousepad"},
                    {"type": "press", "keys": ["ctrl", "s"]},
                    {"type": "type", "text": "never typed: the dialog comes first"}]},
                {"thought": "the dialog is in front", "actions": [
                    {"type": "type", "text": str(target), "into": "#{Name}"},
                    {"type": "click", "target": "#{Save}", "done": "saved"}]}])
    home = tmp_path / "home"
    home.mkdir()
    with VirtualDisplay(1280, 1024) as vd, ScriptedServer([script] * 20) as server:
        editor = subprocess.Popen(["mousepad", "--disable-server"], env={**vd.env(), "HOME": str(home)},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            wait_for_content(vd.display)
            proc = _cli(["Write milk, eggs in the editor and save it as shopping.txt", "--display", vd.display,
                         "--base-url", server.base_url, "--model", "test-model"], tmp_path)
        finally:
            stop_group(editor)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert target.read_text().strip() == "milk, eggs"
    second = script.prompts("worker")[1].split("<screen>")[0]
    assert "3. type 'never typed: the dialog comes first' -> not run: the window changed to" in second
    assert "a new window or dialog" in second


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("grounding", ["auto", "pixels"])
def test_select_in_a_native_select_the_worker_opened_chooses_by_typing_and_the_radio_after_it_is_set(tmp_path,
                                                                                                        grounding):
    """A user trial's turn: the worker opened the <select> with a click, then asked `select` for an option its
    open list does not show (it shows 20 of 40 rows) and `set` for the time. A click on the select had closed its
    list, the Enter after the typed option opened it again, the radio's click only closed it, and every step read
    "done"; now the option is typed into the open list, and the check after each action reads the page."""
    script = RoleScript(
        manager=[{"subtasks": [{"title": "book a table for 32 at 7 pm"}]},
                 {"done": True, "summary": "booked", "answer": "booked"}],
        worker=[act("click", target='the "Party size" dropdown'),
                {"thought": "the list is open", "actions": [
                    {"type": "select", "target": 'the "Party size" dropdown', "option": "32 people"},
                    {"type": "set", "target": "#{7 pm}", "value": True},
                    {"type": "click", "target": "#{Book}", "done": "the page confirms the table"}]}])
    page = (ROOT / "tests" / "pages" / "table.html").as_uri()
    with ScriptedServer([script] * 20) as server:
        proc = _cli(["Book a table for 32 at 7 pm", "--headless", "--open", page, "--base-url", server.base_url,
                     "--model", "test-model", "--grounding", grounding], tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    run, steps = _steps(tmp_path)
    last = np.asarray(Image.open(run / steps[-1]["screenshot_file"]).convert("RGB"))
    text = ScreenParser(incremental=False).parse(last).visible_text()
    assert shows(text, "Table for 32 people at 7 pm"), (text, [s["action"] for s in steps])
    assert len(script.prompts("worker")) == 2 and script.prompts("reflector") == []
