"""The app for real on Xvfb: it runs a task on its own screen, steps aside, stays out of the agent's screenshots,
and the global hotkey (sent with xdotool) or the screen corner stops it mid-typing (`deskpilot bench stop` measures
how soon: the 300 ms target)."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.desktop.browser import ChromiumApp
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.masked import MASK_RGB
from app.desktop.processes import stop_group
from app.desktop.xvfb import VirtualDisplay
from app.qt.views.overlay import MARGIN, SIZE

pytestmark = [pytest.mark.display, pytest.mark.browser]
FORM = Path(__file__).resolve().parent.parent / "assets" / "demo" / "form.html"
W, H = 1280, 800
LONG_TEXT = "the quick brown fox jumps over the lazy dog " * 400  # far more than a stop takes to land
TASK = f'type "{LONG_TEXT.strip()}" into the Name field and click Save'


@pytest.fixture
def screen():
    with VirtualDisplay(W, H) as vd, ChromiumApp(FORM.as_uri(), vd.display, W, H):
        wait_for_content(vd.display)
        yield vd.display


def start_app(display: str, home: Path) -> subprocess.Popen:
    config = home / "config" / "deskpilot" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(f'[app]\nruns_dir = "{home / "runs"}"\nhotkey = "<ctrl>+<alt>+s"\n')  # default input driver
    env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    env.update(DISPLAY=display, XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))
    return subprocess.Popen([sys.executable, "-m", "app.cli", "app", TASK, "--run"], env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_for(cond, timeout: float, what: str, proc: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        if proc.poll() is not None:
            pytest.fail(f"the app exited ({proc.returncode}) while waiting for {what}: {proc.stderr.read().decode()}")
        time.sleep(0.01)
    pytest.fail(f"timed out waiting for {what}")


def run_folder(home: Path) -> Path | None:
    folders = [p for p in (home / "runs").glob("*") if (p / "traj.jsonl").exists()]
    return folders[0] if folders else None


def steps_written(folder: Path) -> int:
    return len((folder / "traj.jsonl").read_text().splitlines())


def assert_typing_cut_short(folder: Path) -> None:
    """The typing step was stopped part-way, and is on record with the characters it had typed."""
    steps = [json.loads(line) for line in (folder / "traj.jsonl").read_text().splitlines()]
    assert len(steps) == 2, "the click and the typing step cut short (the Name field shows nothing to select)"
    typing = steps[1]
    assert typing["action"]["kind"] == "type" and typing["outcome"]["stopped"]
    typed = int(re.search(r"after typing (\d+) of", typing["outcome"]["error"]).group(1))
    assert 0 < typed < len(LONG_TEXT.strip())
    assert typing["outcome"]["output"] == LONG_TEXT[:typed][-2000:]  # the record keeps the last 2000 characters


def visible_window(display: str, name: str) -> bool:
    out = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", name], capture_output=True, text=True,
                         env={**os.environ, "DISPLAY": display})
    return bool(out.stdout.strip())


def overlay_box() -> tuple[int, int, int, int]:
    x0, y0 = (W - SIZE[0]) // 2, H - SIZE[1] - MARGIN
    return x0, y0, x0 + SIZE[0], y0 + SIZE[1]


def stop_mid_typing(display: str, home: Path, xdotool_command: str) -> tuple[Path, float, np.ndarray]:
    """Start the app's run, wait until it types, stop it with ``xdotool_command``; (folder, latency, raw screen).

    xdotool is started first and handed its command on stdin when the clock starts, so the latency counts
    xdotool sending the key (or moving the pointer) and our stop, not the start of a process on a busy machine."""
    proc = start_app(display, home)
    try:
        folder = wait_for(lambda: run_folder(home), 60, "the run to start", proc)
        wait_for(lambda: steps_written(folder) >= 1, 60, "the click step", proc)
        time.sleep(0.4)  # the typing step is under way (what it typed is checked from the record)
        raw = MssScreenSource(display).capture().image
        assert not (folder / "result.txt").exists(), "the run ended before it could be stopped"
        xdotool = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE, text=True,
                                   env={**os.environ, "DISPLAY": display})
        time.sleep(0.2)  # let it start and wait for its script
        t_key = time.time()
        xdotool.communicate(xdotool_command + "\n", timeout=10)
        result = wait_for(lambda: (folder / "result.txt").exists() and folder / "result.txt", 5, "the stop", proc)
        latency = result.stat().st_mtime - t_key
        wait_for(lambda: visible_window(display, "^DeskPilot$"), 10, "the main window to come back", proc)
        return folder, latency, raw
    finally:
        stop_group(proc)


def test_hotkey_stops_mid_typing_and_the_app_stays_out_of_the_screenshots(screen, tmp_path):
    baseline = MssScreenSource(screen).capture().image
    folder, latency, raw = stop_mid_typing(screen, tmp_path, "key ctrl+alt+s")
    print(f"hotkey stop latency: {latency * 1000:.0f} ms")
    status, message = (folder / "result.txt").read_text().splitlines()[:2]
    assert status == "stopped" and "hotkey" in message
    assert latency < 1.0, "the stop waited for the step to end"
    assert_typing_cut_short(folder)
    # the status window was on the screen mid-run, but the agent's screenshot has only the mask there
    x0, y0, x1, y1 = overlay_box()
    first = np.asarray(Image.open(folder / "step_1.png").convert("RGB"))
    assert not np.all(raw[y0 + 5:y1 - 5, x0 + 5:x1 - 5] == MASK_RGB), "the status window was not on the screen"
    assert np.all(first[y0 + 2:y1 - 2, x0 + 2:x1 - 2] == MASK_RGB)
    # and the main window never reached the agent: apart from the mask, step 1 is the page as it was before
    outside = np.ones(first.shape[:2], bool)
    outside[y0 - 1:y1 + 1, x0 - 1:x1 + 1] = False
    assert np.abs(first[outside].astype(int) - baseline[outside].astype(int)).mean() < 0.5


def test_screen_corner_stops_mid_typing(screen, tmp_path):
    folder, latency, _ = stop_mid_typing(screen, tmp_path, "mousemove 0 0")
    print(f"corner stop latency: {latency * 1000:.0f} ms")
    status, message = (folder / "result.txt").read_text().splitlines()[:2]
    assert status == "stopped" and "top-left corner" in message
    assert latency < 1.0, "the stop waited for the step to end"
    assert_typing_cut_short(folder)
