"""The work folder of a run whose person named none: DeskPilot makes it for the run and removes it when the run is
over with nothing in it. A folder holding what the code wrote stays for the person (the CLI and the app name it);
a folder the person named (--workdir, Settings) is theirs and is never removed."""

from __future__ import annotations

import os
import tempfile

PREFIX = "deskpilot-work-"


def make_workdir() -> str:
    """A new, empty folder for one run's model-written code."""
    return tempfile.mkdtemp(prefix=PREFIX)


def drop_if_empty(folder: str) -> None:
    """Remove ``folder`` when nothing was written in it."""
    try:
        os.rmdir(folder)
    except OSError:  # it holds what the code wrote (kept for the person), or it is gone already
        pass
