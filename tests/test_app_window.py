"""The app as a whole, offscreen: profile chip, header buttons, tray, grounding modes, `deskpilot app`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.engine.parsers import GroundingModeError, make_parser
from app.qt.controllers.app_controller import AppController, profile_text
from app.qt.views.tray import Tray
from grounding.coords import Frame
from grounding.parser import ScreenParser
from tests.app_fakes import FakeEngine, step
from tests.ui import click, part

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    for var in ("OPENAI_BASE_URL", "DESKPILOT_LLM_MODEL", "DESKPILOT_LLM_BASE_URL", "OLLAMA_HOST"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path


def test_profile_names_the_model_or_direct_commands(monkeypatch):
    assert profile_text() == "Direct commands · no model configured"
    monkeypatch.setenv("DESKPILOT_LLM_BASE_URL", "http://127.0.0.1:8000/v1")
    monkeypatch.setenv("DESKPILOT_LLM_MODEL", "Qwen2.5-VL-7B-Instruct")
    assert profile_text() == "Qwen2.5-VL-7B-Instruct · http://127.0.0.1:8000/v1"


def test_header_buttons_open_settings_and_runs_and_a_finished_run_is_listed(qtbot, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":4242")
    controller = AppController(FakeEngine([step({"kind": "done", "summary": "nothing to do"})]))
    qtbot.addWidget(controller.window)
    controller.show()
    click(qtbot, controller.window, "runs_button")
    runs = controller.runs_controller
    assert runs.window.isVisible() and runs.window.run_keys() == []
    controller.window.set_task_text("finish at once")
    with qtbot.waitSignal(controller.run.run_finished, timeout=10000):
        controller.run.start()
    assert len(runs.window.run_keys()) == 1  # the open runs window refreshed itself
    assert runs.current.task == "finish at once" and runs.current.status == "done"
    click(qtbot, controller.window, "settings_button")
    settings = controller.settings_controller
    assert settings.dialog.isVisible()
    part(settings.dialog, "model").setEditText("m")
    part(settings.dialog, "base_url").setText("http://127.0.0.1:9/v1")
    assert settings.save()
    assert part(controller.window, "profile").text() == "m · http://127.0.0.1:9/v1"  # saved: in effect at once


def test_without_a_display_the_hotkey_says_why_it_is_off(qtbot, monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    controller = AppController(FakeEngine([]))
    qtbot.addWidget(controller.window)
    controller.refresh()
    assert controller.window.hotkey_hint() == ("Stop hotkey off: The stop hotkey needs an X display; set "
                                               "DISPLAY or use the Stop button.")
    controller.window.set_task_text("click Save")
    assert controller.run.start() is False
    assert "no display to work on" in controller.window.state_text()


def test_tray_status_and_stop(qtbot):
    tray = Tray()
    tray.set_status("Running: click Save", running=True)
    assert tray.status() == ("Running: click Save", True)
    assert tray.toolTip() == "DeskPilot: Running: click Save"
    stops = []
    tray.stop_requested.connect(lambda: stops.append(1))
    part(tray, "stop_action").trigger()
    assert stops == [1]
    tray.set_status("done: saved", running=False)
    assert tray.status() == ("done: saved", False)


def test_grounding_modes(monkeypatch):
    frame = Frame(0, 0, 800, 600)
    assert isinstance(make_parser("pixels", ":0", frame), ScreenParser)
    with pytest.raises(GroundingModeError, match="no grounding mode called 'vlm'"):
        make_parser("vlm", ":0", frame)
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    # a display no one runs (a virtual display another test or bench starts may take :0, with a bus)
    with pytest.raises(GroundingModeError, match="choose Pixels in Settings"):
        make_parser("accessibility", ":987", frame)
    assert isinstance(make_parser("auto", ":987", frame), ScreenParser)  # no bus answers: pixels, without a word
    # a bus that answers gives an A11yParser: tests/test_a11y.py::test_auto_grounding_reads_the_tree_where_a_bus_answers


def test_deskpilot_app_without_a_display_is_one_sentence():
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "-m", "app.cli", "app"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip() == ("error: the app needs a desktop session (no DISPLAY is set); use "
                                   "`deskpilot run --headless` without one.")


def test_a_display_that_does_not_answer_turns_the_hotkey_off_instead_of_hanging(qtbot, monkeypatch):
    monkeypatch.setenv("DISPLAY", ":987")
    controller = AppController(FakeEngine([]))
    qtbot.addWidget(controller.window)
    controller.refresh()
    assert controller.window.hotkey_hint() == ("Stop hotkey off: The display :987 does not answer, so no hotkey "
                                               "can be registered there; use the Stop button.")
