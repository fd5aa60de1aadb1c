"""`deskpilot bench screen`: the screen model against DOM (and AT-SPI) ground truth, per parsing mode."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.common import CliError, write_json


def cmd_bench_screen(args: argparse.Namespace) -> int:
    from app.bench import screen, screen_timing

    modes = [m.strip() for m in args.modes.split(",") if m.strip()]
    unknown = [m for m in modes if m not in screen.MODES]
    if unknown:
        raise CliError(f"there is no screen parsing mode called {unknown[0]!r} in this version; choose from "
                       f"{', '.join(screen.MODES)}.")
    try:
        scales = tuple(float(s) for s in args.scales.split(","))
    except ValueError:
        raise CliError(f"--scales takes numbers separated by commas (like 1,1.5,2), not {args.scales!r}.") from None
    sources = screen.default_sources(args.episodes)
    if args.sources:
        wanted = [s.strip() for s in args.sources.split(",")]
        missing = [w for w in wanted if w not in {s.name for s in sources}]
        if missing:
            raise CliError(f"there is no screen bench source called {missing[0]!r}; choose from "
                           f"{', '.join(s.name for s in sources)}.")
        sources = [s for s in sources if s.name in wanted]
    if args.pages:
        sources = _only_pages(sources, {p.strip() for p in args.pages.split(",") if p.strip()})

    def show(s: screen.Sample) -> None:
        sc = s.score
        print(f"  {s.mode:<13} x{s.scale:<4g} {s.source}/{s.page:<24} controls {sc.found}/{sc.controls} "
              f"names {sc.names_right}/{sc.named} states {sc.states_right}/{sc.stated} "
              f"phantoms {sc.phantoms}/{sc.predicted} lines {sc.lines_found}/{sc.lines} {sc.parse_ms:.0f} ms",
              flush=True)
        if args.verbose:
            for miss in sc.misses:
                print(f"      - {miss}")

    if args.timing_only and args.skip_timing:
        raise CliError("--timing-only and --skip-timing leave nothing to run; give one of them.")
    samples = [] if args.timing_only else screen.run(modes, sources, scales, show)
    dense = {} if args.skip_timing else {m: screen_timing.dense_parse(screen.MODES[m]) for m in modes}
    result = screen.report(samples, modes, dense)
    print(screen.table(result))
    write_json(args.json, result)
    return 0


def _only_pages(sources: list[Any], wanted: set[str]) -> list[Any]:
    """The sources narrowed to the pages (file stems, MiniWoB++ task names or scene names) in ``wanted``."""
    from dataclasses import replace

    out = []
    for source in sources:
        field = next((f for f in ("pages", "scenes") if hasattr(source, f)), None)
        if field is None:
            continue
        kept = tuple(p for p in getattr(source, field) if _page_name(p) in wanted)
        if kept:
            out.append(replace(source, **{field: kept}))
    if not out:
        raise CliError(f"no screen bench source has a page called {sorted(wanted)[0]!r}; name pages by their file "
                       "stem (signup, dense) or MiniWoB++ task (click-button).")
    return out


def _page_name(page: object) -> str:
    from pathlib import Path

    return getattr(page, "name", None) or Path(str(page)).stem


def add_parser(bsub: argparse._SubParsersAction) -> None:
    """Register `bench screen`."""
    bs = bsub.add_parser("screen", help="the screen model against DOM and accessibility ground truth")
    bs.add_argument("--modes", default="pixels,accessibility",
                    help="comma-separated parsing modes (default: pixels,accessibility)")
    bs.add_argument("--scales", default="1,1.5,2", help="Chromium device scale factors")
    bs.add_argument("--episodes", type=int, default=1, help="MiniWoB++ problems per page and scale")
    bs.add_argument("--sources", help="comma-separated sources (default: all; pages, miniwob, ...)")
    bs.add_argument("--pages", help="comma-separated pages to show (file stems or MiniWoB++ task names)")
    bs.add_argument("--json", help="write the figures here")
    bs.add_argument("--skip-timing", action="store_true", help="skip the dense 1920x1080 parse timing")
    bs.add_argument("--timing-only", action="store_true",
                    help="only the dense 1920x1080 parse timing, with its stages (detection, recognition, ...)")
    bs.add_argument("--verbose", action="store_true", help="print what each screen got wrong")
    bs.set_defaults(func=cmd_bench_screen)
