"""Desktop: one private virtual display with an application on it, driven by plain-language commands.

The YAML runner and the pytest ``desktop`` fixture both use it: ``launch`` an app or a page, ``do`` a
command, ``expect`` what must be true. Everything it starts is stopped by ``close``, pass or fail.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from app.desktop.a11y_bus import AccessibilityBus, chromium_flags
from app.desktop.browser import ChromiumApp
from app.desktop.capture import drawn, still_frame
from app.desktop.display_env import child_env, is_wayland, without_opencv
from app.desktop.processes import stop_group
from app.desktop.session import input_driver, screen_source
from app.desktop.windows import WindowTitles
from app.desktop.xvfb import VirtualDisplay
from app.engine.executor import DesktopExecutor
from app.engine.sandbox import find_sandbox
from app.engine.titled import TitledParser
from grounding.a11y_parser import A11yParser
from grounding.a11y_reader import AccessibilityReader, wait_for_windows
from grounding.coords import Frame
from grounding.locate import shows
from grounding.parser import ScreenParser
from planner.loop import RunResult
from planner.protocols import Parser
from planner.trajectory import Trajectory


class DesktopError(RuntimeError):
    """The application could not be started or shown; the message says what to check."""


@dataclass
class Check:
    ok: bool
    message: str


@dataclass
class Desktop:
    """A private display (its own Xvfb, or headless sway for ``session`` wayland, and temporary home) for one test."""

    out: Path
    width: int = 1024
    height: int = 768
    name: str = "desktop"
    a11y: bool = False
    policy_file: str = ""  # a TOML file whose [policy] table replaces the config file's
    session: str = "x11"  # x11 (Xvfb) or wayland (headless sway)
    home: Path | None = None
    home_name: str = ""  # the home folder's own name (a file dialog shows it); a random one when empty
    display: VirtualDisplay | None = None
    trajectory: Trajectory | None = None
    log: list[dict[str, Any]] = field(default_factory=list)
    _procs: list[subprocess.Popen] = field(default_factory=list)
    _chromium: ChromiumApp | None = None
    _source: Any = None
    _executor: DesktopExecutor | None = None
    _home_dir: tempfile.TemporaryDirectory | None = None
    _bus: AccessibilityBus | None = None
    _reader: AccessibilityReader | None = None
    _parser: Parser | None = None

    def start(self) -> Desktop:
        self._home_dir = tempfile.TemporaryDirectory(prefix="deskpilot-home-")
        self.home = Path(self._home_dir.name)
        if self.home_name:
            self.home = self.home / self.home_name
            self.home.mkdir()
        if self.session == "wayland":
            from app.desktop.wayland.sway import HeadlessSway

            self.display = HeadlessSway(self.width, self.height).start()  # type: ignore[assignment]
        else:
            self.display = VirtualDisplay(self.width, self.height).start()
        if self.a11y:
            self._bus = AccessibilityBus(self.display.display).start()
            self._reader = AccessibilityReader(session=self._bus.address, display=self.display.display)
        self._source = screen_source(self.display.display)
        self._executor = DesktopExecutor(input_driver("xtest", self.display.display), sandbox=find_sandbox()[0])
        self.trajectory = Trajectory.create(self.out, self.name, {"display": self.display.display}, name="run")
        return self

    def env(self) -> dict[str, str]:
        """What a launched program sees: this display, this home, our Python first on PATH, Qt on X11."""
        assert self.display and self.home
        env = without_opencv({k: v for k, v in os.environ.items()
                              if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "DISPLAY")})
        path = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        if self._bus:
            env.update(self._bus.app_env())
        return child_env(self.display.display, {**env, "HOME": str(self.home), "PATH": path,
                         "XDG_CONFIG_HOME": str(self.home / ".config"), "XDG_CACHE_HOME": str(self.home / ".cache")})

    def launch(self, command: str = "", open: str = "", cwd: Path | None = None, scale: float = 1.0,
               timeout: float = 20.0) -> None:
        """Start an application (a shell command) or open a page, and wait until it has drawn and holds still."""
        assert self.display
        if open:
            url = open if "://" in open else Path(open).resolve().as_uri()
            extra = chromium_flags(self._bus.address if self._bus else "")
            self._chromium = ChromiumApp(url, self.display.display, self.width, self.height, scale, extra=extra,
                                         env=self._bus.app_env() if self._bus else {}).start()
        elif command:
            self._procs.append(subprocess.Popen(command, shell=True, cwd=cwd or self.home, env=self.env(),
                                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                                start_new_session=True))
        else:
            raise DesktopError("launch needs a command or a page to open")
        self._wait_for_content(timeout, command or open)
        self._wait_for_tree(min(timeout, 10.0))

    def _wait_for_tree(self, timeout: float) -> None:
        """With a bus: until the tree describes a window (a page fills in its accessibility tree after it draws)."""
        if self._reader is not None:
            wait_for_windows(self._reader, timeout, (0, 0, self.width, self.height))

    def _wait_for_content(self, timeout: float, what: str) -> None:
        """Until the screen is drawn and holds still (a spinner may go on turning: see capture.still_frame); a
        launched program that exits first fails at once, with the last line it wrote."""
        seen = []  # whether any look was drawn: a screen that never held still is no empty screen

        def look() -> np.ndarray:
            for proc in self._procs:
                if proc.poll() is not None:
                    err = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace").strip()
                    tail = err.splitlines()[-1] if err else "no output"
                    raise DesktopError(f"{what!r} exited with status {proc.returncode} before showing a window "
                                       f"({tail}).")
            image = self.screenshot()
            seen.append(drawn(image))
            return image

        if still_frame(look, timeout, 0.25, drawn) is None:
            if any(seen):
                raise DesktopError(f"the screen kept changing for {timeout:g}s after starting {what!r}, more than "
                                   "a small animation does; give it a longer timeout or wait on what it shows.")
            raise DesktopError(f"nothing appeared on the screen within {timeout:g}s after starting {what!r}.")

    def parser(self) -> Parser:
        """The accessibility tree first when this desktop has a bus, pixels for the rest; pixels alone without; on
        X11 with what the window system says (the title, the tooltips), as `deskpilot run` wires it. One parser for
        the whole test, so each frame is read incrementally as in `deskpilot run`."""
        if self._parser is None:
            assert self.display
            frame = Frame(0, 0, self.width, self.height)
            parser: Parser = ScreenParser()
            if self._reader is not None:
                reader, screen = self._reader, (0, 0, self.width, self.height)
                parser = A11yParser(lambda: reader.read(screen), frame, parser)
            if self.session != "wayland":
                parser = TitledParser(parser, WindowTitles(self.display.display), frame)
            self._parser = parser
        return self._parser

    def screenshot(self) -> np.ndarray:
        assert self._source
        return self._source.capture().image

    def do(self, command: str, timeout: float = 20.0) -> RunResult:
        """Carry out a direct command on the screen, wired as `deskpilot run` wires it (policy file, grounders);
        the steps go into this desktop's trajectory."""
        from app.engine.compose import Parts, compose
        from app.engine.options import RunOptions

        assert self._source and self._executor and self.trajectory and self.display
        start = self.trajectory.steps
        options = RunOptions(task=command, display=self.display.display, max_steps=40, time_limit=timeout,
                             agent="direct", policy_file=self.policy_file)
        parts = Parts(source=self._source, executor=self._executor, parser=self.parser(), trajectory=self.trajectory)
        result = compose(options, parts=parts).run()
        self.log.append({"do": command, "status": result.status, "message": result.message,
                         "steps": list(range(start + 1, self.trajectory.steps + 1))})
        return result

    def expect(self, kind: str, value: Any, timeout: float = 10.0, base: Path | None = None) -> Check:
        """Check one expectation, retrying until it holds or ``timeout`` passes (absence is checked once settled)."""
        from app.testing import expectations

        check = expectations.CHECKS[kind]
        deadline = time.monotonic() + timeout
        if kind == "no_text":
            self._settle()
        while True:
            result = check(self, value, base or Path.cwd())
            if result.ok or kind == "no_text" or time.monotonic() >= deadline:
                self.log.append({"expect": kind, "value": value, "ok": result.ok, "message": result.message})
                return result
            time.sleep(0.3)

    def visible_text(self) -> str:
        return ScreenParser(incremental=False).parse(self.screenshot()).visible_text()

    def has_text(self, text: str) -> bool:
        return shows(self.visible_text(), text)

    def _settle(self, timeout: float = 2.0) -> None:
        still_frame(self.screenshot, timeout, 0.15)

    def close(self) -> None:
        """Stop the application, every process on this display, the display, and remove the home."""
        if self._chromium:
            self._chromium.stop()
            self._chromium = None
        for proc in self._procs:
            _kill_group(proc)
        self._procs.clear()
        if self.display:
            kill_display_clients(self.display.display)
        if self._source:
            getattr(self._source, "close", lambda: None)()
        if self._executor:
            self._executor.driver.close()
        if self._parser is not None:
            getattr(self._parser, "close", lambda: None)()  # the window system's connection; closes no reader
            self._parser = None
        if self._reader:
            self._reader.close()
        if self._bus:
            self._bus.stop()
        if self.display:
            self.display.stop()
            self.display = None
        if self._home_dir:
            self._home_dir.cleanup()
            self._home_dir = None

    def __enter__(self) -> Desktop:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()


def _kill_group(proc: subprocess.Popen) -> None:
    stop_group(proc)
    if proc.stderr:
        proc.stderr.close()


def kill_display_clients(display: str) -> list[int]:
    """Kill processes whose environment points at ``display`` (strays that left their process group)."""
    killed = []
    me = os.getpid()
    needle = f"{'WAYLAND_DISPLAY' if is_wayland(display) else 'DISPLAY'}={display}\0".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == me:
            continue
        try:
            if needle in (entry / "environ").read_bytes() + b"\0":
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
        except (OSError, PermissionError):
            continue
    return killed
