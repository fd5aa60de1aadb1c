"""`deskpilot runs`: the past runs, newest first, as the app's runs browser lists them: when, how each ended, its
steps, time and cost, and its task; `--last` prints the newest run's folder (for `deskpilot report`)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from app.cli.common import CliError
from app.runs.store import RunSummary, list_runs

STATUSES = ("done", "failed", "max_steps", "timeout", "stopped", "budget", "error", "running")
TASK_WIDTH = 60


def cmd_runs(args: argparse.Namespace) -> int:
    root = _root(args.dir)
    wanted = _statuses(args.status)
    runs = [r for r in list_runs(root, limit=100_000) if _fits(r, wanted, args.find)]
    if args.last:
        if not runs:
            print(f"No run{_matching(args)} in {root}.", flush=True)
            return 1
        print(runs[0].folder)
        return 0
    shown = runs[:args.limit]
    if args.json:
        print(json.dumps([_as_json(r) for r in shown], indent=2))
        return 0
    if not runs:
        print(f"No run{_matching(args)} in {root} yet: `deskpilot run \"TASK\"` or the app write one there.")
        return 0
    print(f"{'run':<22} {'status':<9} {'steps':>5} {'time':>7} {'cost':>8}  task")
    for r in shown:
        print(f"{r.folder.name:<22} {r.status:<9} {r.steps:>5} {_time(r.seconds):>7} {_cost(r.cost):>8}  "
              f"{_clip(r.task)}")
    more = f", {len(runs) - len(shown)} older not shown (--limit)" if len(runs) > len(shown) else ""
    print(f"({len(shown)} run{'s' * (len(shown) != 1)}{_matching(args)} in {root}{more}; "
          "`deskpilot report FOLDER` makes one an HTML page)")
    return 0


def _root(given: str | None) -> Path:
    if not given:
        from app.engine.options import runs_root

        return runs_root()
    root = Path(given).expanduser()
    if not root.is_dir():
        raise CliError(f"{root} is not a folder: give the folder runs are written to (`deskpilot run --out`), or "
                       "leave --dir out for the runs folder the app shows.")
    return root


def _statuses(text: str | None) -> set[str]:
    wanted = {s.strip() for s in (text or "").split(",") if s.strip()}
    unknown = sorted(wanted - set(STATUSES))
    if unknown:
        raise CliError(f"--status {', '.join(unknown)} is no way a run ends; use one or more of {', '.join(STATUSES)}.")
    return wanted


def _fits(r: RunSummary, wanted: set[str], find: str | None) -> bool:
    if wanted and r.status not in wanted:
        return False
    return not find or all(word in f"{r.task} {r.message}".lower() for word in find.lower().split())


def _matching(args: argparse.Namespace) -> str:
    said = [f"ended {args.status}" if args.status else "", f"matching {args.find!r}" if args.find else ""]
    return "".join(f" {s}" for s in said if s)


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.0f} min"


def _cost(cost: float) -> str:
    return f"${cost:.4f}" if cost else "-"


def _clip(task: str) -> str:
    task = " ".join(task.split())
    return task if len(task) <= TASK_WIDTH else task[:TASK_WIDTH - 1] + "…"


def _as_json(r: RunSummary) -> dict:
    return {"folder": str(r.folder), "task": r.task, "started": r.started, "status": r.status, "message": r.message,
            "steps": r.steps, "tokens": r.tokens, "cost": r.cost, "seconds": r.seconds}


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register `runs`."""
    p = sub.add_parser("runs", help="list past runs, newest first: how each ended, its steps, time, cost and task")
    p.add_argument("--dir", help="the runs folder to list (default: the one `run` writes to and the app shows)")
    p.add_argument("--limit", type=int, default=20, help="show at most this many (default 20)")
    p.add_argument("--status", help=f"only runs that ended so: one or more of {', '.join(STATUSES)}, comma-separated")
    p.add_argument("--find", help="only runs whose task or result holds these words")
    p.add_argument("--json", action="store_true", help="print the runs as JSON (folder, task, status, cost, ...)")
    p.add_argument("--last", action="store_true", help="print only the newest run's folder (exit 1 when there is none)")
    p.set_defaults(func=cmd_runs)
