"""`deskpilot bench icons`: icons of held-out themes named by their shape, counted right, wrong and unnamed."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli.common import CliError, write_json


def cmd_bench_icons(args: argparse.Namespace) -> int:
    from app.bench import icons
    from grounding.icon_refs import REFERENCE_THEMES, ROOTS, library_key

    if not library_key():
        raise CliError(f"none of the reference icon themes ({', '.join(REFERENCE_THEMES)}) is installed in "
                       f"{ROOTS[0]}; run installers/linux.sh (it installs them) and try again.")
    root = Path(args.held_out)
    if not root.is_dir():
        raise CliError(f"{root} is not a folder of icon themes; give one holding themes that are no reference, "
                       "e.g. one made with `apt-get download papirus-icon-theme` and `dpkg -x` (see docs/screen.md).")
    wanted = [t.strip() for t in args.themes.split(",") if t.strip()] if args.themes else None
    themes = icons.held_out(root, wanted)
    missing = [t.name for t in themes if not t.is_dir()]
    if missing or not themes:
        raise CliError(f"there is no icon theme called {missing[0]!r} in {root}." if missing else
                       f"{root} holds no icon theme apart from the references ({', '.join(REFERENCE_THEMES)}).")
    print(f"references: {', '.join(REFERENCE_THEMES)}; held out: {', '.join(t.name for t in themes)}")
    rows = []
    for theme in themes:
        row = icons.measure(theme)
        rows.append(row)
        print(f"  {row['theme']:<20} standard actions {row.get('right', 0)}/{row.get('actions', 0)} named rightly, "
              f"{row.get('named', 0) - row.get('right', 0)} wrongly; other pictures named "
              f"{row.get('others_named', 0)}/{row.get('others', 0)}", flush=True)
        if args.verbose:
            for w in row["wrong"]:
                print(f"      - {w}")
    result = icons.summary(rows)
    print(f"coverage {result['coverage']:.3f}  precision {result['precision']:.3f}  other pictures named "
          f"{result['others_named']}/{result['others']} ({result['others_named_rate']:.2%})")
    write_json(args.json, result)
    return 0


def add_parser(bsub: argparse._SubParsersAction) -> None:
    """Register `bench icons`."""
    bi = bsub.add_parser("icons", help="icons of themes the references do not include, named by their shape")
    bi.add_argument("--held-out", required=True, help="a folder of icon themes that are not references")
    bi.add_argument("--themes", help="comma-separated themes in it (default: all but the references' variants)")
    bi.add_argument("--json", help="write the figures here")
    bi.add_argument("--verbose", action="store_true", help="list each picture named wrongly")
    bi.set_defaults(func=cmd_bench_icons)
