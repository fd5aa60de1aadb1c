"""RunOptions: everything one run is asked to do, the same object for the CLI, the app, tests, replay and benches."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def runs_root() -> Path:
    """The one runs folder `run`, `runs`, the app and the benches share: $DESKPILOT_RUNS, else the config's [app]
    runs_dir, else $XDG_DATA_HOME/deskpilot/runs (a bad config file is the caller's SettingsError, one sentence)."""
    from app.config import load_app

    return load_app().runs_path()


def default_runs_root() -> Path:
    """$XDG_DATA_HOME/deskpilot/runs: where runs go when nothing else is said."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "deskpilot" / "runs"


@dataclass(frozen=True, kw_only=True)
class RunOptions:
    """One run: the task, where it happens, how far it may go."""

    task: str
    display: str
    out: Path = field(default_factory=runs_root)
    max_steps: int = 30
    monitor: int = 1
    input_driver: str = "xtest"
    allow_code: bool = False  # --yes: ask-first actions run without asking
    marks: bool = False  # set-of-marks screenshots for the planner's worker
    workdir: str = ""  # where model-written code runs (a fresh temporary folder when empty)
    agent: str = "auto"  # auto (the planner when a model is configured, else direct) | direct
    grounding: str = "auto"  # auto (the AT-SPI tree where a bus answers) | accessibility | pixels
    bus: str = ""  # the session bus of DeskPilot's own virtual desktop, whose AT-SPI bus the tree is read from
    policy_file: str = ""  # a TOML file whose [policy] table replaces the config file's
    time_limit: float | None = None
    settle_timeout: float = 1.0
    name: str = ""  # the trajectory folder's name (default: the start time)
    meta: dict[str, Any] = field(default_factory=dict)  # extra task.json fields (a benchmark's episode ...)
