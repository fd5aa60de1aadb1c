"""`deskpilot bench stop`: how soon `deskpilot run` on a watched display stops after the hotkey or the corner.

Each trial starts a real run (the direct-command interpreter, the default XTest input) that types a long text
into the demo form's Name field in Chromium on a private Xvfb, waits until it is typing, then has xdotool press
Ctrl+Alt+Shift+S or push the pointer into the top-left corner. The latency is from xdotool being handed its
command to the run's result.txt being written (the run has stopped and said so).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
FORM = ROOT / "assets" / "demo" / "form.html"
TARGET_MS = 300.0
METHODS = {"hotkey": "key ctrl+alt+shift+s", "corner": "mousemove 0 0"}
LONG_TEXT = "the quick brown fox jumps over the lazy dog " * 400  # far longer than any stop takes to land


class StopBenchError(RuntimeError):
    """A trial could not be run (the run exited early, never typed, or never stopped)."""


@dataclass(frozen=True, kw_only=True)
class Stopped:
    """One stop: how it was asked for, how long it took, what the run printed and where it was recorded."""

    how: str
    latency: float
    output: str
    folder: Path


def _wait(cond: Callable[[], object], timeout: float, what: str, proc: subprocess.Popen) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = cond()
        if value:
            return value
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise StopBenchError(f"the run exited ({proc.returncode}) while waiting for {what}: {out.strip()}")
        time.sleep(0.01)
    raise StopBenchError(f"timed out after {timeout:g} s waiting for {what}")


def _folder(runs: Path) -> Path | None:
    return next((p for p in runs.glob("*") if (p / "traj.jsonl").exists()), None) if runs.exists() else None


def stop_run(display: str, task: str, home: Path, how: str,
             typing: Callable[[Path], bool] = lambda folder: True) -> Stopped:
    """Start `deskpilot run TASK` on ``display``, wait until ``typing(run folder)`` holds, stop it ``how``.

    xdotool is started first and handed its command on stdin when the clock starts, so the latency counts
    xdotool's input and the stop, not starting a process on a loaded machine."""
    from app.desktop.processes import stop_group

    runs = home / "runs"
    env = {**os.environ, "DISPLAY": display, "XDG_CONFIG_HOME": str(home / "config")}
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "run", task, "--display", display, "--out", str(runs)],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, text=True, start_new_session=True)
    try:
        folder = _wait(lambda: _folder(runs), 90, "the run to start", proc)
        _wait(lambda: typing(folder), 90, "the typing to start", proc)  # type: ignore[arg-type]
        xdotool = subprocess.Popen(["xdotool", "-"], stdin=subprocess.PIPE, text=True,
                                   env={**os.environ, "DISPLAY": display})
        time.sleep(0.2)  # let xdotool start and wait for its script
        t0 = time.time()
        xdotool.communicate(METHODS[how] + "\n", timeout=10)
        result = _wait(lambda: (folder / "result.txt").exists() and folder / "result.txt", 10, "the stop", proc)
        latency = result.stat().st_mtime - t0  # type: ignore[union-attr]
        out, _ = proc.communicate(timeout=30)
        return Stopped(how=how, latency=latency, output=out, folder=folder)  # type: ignore[arg-type]
    finally:
        stop_group(proc)


def typing_on_form(folder: Path) -> bool:
    """The click on the Name field and the select-all are on record, and the typing has had 0.3 s to get going."""
    if len((folder / "traj.jsonl").read_text().splitlines()) < 2:
        return False
    time.sleep(0.3)
    return True


@dataclass(frozen=True, kw_only=True)
class Trial:
    """One trial's figures."""

    how: str
    latency_ms: float
    stopped: bool  # the run said it was stopped (not done, not failed)


def trial(display: str, how: str) -> Trial:
    """One stop of a fresh run on the demo form (it selects the Name field's text first, so each trial starts over)."""
    # out of the corner the last trial left it in: a pointer already there is no request to stop
    subprocess.run(["xdotool", "mousemove", "400", "300"], env={**os.environ, "DISPLAY": display}, check=True)
    with tempfile.TemporaryDirectory(prefix="deskpilot-bench-stop-") as home:
        task = f'type "{LONG_TEXT.strip()}" into the Name field'
        stopped = stop_run(display, task, Path(home), how, typing_on_form)
        status = (stopped.folder / "result.txt").read_text().splitlines()[0]
        return Trial(how=how, latency_ms=round(stopped.latency * 1000, 1), stopped=status == "stopped")


def summarise(trials: list[Trial]) -> dict:
    """Per method: median, 90th percentile and worst latency, and how many trials stopped within the target."""
    out: dict = {"target_ms": TARGET_MS, "trials": [asdict(t) for t in trials], "methods": {}}
    for how in METHODS:
        ms = sorted(t.latency_ms for t in trials if t.how == how)
        if not ms:
            continue
        out["methods"][how] = {
            "trials": len(ms), "median_ms": round(statistics.median(ms), 1),
            "p90_ms": ms[min(len(ms) - 1, int(0.9 * len(ms)))], "worst_ms": ms[-1],
            "within_target": sum(m <= TARGET_MS for m in ms),
            "all_stopped": all(t.stopped for t in trials if t.how == how)}
    return out


def run(trials: int, methods: tuple[str, ...], on_trial: Callable[[Trial], None]) -> dict:
    """``trials`` stops per method on one Xvfb + Chromium showing the demo form."""
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.xvfb import VirtualDisplay

    done: list[Trial] = []
    with VirtualDisplay(1280, 800) as vd, ChromiumApp(FORM.as_uri(), vd.display, 1280, 800):
        wait_for_content(vd.display)
        for _ in range(trials):
            for how in methods:
                done.append(trial(vd.display, how))
                on_trial(done[-1])
    return summarise(done)
