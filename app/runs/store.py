"""Past runs: the trajectory folders under a runs folder, summarised for a list and read back step by step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.trajectory import StepRecord, Usage, read_calls, read_steps


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
    seconds: float | None = None  # from the start to result.txt; None while it runs (or when it crashed)


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
    started = str(meta.get("started", ""))
    tokens, cost = _usage(folder, steps)
    return RunSummary(folder, str(meta.get("task", "")), started, status, message, len(steps), tokens, cost,
                      _seconds(started, result))


def _usage(folder: Path, steps: list[StepRecord]) -> tuple[int, float]:
    """Tokens and cost: the model-call log counts every call (a run may fail before its first step), else the
    last step's count."""
    calls = read_calls(folder)
    total = Usage.from_json(calls[-1].get("total")) if calls else None
    if total is None:
        total = next((s.usage for s in reversed(steps) if s.usage is not None), None)
    return (total.tokens, total.cost) if total else (0, 0.0)


def _seconds(started: str, result: Path) -> float | None:
    if not started or not result.is_file():
        return None
    try:
        return max(0.0, result.stat().st_mtime - datetime.fromisoformat(started).timestamp())
    except (ValueError, OSError):
        return None


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


def delete_run(root: Path, folder: Path) -> None:
    """Remove one run folder; ValueError (one sentence) for anything that is not a run folder under ``root``."""
    import shutil

    root, folder = Path(root).resolve(), Path(folder).resolve()
    if not is_run(folder) or root not in folder.parents:
        raise ValueError(f"{folder} is not a run folder under {root}; nothing was deleted.")
    shutil.rmtree(folder)
