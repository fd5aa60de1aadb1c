"""The trajectory: the source of truth for a run, written every step before the next one starts.

Layout (OSWorld-compatible): ``traj.jsonl`` with one line per step, ``step_N.png`` screenshots, ``task.json``
and ``result.txt`` when the run ends. Each line is a ``StepRecord``: OSWorld's keys (step_num,
action_timestamp, action, response, reward, done, info, screenshot_file) plus, from format 2 on, the capture
frame the step was decided on, the target and its grounding, the outcome, the policy ruling, the screen change,
timings and usage. ``read_steps`` reads every version back as StepRecords.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from grounding.coords import Frame
from planner.secrets import mask

FORMAT_VERSION = 2
CALLS = "calls.jsonl"  # one line per model call: the raw reply, its tokens, the run's totals after it
FINAL = "final.png"  # the screen as the run left it


@dataclass(frozen=True, kw_only=True)
class Usage:
    """Tokens and cost of the run so far, as the agent's meter counted them after this step."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens

    def to_json(self) -> dict[str, Any]:
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.completion_tokens,
                "cost": round(self.cost, 6)}

    @classmethod
    def from_json(cls, data: Any) -> Usage | None:
        if not isinstance(data, dict):
            return None
        return cls(prompt_tokens=int(data.get("prompt_tokens", 0)),
                   completion_tokens=int(data.get("completion_tokens", 0)), cost=float(data.get("cost", 0.0)))


@dataclass(frozen=True, kw_only=True)
class StepRecord:
    """One step as written to traj.jsonl; ``frame`` says where the screenshot sat on the desktop, so logical points
    in ``action`` can be drawn on it (grounding.coords.logical_to_image) at any scale and on any monitor."""

    step: int
    action: dict[str, Any]
    response: str = ""
    done: bool = False
    screenshot: str = ""
    frame: Frame | None = None
    target: str = ""
    grounding: dict[str, Any] | None = None
    outcome: dict[str, Any] | None = None  # {"ok", "output", "error"}; None for steps that end the run
    policy: dict[str, Any] | None = None  # {"verdict", "reason"} when the policy had something to say
    screen_changed: bool | None = None
    timing_ms: dict[str, float] = field(default_factory=dict)
    usage: Usage | None = None
    elements: int = 0
    info: dict[str, Any] = field(default_factory=dict)  # the agent's own details (planner roles, intent ...)
    timestamp: str = ""

    def took(self) -> str:
        """How long the step took, with the model's part apart: "24.3 s, model 24.0 s" (or "412 ms")."""
        model = self.timing_ms.get("model", 0.0)
        total = _duration(sum(self.timing_ms.values()))
        return f"{total}, model {_duration(model)}" if model else total
    reward: float = 0.0
    version: int = FORMAT_VERSION

    @property
    def ok(self) -> bool:
        return self.outcome is None or bool(self.outcome.get("ok", True))

    def to_json(self) -> dict[str, Any]:
        line: dict[str, Any] = {
            "step_num": self.step, "action_timestamp": self.timestamp, "action": self.action,
            "response": self.response, "reward": self.reward, "done": self.done, "info": self.info,
            "screenshot_file": self.screenshot, "format_version": FORMAT_VERSION,
            "frame": _frame_json(self.frame), "target": self.target, "grounding": self.grounding,
            "outcome": self.outcome, "policy": self.policy, "screen_changed": self.screen_changed,
            "timing_ms": self.timing_ms, "usage": self.usage.to_json() if self.usage else None,
            "elements": self.elements,
        }
        return line

    @classmethod
    def from_json(cls, line: dict[str, Any]) -> StepRecord:
        """A line of any format version; version 1 kept everything but the agent's action inside ``info``."""
        version = int(line.get("format_version", 1))
        info = dict(line.get("info") or {})
        src = line if version >= 2 else dict(info)
        if version < 2:
            for key in ("outcome", "policy", "screen_changed", "timing_ms", "usage", "elements", "grounding"):
                info.pop(key, None)
        grounding = src.get("grounding")
        return cls(step=int(line.get("step_num", 0)), action=dict(line.get("action") or {}),
                   response=str(line.get("response", "")), done=bool(line.get("done", False)),
                   screenshot=str(line.get("screenshot_file") or ""), frame=_frame_from(line.get("frame")),
                   target=str(line.get("target") or (line.get("action") or {}).get("target", "")),
                   grounding=grounding if isinstance(grounding, dict) else None,
                   outcome=src.get("outcome") if isinstance(src.get("outcome"), dict) else None,
                   policy=src.get("policy") if isinstance(src.get("policy"), dict) else None,
                   screen_changed=src.get("screen_changed"), timing_ms=dict(src.get("timing_ms") or {}),
                   usage=Usage.from_json(src.get("usage")), elements=int(src.get("elements") or 0), info=info,
                   timestamp=str(line.get("action_timestamp", "")), reward=float(line.get("reward", 0.0)),
                   version=version)


def _frame_json(frame: Frame | None) -> dict[str, Any] | None:
    if frame is None:
        return None
    return {"left": frame.left, "top": frame.top, "width": frame.width, "height": frame.height,
            "scale": frame.scale}


def _frame_from(data: Any) -> Frame | None:
    if not isinstance(data, dict):
        return None
    try:
        return Frame(int(data["left"]), int(data["top"]), int(data["width"]), int(data["height"]),
                     float(data.get("scale", 1.0)))
    except (KeyError, TypeError, ValueError):
        return None


def frame_of(step: StepRecord, image_size: tuple[int, int] | None = None) -> Frame | None:
    """The step's capture frame; a version-1 step (which did not record one) is taken as the desktop's origin at
    one image pixel per logical pixel, as X11 captured it then."""
    if step.frame is not None:
        return step.frame
    if image_size is None:
        return None
    return Frame(0, 0, image_size[0], image_size[1], 1.0)


def _duration(ms: float) -> str:
    return f"{ms:.0f} ms" if ms < 1000 else f"{ms / 1000:.1f} s"


@dataclass
class Trajectory:
    """Appends steps to a run folder; every write is flushed and fsync'd so a crash loses nothing."""

    folder: Path
    steps: int = 0
    secrets: set[str] = field(default_factory=set)
    model_seconds: float = 0.0  # the model calls' time so far, so each step can tell its model's part apart

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
        if not secret or secret in self.secrets:
            return
        self.secrets.add(secret)
        for name in ("task.json", "traj.jsonl", "result.txt", CALLS):
            path = self.folder / name
            if path.exists():
                path.write_text(self.mask(path.read_text(encoding="utf-8")), encoding="utf-8")

    def mask(self, text: str) -> str:
        """``text`` with every known secret replaced by dots (planner.secrets.mask)."""
        return mask(text, self.secrets)

    def append(self, record: StepRecord, image: np.ndarray | None = None) -> StepRecord:
        """Write one step (screenshot first, then its line); returns the record as written (numbered, stamped)."""
        self.steps += 1
        shot = ""
        if image is not None:
            shot = f"step_{self.steps}.png"
            _save_png(image, self.folder / shot)
        record = replace(record, step=self.steps, screenshot=shot, timestamp=_now(), version=FORMAT_VERSION)
        with open(self.folder / "traj.jsonl", "a", encoding="utf-8") as fh:
            fh.write(self.mask(json.dumps(record.to_json(), default=str, ensure_ascii=False)) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return record

    def append_call(self, call: dict[str, Any]) -> None:
        """Write one model call (its raw reply included) to calls.jsonl, secrets masked, before the run goes on."""
        self.model_seconds += float(call.get("seconds") or 0.0)
        with open(self.folder / CALLS, "a", encoding="utf-8") as fh:
            fh.write(self.mask(json.dumps(call, default=str, ensure_ascii=False)) + "\n")
            fh.flush()
            os.fsync(fh.fileno())

    def save_final(self, image: np.ndarray) -> str:
        """Keep the screen as the run left it (final.png); returns the file's name."""
        _save_png(image, self.folder / FINAL)
        return FINAL

    def finish(self, status: str, message: str) -> None:
        """Write result.txt: the status word on the first line, the sentence on the second."""
        (self.folder / "result.txt").write_text(self.mask(f"{status}\n{message}\n"))


def load(folder: Path) -> list[dict]:
    """The trajectory's lines as written (dicts); ``read_steps`` is the typed reader."""
    lines = (Path(folder) / "traj.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def read_steps(folder: Path) -> list[StepRecord]:
    """Every step of a run folder as a StepRecord, of any format version; lines a crash cut short are skipped."""
    path = Path(folder) / "traj.jsonl"
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        if not line.strip():
            continue
        try:
            out.append(StepRecord.from_json(json.loads(line)))
        except (ValueError, TypeError):
            continue
    return out


def read_calls(folder: Path) -> list[dict[str, Any]]:
    """The run's model calls as written (none for a run without a model); lines a crash cut short are skipped."""
    path = Path(folder) / CALLS
    if not path.is_file():
        return []
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            data = json.loads(line)
        except ValueError:
            continue
        if isinstance(data, dict):
            out.append(data)
    return out


def _save_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image

    Image.fromarray(image).save(path, compress_level=1)


def _now() -> str:
    return datetime.fromtimestamp(time.time(), UTC).isoformat(timespec="milliseconds")
