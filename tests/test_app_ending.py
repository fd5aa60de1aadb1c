"""How a run's end reads in the app (offscreen, the real loop, compose and trajectory): the reason in full with
what to do, Details with the model's raw replies, tokens from the first call, a stopped step recorded whole, the
plan, the final screen, the work folder and the answer."""

import json
import threading
from pathlib import Path

import numpy as np
import pytest

from app.qt.controllers.app_controller import AppController
from app.qt.controllers.run_controller import RunController
from app.qt.views.main_window import MainWindow
from models.chat import Meter
from models.fake import RoleScript
from planner.language import MODEL_HINT
from planner.trajectory import load, read_calls
from tests.app_fakes import DirectEngine, FakeEngine, PlannerEngine, SlowDriver, planner_choice, step
from tests.ui import click, part


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DISPLAY", ":4242")  # recorded in the options; the engines here never open it
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "DESKPILOT_LLM_MODEL", "DESKPILOT_LLM_BASE_URL", "OLLAMA_HOST",
                "ANTHROPIC_API_KEY", "DESKPILOT_AGENT_MODE"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def run(qtbot, controller, window, task, timeout=15000):
    window.set_task_text(task)
    with qtbot.waitSignal(controller.run_finished, timeout=timeout) as blocker:
        assert controller.start()
    return blocker.args[0]


@pytest.mark.parametrize("task", ["book me a flight to Paris next Tuesday", "clik Save"])
def test_an_unreadable_task_shows_its_reason_and_a_way_to_settings(qtbot, task):
    app = AppController(DirectEngine())
    qtbot.addWidget(app.window)
    window = app.window
    result = run(qtbot, app.run, window, task)
    assert result.status == "failed" and result.steps == 0
    notice = window.notice_text()
    assert notice.startswith("The run failed.") and f"I can't read {task!r}" in notice
    assert "the closest form I understand is" in notice
    assert "Settings → Model" in notice and "deskpilot doctor" not in notice  # the app's way, not the shell's
    assert window.state_text().endswith(f"; {MODEL_HINT}.")
    fix = part(part(window, "notice"), "fix")
    assert not fix.isHidden() and fix.text().strip() == "Set up a model"
    click(qtbot, part(window, "notice"), "fix")
    dialog = app.settings_controller.dialog
    assert dialog.isVisible() and dialog.current_tab() == "model"
    click(qtbot, part(window, "notice"), "details")
    headline, last_step, replies = app.run.ending.dialog.texts()
    assert task in headline and last_step == "No step was carried out."
    assert replies == "No model was asked during this run."


def test_three_model_calls_then_a_failure_show_their_tokens_and_replies(qtbot, home):
    bad = ["I think we should plan first", "{not json", '{"subtasks": "not a list"}']
    model = RoleScript({"manager": list(bad)}, Meter(price_in=3.0, price_out=15.0))
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RunController(window, PlannerEngine(), agents=lambda: planner_choice(model))
    live = []
    controller.runner.called.connect(lambda e: live.append(window.counts()[1]))
    result = run(qtbot, controller, window, "rename every report to its date")
    assert result.status == "failed" and result.steps == 0 and "outside the expected format 3 times" in result.message
    used = model.meter.used
    total = used.prompt_tokens + used.completion_tokens
    assert len(live) == 3 and live[0] != "0 tokens"  # counted live, from the first call
    assert window.counts() == ("0 steps", f"{total:,} tokens", f"${model.meter.cost:.4f}")
    calls = read_calls(controller.last_folder)
    assert [c["reply"] for c in calls] == bad and calls[-1]["total"]["prompt_tokens"] == used.prompt_tokens
    click(qtbot, part(window, "notice"), "details")
    headline, last_step, replies = controller.ending.dialog.texts()
    assert "outside the expected format" in headline and last_step == "No step was carried out."
    for reply in bad:
        assert reply in replies
    assert part(controller.ending.dialog, "tabs").currentIndex() == 1  # the replies are what went wrong


def test_a_stopped_typing_step_is_written_with_what_was_typed(qtbot):
    text = "the quick brown fox jumps over the lazy dog " * 8
    engine = FakeEngine([step({"kind": "type", "text": text}), step({"kind": "done", "summary": "typed"})],
                        driver=SlowDriver())
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RunController(window, engine)
    window.set_task_text("type a long text")
    with qtbot.waitSignal(controller.run_finished, timeout=15000) as blocker:
        controller.start()
        qtbot.waitUntil(lambda: len(engine.driver.typed) >= 3, timeout=10000)
        reason = "Stopped with the hotkey <ctrl>+<alt>+s."
        threading.Thread(target=controller.stop_from_anywhere, args=(reason,)).start()
    assert blocker.args[0].status == "stopped"
    typed = "".join(engine.driver.typed)
    assert 0 < len(typed) < len(text)
    line = load(controller.last_folder)[0]
    assert line["action"]["text"] == text and line["outcome"]["stopped"]
    assert line["outcome"]["output"] == typed  # what reached the screen is on record
    assert line["outcome"]["error"].startswith(f"Cut short after typing {len(typed)} of {len(text)} characters")
    assert window.step_texts(1)[1].startswith("■ stopped: Cut short after typing")
    assert window.notice_text().startswith(f"Stopped mid-step. Step 1: Cut short after typing {len(typed)} of")
    # key names are text, not markup: the status line keeps "<ctrl>+<alt>" as typed
    assert window.state_text() == "Stopped: Stopped with the hotkey <ctrl>+<alt>+s."
    state = part(window, "state")
    assert state.textFormat() == state.textFormat().PlainText and state.toolTip() == window.state_text()


def act(kind, **fields):
    return {"thought": f"I will {kind}", "action": {"type": kind, **fields}}


def test_the_plan_the_final_screen_and_the_answer_from_the_real_planner(qtbot, home):
    """The planner's manager announces its plan (planner.events.Planned) as it goes; the app shows it, the
    subtasks done, and at the end the screen as the run left it and the manager's answer."""
    answers = {"manager": [{"subtasks": [{"title": "Open the sheet"}, {"title": "Read the total"}]},
                           {"done": True, "summary": "read it", "answer": "The total is 42."}],
               "worker": [act("wait", seconds=0.1), act("done", summary="open"),
                          act("wait", seconds=0.1), act("done", summary="read")]}
    script = RoleScript({role: [json.dumps(a) for a in said] for role, said in answers.items()})
    image = np.zeros((200, 320, 3), np.uint8)
    image[50:90, 40:200] = (200, 30, 30)
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RunController(window, PlannerEngine(image=image), agents=lambda: planner_choice(script))
    shown = []
    controller.runner.planned.connect(lambda e: shown.append(window.plan_titles()))
    result = run(qtbot, controller, window, "what is the total in the sheet?")
    assert result.status == "done", result.message
    assert shown[0] == ["▶  Open the sheet", "○  Read the total"]
    assert window.plan_titles() == ["✓  Open the sheet", "▶  Read the total"]
    assert part(window, "plan_progress").text() == "1 of 2 done"
    assert part(controller.overlay, "plan").count() == 2  # the status window can show it too
    assert window.notice_text() == "Answer: The total is 42."
    live = part(window, "live")
    assert window.caption() == "The screen as the run left it"
    final = live.image.convertToFormat(live.image.Format.Format_RGB888)
    assert final.pixelColor(100, 70).red() == 200 and final.pixelColor(10, 10).red() == 0
    assert (Path(controller.last_folder) / "final.png").is_file()


def test_the_work_folder_is_named_when_code_left_files_there(qtbot, home):
    code = {"kind": "run_code", "language": "bash", "code": "echo total > report.txt"}
    (home / "config" / "deskpilot").mkdir(parents=True)
    work = home / "work"
    (home / "config" / "deskpilot" / "config.toml").write_text(f'[app]\nworkdir = "{work}"\n')
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RunController(window, FakeEngine([step(code), step({"kind": "done", "summary": "written"})]))
    window.set_task_text("write the report")
    with qtbot.waitSignal(controller.run_finished, timeout=15000):
        controller.start()
        dialog = controller.approvals.dialog
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        assert dialog.texts()[3] == f"It runs in the work folder {work}"
        dialog.choose("once")
    assert (work / "report.txt").read_text().strip() == "total"
    assert window.notice_text() == f"Done. written\nWork folder: {work}"


def test_the_answer_is_shown_when_the_task_asked_a_question(qtbot):
    engine = FakeEngine([step({"kind": "done", "summary": "counted"})], answer="There are 42 files.")
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RunController(window, engine)
    assert run(qtbot, controller, window, "how many files are there?").answer == "There are 42 files."
    assert window.notice_text() == "Answer: There are 42 files."


def test_the_status_window_pauses_and_stops_the_run(qtbot):
    wait = step({"kind": "wait", "seconds": 0.5})
    engine = FakeEngine([wait, wait, step({"kind": "type", "text": "late"}), step({"kind": "done", "summary": "done"})])
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RunController(window, engine)
    overlay = controller.overlay
    window.set_task_text("wait, then type")
    with qtbot.waitSignal(controller.run_finished, timeout=10000) as blocker:
        controller.start()
        qtbot.waitUntil(lambda: (window.step_texts(1) or ("", ""))[1].startswith("✓"), timeout=5000)
        click(qtbot, overlay, "pause_button")
        assert controller.control.paused and overlay.texts()[0] == "Paused"
        # a wait already under way finishes; a step decided but not started waits for Resume; nothing more runs
        qtbot.wait(900)
        assert engine.driver.typed == []
        held = window.step_rows() == 2 and window.step_texts(2)[1] == "about to run…"
        assert window.step_rows() == 1 or held or window.step_texts(2)[1].startswith("✓")
        click(qtbot, overlay, "stop_button")
    assert blocker.args[0].status == "stopped" and blocker.args[0].message == "Stopped from the status window."
    if held:  # the step the pause held is on record, as not run
        assert window.notice_text() == "Stopped before this step ran. Step 2: Not run: Stopped from the status window."
    else:  # stopped between steps: the status line says it all
        assert window.notice_text() == ""
