"""The trajectory: the source of truth for a run, written every step before the next one starts.

Layout (OSWorld-compatible): ``traj.jsonl`` with one line per step (step_num, action_timestamp, action,
response, reward, done, info, screenshot_file, format_version), ``step_N.png`` screenshots, ``task.json``
and ``result.txt`` when the run ends.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from planner.secrets import mask

FORMAT_VERSION = 1


@dataclass
class Trajectory:
    """Appends steps to a run folder; every write is flushed and fsync'd so a crash loses nothing."""

    folder: Path
    steps: int = 0
    secrets: set[str] = field(default_factory=set)

    @classmethod
    def create(cls, root: Path, task: str, meta: dict[str, Any] | None = None, name: str = "") -> Trajectory:
        """A new run folder under ``root``, named by ``name`` or the start time (an old one is replaced)."""
        folder = Path(root) / (name or datetime.now().strftime("%Y%m%d-%H%M%S-%f"))
        if folder.exists() and name:
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=False)
        info = {"task": task, "format_version": FORMAT_VERSION, "started": _now(), **(meta or {})}
        (folder / "task.json").write_text(json.dumps(info, indent=2))
        (folder / "traj.jsonl").touch()
        return cls(folder)

    def add_secret(self, secret: str) -> None:
        """Never write ``secret`` (a typed password): mask it here on and in what is already written."""
        if not secret:
            return
        self.secrets.add(secret)
        for name in ("task.json", "traj.jsonl"):
            path = self.folder / name
            path.write_text(self._mask(path.read_text(encoding="utf-8")), encoding="utf-8")

    def _mask(self, text: str) -> str:
        return mask(text, self.secrets)

    def append(self, *, action: dict, response: str, image: np.ndarray | None, info: dict[str, Any],
               done: bool = False, reward: float = 0.0) -> dict:
        """Write one step (screenshot first, then its line) and return the line."""
        self.steps += 1
        shot = ""
        if image is not None:
            shot = f"step_{self.steps}.png"
            _save_png(image, self.folder / shot)
        line = {"step_num": self.steps, "action_timestamp": _now(), "action": action, "response": response,
                "reward": reward, "done": done, "info": info, "screenshot_file": shot,
                "format_version": FORMAT_VERSION}
        with open(self.folder / "traj.jsonl", "a", encoding="utf-8") as fh:
            fh.write(self._mask(json.dumps(line, default=str, ensure_ascii=False)) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return line

    def finish(self, status: str, message: str) -> None:
        """Write result.txt: the status word on the first line, the sentence on the second."""
        (self.folder / "result.txt").write_text(self._mask(f"{status}\n{message}\n"))


def load(folder: Path) -> list[dict]:
    """Read a trajectory's steps back."""
    lines = (Path(folder) / "traj.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _save_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(image).save(path, compress_level=1)


def _now() -> str:
    return datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds")
