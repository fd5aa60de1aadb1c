"""`make run`: the main job on the embedded default, from a bare machine with no display.

Starts a virtual display, opens the bundled demo form in Chromium, carries out a typed direct command with
pixels and OS input only, then reads the screen to check the form really was filled in and saved.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from app.cli.common import desktop_stops
from app.cli.progress import print_event
from app.desktop.browser import ChromiumApp
from app.desktop.capture import wait_for_content
from app.desktop.session import headless, screen_source
from app.engine.compose import Parts, compose
from app.engine.options import RunOptions
from grounding.locate import shows
from grounding.parser import ScreenParser
from planner.control import RunControl

DEMO_PAGE = Path(__file__).resolve().parents[2] / "assets" / "demo" / "form.html"
COMMAND = 'type "Ada Lovelace" into the Name field, type "London" into the City field, check Newsletter and click Save'
EXPECTED = "Saved Ada Lovelace from London, newsletter yes"


def run_demo(out: Path, command: str = COMMAND, expected: str = EXPECTED, display: str = "",
             session: str = "x11") -> int:
    """The demo on a private virtual display (Xvfb, or headless sway for ``session`` wayland), or on ``display``
    (a desktop: the stop hotkey and corner work there)."""
    print(f"DeskPilot demo: {DEMO_PAGE.name} on {'the display ' + display if display else 'a virtual display'}")
    print(f"command: {command}")
    control, events = RunControl(), print_event
    with contextlib.ExitStack() as stack:
        if display:
            events = stack.enter_context(desktop_stops(display, control)).events(print_event)
        else:
            display = stack.enter_context(headless(session, 1280, 800)).display
            server = "headless sway" if session == "wayland" else "Xvfb"
            print(f"display: {display} ({server} 1280x800); waiting for Chromium to draw the page")
        stack.enter_context(ChromiumApp(DEMO_PAGE.as_uri(), display, 1280, 800))
        wait_for_content(display)
        options = RunOptions(task=command, display=display, out=out, agent="direct")
        result = compose(options, events, Parts(control=control)).run()
        time.sleep(0.3)
        seen = _screen_text(display)
    verified = shows(seen, expected)
    print(f"outcome: {result.status}: {result.message}")
    print(f"screen check: {'the page shows' if verified else 'MISSING on screen:'} {expected!r}")
    print(f"trajectory: {result.folder}")
    return 0 if result.status == "done" and verified else 1


def _screen_text(display: str) -> str:
    source = screen_source(display)
    try:
        return ScreenParser(incremental=False).parse(source.capture().image).visible_text()
    finally:
        getattr(source, "close", lambda: None)()
