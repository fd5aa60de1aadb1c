"""`deskpilot screen`: what DeskPilot sees on a display now, as the legend a model reads and as JSON."""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli.common import CliError, desktop_display

if TYPE_CHECKING:
    from grounding.coords import Frame
    from grounding.elements import Screen


def cmd_screen(args: argparse.Namespace) -> int:
    from grounding.legend import render

    if args.open and not args.headless:
        raise CliError("--open opens a page on a virtual display of its own: add --headless (to read a page on your "
                       "screen, open it there and run `deskpilot screen` alone).")
    screen, ms, display, frame = _headless(args) if args.headless else _on_display(args)
    screen = replace(screen, image=None)
    if args.json:
        data = {"display": display, "monitor": args.monitor, "parse_ms": round(ms, 1),
                "frame": {"left": frame.left, "top": frame.top, "width": frame.width, "height": frame.height,
                          "scale": frame.scale},
                **screen.to_json(words=args.words)}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(render(screen, limit_lines=args.lines))
    print(f"({len(screen.controls())} controls, {len(screen.lines())} lines of text, {screen.width}x{screen.height} "
          f"on {display}, parsed from {screen.source} in {ms:.0f} ms)")
    return 0


def _on_display(args: argparse.Namespace) -> tuple[Screen, float, str, Frame]:
    """The screen of the display the person names (or is on), parsed once, with what its window system says."""
    from app.desktop.capture import MssScreenSource
    from app.desktop.windows import WindowTitles
    from app.engine.parsers import GroundingModeError, make_parser
    from app.engine.titled import windowed

    display = desktop_display(args.display, "or run it from a desktop session")
    source = MssScreenSource(display, args.monitor)
    try:
        obs = source.capture()
        try:
            parser = make_parser(args.grounding, display, obs.frame, incremental=False)
        except GroundingModeError as exc:
            raise CliError(str(exc)) from None
        try:
            t0 = time.perf_counter()
            screen = parser.parse(obs.image)
            ms = (time.perf_counter() - t0) * 1000
        finally:
            getattr(parser, "close", lambda: None)()
    finally:
        source.close()
    titles = WindowTitles(display)
    screen = windowed(screen, titles, obs.frame)
    titles.close()
    return screen, ms, display, obs.frame


def _headless(args: argparse.Namespace) -> tuple[Screen, float, str, Frame]:
    """What a `deskpilot run --headless [--open URL]` would see first: a virtual display of its own with an
    accessibility bus (unless pixels are asked for), the page opened in Chromium as run opens it, parsed once."""
    from app.testing.desktop import Desktop, DesktopError
    from grounding.coords import Frame

    if args.open and "://" not in args.open and not Path(args.open).exists():
        raise CliError(f"{args.open} is neither a URL nor a file here; give a page's address (http://...) or the "
                       "path of an HTML file.")
    with tempfile.TemporaryDirectory(prefix="deskpilot-screen-") as tmp, \
            Desktop(Path(tmp), args.width, args.height, a11y=args.grounding != "pixels") as desk:
        assert desk.display is not None
        if args.open:
            try:
                desk.launch(open=args.open, scale=args.scale)
            except DesktopError as exc:
                raise CliError(str(exc)) from None
        parser = desk.parser()
        t0 = time.perf_counter()
        screen = parser.parse(desk.screenshot())
        ms = (time.perf_counter() - t0) * 1000
        return screen, ms, f"{desk.display.display} (headless)", Frame(0, 0, args.width, args.height)


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `screen`."""
    p = sub.add_parser("screen", help="print what DeskPilot sees on the screen now (the legend, or --json)")
    p.add_argument("--display", help="the X display to read (default: $DISPLAY)")
    p.add_argument("--headless", action="store_true",
                   help="read a virtual display started for this, as `run --headless` works on")
    p.add_argument("--open", help="with --headless: open this URL or file in a Chromium app window first")
    p.add_argument("--width", type=int, default=1280, help="with --headless: the display's width (default 1280)")
    p.add_argument("--height", type=int, default=800, help="with --headless: the display's height (default 800)")
    p.add_argument("--scale", type=float, default=1.0, help="with --open: Chromium's device scale factor")
    p.add_argument("--monitor", type=int, default=1, help="1 = first monitor (default), 0 = all monitors as one")
    p.add_argument("--json", action="store_true", help="print the screen as JSON: every element with its box")
    p.add_argument("--words", action="store_true", help="with --json: the word index too")
    p.add_argument("--lines", type=int, default=None, help="show at most this many lines of text (controls: all)")
    p.add_argument("--grounding", choices=["auto", "accessibility", "pixels"], default="auto",
                   help="auto (default): the applications' accessibility tree where an AT-SPI bus answers, pixels "
                        "elsewhere; accessibility: insist on the tree; pixels: OCR and widget shapes only")
    p.set_defaults(func=cmd_screen)
