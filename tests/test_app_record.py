"""The app's Record button on a real screen: the person's xdotool input on the demo form becomes a saved,
grounded demonstration, ended from the button; a bad name gets one sentence; and recording on the configured
display leaves the app's own $DISPLAY alone, so the next run still works where it is configured to."""

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QInputDialog

from app.bench.replay import FORM, perform_form
from app.desktop.browser import DrivenChromium
from app.desktop.capture import wait_for_content
from app.desktop.xvfb import VirtualDisplay
from app.qt.controllers.record_controller import RecordController
from app.qt.controllers.run_controller import RunController
from app.qt.views.main_window import MainWindow
from planner.demos import DemoStore
from tests.app_fakes import FakeEngine, step
from tests.ui import click, part

pytestmark = [pytest.mark.display, pytest.mark.browser]


def answers(monkeypatch, *replies):
    queue = list(replies)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (queue.pop(0), True)))


def listeners(display: str):
    """The recorder's listener processes still running on ``display`` (none once its recording ended; the
    suite's other workers may be recording on displays of their own meanwhile)."""
    found = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and b"app.record.listen" in (proc / "cmdline").read_bytes() and \
                    f"DISPLAY={display}".encode() in (proc / "environ").read_bytes().split(b"\0"):
                found.append(proc.name)
        except OSError:
            continue
    return found


def configure(home, display):
    config = home / "config" / "deskpilot" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[app]\ndisplay = "{display}"\nruns_dir = "{home / "runs"}"\n')


def test_record_button_saves_a_grounded_demonstration_and_leaves_display_alone(qtbot, monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    store = DemoStore(tmp_path / "demos")
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RecordController(window, store)
    engine = FakeEngine([step({"kind": "done", "summary": "ok"}), step({"kind": "done", "summary": "ok"})])
    runs = RunController(window, engine)
    answers(monkeypatch, "no good name!")
    controller.begin()
    assert not controller.recording and "cannot name a demonstration" in window.state_text()

    with VirtualDisplay(640, 480) as own, VirtualDisplay(1024, 768) as vd, \
            DrivenChromium(vd.display, 900, 720, 1.0, app_url=FORM.as_uri()) as b:
        monkeypatch.setenv("DISPLAY", own.display)  # the app's own screen; the agent works on the other one
        configure(tmp_path, vd.display)
        wait_for_content(vd.display)
        answers(monkeypatch, "contact", "fill in the contact form and save it")
        click(qtbot, window, "record_button")
        assert controller.recording and part(window, "record_button").text() == " Stop recording"
        assert f"on display {vd.display}" in window.state_text()
        qtbot.wait(500)
        perform_form(b.driver, vd.display, name="Grace", city="Rome")
        qtbot.wait(800)
        click(qtbot, window, "record_button")
        qtbot.waitUntil(lambda: part(window, "record_button").text() == " Record", timeout=60_000)
        assert controller.recorder is None and listeners(vd.display) == []
        assert os.environ["DISPLAY"] == own.display  # recording did not move the app to the recorded display
        assert "Saved the demonstration 'contact'" in window.state_text()

        # the next run works on the configured display; with none configured, on the app's own
        window.set_task_text("finish")
        with qtbot.waitSignal(runs.run_finished, timeout=10_000):
            assert runs.start(), window.state_text()  # a run that cannot start says why on the status line
        configure(tmp_path, "")
        with qtbot.waitSignal(runs.run_finished, timeout=10_000):
            assert runs.start(), window.state_text()
        assert [c.options.display for c in engine.calls] == [vd.display, own.display]
    demo = store.load("contact")
    described = [s.describe() for s in demo.steps]
    assert demo.task == "fill in the contact form and save it"
    assert any("Name" in d for d in described) and any("Grace" in d for d in described)
    assert any("Save" in d for d in described), described
