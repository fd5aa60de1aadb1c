"""`deskpilot screen`: what DeskPilot sees on a display now, as the legend a model reads and as JSON."""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace

from app.cli.common import CliError, desktop_display


def cmd_screen(args: argparse.Namespace) -> int:
    from app.desktop.capture import MssScreenSource
    from app.desktop.windows import WindowTitles
    from app.engine.parsers import GroundingModeError, make_parser
    from app.engine.titled import windowed
    from grounding.legend import render

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
    screen = replace(windowed(screen, titles, obs.frame), image=None)
    titles.close()
    if args.json:
        data = {"display": display, "monitor": args.monitor, "parse_ms": round(ms, 1),
                "frame": {"left": obs.frame.left, "top": obs.frame.top, "width": obs.frame.width,
                          "height": obs.frame.height, "scale": obs.frame.scale},
                **screen.to_json(words=args.words)}
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return 0
    print(render(screen, limit_lines=args.lines))
    print(f"({len(screen.controls())} controls, {len(screen.lines())} lines of text, {screen.width}x{screen.height} "
          f"on {display}, parsed from {screen.source} in {ms:.0f} ms)")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `screen`."""
    p = sub.add_parser("screen", help="print what DeskPilot sees on the screen now (the legend, or --json)")
    p.add_argument("--display", help="the X display to read (default: $DISPLAY)")
    p.add_argument("--monitor", type=int, default=1, help="1 = first monitor (default), 0 = all monitors as one")
    p.add_argument("--json", action="store_true", help="print the screen as JSON: every element with its box")
    p.add_argument("--words", action="store_true", help="with --json: the word index too")
    p.add_argument("--lines", type=int, default=None, help="show at most this many lines of text (controls: all)")
    p.add_argument("--grounding", choices=["auto", "accessibility", "pixels"], default="auto",
                   help="auto (default): the applications' accessibility tree where an AT-SPI bus answers, pixels "
                        "elsewhere; accessibility: insist on the tree; pixels: OCR and widget shapes only")
    p.set_defaults(func=cmd_screen)
