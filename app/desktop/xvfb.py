"""VirtualDisplay: an Xvfb server on a free display number, started, waited for, and always cleaned up."""

from __future__ import annotations

import os
import select
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field

from app.desktop.processes import stop_group


class DisplayError(RuntimeError):
    """The virtual display could not be started; the message says what to install or change."""


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

    ``screens`` > 1 lays out that many monitors side by side, joined with Xinerama. Xvfb's own Xinerama puts
    every screen at (0, 0), so for several monitors Xvfb only hosts a nested Xephyr server whose screens sit
    side by side, as on a real two-monitor desktop; ``display`` is then Xephyr's.
    """

    width: int = 1280
    height: int = 800
    depth: int = 24
    screens: int = 1
    dpi: int = 96
    display: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)
    host: subprocess.Popen | None = field(default=None, repr=False)  # the Xvfb under a multi-monitor Xephyr

    def start(self, timeout: float = 10.0) -> VirtualDisplay:
        """Start Xvfb; the server claims a free display number itself (-displayfd), so parallel starts never
        collide, and writes it to us once it accepts connections."""
        if shutil.which("Xvfb") is None:
            raise DisplayError("Xvfb is not installed: run `make install` (or `apt-get install xvfb`).")
        size = f"{self.width * self.screens}x{self.height}x{self.depth}"
        # RECORD: pynput's global hotkey listener reads keys through it
        cmd = ["Xvfb", "-nolisten", "tcp", "-dpi", str(self.dpi), "-noreset", "+extension", "RANDR",
               "+extension", "RECORD", "-screen", "0", size]
        self.display = self._launch(cmd, "Xvfb", timeout, {})
        if self.screens > 1:
            if shutil.which("Xephyr") is None:
                self.stop()
                raise DisplayError("Several virtual monitors need Xephyr: run `make install` (or `apt-get "
                                   "install xserver-xephyr`).")
            self.host, self.process = self.process, None
            cmd = ["Xephyr", "-nolisten", "tcp", "-dpi", str(self.dpi), "-noreset", "-ac", "+xinerama",
                   "+extension", "RECORD"]
            for i in range(self.screens):
                cmd += ["-screen", f"{self.width}x{self.height}+{i * self.width}+0"]
            self.display = self._launch(cmd, "Xephyr", timeout, {"DISPLAY": self.display})
        return self

    def _launch(self, cmd: list[str], name: str, timeout: float, env: dict[str, str]) -> str:
        read_fd, write_fd = os.pipe()
        try:
            self.process = subprocess.Popen([cmd[0], "-displayfd", str(write_fd), *cmd[1:]], stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, pass_fds=(write_fd,), start_new_session=True,
                                            env={**os.environ, **env})
        finally:
            os.close(write_fd)
        try:
            number = self._read_number(read_fd, timeout)
        finally:
            os.close(read_fd)
        if number is None:
            err = self._stderr_tail()
            self.stop()
            raise DisplayError(f"{name} did not start ({err or 'no answer'}); check that /tmp is writable.")
        return f":{number}"

    def _read_number(self, fd: int, timeout: float) -> int | None:
        deadline, data = time.monotonic() + timeout, b""
        while time.monotonic() < deadline and b"\n" not in data:
            ready, _, _ = select.select([fd], [], [], 0.1)
            if ready:
                chunk = os.read(fd, 64)
                if not chunk:
                    break
                data += chunk
            elif self.process is not None and self.process.poll() is not None:
                break
        return int(data) if data.strip().isdigit() else None

    def _stderr_tail(self) -> str:
        if self.process is None or self.process.stderr is None or self.process.poll() is None:
            return ""
        lines = self.process.stderr.read().decode(errors="replace").strip().splitlines()
        return lines[-1] if lines else ""

    def stop(self) -> None:
        for proc in (self.process, self.host):
            if proc is None:
                continue
            stop_group(proc)
            if proc.stderr:
                proc.stderr.close()
        self.process = self.host = None

    def env(self) -> dict[str, str]:
        """The environment for a child process that should draw on this display."""
        return {**os.environ, "DISPLAY": self.display}

    def __enter__(self) -> VirtualDisplay:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
