"""Real desktop I/O on Xvfb: the display, capture, and input landing where it was sent."""

import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from app.desktop.capture import CaptureError, MssScreenSource
from app.desktop.input import XdotoolDriver
from app.desktop.xtest import XTestDriver
from app.desktop.xvfb import VirtualDisplay, display_answers

pytestmark = pytest.mark.display


def pointer(display):
    out = subprocess.run(["xdotool", "getmouselocation", "--shell"], env={**os.environ, "DISPLAY": display},
                         capture_output=True, text=True, check=True).stdout
    values = dict(line.split("=") for line in out.split())
    return int(values["X"]), int(values["Y"])


def test_virtual_display_starts_answers_and_cleans_up():
    vd = VirtualDisplay(640, 480).start()
    n = vd.display.lstrip(":")
    pid = vd.process.pid
    assert display_answers(vd.display)
    vd.stop()
    assert not display_answers(vd.display)
    assert not Path(f"/proc/{pid}").exists() or "zombie" in Path(f"/proc/{pid}/status").read_text().lower()
    assert not Path(f"/tmp/.X{n}-lock").exists()


def test_two_displays_get_different_numbers():
    with VirtualDisplay(320, 240) as a, VirtualDisplay(320, 240) as b:
        assert a.display != b.display


def test_capture_gives_image_and_frame(xvfb):
    source = MssScreenSource(xvfb.display)
    obs = source.capture()
    source.close()
    assert obs.image.shape == (600, 800, 3)
    assert (obs.frame.left, obs.frame.top, obs.frame.width, obs.frame.height, obs.frame.scale) == (0, 0, 800, 600, 1)


def test_missing_monitor_is_one_sentence(xvfb):
    source = MssScreenSource(xvfb.display, monitor=3)
    with pytest.raises(CaptureError, match="Monitor 3 does not exist; this desktop has 1 monitor"):
        source.capture()
    source.close()


@pytest.mark.parametrize("driver_cls", [XTestDriver, XdotoolDriver])
def test_input_lands_where_it_was_sent(xvfb, driver_cls):
    driver = driver_cls(xvfb.display)
    driver.move(123, 456)
    assert pointer(xvfb.display) == (123, 456)
    driver.click(700, 50)
    assert pointer(xvfb.display) == (700, 50)


RECEIVER = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication, QPlainTextEdit
app = QApplication([])
box = QPlainTextEdit()
box.textChanged.connect(lambda: Path(sys.argv[1]).write_text(box.toPlainText()))
box.setGeometry(0, 0, 800, 600)
box.show()
box.activateWindow()
Path(sys.argv[1]).write_text("ready")
app.exec()
"""


def test_xtest_types_what_it_is_given_on_its_own_display(xvfb, tmp_path, monkeypatch):
    """Shifted symbols, a chord and characters the keyboard map lacks, all on the display the driver names, with
    this process's $DISPLAY pointing elsewhere and left as it was."""
    import sys
    import time

    out = tmp_path / "typed.txt"
    env = {**os.environ, "DISPLAY": xvfb.display, "QT_QPA_PLATFORM": "xcb"}
    app = subprocess.Popen([sys.executable, "-c", RECEIVER, str(out)], env=env)
    monkeypatch.setenv("DISPLAY", ":987")
    driver = XTestDriver(xvfb.display)

    def shows(text):
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if out.exists() and out.read_text() == text:
                return True
            time.sleep(0.05)
        return False

    try:
        assert shows("ready")
        driver.click(400, 300)
        driver.type_text('Hello, World! ~_+{}|:"<>? 42')
        assert shows('Hello, World! ~_+{}|:"<>? 42')
        driver.press(("ctrl", "a"))
        driver.type_text("x\ty")
        assert shows("x\ty")
        driver.type_text(" café €")  # not on a US keymap: xdotool remaps a key for them
        assert shows("x\ty café €")
        assert os.environ["DISPLAY"] == ":987"
    finally:
        driver.close()
        app.terminate()
        app.wait(10)


def test_recording_and_input_never_change_this_processs_environment():
    """After a recording or a run on another display, this process's $DISPLAY is what it was: no module that
    records, sends input or stops runs writes os.environ (child processes get their own environment)."""
    import ast

    root = Path(__file__).resolve().parent.parent / "app"
    files = [*sorted((root / "record").glob("*.py")), *(root / "desktop" / n for n in
                                                          ("input.py", "xtest.py", "keyguard.py", "stoppers.py"))]
    found = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text())):
            target = None
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                target = next((t for t in targets if isinstance(t, ast.Subscript)
                               and ast.unparse(t.value) == "os.environ"), None)
            elif isinstance(node, ast.Call) and ast.unparse(node.func) in (
                    "os.environ.update", "os.environ.pop", "os.environ.setdefault", "os.putenv", "os.unsetenv"):
                target = node
            if target is not None:
                found.append(f"{path.name}:{node.lineno}")
    assert found == [], f"these change the process environment: {found}"


def _page(colour: int = 255) -> np.ndarray:
    return np.full((1080, 1920, 3), colour, np.uint8)


def test_a_plain_screen_is_not_drawn_and_one_button_or_word_on_it_is():
    import cv2

    from app.desktop.capture import drawn

    assert not drawn(_page(0)) and not drawn(_page(255))  # the bare root window; a window not painted yet
    button = _page()
    cv2.rectangle(button, (40, 40), (120, 68), (225, 225, 225), -1)
    cv2.rectangle(button, (40, 40), (120, 68), (118, 118, 118), 1)
    cv2.putText(button, "Save", (58, 60), cv2.FONT_HERSHEY_SIMPLEX, 0.45, (0, 0, 0), 1)
    assert button.std() < 8  # what the old test (the spread of all pixels) called blank
    assert drawn(button)
    word = _page()
    cv2.putText(word, "OK", (900, 500), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1)
    assert drawn(word)
    speck = _page()
    speck[500:502, 900:902] = 0  # a stray dot is not a window
    assert not drawn(speck)
