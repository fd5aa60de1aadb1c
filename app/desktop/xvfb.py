"""VirtualDisplay: an Xvfb server on a free display number, started, waited for, and always cleaned up."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


class DisplayError(RuntimeError):
    """The virtual display could not be started; the message says what to install or change."""


def _display_taken(n: int) -> bool:
    return Path(f"/tmp/.X{n}-lock").exists() or Path(f"/tmp/.X11-unix/X{n}").exists()


def free_display_number(start: int = 90, stop: int = 600) -> int:
    for n in range(start, stop):
        if not _display_taken(n):
            return n
    raise DisplayError(f"No free X display number between :{start} and :{stop - 1}; stop stale Xvfb servers.")


def display_answers(display: str, timeout: float = 0.5) -> bool:
    """Whether an X server accepts connections on ``display`` (":N")."""
    n = display.split(":")[-1].split(".")[0]
    path = f"/tmp/.X11-unix/X{n}"
    if not os.path.exists(path):
        return False
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(path)
        return True
    except OSError:
        return False
    finally:
        s.close()


@dataclass
class VirtualDisplay:
    """``with VirtualDisplay(1280, 800) as vd:`` gives ``vd.display`` (":N") for the duration of the block.

    ``screens`` > 1 lays out that many monitors side by side, joined with Xinerama.
    """

    width: int = 1280
    height: int = 800
    depth: int = 24
    screens: int = 1
    dpi: int = 96
    display: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, timeout: float = 10.0) -> VirtualDisplay:
        if shutil.which("Xvfb") is None:
            raise DisplayError("Xvfb is not installed: run `make install` (or `apt-get install xvfb`).")
        for _ in range(5):
            n = free_display_number()
            cmd = ["Xvfb", f":{n}", "-nolisten", "tcp", "-dpi", str(self.dpi), "-noreset", "+extension", "RANDR"]
            for i in range(self.screens):
                cmd += ["-screen", str(i), f"{self.width}x{self.height}x{self.depth}"]
            if self.screens > 1:
                cmd += ["+xinerama"]
            self.process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                            start_new_session=True)
            self.display = f":{n}"
            if self._wait(timeout):
                return self
            self.stop()
        raise DisplayError("Xvfb did not start; check that /tmp is writable and no other X server is stuck.")

    def _wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                return False
            if display_answers(self.display):
                return True
            time.sleep(0.05)
        return False

    def stop(self) -> None:
        proc, self.process = self.process, None
        if proc is None:
            return
        if proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
                proc.wait(timeout=5)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        if proc.stderr:
            proc.stderr.close()

    def env(self) -> dict[str, str]:
        """The environment for a child process that should draw on this display."""
        return {**os.environ, "DISPLAY": self.display}

    def __enter__(self) -> VirtualDisplay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
