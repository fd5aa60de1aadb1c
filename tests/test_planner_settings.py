"""The [planner] table: read like the other tables (file, then DESKPILOT_PLANNER_* variables), one sentence for a bad
value, and carried by compose into the planner that `deskpilot run` builds."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.compose import Parts, compose
from app.engine.options import RunOptions
from grounding.elements import Box, Element, Screen
from models.fake import ScriptedModel
from models.settings import SettingsError, load_planner
from tests.fakes import FixedParser, RecordingExecutor, StillScreen

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("DESKPILOT_DEMOS_DIR", str(tmp_path / "demos"))
    for var in [v for v in os.environ if v.startswith("DESKPILOT_PLANNER_")]:
        monkeypatch.delenv(var)
    path = tmp_path / "config" / "deskpilot" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def test_the_planner_table_then_the_environment(config, monkeypatch):
    assert load_planner().reflect == "on_trouble"  # the default
    config.write_text('[planner]\nreflect = "always"\nmax_batch = 3\n')
    settings = load_planner()
    assert (settings.reflect, settings.max_batch) == ("always", 3)
    monkeypatch.setenv("DESKPILOT_PLANNER_REFLECT", "never")
    assert load_planner().reflect == "never"


def test_a_bad_planner_value_is_one_sentence(config):
    config.write_text('[planner]\nreflect = "sometimes"\n')
    with pytest.raises(SettingsError, match=r"^The planner setting 'reflect' is invalid: Input should be 'always', "
                                            r"'on_trouble' or 'never'\.$"):
        load_planner()


def test_compose_gives_the_planner_its_table(config, tmp_path):
    config.write_text('[planner]\nreflect = "never"\nmax_batch = 2\nsettle_wait = 0\n')
    screen = Screen(100, 100, (Element(Box(10, 10, 60, 30), "button", name="OK"),))
    options = RunOptions(task="press OK", display=":4242", out=tmp_path / "runs", workdir=str(tmp_path))
    parts = Parts(source=StillScreen(), executor=RecordingExecutor(), parser=FixedParser(screen),
                  model=ScriptedModel([]))
    run = compose(options, parts=parts)
    assert (run.agent.config.reflect, run.agent.config.max_batch, run.agent.config.settle_wait) == ("never", 2, 0)
    run.close()
    task = json.loads((run.trajectory.folder / "task.json").read_text())
    assert task["planner"]["reflect"] == "never"


def test_the_cli_refuses_a_bad_planner_table_with_exit_status_2(config, tmp_path):
    config.write_text('[planner]\nmax_batch = 0\n')
    script = tmp_path / "script.json"
    script.write_text("[]")
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "x", "--headless", "--provider", "scripted",
                           "--script", str(script)], cwd=ROOT, env=os.environ.copy(), capture_output=True, text=True,
                          timeout=60)
    assert proc.returncode == 2 and proc.stderr.count("\n") == 1
    assert "The planner setting 'max_batch' is invalid" in proc.stderr


def test_compose_tells_the_planner_when_no_code_can_run(config, tmp_path):
    from planner.policy import FixedApprover

    screen = Screen(100, 100, (Element(Box(10, 10, 60, 30), "button", name="OK"),))
    options = RunOptions(task="press OK", display=":4242", out=tmp_path / "runs", workdir=str(tmp_path))
    refused = Parts(source=StillScreen(), executor=RecordingExecutor(), parser=FixedParser(screen),
                    model=ScriptedModel([]), approver=FixedApprover("deny", why="there is no terminal to ask"))
    run = compose(options, parts=refused)
    assert ": it runs model-written code" in run.agent.config.no_code  # unconfined here: only a person may allow it
    run.close()
    allowed = Parts(source=StillScreen(), executor=RecordingExecutor(), parser=FixedParser(screen),
                    model=ScriptedModel([]), approver=FixedApprover("once", person=FixedApprover("once")))
    run = compose(options, parts=allowed)
    assert run.agent.config.no_code == ""
    run.close()
