"""The app's Record button on a real screen: the person's xdotool input on the demo form becomes a saved,
grounded demonstration, ended from the button; a bad name gets one sentence."""

import threading

import pytest
from PySide6.QtWidgets import QInputDialog

from app.bench.replay import FORM, perform_form
from app.desktop.browser import DrivenChromium
from app.desktop.capture import wait_for_content
from app.qt.controllers.record_controller import RecordController
from app.qt.views.main_window import MainWindow
from planner.demos import DemoStore

pytestmark = [pytest.mark.display, pytest.mark.browser]


def answers(monkeypatch, *replies):
    queue = list(replies)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: (queue.pop(0), True)))


def test_record_button_saves_a_grounded_demonstration(qtbot, monkeypatch, tmp_path):
    from app.desktop.xvfb import VirtualDisplay

    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    store = DemoStore(tmp_path / "demos")
    window = MainWindow()
    qtbot.addWidget(window)
    controller = RecordController(window, store)
    answers(monkeypatch, "no good name!")
    controller.begin()
    assert not controller.recording and "cannot name a demonstration" in window.state.text()

    with VirtualDisplay(1024, 768) as vd, DrivenChromium(vd.display, 900, 720, 1.0, app_url=FORM.as_uri()) as b:
        wait_for_content(vd.display)
        monkeypatch.setenv("DISPLAY", vd.display)
        answers(monkeypatch, "contact", "fill in the contact form and save it")
        qtbot.mouseClick(window.record_button, qtbot_left())
        assert controller.recording and window.record_button.text() == " Stop recording"
        qtbot.wait(500)
        perform_form(b.driver, vd.display, name="Grace", city="Rome")
        qtbot.wait(800)
        qtbot.mouseClick(window.record_button, qtbot_left())
        qtbot.waitUntil(lambda: window.record_button.text() == " Record", timeout=60_000)
        from pynput import keyboard, mouse  # needs the display to import

        listening = [t for t in threading.enumerate() if isinstance(t, (mouse.Listener, keyboard.Listener))]
        assert not listening  # stopped with the recording, not waiting for one more input event
    assert "Saved the demonstration 'contact'" in window.state.text()
    demo = store.load("contact")
    described = [s.describe() for s in demo.steps]
    assert demo.task == "fill in the contact form and save it"
    assert any("Name" in d for d in described) and any("Grace" in d for d in described)
    assert any("Save" in d for d in described), described


def qtbot_left():
    from PySide6.QtCore import Qt

    return Qt.MouseButton.LeftButton
