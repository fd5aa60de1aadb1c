"""The `deskpilot` command line: run, runs, app, report, doctor, demo, test, record, replay, demos, models, bench,
mcp, keyring and screen."""

from __future__ import annotations

import argparse
import signal
import sys

from app.cli import bench, demos, doctor, keyring, mcp_command, models, run, runs, screen, testing
from app.cli.common import CliError


def build_parser() -> argparse.ArgumentParser:
    """Every command, registered by the module that carries it out."""
    p = argparse.ArgumentParser(prog="deskpilot", description="A local-first desktop computer-use agent.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in (run, runs, doctor, testing, demos, models, bench, mcp_command, keyring, screen):
        group.add_commands(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # a polite kill (SIGTERM) ends like Ctrl-C: displays, browsers and apps we started are stopped on the way out
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("stopped.", file=sys.stderr)
        return 130
    except Exception as exc:
        from app.desktop.browser import BrowserError
        from app.desktop.capture import CaptureError
        from app.desktop.input import InputError
        from app.desktop.xvfb import DisplayError
        from models.chat import ModelError
        from models.settings import SettingsError

        if isinstance(exc, (BrowserError, CaptureError, InputError, DisplayError, CliError, SettingsError,
                            ModelError)):
            print(f"error: {exc}", file=sys.stderr)
            return 2
        raise


if __name__ == "__main__":
    sys.exit(main())
