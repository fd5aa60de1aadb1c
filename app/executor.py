"""DesktopExecutor: carries out actions with an input driver; code actions run in a bounded shell sandbox."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass

from app.desktop.input import InputDriver, InputError
from planner.actions import Action, AskUser, Click, Done, Drag, Fail, Key, Move, RunCode, Scroll, TypeText, Wait
from planner.protocols import Outcome

SECRET_MARKERS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")
OUTPUT_CAP = 20_000


@dataclass
class DesktopExecutor:
    """Executes actions on the desktop. Code runs only when ``allow_code`` is set (the user passed --yes)."""

    driver: InputDriver
    allow_code: bool = False
    workdir: str | None = None

    def execute(self, action: Action) -> Outcome:
        try:
            return self._execute(action)
        except InputError as exc:
            return Outcome(ok=False, error=str(exc))

    def _execute(self, action: Action) -> Outcome:
        match action:
            case Click(x=x, y=y, button=b, count=c):
                self.driver.click(round(x), round(y), b, c)
            case Move(x=x, y=y):
                self.driver.move(round(x), round(y))
            case Drag(x=x, y=y, to_x=tx, to_y=ty):
                self.driver.drag(round(x), round(y), round(tx), round(ty))
            case Scroll(x=x, y=y, dx=dx, dy=dy):
                self.driver.scroll(round(x), round(y), dx, dy)
            case TypeText(text=text):
                self.driver.type_text(text)
            case Key(keys=keys):
                self.driver.press(keys)
            case Wait(seconds=s):
                time.sleep(s)
            case RunCode():
                return self._run_code(action)
            case Done() | Fail() | AskUser():
                pass  # they end the run; the loop records them and touches nothing on the desktop
        return Outcome(ok=True)

    def _run_code(self, action: RunCode) -> Outcome:
        if not self.allow_code:
            return Outcome(ok=False, error="Running code needs your approval: pass --yes to allow it for this run.")
        workdir = self.workdir or tempfile.mkdtemp(prefix="deskpilot-code-")
        cmd = [sys.executable, "-c", action.code] if action.language == "python" else ["bash", "-c", action.code]
        try:
            proc = subprocess.run(cmd, cwd=workdir, env=clean_env(), capture_output=True, text=True,
                                  timeout=action.timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as exc:
            out = (exc.stdout or b"")[-OUTPUT_CAP:] if isinstance(exc.stdout, bytes) else (exc.stdout or "")
            return Outcome(ok=False, output=str(out)[-OUTPUT_CAP:],
                           error=f"The code ran longer than {action.timeout:g}s and was stopped.")
        output = (proc.stdout + proc.stderr)[-OUTPUT_CAP:]
        if proc.returncode != 0:
            return Outcome(ok=False, output=output, error=f"The code exited with status {proc.returncode}.")
        return Outcome(ok=True, output=output)


def clean_env() -> dict[str, str]:
    """The environment for model-written code: ours, minus anything that looks like a secret."""
    return {k: v for k, v in os.environ.items() if not any(m in k.upper() for m in SECRET_MARKERS)}
