"""Stopping what we started: a whole process group, and only when every member is really gone."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path


def group_members(pgid: int) -> list[int]:
    """Live (non-zombie) processes in process group ``pgid``."""
    members = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(entry.name))
    return members


def stop_group(proc: subprocess.Popen, grace: float = 3.0) -> None:
    """SIGTERM the process group led by ``proc``, wait for every member, SIGKILL whatever is left."""
    pgid = proc.pid
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, grace)):
        try:
            os.killpg(pgid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if proc.poll() is not None and not group_members(pgid):
                break
            time.sleep(0.05)
        else:
            continue
        break
    try:
        proc.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        pass


def remove_when_gone(pgid: int, folders: list[str], every: float = 2.0) -> None:
    """Wait until process group ``pgid`` has no live member, then remove ``folders``."""
    while group_members(pgid):
        time.sleep(every)
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def hand_over(pgid: int, folders: list[str]) -> subprocess.Popen:
    """Have ``folders`` removed once process group ``pgid`` is gone, by a watcher that outlives this process: a
    window left open for a person needs its profile until it is closed, which may be long after we exit."""
    root = str(Path(__file__).resolve().parents[2])
    # no display in its environment: a desktop's end kills whatever has its DISPLAY (kill_display_clients), and
    # the watcher must outlive the window it waits for
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return subprocess.Popen([sys.executable, "-m", "app.desktop.processes", str(pgid), *folders], env=env, cwd="/",
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


if __name__ == "__main__":  # hand_over's watcher
    remove_when_gone(int(sys.argv[1]), sys.argv[2:])
