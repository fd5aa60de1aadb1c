"""The hierarchical planner end to end: `deskpilot run` on Xvfb with Chromium, the model a loopback OpenAI server."""

import json
import os
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
                 {"subtasks": [{"title": "tick Newsletter and save"}]},
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
    assert len(script.prompts("manager")) == 3 and len(script.prompts("reflector")) == 4
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
