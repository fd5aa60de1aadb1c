"""The desktop app's settings: the ``[app]`` table of the config file the CLI reads, saved back as TOML.

```toml
[app]
hotkey = "<ctrl>+<alt>+<shift>+s"   # global stop hotkey (pynput syntax), grabbed: apps never see it
failsafe_corner = true         # moving the pointer into a screen corner stops the run
grounding = "auto"             # auto (the AT-SPI tree where a bus answers) | accessibility | pixels
runs_dir = ""                  # where trajectories go; empty: $XDG_DATA_HOME/deskpilot/runs
display = ""                   # X display the agent works on; empty: the app's own screen
input = "xtest"                # xtest | xdotool ("pyautogui", the old name of xtest, still works)
max_steps = 30
hide_while_running = true      # hide the window while the agent acts on the app's own screen
workdir = ""                   # where model-written code runs; empty: a new temporary folder per run
```
Saving rewrites only the ``[llm]``, ``[policy]`` and ``[app]`` tables; other tables are kept as they are. The file
(it may hold an API key) and the task history are written readable by their owner only (0600).
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from models.settings import SettingsError, config_path, read_table, write_private

MODIFIER_KEYS = frozenset("ctrl alt shift cmd super".split())
NAMED_KEYS = frozenset("esc escape f1 f2 f3 f4 f5 f6 f7 f8 f9 f10 f11 f12 pause space tab end home".split())
HISTORY_SIZE = 50


class AppSettings(BaseModel):
    """What the desktop app needs beyond the model and the policy."""

    hotkey: str = Field("<ctrl>+<alt>+<shift>+s", description="global stop hotkey, pynput syntax")
    failsafe_corner: bool = Field(True, description="the pointer in a screen corner stops the run")
    grounding: Literal["auto", "accessibility", "pixels"] = Field("auto", description="how the screen is read")
    runs_dir: str = Field("", description="where trajectories go; empty: the data dir")
    display: str = Field("", description="X display the agent works on; empty: the app's own")
    input: Literal["xtest", "xdotool", "pyautogui"] = Field("xtest", description="input driver (pyautogui: xtest)")
    max_steps: int = Field(30, ge=1, le=500, description="steps before a run gives up")
    hide_while_running: bool = Field(True, description="hide the window while the agent acts on its screen")
    workdir: str = Field("", description="where model-written code runs; empty: a new temporary folder per run")

    def runs_path(self) -> Path:
        """The folder runs are kept in: $DESKPILOT_RUNS, else ``runs_dir``, else the data folder's."""
        from app.engine.options import default_runs_root

        chosen = os.environ.get("DESKPILOT_RUNS") or self.runs_dir
        return Path(chosen).expanduser() if chosen else default_runs_root()


def check_hotkey(text: str) -> str:
    """The hotkey normalised (``<ctrl>+<alt>+s``), or SettingsError with a sentence saying what is wrong."""
    parts = [p.strip().lower() for p in text.split("+") if p.strip()]
    keys = [p[1:-1] if p.startswith("<") and p.endswith(">") else p for p in parts]
    mods = [k for k in keys if k in MODIFIER_KEYS]
    rest = [k for k in keys if k not in MODIFIER_KEYS]
    if len(rest) != 1 or not mods:
        raise SettingsError(f"The hotkey {text!r} needs one or more modifiers and one key, e.g. <ctrl>+<alt>+s.")
    key = rest[0]
    if not (len(key) == 1 and key.isprintable() or key in NAMED_KEYS):
        raise SettingsError(f"The hotkey {text!r} names a key pynput does not know: {key!r}.")
    return "+".join([f"<{m}>" for m in mods] + [key if len(key) == 1 else f"<{key}>"])


def load_app(path: Path | None = None) -> AppSettings:
    """The ``[app]`` table, or the defaults (read by models.settings, the one reader of every table)."""
    return read_table("app", AppSettings, path)


def history_path() -> Path:
    return config_path().parent / "history.json"


def load_history() -> list[str]:
    """Tasks typed before, newest first."""
    try:
        items = json.loads(history_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [t for t in items if isinstance(t, str)][:HISTORY_SIZE]


def remember(task: str) -> list[str]:
    """Put ``task`` first in the history (once) and save it; returns the new history."""
    task = re.sub(r"\s+", " ", task).strip()
    items = [task] + [t for t in load_history() if t != task]
    path = history_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    write_private(path, json.dumps(items[:HISTORY_SIZE], indent=1))
    return items[:HISTORY_SIZE]
