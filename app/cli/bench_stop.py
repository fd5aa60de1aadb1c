"""`deskpilot bench stop`: stop latency of a watched run, by the hotkey and by the screen corner."""

from __future__ import annotations

import argparse
import sys

from app.cli.common import write_json


def cmd_bench_stop(args: argparse.Namespace) -> int:
    from app.bench import stop

    methods = tuple(m.strip() for m in args.methods.split(",") if m.strip())
    unknown = [m for m in methods if m not in stop.METHODS]
    if unknown or not methods:
        print(f"error: unknown stop method {', '.join(unknown) or '(none)'}; choose from "
              f"{', '.join(stop.METHODS)}.", file=sys.stderr)
        return 2
    if args.trials < 1:
        print(f"error: --trials must be 1 or more, got {args.trials}.", file=sys.stderr)
        return 2
    print(f"`deskpilot run` typing into the demo form on Xvfb, stopped {args.trials} times by each of "
          f"{', '.join(methods)}; target {stop.TARGET_MS:.0f} ms")
    try:
        summary = stop.run(args.trials, methods, lambda t: print(
            f"  {t.how:<7} {t.latency_ms:>7.1f} ms  {'stopped' if t.stopped else 'DID NOT STOP'}", flush=True))
    except stop.StopBenchError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    ok = True
    for how, m in summary["methods"].items():
        print(f"{how}: median {m['median_ms']} ms, p90 {m['p90_ms']} ms, worst {m['worst_ms']} ms; "
              f"{m['within_target']}/{m['trials']} within {stop.TARGET_MS:.0f} ms")
        ok = ok and m["all_stopped"] and m["median_ms"] <= stop.TARGET_MS
    write_json(args.json, summary)
    return 0 if ok else 1


def add_commands(bsub: argparse._SubParsersAction) -> None:
    """Register `bench stop`."""
    bs = bsub.add_parser("stop", help="how soon a watched `deskpilot run` stops after the hotkey or the corner")
    bs.add_argument("--trials", type=int, default=5, help="stops per method")
    bs.add_argument("--methods", default="hotkey,corner", help="comma-separated: hotkey, corner")
    bs.add_argument("--json", help="write the figures here")
    bs.set_defaults(func=cmd_bench_stop)
