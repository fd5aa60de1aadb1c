"""`deskpilot models`: local vision-language models: list, download, locate."""

from __future__ import annotations

import argparse
import sys


def cmd_models(args: argparse.Namespace) -> int:
    from models import vlm

    try:
        if args.action == "list":
            for m in vlm.KNOWN.values():
                folder = vlm.cached_folder(m.repo)
                print(f"{m.name:<16} {m.repo:<32} {'here: ' + str(folder) if folder else 'not downloaded':<16}  "
                      f"{m.about}")
            return 0
        if not args.name:
            raise vlm.ModelError(f"`deskpilot models {args.action}` needs a model name or folder.")
        if args.action == "path":
            folder = vlm.resolve(args.name)
            vlm.check_folder(folder)
            print(folder)
            return 0
        print(vlm.pull(args.name))
        return 0
    except vlm.ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register models."""
    models = sub.add_parser("models", help="local vision-language models: list, download, locate")
    models.add_argument("action", choices=["list", "pull", "path"])
    models.add_argument("name", nargs="?", help="a known name (see list), a Hugging Face repo id, or a folder")
    models.set_defaults(func=cmd_models)

