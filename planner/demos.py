"""Demonstrations on disk: one folder per demo, written as it is recorded, listable, editable, replayable.

Layout of ``DEMOS_DIR/NAME/``: ``demo.json`` (format_version, name, task, params, screen, complete),
``events.jsonl`` (every raw input event, appended and fsync'd as it happens), ``steps.jsonl`` (the merged,
grounded steps, each with its target, the field its text went into and the effect it had), ``shots/`` (the
screenshot before each event; identical frames share a file) and ``crops/`` (the pixels of each step's target).
A typed value becomes a parameter by turning its text into ``{name}``; the parameter fills the field that text
was typed into, and replay fills it from ``--param name=value`` or the recorded default. Format 1 (targets
named by their words, no effects) still loads.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from planner.effects import Effect
from planner.params import PARAM_RE, render
from planner.targets import Target, says

FORMAT_VERSION = 2
STEP_KINDS = ("click", "drag", "scroll", "type", "key")
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class DemoError(ValueError):
    """A demo that cannot be found, read or changed; the message says what to do."""


@dataclass(frozen=True, kw_only=True)
class DemoStep:
    """One merged step: points are logical screen pixels, the target's boxes the recording's image pixels."""

    kind: str
    x: float = 0
    y: float = 0
    button: str = "left"
    count: int = 1
    to_x: float = 0
    to_y: float = 0
    dx: int = 0
    dy: int = 0
    text: str = ""
    keys: tuple[str, ...] = ()
    secret: bool = False
    target: Target | None = None
    to_target: Target | None = None
    into: Target | None = None  # a type step: the field its text went into
    effect: Effect | None = None  # what the step visibly did when it was recorded
    window: str = ""
    screenshot: str = ""
    t: float = 0.0

    def __post_init__(self) -> None:
        if self.kind not in STEP_KINDS:
            raise DemoError(f"unknown step kind {self.kind!r}; expected one of {', '.join(STEP_KINDS)}")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        for key in ("x", "y", "button", "count", "to_x", "to_y", "dx", "dy", "text", "secret", "window",
                    "screenshot", "t"):
            out[key] = getattr(self, key)
        out["keys"] = list(self.keys)
        out["target"] = self.target.to_json() if self.target else None
        out["to_target"] = self.to_target.to_json() if self.to_target else None
        out["into"] = self.into.to_json() if self.into else None
        out["effect"] = self.effect.to_json() if self.effect else None
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any], version: int = FORMAT_VERSION) -> DemoStep:
        """A step as ``to_json`` wrote it (``version``: the demo's format; 1 had no fields nor effects)."""
        args = {k: v for k, v in data.items() if k not in ("target", "to_target", "into", "effect", "keys")}

        def target(key: str) -> Target | None:
            return Target.from_json(data[key], version) if data.get(key) else None

        return cls(**args, keys=tuple(data.get("keys", ())), target=target("target"), to_target=target("to_target"),
                   into=target("into"), effect=Effect.from_json(data["effect"]) if data.get("effect") else None)

    def describe(self) -> str:
        """'click the "Save" button', 'type {city}', 'press ctrl+s' (a password is never shown)."""
        where = self.target.describe() if self.target else f"({self.x:.0f}, {self.y:.0f})"
        match self.kind:
            case "click":
                verb = {1: "click", 2: "double-click", 3: "triple-click"}[min(self.count, 3)]
                return f"{self.button + '-' if self.button != 'left' else ''}{verb} {where}"
            case "drag":
                to = self.to_target.describe() if self.to_target else f"({self.to_x:.0f}, {self.to_y:.0f})"
                return f"drag {where} to {to}"
            case "scroll":
                return f"scroll {'down' if self.dy < 0 else 'up' if self.dy else 'sideways'} "\
                       f"{abs(self.dy or self.dx)} over {where}"
            case "type":
                if self.secret:  # only a placeholder is ever stored for a password
                    return "type a password" + (f" {self.text}" if PARAM_RE.fullmatch(self.text) else "")
                return f"type {self.text!r}"
        return f"press {'+'.join(self.keys)}"


@dataclass
class Demo:
    """A recorded demonstration: its task, steps and parameters (name -> default value)."""

    folder: Path
    name: str
    task: str = ""
    steps: list[DemoStep] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path) -> Demo:
        """Read a demo folder; a missing or newer-format demo raises DemoError."""
        folder = Path(folder)
        try:
            meta = json.loads((folder / "demo.json").read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise DemoError(f"{folder} is not a readable demo ({exc}); record it again.") from None
        if meta.get("format_version", 0) > FORMAT_VERSION:
            raise DemoError(f"{folder} was written by a newer DeskPilot (format {meta['format_version']}); "
                            "upgrade to replay it.")
        steps_file = folder / "steps.jsonl"
        lines = steps_file.read_text(encoding="utf-8").splitlines() if steps_file.exists() else []
        version = int(meta.get("format_version", 1))
        steps = [DemoStep.from_json(json.loads(line), version) for line in lines if line.strip()]
        return cls(folder, meta.get("name", folder.name), meta.get("task", ""), steps, dict(meta.get("params", {})),
                   meta)

    def save(self) -> None:
        """Write demo.json and steps.jsonl (an edit replaces both)."""
        self.meta.update({"format_version": FORMAT_VERSION, "name": self.name, "task": self.task,
                          "params": self.params, "steps": len(self.steps)})
        _write(self.folder / "demo.json", json.dumps(self.meta, indent=2, ensure_ascii=False))
        _write(self.folder / "steps.jsonl", "".join(json.dumps(s.to_json(), ensure_ascii=False) + "\n"
                                                    for s in self.steps))

    def mark_param(self, step_number: int, name: str) -> None:
        """Make the text typed in step ``step_number`` (1-based) the parameter ``name``, bound to the field it was
        typed into; its text is the default, and the effects that showed it now show the parameter."""
        if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
            raise DemoError(f"{name!r} cannot name a parameter: use letters, digits and _ (like city or user_name).")
        step = self.step(step_number)
        if step.kind != "type":
            raise DemoError(f"step {step_number} is a {step.kind} step ({step.describe()}); only typed text can be "
                            "a parameter: `deskpilot demos show` lists the steps.")
        existing = PARAM_RE.fullmatch(step.text)
        default = self.params.pop(existing.group(1), "") if existing else ("" if step.secret else step.text)
        self.params[name] = default
        old = existing.group(0) if existing else step.text
        self.steps[step_number - 1] = replace(step, text=f"{{{name}}}")
        if not step.secret:
            self.steps = [replace(s, effect=s.effect.with_param(old, name)) if s.effect else s for s in self.steps]

    def typed_into(self, field_name: str) -> int:
        """The number of the one step that types into the field called ``field_name``; DemoError otherwise."""
        steps = [i for i, s in enumerate(self.steps, 1)
                 if s.kind == "type" and s.into is not None and says(field_name, s.into.name)]
        if len(steps) != 1:
            fields = sorted({s.into.name for s in self.steps if s.kind == "type" and s.into and s.into.name})
            known = ", ".join(repr(f) for f in fields) or "none"
            how = "several steps type" if steps else "no step types"
            raise DemoError(f"{how} into a field called {field_name!r} (fields typed into: {known}); name the step "
                            "by its number: `deskpilot demos show` lists them.")
        return steps[0]

    def param_fields(self) -> dict[str, list[tuple[int, Target | None]]]:
        """Each parameter's steps and the field each fills (None: typed with no field recorded)."""
        out: dict[str, list[tuple[int, Target | None]]] = {name: [] for name in self.params}
        for i, s in enumerate(self.steps, 1):
            if s.kind == "type":
                for name in PARAM_RE.findall(s.text):
                    out.setdefault(name, []).append((i, s.into))
        return out

    def step(self, number: int) -> DemoStep:
        if not 1 <= number <= len(self.steps):
            raise DemoError(f"there is no step {number}: {self.name!r} has steps 1 to {len(self.steps)}.")
        return self.steps[number - 1]

    def values(self, given: dict[str, str]) -> dict[str, str]:
        """Parameter values for a replay: given ones over recorded defaults; unknown or missing ones raise."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            known = ", ".join(sorted(self.params)) or "none"
            raise DemoError(f"the demo {self.name!r} has no parameter {unknown[0]!r} (its parameters: {known}); "
                            "mark one with `deskpilot demos edit NAME --param STEP=NAME`.")
        out = {**self.params, **given}
        missing = [k for k, v in out.items() if v == ""]
        if missing:
            raise DemoError(f"the demo {self.name!r} needs a value for {missing[0]!r} (a password is never stored): "
                            f"pass --param {missing[0]}=VALUE.")
        return out

    def secrets(self, values: dict[str, str]) -> set[str]:
        """Values typed into password fields on replay, so the trajectory masks them."""
        out = set()
        for s in self.steps:
            if s.kind == "type" and s.secret:
                out.add(render(s.text, values))
        return {v for v in out if v}


def default_dir() -> Path:
    """$DESKPILOT_DEMOS_DIR, else $XDG_DATA_HOME/deskpilot/demos, else ~/.local/share/deskpilot/demos."""
    if os.environ.get("DESKPILOT_DEMOS_DIR"):
        return Path(os.environ["DESKPILOT_DEMOS_DIR"]).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "deskpilot" / "demos"


@dataclass
class DemoStore:
    """The demos folder: one sub-folder per demo."""

    root: Path = field(default_factory=default_dir)

    def path(self, name: str) -> Path:
        if not NAME_RE.match(name):
            raise DemoError(f"{name!r} cannot name a demo: use letters, digits, '.', '_' and '-' (up to 64).")
        return Path(self.root) / name

    def names(self) -> list[str]:
        root = Path(self.root)
        return sorted(p.name for p in root.iterdir() if (p / "demo.json").exists()) if root.is_dir() else []

    def load(self, name: str) -> Demo:
        folder = self.path(name)
        if not (folder / "demo.json").exists():
            known = ", ".join(self.names()) or "none yet"
            raise DemoError(f"there is no demo called {name!r} in {self.root} (demos: {known}); "
                            "`deskpilot demos list` shows them.")
        return Demo.load(folder)

    def all(self) -> list[Demo]:
        return [Demo.load(self.path(n)) for n in self.names()]

    def create(self, name: str, task: str, meta: dict[str, Any] | None = None, replace_old: bool = False) -> Demo:
        """A new, empty demo folder (an existing one is an error unless ``replace_old``)."""
        folder = self.path(name)
        if folder.exists():
            if not replace_old:
                raise DemoError(f"a demo called {name!r} already exists; choose another name or "
                                f"`deskpilot demos rm {name}` first.")
            shutil.rmtree(folder)
        for sub in ("shots", "crops"):
            (folder / sub).mkdir(parents=True)
        (folder / "events.jsonl").touch()
        demo = Demo(folder, name, task, meta={"created": _now(), "complete": False, **(meta or {})})
        demo.save()
        return demo

    def remove(self, name: str) -> None:
        shutil.rmtree(self.load(name).folder)


def append_line(path: Path, data: dict[str, Any]) -> None:
    """Append one JSON line and fsync it: a crash after this returns loses nothing."""
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps(data, ensure_ascii=False, default=str) + "\n")
        fh.flush()
        os.fsync(fh.fileno())


def _write(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
