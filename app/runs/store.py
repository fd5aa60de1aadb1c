"""Past runs: the trajectory folders under a runs folder, summarised for a list and read back step by step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from planner.trajectory import read_steps


@dataclass(frozen=True)
class RunSummary:
    """One run folder as a row: task, when, how it ended, how many steps, what it used."""

    folder: Path
    task: str
    started: str
    status: str
    message: str
    steps: int
    tokens: int = 0
    cost: float = 0.0


def is_run(folder: Path) -> bool:
    return (folder / "task.json").is_file() and (folder / "traj.jsonl").is_file()


def summarise(folder: Path) -> RunSummary:
    """Read a run folder's task, result and step count (a run still going, or one that crashed, has no result)."""
    folder = Path(folder)
    try:
        meta = json.loads((folder / "task.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        meta = {}
    status, message = "running", "No result yet: the run is going on or ended without writing one."
    result = folder / "result.txt"
    if result.is_file():
        lines = result.read_text(encoding="utf-8").splitlines()
        status = lines[0].strip() if lines else "unknown"
        message = lines[1].strip() if len(lines) > 1 else ""
    steps = read_steps(folder)
    usage = next((s.usage for s in reversed(steps) if s.usage is not None), None)
    return RunSummary(folder, str(meta.get("task", "")), str(meta.get("started", "")), status, message,
                      len(steps), usage.tokens if usage else 0, usage.cost if usage else 0.0)


def list_runs(root: Path, limit: int = 500) -> list[RunSummary]:
    """Run folders directly under ``root`` (and one level down, as benches and tests nest them), newest first."""
    root = Path(root)
    if not root.is_dir():
        return []
    found = [p for p in root.iterdir() if p.is_dir() and is_run(p)]
    found += [q for p in root.iterdir() if p.is_dir() and not is_run(p) for q in p.iterdir()
              if q.is_dir() and is_run(q)]
    found.sort(key=lambda p: (p / "task.json").stat().st_mtime, reverse=True)
    return [summarise(p) for p in found[:limit]]
