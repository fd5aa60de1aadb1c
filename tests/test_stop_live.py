"""`deskpilot run` on a display a person sits at (Xvfb here) is stopped mid-typing by the global hotkey (sent with
xdotool) and by the pointer pushed into a corner, and nothing it typed became a shortcut: the page counts every key
pressed with Ctrl, Alt or Meta held, and its count stays at zero. How soon it stops (the 300 ms target) is measured
by `deskpilot bench stop`; here a stop only has to land mid-step, well before the text is typed out."""

import os
import re
import subprocess
import time
from pathlib import Path

import pytest

from app.bench.stop import stop_run
from app.desktop.browser import ChromiumApp
from app.desktop.capture import wait_for_content
from app.desktop.windows import WindowTitles
from app.desktop.xvfb import VirtualDisplay

pytestmark = [pytest.mark.display, pytest.mark.browser]
PAGE = Path(__file__).resolve().parent / "pages" / "shortcut_counter.html"
TEXT = "the quick brown fox jumps over the lazy dog " * 400  # far more than a stop takes to land
TASK = f'click the Notes field, then type "{TEXT.strip()}"'


@pytest.fixture
def page():
    with VirtualDisplay(1024, 700) as vd, ChromiumApp(PAGE.as_uri(), vd.display, 1024, 700):
        wait_for_content(vd.display)
        titles = WindowTitles(vd.display)
        yield vd.display, titles
        titles.close()


def counts(titles: WindowTitles) -> tuple[int, int]:
    """(shortcuts, plain keys) from the page's title."""
    m = re.search(r"shortcuts (\d+) typed (\d+)", titles.active())
    return (int(m.group(1)), int(m.group(2))) if m else (-1, -1)


@pytest.mark.parametrize("how", ["hotkey", "corner"])
def test_run_stops_mid_typing_and_no_shortcut_fires(page, tmp_path, how):
    display, titles = page
    stopped = stop_run(display, TASK, tmp_path, how, lambda folder: counts(titles)[1] >= 16)
    latency, out, folder = stopped.latency, stopped.output, stopped.folder
    print(f"{how} stop latency: {latency * 1000:.0f} ms")
    assert "stop: press Ctrl+Alt+Shift+S or push the pointer into a screen corner" in out.splitlines()[1]
    status, message = (folder / "result.txt").read_text().splitlines()[:2]
    assert status == "stopped" and ("hotkey" in message if how == "hotkey" else "corner" in message)
    assert latency < 1.0, "the stop waited for the step to end"
    at_stop = counts(titles)[1]
    typed, deadline = -1, time.monotonic() + 20
    while typed != counts(titles)[1] and time.monotonic() < deadline:  # keys already sent still reach the page
        typed = counts(titles)[1]
        time.sleep(0.5)
    print(f"keys the page took after the stop: {typed - at_stop}")
    assert typed - at_stop <= 16, "keys sent before the stop were still arriving: typing outran the page"
    shortcuts, typed = counts(titles)
    assert shortcuts == 0 and 16 <= typed < len(TEXT.strip()), (shortcuts, typed)
    assert (folder / "traj.jsonl").read_text().count("\n") >= 1
    # the counter does count: a Ctrl chord now (the run is over) is one shortcut
    subprocess.run(["xdotool", "key", "ctrl+b"], env={**os.environ, "DISPLAY": display}, check=True)
    deadline = time.monotonic() + 3
    while counts(titles)[0] != 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert counts(titles)[0] == 1
