"""`deskpilot models`: local vision-language models: list, download, locate."""

from __future__ import annotations

import argparse
import sys


def cmd_models(args: argparse.Namespace) -> int:
    from models import vlm

    if args.action in ("profiles", "use"):
        return _profiles(args)
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


def _profiles(args: argparse.Namespace) -> int:
    """`models profiles` shows every ready profile with its exact config; `models use NAME` writes one."""
    from app import profiles

    try:
        if args.action == "profiles":
            for p in profiles.PROFILES:
                print(f"{p.name}: {p.title}\n  needs: {p.needs}\n" + "".join(
                    f"  {line}\n" for line in profiles.toml_text(p).splitlines()))
            return 0
        if not args.name:
            raise profiles.ProfileError("`deskpilot models use` needs a profile name; see `deskpilot models profiles`.")
        path = profiles.write_profile(args.name, {"base_url": args.base_url, "model": args.model})
    except profiles.ProfileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote the {args.name} profile to {path}; `deskpilot doctor` tests it")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register models."""
    models = sub.add_parser("models", help="local vision-language models (list, pull, path) and ready model "
                                           "profiles (profiles, use NAME)")
    models.add_argument("action", choices=["list", "pull", "path", "profiles", "use"])
    models.add_argument("name", nargs="?", help="a known name (see list), a Hugging Face repo id, a folder, or a "
                                                "profile (see profiles)")
    models.add_argument("--base-url", help="with use: the server the profile talks to")
    models.add_argument("--model", help="with use: the model name the server knows")
    models.set_defaults(func=cmd_models)

