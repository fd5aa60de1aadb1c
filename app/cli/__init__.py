"""The `deskpilot` command line: one module per command group, joined in app.cli.main."""

from app.cli.main import main

__all__ = ["main"]
