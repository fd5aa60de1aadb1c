"""`make run`: the main job on the embedded default, from a bare machine with no display.

Starts a virtual display, opens the bundled demo form in Chromium, carries out a typed direct command with
pixels and OS input only, then reads the screen to check the form really was filled in and saved.
"""

from __future__ import annotations

import time
from pathlib import Path

from app.cli.progress import print_event
from app.desktop.browser import ChromiumApp
from app.desktop.capture import wait_for_content
from app.desktop.session import headless, screen_source
from app.engine.compose import compose
from app.engine.options import RunOptions
from grounding.locate import shows
from grounding.parser import ScreenParser

DEMO_PAGE = Path(__file__).resolve().parents[2] / "assets" / "demo" / "form.html"
COMMAND = 'type "Ada Lovelace" into the Name field, type "London" into the City field, check Newsletter and click Save'
EXPECTED = "Saved Ada Lovelace from London, newsletter yes"


def run_demo(out: Path, command: str = COMMAND, expected: str = EXPECTED, session: str = "x11") -> int:
    print(f"DeskPilot demo: {DEMO_PAGE.name} on a virtual display")
    print(f"command: {command}")
    server = "headless sway" if session == "wayland" else "Xvfb"
    with headless(session, 1280, 800) as vd, ChromiumApp(DEMO_PAGE.as_uri(), vd.display, 1280, 800):
        print(f"display: {vd.display} ({server} 1280x800); waiting for Chromium to draw the page")
        wait_for_content(vd.display)
        result = compose(RunOptions(task=command, display=vd.display, out=out, agent="direct"), print_event).run()
        time.sleep(0.3)
        seen = _screen_text(vd.display)
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
