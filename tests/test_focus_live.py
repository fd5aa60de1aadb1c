"""On an X display with no window manager, the window a program opens gets the keyboard and is named in front
(app/desktop/focus.py, app/desktop/windows.py), though a browser below it took the focus itself."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

from app.desktop.browser import ChromiumApp
from app.desktop.windows import WindowTitles
from app.engine.executor import DesktopExecutor
from planner.actions import Open
from tests.fakes import RecordingDriver

PAGE = "data:text/html,<title>Checkout</title><input autofocus>"


def _title_of(display: str, word: str, timeout: float = 10.0) -> str:
    titles = WindowTitles(display)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = titles.active()
            if word in now:
                return now
            time.sleep(0.2)
        return titles.active()
    finally:
        titles.close()


@pytest.mark.display
def test_an_opened_program_takes_the_keys_from_a_browser_in_front_of_it(xvfb, tmp_path):
    if not (shutil.which("xterm") and shutil.which("xdotool")):
        pytest.skip("xterm and xdotool are needed")
    got = tmp_path / "got.txt"
    with ChromiumApp(PAGE, xvfb.display, 800, 600):
        assert "Checkout" in _title_of(xvfb.display, "Checkout")  # the browser took the focus itself
        ex = DesktopExecutor(RecordingDriver(), workdir=str(tmp_path), display=xvfb.display)
        out = ex.execute(Open(app=f"xterm -geometry 60x10+0+0 -T Notes -e sh -c 'read line; echo $line > {got}'"))
        assert out.ok and "'Notes' is in front and has the keyboard" in out.output, out
        assert _title_of(xvfb.display, "Notes", timeout=2) == "Notes"  # what the legend's window: line says
        subprocess.run(["xdotool", "type", "--delay", "20", "hello\n"], env={**os.environ, "DISPLAY": xvfb.display},
                       check=True)
        deadline = time.monotonic() + 5
        while not got.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert got.read_text().strip() == "hello"  # the keys went to the program just opened, not the browser


@pytest.mark.display
def test_the_window_in_front_is_named_though_the_browser_below_keeps_the_focus(xvfb, tmp_path):
    if not shutil.which("xterm"):
        pytest.skip("xterm is needed")
    with ChromiumApp(PAGE, xvfb.display, 800, 600):
        assert "Checkout" in _title_of(xvfb.display, "Checkout")
        term = subprocess.Popen(["xterm", "-geometry", "60x10+0+0", "-T", "Notes"],
                                env={**os.environ, "DISPLAY": xvfb.display})
        try:
            assert _title_of(xvfb.display, "Notes") == "Notes"  # mapped over the browser, which still has the keys
        finally:
            term.terminate()
            term.wait(5)


@pytest.mark.display
def test_the_pointer_rests_in_an_opened_windows_corner_not_on_a_control_whose_tooltip_hides_others(xvfb, tmp_path):
    if not shutil.which("galculator"):
        pytest.skip("galculator is needed (make install installs it)")
    from Xlib.display import Display

    ex = DesktopExecutor(RecordingDriver(), workdir=str(tmp_path), display=xvfb.display)
    out = ex.execute(Open(app="galculator"))
    titles, x = WindowTitles(xvfb.display), Display(xvfb.display)
    window = titles.active_window()[1]
    try:
        assert out.ok and window, out
        time.sleep(1.5)  # longer than a tooltip takes to show (GTK: 0.5 s)
        assert titles.tooltips() == []  # at the window's centre the pointer rested on MS: "Save to memory"
        x0, _, _, y1 = titles.front()
        pointer = x.screen().root.query_pointer()
        assert (pointer.root_x, pointer.root_y) == (x0 + 1, y1 - 2)
    finally:
        if window:
            x.create_resource_object("window", window).kill_client()  # galculator and nothing else
            x.sync()
        x.close()
        titles.close()
