"""A run recorded whole: every model call (raw reply, tokens) kept and announced from the first one, a stop
mid-typing written with what was typed, the last screen kept; and the CLI's last lines say what it all cost."""

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from app.engine.calls import CallLog, LoggedModel
from app.engine.compose import Parts, compose
from app.engine.executor import DesktopExecutor
from app.engine.options import RunOptions
from app.runs.store import summarise
from grounding.elements import Screen
from models.chat import Message, Meter
from models.fake import RoleScript, ScriptedModel
from planner.actions import Done, TypeText
from planner.control import RunControl
from planner.events import Called, Finished, Stepped
from planner.loop import Loop
from planner.protocols import Decision
from planner.trajectory import FINAL, Trajectory, load, read_calls
from tests.app_fakes import SlowDriver
from tests.fakes import FixedParser, StillScreen

ROOT = Path(__file__).resolve().parent.parent


def desk(control=None, driver=None, image=None):
    image = np.full((200, 320, 3), 240, np.uint8) if image is None else image
    return Parts(source=StillScreen(image), parser=FixedParser(Screen(320, 200, ())), control=control,
                 executor=DesktopExecutor(driver or SlowDriver(delay=0), control=control or RunControl()))


def test_every_model_call_is_written_masked_and_announced(tmp_path):
    trajectory = Trajectory.create(tmp_path, "log in")
    seen = []
    model = LoggedModel(ScriptedModel(["the password is hunter2", "done"], Meter(price_in=3.0)),
                        CallLog(seen.append, trajectory))
    model.complete([Message("user", "first")])
    trajectory.add_secret("hunter2")  # learnt after the first call: what is written already is masked too
    model.complete([Message("user", "second")])
    calls = read_calls(trajectory.folder)
    assert [c["call"] for c in calls] == [1, 2] and "hunter2" not in (trajectory.folder / "calls.jsonl").read_text()
    assert calls[0]["reply"] == "the password is ••••••••" and calls[1]["reply"] == "done"
    assert [type(e) for e in seen] == [Called, Called] and seen[1].usage.tokens == model.meter.used.prompt_tokens \
        + model.meter.used.completion_tokens and seen[1].usage.cost == pytest.approx(model.meter.cost)
    assert model.answers == [] and model.name == "scripted"  # the backend's own attributes still answer


def test_a_run_that_fails_before_its_first_step_still_counts_its_calls(tmp_path):
    bad = ["no", "{nope", '{"subtasks": 3}']
    events = []
    parts = desk()
    parts.model, parts.examples = RoleScript({"manager": list(bad)}, Meter(price_in=3.0, price_out=15.0)), ""
    result = compose(RunOptions(task="tidy the desktop", display=":4242", out=tmp_path), events.append, parts).run()
    assert result.status == "failed" and result.steps == 0
    called = [e for e in events if isinstance(e, Called)]
    finished = next(e for e in events if isinstance(e, Finished))
    assert len(called) == 3 and called[0].usage.tokens > 0
    assert finished.usage == called[-1].usage and result.usage.tokens == called[-1].usage.tokens
    assert [c["reply"] for c in read_calls(Path(result.folder))] == bad
    assert summarise(Path(result.folder)).tokens == result.usage.tokens  # the runs list and report see it too


class Typist:
    """Types one long text, then says it is done."""

    secrets: set = set()
    meter = None
    answer = ""

    def __init__(self, text):
        self.actions = [TypeText(text=text), Done(summary="typed")]

    def wants_screen(self):
        return False

    def decide(self, observation, screen):
        return Decision(self.actions.pop(0))

    def feedback(self, action, outcome, changed):
        return False


def test_a_stop_mid_typing_writes_the_step_with_what_was_typed(tmp_path):
    control, driver = RunControl(), SlowDriver(delay=0.03)
    parts = desk(control, driver, image=np.zeros((200, 320, 3), np.uint8))
    events = []
    loop = Loop(parts.source, parts.executor, parts.parser, control=control, on_event=events.append,
                settle_timeout=0.05)
    text = "x" * 400
    threading.Timer(0.3, control.stop, args=("Stopped with the Stop button.",)).start()
    result = loop.run(Typist(text), Trajectory.create(tmp_path, "type"))
    assert result.status == "stopped" and result.steps == 1
    line = load(Path(result.folder))[0]
    typed = "".join(driver.typed)
    assert 0 < len(typed) < len(text) and line["outcome"]["output"] == typed and line["outcome"]["stopped"]
    assert line["outcome"]["error"] == f"Cut short after typing {len(typed)} of 400 characters: Stopped with the " \
                                       "Stop button."
    assert isinstance(events[-2], Stepped) and events[-2].record.outcome["stopped"]
    assert events[-1].image is not None and (Path(result.folder) / FINAL).is_file()  # the screen it left


@pytest.mark.display
def test_the_cli_marks_denied_steps_and_ends_with_tokens_and_cost(tmp_path):
    script = tmp_path / "script.json"
    script.write_text(json.dumps({
        "manager": [{"subtasks": [{"title": "start the counter", "kind": "gui"}]}, {"impossible": "no code allowed"}],
        "worker": [{"thought": "start it", "action": {"type": "open", "app": "python3 -c pass"}},
                   {"thought": "refused", "action": {"type": "fail", "reason": "the program was refused"}}]}))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    t0 = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "count the files", "--provider", "scripted",
                           "--script", str(script), "--headless", "--out", str(tmp_path / "runs")], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=180, stdin=subprocess.DEVNULL)
    assert time.monotonic() - t0 < 180
    lines = proc.stdout.splitlines()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    denied = next(line for line in lines if "python3 -c pass" in line)
    assert "-> DENIED, not run: only a person may allow it and nobody can be asked here: it starts python3" in denied
    assert lines[-3] == "FAILED: no code allowed"
    assert lines[-2].startswith("tokens: ") and ", cost $0.0000" in lines[-2] and lines[-1].startswith("trajectory:")


def test_a_native_models_turns_are_kept_and_counted_like_the_planners(tmp_path):
    """A computer-use model over its own protocol (UI-TARS on a loopback server): each turn's raw answer is in
    calls.jsonl and counted from the first, the unreadable first answer included."""
    from models.native_settings import NativeSettings
    from tests.native_models import UITars
    from tests.native_server import ProtocolServer

    script = UITars([[("bad",)], [("done", "nothing to do")]])
    events = []
    with ProtocolServer(script) as server:
        parts = desk(image=np.full((800, 1280, 3), 250, np.uint8))
        parts.native = NativeSettings(protocol="uitars", base_url=server.v1, model="test-model", price_in=2.0)
        result = compose(RunOptions(task="look at the screen", display=":4242", out=tmp_path), events.append,
                         parts).run()
    assert result.status == "done", result.message
    calls = read_calls(Path(result.folder))
    called = [e for e in events if isinstance(e, Called)]
    assert len(calls) == len(called) == len(server.requests) >= 2
    assert "finished" in calls[-1]["reply"] and all(c["error"] == "" for c in calls)
    assert called[-1].usage.tokens == result.usage.tokens > 0
