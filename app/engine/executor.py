"""DesktopExecutor: carries out actions with an input driver; code runs in the sandbox (app.engine.sandbox) with a
timeout, an output cap and an environment without secrets; opened programs get that environment too."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any

from app.desktop.display_env import child_env, without_opencv
from app.desktop.focus import focus_new_window, viewable_windows
from app.desktop.input import InputDriver, InputError
from app.desktop.processes import stop_group
from app.engine.sandbox import TRIES, UNBUILT
from planner.actions import (
    Action,
    AskUser,
    Click,
    Done,
    Drag,
    Fail,
    Focus,
    Key,
    Move,
    Open,
    RunCode,
    Scroll,
    TypeText,
    Wait,
)
from planner.control import RunControl, Stopped
from planner.protocols import Outcome
from planner.rules import resolve_folder

SECRET_MARKERS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")
OUTPUT_CAP = 20_000


TYPE_CHUNK = 8  # characters typed between stop checks: a stop lands within a few keystrokes
LOCATION_OPENS = 0.4  # seconds a file chooser takes to open its location box on a path's first '/' or '~'
OPEN_SETTLE = 1.0  # seconds an opened program is watched: one that dies at once is said to have died


@dataclass
class DesktopExecutor:
    """Executes actions on the desktop; the loop's policy gate has already allowed each one (code included)."""

    driver: InputDriver
    workdir: str | None = None
    display: str | None = None  # where opened applications show their windows
    control: RunControl = field(default_factory=RunControl)
    sandbox: Any = None  # app.engine.sandbox.Bubblewrap, or None: the policy then had a person allow each run
    app_env: dict[str, str] = field(default_factory=dict)  # more for opened programs (an accessibility bus)

    def execute(self, action: Action) -> Outcome:
        try:
            return self._execute(action)
        except InputError as exc:
            return Outcome(ok=False, error=str(exc))

    def _execute(self, action: Action) -> Outcome:
        match action:
            case Click(x=x, y=y, button=b, count=c, hold=hold):
                if hold:
                    self.driver.click(round(x), round(y), b, c, hold=hold)
                else:
                    self.driver.click(round(x), round(y), b, c)
            case Move(x=x, y=y):
                self.driver.move(round(x), round(y))
            case Drag(x=x, y=y, to_x=tx, to_y=ty):
                self.driver.drag(round(x), round(y), round(tx), round(ty))
            case Scroll(x=x, y=y, dx=dx, dy=dy):
                self.driver.scroll(round(x), round(y), dx, dy)
            case TypeText():
                return self._type(action)
            case Key(keys=keys, repeat=n):
                for _ in range(n):
                    self.control.checkpoint()
                    self.driver.press(keys)
            case Wait(seconds=s):
                self.control.sleep(s)
            case RunCode():
                return self._run_code(action)
            case Open(app=app):
                return self._open(app)
            case Focus(window=title):
                from app.desktop.focus import focus_window

                return focus_window(self.display, title)
            case Done() | Fail() | AskUser():
                pass  # they end the run; the loop records them and touches nothing on the desktop
        return Outcome(ok=True)

    def _type(self, action: TypeText) -> Outcome:
        """Type in chunks; a stop between two (or inside one: the key guard stops too) ends the step with what was
        typed so far, a secret's characters counted but not shown."""
        text = action.text
        for i in _chunk_starts(text):
            try:
                self.control.checkpoint()
                self.driver.type_text(text[i:_chunk_end(text, i)])
                if i == 0 and _opens_a_location(text):
                    time.sleep(LOCATION_OPENS)
            except Stopped as exc:
                typed = f"({i} characters of a secret, hidden)" if action.secret else text[:i]
                return Outcome(ok=False, output=typed, error=f"Cut short after typing {i} of {len(text)} characters: "
                                                             f"{exc}")
        return Outcome(ok=True)

    def _open(self, app: str) -> Outcome:
        try:
            argv = shlex.split(app)
        except ValueError as exc:
            return Outcome(ok=False, error=f"Could not read the command line {app!r}: {exc}.")
        if not shutil.which(argv[0]):
            return Outcome(ok=False, error=f"There is no application called {argv[0]!r} on this machine.")
        env = clean_env()
        env.update({k: os.environ[k] for k in ("XAUTHORITY",) if k in os.environ})  # a path it needs to draw
        env.update(self.app_env)
        env = child_env(self.display, env) if self.display else env
        before = viewable_windows(self.display)
        with tempfile.TemporaryFile() as err:
            # in the person's home, not the run's work folder: a program's Save As opens where it was started,
            # and the work folder is removed with the run (a file saved there by name was lost)
            home = env.get("HOME") or os.path.expanduser("~")
            proc = subprocess.Popen(argv, cwd=home if os.path.isdir(home) else None, env=env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
            deadline = time.monotonic() + OPEN_SETTLE
            while proc.poll() is None and time.monotonic() < deadline:
                self.control.sleep(0.05)
            if proc.returncode is None:
                return Outcome(ok=True, output=f"started {argv[0]}{self._front(before)}")
            err.seek(0)
            last = next((line for line in reversed(err.read().decode(errors="replace").splitlines()) if line.strip()),
                        "")
        ended = _ended(argv[0], proc.returncode, last.strip()[:200], before, viewable_windows(self.display))
        return Outcome(ok=True, output=ended.output + self._front(before)) if ended.ok else ended

    def _front(self, before: set[int] | None) -> str:
        """Bring the window a program just opened to the front with the keyboard (no window manager does it on a
        bare X server); the words that say so, or "" when no new window showed."""
        if before is None:
            return ""
        name = focus_new_window(self.display, before, self.control.sleep)
        return f"; its window {name!r} is in front and has the keyboard" if name else ""

    def _run_code(self, action: RunCode) -> Outcome:
        workdir = self.workdir or tempfile.mkdtemp(prefix="deskpilot-code-")
        cmd = [sys.executable, "-c", action.code] if action.language == "python" else ["bash", "-c", action.code]
        env = clean_env()
        writes = tuple(resolve_folder(w, workdir) for w in action.writes) if self.sandbox is not None else ()
        for folder in writes:  # the person approved these folders; the sandbox binds only what exists
            os.makedirs(folder, exist_ok=True)
        for _ in range(TRIES):
            wrapped = cmd if self.sandbox is None else self.sandbox.wrap(
                cmd, workdir=os.path.realpath(workdir), writes=writes, network=action.network, env=env)
            status, output, error = self._wait_for(wrapped, workdir, env, action.timeout)
            if self.sandbox is None or status != 1 or not output.startswith(UNBUILT):
                break  # else a socket it covers went away before it started, so it ran nothing: build it again
        if error:
            return Outcome(ok=False, output=output, error=error)
        if status != 0:
            return Outcome(ok=False, output=output, error=f"The code exited with status {status}.")
        return Outcome(ok=True, output=output)

    def _wait_for(self, cmd: list[str], workdir: str, env: dict[str, str], timeout: float) -> tuple[int, str, str]:
        """Run ``cmd`` to its end, a stop or ``timeout``: its status, its output's tail, and why it was cut short."""
        with tempfile.TemporaryFile("w+") as out:
            proc = subprocess.Popen(cmd, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, text=True, start_new_session=True)
            deadline, error = time.monotonic() + timeout, ""
            while proc.poll() is None:
                if self.control.stopped or time.monotonic() > deadline:
                    stop_group(proc)
                    error = ("Stopped by the user while the code ran." if self.control.stopped
                             else f"The code ran longer than {timeout:g}s and was stopped.")
                    break
                time.sleep(0.02)
            out.seek(0)
            return proc.returncode if proc.returncode is not None else -1, out.read()[-OUTPUT_CAP:], error


def _ended(name: str, status: int, last: str, before: set[int] | None, after: set[int] | None) -> Outcome:
    """What the model hears of a program that exited as soon as it was opened: its status and last error line, and
    where it exited cleanly without a new window, that it may have handed over to an instance already running."""
    said = f"; its last error line: {last!r}" if last else ""
    if status != 0:
        return Outcome(ok=False, error=f"{name} exited at once with status {status}{said}.")
    if before is not None and after is not None and after - before:
        return Outcome(ok=True, output=f"started {name}; it exited once its window was open")
    window = " and no new window appeared" if before is not None and after is not None else ""
    return Outcome(ok=False, error=f"{name} exited at once (status 0){window}: it may have handed over to an "
                                   f"instance already running, on this display or another one{said}.")


def clean_env() -> dict[str, str]:
    """The environment for model-written code and opened programs: ours, minus anything that looks like a secret
    and what OpenCV's import put in it."""
    return without_opencv({k: v for k, v in os.environ.items() if not any(m in k.upper() for m in SECRET_MARKERS)})


def _opens_a_location(text: str) -> bool:
    """A path typed into a GTK file chooser: its first '/' or '~' opens the location box, and the keys typed while
    it opens are lost ('/tmp' arrives as '/mp'), so that key goes alone and the rest waits for the box."""
    return len(text) > 1 and text[0] in "/~"


def _chunk_starts(text: str) -> list[int]:
    """Where each chunk typed between stop checks starts: a path's opening key is a chunk of its own."""
    if _opens_a_location(text):
        return [0, *range(1, len(text), TYPE_CHUNK)]
    return list(range(0, len(text), TYPE_CHUNK))


def _chunk_end(text: str, start: int) -> int:
    return 1 if start == 0 and _opens_a_location(text) else start + TYPE_CHUNK
