"""Real desktop I/O on Xvfb: the display, capture, and input landing where it was sent."""

import os
import subprocess
from pathlib import Path

import pytest

from app.desktop.capture import CaptureError, MssScreenSource
from app.desktop.input import PyAutoGuiDriver, XdotoolDriver
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


@pytest.mark.parametrize("driver_cls", [PyAutoGuiDriver, XdotoolDriver])
def test_input_lands_where_it_was_sent(xvfb, driver_cls):
    driver = driver_cls(xvfb.display)
    driver.move(123, 456)
    assert pointer(xvfb.display) == (123, 456)
    driver.click(700, 50)
    assert pointer(xvfb.display) == (700, 50)
