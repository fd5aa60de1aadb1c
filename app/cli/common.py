"""What every command shares: the bad-input error, the run outcome lines, JSON output, the display to use."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from app.desktop.display_env import is_wayland
from planner.control import RunControl
from planner.loop import RunResult


class CliError(Exception):
    """Bad input on the command line; printed as one sentence with exit status 2."""


def report_result(result: RunResult, workdir: str = "") -> int:
    """The run's last lines (outcome, the agent's answer, tokens and cost, the work folder when code left files
    there, the trajectory folder); 0 when the task finished, else 1."""
    mark = {"done": "done", "failed": "FAILED", "max_steps": "STOPPED", "stopped": "STOPPED",
            "budget": "STOPPED (budget)"}.get(result.status, "ERROR")
    print(f"{mark}: {result.message}")
    if result.usage is not None:
        u = result.usage
        print(f"tokens: {u.tokens:,} ({u.prompt_tokens:,} in, {u.completion_tokens:,} out), cost ${u.cost:.4f}")
    if workdir and Path(workdir).is_dir() and any(Path(workdir).iterdir()):
        print(f"work folder: {workdir}")
    print(f"trajectory: {result.folder}")
    if result.answer:
        print(f"answer: {result.answer}")  # last, where a script or a person reading the end finds it
    return 0 if result.status == "done" else 1


def write_json(path: str | None, data: dict) -> None:
    """Write ``data`` to ``path`` (when given) and say where."""
    if path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_text(json.dumps(data, indent=2))
        print(f"json: {path}")


def desktop_display(given: str | None, hint: str = "or add --headless to use a virtual display",
                    session: str = "x11") -> str:
    """The display to work on (--display, else the session's: $DISPLAY, or $WAYLAND_DISPLAY for ``session``
    wayland or auto on a Wayland session); CliError when there is none or it does not answer."""
    from app.desktop.xvfb import display_answers

    display = given or _session_display(session)
    if display and is_wayland(display):
        return _wayland_display(display, hint)
    if not display:
        raise CliError(f"there is no display to work on; run from a desktop session, pass --display :N, {hint}.")
    if not display_answers(display):
        raise CliError(f"the display {display} does not answer; start it, pass another --display, {hint}.")
    return display


def desktop_stops(display: str, control: RunControl) -> Any:
    """The stop hotkey and the corner fail-safe of the ``[app]`` settings on a display a person sits at, registered
    and announced (app.engine.safety.DesktopStops; close it when the run ends)."""
    from app.config import load_app
    from app.engine.safety import DesktopStops
    from models.settings import SettingsError

    try:
        settings = load_app()
    except SettingsError as exc:
        raise CliError(str(exc)) from None
    stops = DesktopStops(display, control, settings.hotkey, settings.failsafe_corner)
    print(stops.start(), flush=True)
    return stops


def _session_display(session: str) -> str:
    from app.desktop.session import session_display

    if session == "x11":
        return os.environ.get("DISPLAY", "")
    found = session_display()
    if session == "wayland" and not is_wayland(found):
        raise CliError("--session wayland but this is no Wayland session (WAYLAND_DISPLAY is not set); pass "
                       "--display wayland-N, or add --headless to start headless sway.")
    return found


def _wayland_display(display: str, hint: str) -> str:
    from app.desktop.wayland.wire import WaylandError, socket_path

    try:
        path = socket_path(display)
    except WaylandError as exc:
        raise CliError(str(exc)) from None
    if not path.exists():
        raise CliError(f"the Wayland display {display} does not exist ({path}); start the compositor, pass another "
                       f"--display, {hint}.")
    return display
