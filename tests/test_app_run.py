"""The main window and its RunController, offscreen, driving the real loop with a scripted model."""

import html
import time

import pytest
from PySide6.QtGui import QColor

from app.qt.controllers.run_controller import RunController, hotkey_label
from app.qt.views.main_window import MainWindow
from grounding.elements import Box, Element, Screen
from planner.trajectory import load
from tests.app_fakes import FakeEngine, step
from tests.ui import click, part

CLICK = {"kind": "click", "x": 100, "y": 60, "target": "Save"}
TYPE = {"kind": "type", "text": "Ada Lovelace"}
CODE = {"kind": "run_code", "language": "python", "code": "print('hello from code')"}
DONE = {"kind": "done", "summary": "saved"}


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DISPLAY", ":4242")  # recorded in the options; the fake engine never opens it
    return tmp_path


def make(qtbot, answers):
    window = MainWindow()
    qtbot.addWidget(window)
    engine = FakeEngine(answers)
    controller = RunController(window, engine)
    window.show()
    return window, controller, engine


def run(qtbot, window, controller, task="save the form"):
    window.set_task_text(task)
    with qtbot.waitSignal(controller.run_finished, timeout=10000) as blocker:
        click(qtbot, window, "run_button")
    return blocker.args[0]


def test_a_run_fills_the_live_view_timeline_and_status_line(qtbot, home):
    window, controller, engine = make(qtbot, [step(CLICK, "the Save button is at the bottom", [80, 50, 120, 70]),
                                              step(TYPE, "now the name"), step(DONE)])
    seen = []
    controller.runner.decided.connect(lambda d: seen.append(d.step))
    result = run(qtbot, window, controller)
    assert result.status == "done"
    assert seen == [1, 2, 3]
    assert engine.driver.clicks == [(100, 60)] and "".join(engine.driver.typed) == "Ada Lovelace"
    assert window.step_rows() == 3
    action, outcome = window.step_texts(1)
    assert "click Save" in action and outcome.startswith("✓")
    steps_text, tokens_text, cost_text = window.counts()
    assert steps_text == "3 steps"
    # the scripted model's tokens, priced at $3/$15 per million
    tokens = int(tokens_text.split()[0].replace(",", ""))
    assert tokens > 0 and cost_text.startswith("$0.0")
    assert "Done" in window.state_text() and "saved" in window.state_text()
    assert float(window.elapsed_text().split()[0]) > 0
    assert part(window, "run_button").isEnabled() and not part(window, "stop_button").isEnabled()
    steps = load(controller.last_folder)
    assert [s["action"]["kind"] for s in steps] == ["click", "type", "done"]
    assert window.history()[0] == "save the form"  # history, newest first


def test_live_view_draws_the_target_box_and_click_point(qtbot):
    window, controller, _ = make(qtbot, [step(CLICK, "", [80, 50, 120, 70]), step(DONE)])
    shots = []
    live = part(window, "live")
    controller.runner.decided.connect(lambda d: shots.append(live.grab().toImage()) if d.step == 1 else None)
    run(qtbot, window, controller)
    image = shots[0]
    rect = live.image_rect()
    scale = rect.width() / 320
    px = image.pixelColor(int(rect.left() + 100 * scale + 11), int(rect.top() + 60 * scale))
    blue = QColor("#2563eb")
    assert abs(px.red() - blue.red()) < 60 and abs(px.blue() - blue.blue()) < 60, px.name()
    plain = image.pixelColor(int(rect.left() + 10 * scale), int(rect.top() + 150 * scale))
    assert plain.red() > 200 and plain.green() > 200  # the grey screenshot itself, nothing drawn there


def test_empty_task_does_not_start(qtbot):
    window, controller, engine = make(qtbot, [])
    window.set_task_text("   ")
    assert controller.start() is False
    assert "Type a task first" in window.state_text() and engine.calls == []


def test_approval_dialog_allow_once_runs_the_code(qtbot):
    window, controller, engine = make(qtbot, [step(CODE, "count files"), step(DONE)])
    dialog = controller.approvals.dialog
    window.set_task_text("count the files")
    with qtbot.waitSignal(controller.run_finished, timeout=10000) as blocker:
        controller.start()
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        _summary, reason, exact, where = dialog.texts()
        assert "print('hello from code')" in exact
        assert "runs model-written code" in reason
        assert where == f"It runs in the work folder {controller.context.workdir}"  # named before it runs
        assert controller.runner.busy  # the run waits for the answer
        assert len(controller.exclusions.rects()) == 1  # the dialog is kept out of the agent's screenshots
        click(qtbot, dialog, "once_button")
    assert blocker.args[0].status == "done"
    code_step = load(controller.last_folder)[0]
    assert code_step["outcome"]["ok"] and "hello from code" in code_step["outcome"]["output"]
    assert not dialog.isVisible() and controller.exclusions.rects() == []


def test_enter_on_a_focused_risky_button_asks_in_the_dialog_and_the_report_says_why(qtbot):
    from app.runs.report import run_html

    window, controller, engine = make(qtbot, [step({"kind": "key", "keys": ["enter"]}), step(DONE)])
    engine.screen = Screen(320, 200, (Element(Box(10, 10, 150, 40), "button", name="Delete account",
                                              states=frozenset({"focused"})),))
    dialog = controller.approvals.dialog
    window.set_task_text("tidy up the account")
    with qtbot.waitSignal(controller.run_finished, timeout=10000):
        controller.start()
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        _summary, reason, exact, _where = dialog.texts()
        click(qtbot, dialog, "deny_button")
    why = "presses Enter on 'Delete account', which asks first: 'Delete account' deletes"
    assert reason == f"The safety policy asks first because it {why}."
    assert '"name": "Delete account"' in exact  # the action as it runs, with what it presses
    (key, _) = load(controller.last_folder)
    assert key["policy"] == {"verdict": "deny", "reason": f"the person declined: it {why}", "asked": True}
    assert html.escape(f"the person declined: it {why}") in run_html(controller.last_folder)


def test_approval_deny_and_always(qtbot):
    window, controller, _ = make(qtbot, [step(CODE), step(CODE), step(CODE), step(DONE)])
    dialog = controller.approvals.dialog
    asked = []
    window.set_task_text("code three times")
    with qtbot.waitSignal(controller.run_finished, timeout=15000):
        controller.start()
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        asked.append(1)
        click(qtbot, dialog, "deny_button")
        qtbot.waitUntil(lambda: dialog.isVisible() or not controller.runner.busy, timeout=5000)
        asked.append(2)
        click(qtbot, dialog, "always_button")
    steps = load(controller.last_folder)
    outcomes = [s["outcome"] for s in steps[:3]]
    assert not outcomes[0]["ok"] and "declined" in outcomes[0]["error"]
    assert outcomes[1]["ok"] and outcomes[2]["ok"]  # "always" allowed the third without asking
    assert steps[2]["policy"]["reason"] == "allowed for this run"
    assert asked == [1, 2]


def test_stop_while_the_dialog_waits_denies_and_stops(qtbot):
    window, controller, _ = make(qtbot, [step(CODE), step(DONE)])
    dialog = controller.approvals.dialog
    window.set_task_text("code")
    with qtbot.waitSignal(controller.run_finished, timeout=10000) as blocker:
        controller.start()
        qtbot.waitUntil(dialog.isVisible, timeout=5000)
        click(qtbot, window, "stop_button")
    assert blocker.args[0].status == "stopped"
    assert not dialog.isVisible()
    steps = load(controller.last_folder)
    assert len(steps) == 1 and not steps[0]["outcome"]["ok"]  # the code never ran
    assert steps[0]["outcome"]["error"] == "Not run: Stopped with the Stop button."
    assert steps[0]["outcome"]["stopped"] and steps[0]["policy"] is None  # nobody declined: the run was stopped
    assert window.step_texts(1)[1].startswith("■ stopped: Not run")


def test_pause_holds_the_run_and_resume_lets_it_finish(qtbot):
    wait = {"kind": "wait", "seconds": 0.3}
    window, controller, engine = make(qtbot, [step(wait), step(TYPE), step(DONE)])
    window.set_task_text("wait then type")
    controller.start()
    qtbot.waitUntil(lambda: window.step_rows() >= 1, timeout=5000)
    click(qtbot, window, "pause_button")
    assert controller.control.paused and part(window, "pause_button").text().strip() == "Resume"
    assert "Paused" in window.state_text()
    time.sleep(0.6)
    qtbot.wait(50)
    assert engine.driver.typed == [] and controller.runner.busy  # held before the typing step
    with qtbot.waitSignal(controller.run_finished, timeout=10000) as blocker:
        click(qtbot, window, "pause_button")
    assert blocker.args[0].status == "done" and "".join(engine.driver.typed) == "Ada Lovelace"


def test_stop_from_another_thread_cuts_a_wait_short(qtbot):
    import threading

    window, controller, _ = make(qtbot, [step({"kind": "wait", "seconds": 20}), step(DONE)])
    window.set_task_text("wait long")
    controller.start()
    qtbot.waitUntil(lambda: window.step_rows() >= 1, timeout=5000)
    t0 = time.monotonic()
    with qtbot.waitSignal(controller.run_finished, timeout=5000) as blocker:
        threading.Thread(target=controller.stop_from_anywhere, args=("Stopped with the hotkey.",)).start()
    assert blocker.args[0].status == "stopped" and blocker.args[0].message == "Stopped with the hotkey."
    assert blocker.args[0].at - t0 < 0.3


def test_an_engine_that_cannot_start_gives_one_sentence(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)

    def broken(call, on_event):
        raise RuntimeError("Cannot open the display ':0' for capture")

    controller = RunController(window, broken)
    window.set_task_text("click Save")
    with qtbot.waitSignal(controller.run_finished, timeout=5000) as blocker:
        controller.start()
    assert blocker.args[0].status == "error"
    assert window.state_text() == "The run could not go on: Cannot open the display ':0' for capture."
    assert "Cannot open the display ':0' for capture." in window.notice_text()
    assert part(window, "run_button").isEnabled()


def test_hotkey_label():
    assert hotkey_label("<ctrl>+<alt>+s") == "Ctrl+Alt+S"
