"""DesktopExecutor: carries out actions with an input driver; code actions run in a bounded shell sandbox."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field

from app.desktop.input import InputDriver, InputError
from app.desktop.processes import stop_group
from planner.actions import Action, AskUser, Click, Done, Drag, Fail, Key, Move, Open, RunCode, Scroll, TypeText, Wait
from planner.control import RunControl
from planner.protocols import Outcome

SECRET_MARKERS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")
OUTPUT_CAP = 20_000


TYPE_CHUNK = 8  # characters typed between stop checks: a stop lands within a few keystrokes


@dataclass
class DesktopExecutor:
    """Executes actions on the desktop; the loop's policy gate has already allowed each one (code included)."""

    driver: InputDriver
    workdir: str | None = None
    display: str | None = None  # where opened applications show their windows
    control: RunControl = field(default_factory=RunControl)

    def execute(self, action: Action) -> Outcome:
        try:
            return self._execute(action)
        except InputError as exc:
            return Outcome(ok=False, error=str(exc))

    def _execute(self, action: Action) -> Outcome:
        match action:
            case Click(x=x, y=y, button=b, count=c, hold=h):
                self.driver.click(round(x), round(y), b, c, *([h] if h else []))
            case Move(x=x, y=y):
                self.driver.move(round(x), round(y))
            case Drag(x=x, y=y, to_x=tx, to_y=ty):
                self.driver.drag(round(x), round(y), round(tx), round(ty))
            case Scroll(x=x, y=y, dx=dx, dy=dy):
                self.driver.scroll(round(x), round(y), dx, dy)
            case TypeText(text=text):
                for i in range(0, len(text), TYPE_CHUNK):
                    self.control.checkpoint()
                    self.driver.type_text(text[i:i + TYPE_CHUNK])
            case Key(keys=keys, times=n):
                for _ in range(n):
                    self.control.checkpoint()
                    self.driver.press(keys)
            case Wait(seconds=s):
                self.control.sleep(s)
            case RunCode():
                return self._run_code(action)
            case Open(app=app):
                return self._open(app)
            case Done() | Fail() | AskUser():
                pass  # they end the run; the loop records them and touches nothing on the desktop
        return Outcome(ok=True)

    def _open(self, app: str) -> Outcome:
        try:
            argv = shlex.split(app)
        except ValueError as exc:
            return Outcome(ok=False, error=f"Could not read the command line {app!r}: {exc}.")
        if not shutil.which(argv[0]):
            return Outcome(ok=False, error=f"There is no application called {argv[0]!r} on this machine.")
        env = dict(os.environ, DISPLAY=self.display) if self.display else None
        subprocess.Popen(argv, cwd=self.workdir or None, env=env, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        return Outcome(ok=True, output=f"started {argv[0]}")

    def _run_code(self, action: RunCode) -> Outcome:
        workdir = self.workdir or tempfile.mkdtemp(prefix="deskpilot-code-")
        cmd = [sys.executable, "-c", action.code] if action.language == "python" else ["bash", "-c", action.code]
        with tempfile.TemporaryFile("w+") as out:
            proc = subprocess.Popen(cmd, cwd=workdir, env=clean_env(), stdout=out, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL, text=True, start_new_session=True)
            deadline, error = time.monotonic() + action.timeout, ""
            while proc.poll() is None:
                if self.control.stopped or time.monotonic() > deadline:
                    stop_group(proc)
                    error = ("Stopped by the user while the code ran." if self.control.stopped
                             else f"The code ran longer than {action.timeout:g}s and was stopped.")
                    break
                time.sleep(0.02)
            out.seek(0)
            output = out.read()[-OUTPUT_CAP:]
        if error:
            return Outcome(ok=False, output=output, error=error)
        if proc.returncode != 0:
            return Outcome(ok=False, output=output, error=f"The code exited with status {proc.returncode}.")
        return Outcome(ok=True, output=output)


def clean_env() -> dict[str, str]:
    """The environment for model-written code: ours, minus anything that looks like a secret."""
    return {k: v for k, v in os.environ.items() if not any(m in k.upper() for m in SECRET_MARKERS)}
