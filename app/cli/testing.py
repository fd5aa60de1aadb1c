"""`deskpilot test`: GUI test files (YAML) on private virtual displays."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any


def cmd_test(args: argparse.Namespace) -> int:
    from app.testing import spec
    from app.testing.reports import html_report, junit
    from app.testing.runner import run_suite

    try:
        files = [spec.load(Path(p)) for p in test_paths(args.paths)]
    except spec.SpecError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    total = sum(len(f.tests) for f in files)
    print(f"{total} test(s) in {len(files)} file(s), {args.parallel} at a time")

    def show(r: Any) -> None:
        mark = {"passed": "ok  ", "failed": "FAIL", "error": "ERR "}[r.status]
        print(f"  {mark} {r.suite} > {r.name}  ({r.seconds:.1f}s)" + (f"\n       {r.message}" if r.message else ""),
              flush=True)

    results = run_suite(files, Path(args.out), args.parallel, args.retries, show, args.policy or "",
                        session=args.session)
    failed = sum(r.status != "passed" for r in results)
    if args.junit:
        junit(results, Path(args.junit))
        print(f"junit: {args.junit}")
    if args.html:
        html_report(results, Path(args.html))
        print(f"html: {args.html}")
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


def test_paths(paths: list[str]) -> list[Path]:
    out: list[Path] = []
    for p in map(Path, paths):
        out.extend(sorted(p.glob("*.yaml")) + sorted(p.glob("*.yml")) if p.is_dir() else [p])
    return out


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register test."""
    test = sub.add_parser("test", help="run GUI test files (YAML) on private virtual displays")
    test.add_argument("paths", nargs="+", help="test files, or folders of them")
    test.add_argument("--junit", help="write a JUnit XML report here")
    test.add_argument("--html", help="write a single-file HTML report here")
    test.add_argument("--parallel", type=int, default=1, help="tests to run at once (each on its own display)")
    test.add_argument("--retries", type=int, default=0, help="run a failing test again up to K times")
    test.add_argument("--out", default="test-results", help="where each test's trajectory goes")
    test.add_argument("--policy", help="a TOML file whose [policy] table replaces the config file's")
    test.add_argument("--session", choices=["x11", "wayland"], default="x11",
                      help="each test's private desktop: Xvfb (x11) or headless sway (wayland)")
    test.set_defaults(func=cmd_test)

