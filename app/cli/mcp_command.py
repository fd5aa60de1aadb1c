"""`deskpilot mcp`: serve DeskPilot's desktop tools to an MCP client (Claude Desktop, Claude Code ...) over stdio."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import desktop_display


def cmd_mcp(args: argparse.Namespace) -> int:
    from app.desktop.xvfb import VirtualDisplay

    if args.headless:
        with VirtualDisplay(args.width, args.height) as vd:
            return _serve(vd.display, args)
    return _serve(desktop_display(args.display), args)


def _serve(display: str, args: argparse.Namespace) -> int:
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.engine.options import runs_root
    from app.mcp.desk import Desk
    from app.mcp.server import build
    from planner.policy import FixedApprover

    # nobody can be asked through stdio: ask-first actions are allowed only with --yes, else denied
    out = Path(args.out) if args.out else runs_root()
    desk = Desk(display, out, FixedApprover("once" if args.yes else "deny"), args.monitor, args.input)
    app = ChromiumApp(args.open, display, args.width, args.height, args.scale).start() if args.open else None
    try:
        if app:
            wait_for_content(display)
        build(desk).run("stdio")
        return 0
    finally:
        if app:
            app.stop()


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register mcp."""
    mcp = sub.add_parser("mcp", help="serve the desktop to an MCP client over stdio, under DeskPilot's policy")
    mcp.add_argument("--headless", action="store_true", help="work on a virtual display started for the server")
    mcp.add_argument("--display", help="X display to work on (default: $DISPLAY)")
    mcp.add_argument("--out", help="where trajectories are written (default: the runs folder the app shows too)")
    mcp.add_argument("--monitor", type=int, default=1, help="monitor to capture: 1.. or 0 for all")
    mcp.add_argument("--input", choices=["pyautogui", "xdotool"], default="pyautogui")
    mcp.add_argument("--open", help="open this URL in a Chromium app window first")
    mcp.add_argument("--width", type=int, default=1280)
    mcp.add_argument("--height", type=int, default=800)
    mcp.add_argument("--scale", type=float, default=1.0, help="Chromium device scale factor for --open")
    mcp.add_argument("--yes", action="store_true", help="allow ask-first actions (code, secrets) without asking")
    mcp.set_defaults(func=cmd_mcp)
