"""The loop and the trajectory with the direct-command agent on fake screens and a recording executor."""

import json

import pytest

from grounding.elements import Box, Element, Screen
from planner.actions import Click, Key, TypeText, Wait
from planner.direct import CommandAgent
from planner.events import Stepped
from planner.loop import Loop
from planner.trajectory import FORMAT_VERSION, Trajectory, load
from tests.fakes import FixedParser, RecordingExecutor, StillScreen
from tests.ui_world import World, WorldParser

FORM = Screen(160, 120, (
    Element(Box(10, 10, 60, 30), "text", name="Name", line=0),
    Element(Box(70, 5, 150, 35), "text_field", source="widget"),
    Element(Box(10, 80, 70, 110), "button", name="Save", source="widget"),
))


def run(task, screen=FORM, executor=None, max_steps=20, tmp_path=None):
    """``task`` on a small world showing ``screen`` that takes clicks and typing as widgets do."""
    world = World(list(screen.elements), size=(screen.width, screen.height))
    executor = executor or RecordingExecutor()
    executor.world = world
    loop = Loop(StillScreen(), executor, WorldParser(world), max_steps=max_steps, settle_timeout=0.1)
    traj = Trajectory.create(tmp_path, task)
    result = loop.run(CommandAgent.from_instruction(task, patience=2, retry_wait=0.0), traj)
    return result, executor, traj


def test_direct_command_becomes_grounded_actions(tmp_path):
    result, ex, traj = run("type 'Ada' into the Name field and click Save", tmp_path=tmp_path)
    assert result.status == "done"
    # a field is clicked just inside its left end (where a date or time field's first part is); it shows
    # nothing, so no Ctrl+A selects nothing in it
    assert ex.actions == [Click(x=80, y=20, target="the Name field"), TypeText(text="Ada"),
                          Click(x=40, y=95, target="Save")]
    steps = load(traj.folder)
    assert [s["step_num"] for s in steps] == [1, 2, 3, 4]
    for s in steps:
        assert s["format_version"] == FORMAT_VERSION
        assert (traj.folder / s["screenshot_file"]).exists()
        assert set(s) >= {"step_num", "action_timestamp", "action", "response", "reward", "done", "info"}
    assert steps[-1]["done"] and steps[-1]["action"]["kind"] == "done"
    assert (traj.folder / "result.txt").read_text().startswith("done")


def test_a_field_that_shows_a_value_is_selected_before_the_new_one_is_typed_over_it(tmp_path):
    filled = Screen(160, 120, tuple(e.with_(value="Grace") if e.role == "text_field" else e for e in FORM.elements))
    result, ex, _ = run("type 'Ada' into the Name field", screen=filled, tmp_path=tmp_path)
    assert result.status == "done"
    assert ex.actions == [Click(x=80, y=20, target="the Name field"), Key(keys=("ctrl", "a")), TypeText(text="Ada")]


def test_missing_target_waits_then_fails_with_a_sentence(tmp_path):
    result, ex, traj = run("click Delete", tmp_path=tmp_path)
    assert result.status == "failed"
    assert "Delete" in result.message and result.message.endswith(".")
    assert all(isinstance(a, Wait) for a in ex.actions) and len(ex.actions) == 2
    assert (traj.folder / "result.txt").read_text().splitlines()[0] == "failed"


def test_max_steps_stops_the_run(tmp_path):
    result, _, traj = run("type 'Ada' into the Name field and click Save", max_steps=1, tmp_path=tmp_path)
    assert result.status == "max_steps"
    assert len(load(traj.folder)) == 1


def test_a_crash_still_leaves_the_trajectory(tmp_path):
    with pytest.raises(RuntimeError, match="executor broke"):
        run("click Save and press Enter", executor=RecordingExecutor(fail_on="key"), tmp_path=tmp_path)
    folder = next(tmp_path.iterdir())
    assert len(load(folder)) == 1  # the click was written before the crash
    assert (folder / "result.txt").read_text().startswith("error")
    assert json.loads((folder / "task.json").read_text())["task"] == "click Save and press Enter"


def test_screen_change_is_recorded(tmp_path):
    executor = RecordingExecutor()
    loop = Loop(StillScreen(changes=False), executor, FixedParser(FORM), settle_timeout=0.1)
    traj = Trajectory.create(tmp_path, "click Save")
    loop.run(CommandAgent.from_instruction("click Save"), traj)
    assert load(traj.folder)[0]["screen_changed"] is False


def test_passwords_never_reach_the_trajectory(tmp_path):
    screen = Screen(160, 120, (
        Element(Box(10, 10, 60, 30), "text", name="Password", line=0),
        Element(Box(70, 5, 150, 35), "text_field", name="Password", source="widget"),
    ))
    result, ex, traj = run("type 'hunter2' into the Password field", screen=screen, tmp_path=tmp_path)
    assert result.status == "done" and ex.actions[-1] == TypeText(text="hunter2", secret=True)
    for name in ("traj.jsonl", "task.json", "result.txt"):
        assert "hunter2" not in (traj.folder / name).read_text(encoding="utf-8")


def test_denied_code_is_recorded_and_ends_a_run_whose_agent_cannot_go_on(tmp_path):
    from planner.actions import Done, RunCode
    from planner.protocols import Decision

    class Coder:
        secrets, meter, answer = set(), None, ""

        def wants_screen(self):
            return False

        def feedback(self, action, outcome, changed):
            return False

        def decide(self, obs, screen):
            return Decision(RunCode(language="bash", code="sudo rm -rf /"), "clean up")

    ex = RecordingExecutor()
    loop = Loop(StillScreen(), ex, FixedParser(FORM), max_steps=3, settle_timeout=0.1)
    traj = Trajectory.create(tmp_path, "clean")
    result = loop.run(Coder(), traj)
    assert result.status == "failed" and "root" in result.message
    assert ex.actions == []
    assert load(traj.folder)[0]["policy"]["verdict"] == "deny"

    class Listener(Coder):
        heard = []

        def decide(self, obs, screen):
            return Decision(Done(summary="gave up on it")) if self.heard else super().decide(obs, screen)

        def feedback(self, action, outcome, changed):
            self.heard.append(outcome.error)
            return True

    result = loop.run(Listener(), Trajectory.create(tmp_path, "clean"))
    assert result.status == "done" and Listener.heard[0].startswith("Not run: the code runs a command as root")


def test_stop_ends_the_run_with_its_trajectory(tmp_path):
    from planner.control import RunControl

    control = RunControl()
    ex = RecordingExecutor()
    loop = Loop(StillScreen(), ex, FixedParser(FORM), max_steps=20, settle_timeout=0.1, control=control,
                on_event=lambda e: control.stop() if isinstance(e, Stepped) and e.record.step == 2 else None)
    traj = Trajectory.create(tmp_path, "t")
    result = loop.run(CommandAgent.from_instruction("click Save and click Save and click Save"), traj)
    assert result.status == "stopped" and result.message == "Stopped by the user."
    assert len(load(traj.folder)) == 2 and (traj.folder / "result.txt").read_text().startswith("stopped")


def test_a_steps_time_shows_the_models_part_apart(tmp_path):
    """A trial's step line said '[24300 ms]' for a click: the model's reply was most of it, and the line did not
    say so. The step's timing keeps the model's calls apart from the agent's own work, and the parts still add up."""
    from planner.trajectory import StepRecord, read_steps

    traj = Trajectory.create(tmp_path, "click Save")
    agent = CommandAgent.from_instruction("click Save", patience=2, retry_wait=0.0)
    thinking = agent.decide

    def decide(obs, screen):  # a model call of 2.5 s, logged the way app.engine.calls logs every call
        traj.append_call({"seconds": 2.5, "reply": "{}"})
        return thinking(obs, screen)

    agent.decide = decide
    world = World(list(FORM.elements), size=(FORM.width, FORM.height))
    executor = RecordingExecutor()
    executor.world = world
    Loop(StillScreen(), executor, WorldParser(world), max_steps=5, settle_timeout=0.1).run(agent, traj)
    record = read_steps(traj.folder)[0]
    assert record.timing_ms["model"] == 2500.0 and record.timing_ms["decide"] < 2500.0
    assert record.took().endswith(", model 2.5 s")
    assert StepRecord(step=1, action={}, timing_ms={"capture": 12.0, "act": 400.0}).took() == "412 ms"
    assert StepRecord(step=1, action={}, timing_ms={"decide": 300.0, "model": 24000.0}).took() == \
        "24.3 s, model 24.0 s"


def test_the_direct_agents_waits_for_the_screen_do_not_use_up_max_steps(tmp_path):
    """Its looks again for a missing target are its own patience, not steps: the run ends with its sentence."""
    result, ex, traj = run("click Delete", max_steps=2, tmp_path=tmp_path)
    assert result.status == "failed" and "Delete" in result.message
    assert ex.actions and all(isinstance(a, Wait) for a in ex.actions)
    assert [s["info"].get("automatic") for s in load(traj.folder)][:2] == [True, True]
