"""Test files: reading and validating them before anything runs, with the line of every problem.

```yaml
name: Contact form                 # optional; defaults to the file name
setup:
  open: form.html                  # a URL or a path (relative to this file) shown in a Chromium app window
  # launch: python app.py          # or a command that opens the application
  screen: {width: 1024, height: 768, scale: 1}
  timeout: 20                      # seconds to wait for the application to appear
  accessibility: true              # also read the app's accessibility tree (AT-SPI) and merge it in
tests:
  - name: saves a contact
    timeout: 60                    # the whole test
    steps:
      - do: type "Ada" into the Name field and click Save
        timeout: 20
      - expect: {text: "Saved Ada"}
      - expect: {no_text: "Error", window: "Contacts", file: {path: out.txt, contains: Ada}}
      - expect: {command: {run: "test -s out.txt", exit_code: 0}}
      - expect: {image: {region: [0, 0, 200, 100], matches: header.png, tolerance: 0.02}}
```
Paths in a test file are relative to the file; a test's commands run in its own temporary home. A ``do`` step
may take 20 s by default; an ``expect`` step is re-checked for up to 10 s (``timeout`` changes either).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

EXPECT_KEYS = {"text", "no_text", "window", "file", "command", "image"}


class SpecError(ValueError):
    """A malformed test file: ``path:line: problem``."""


@dataclass(frozen=True)
class Expectation:
    kind: str  # text | no_text | window | file | command | image
    value: Any
    line: int


@dataclass(frozen=True)
class Step:
    line: int
    do: str = ""
    expect: tuple[Expectation, ...] = ()
    timeout: float = 20.0

    @property
    def title(self) -> str:
        if self.do:
            return f"do: {self.do}"
        return "expect: " + ", ".join(f"{e.kind} {_short(e.value)}" for e in self.expect)


@dataclass(frozen=True)
class Setup:
    open: str = ""
    launch: str = ""
    width: int = 1024
    height: int = 768
    scale: float = 1.0
    timeout: float = 20.0
    accessibility: bool = False


@dataclass(frozen=True)
class TestCase:
    name: str
    steps: tuple[Step, ...]
    line: int
    timeout: float = 120.0


@dataclass(frozen=True)
class TestFile:
    path: Path
    name: str
    setup: Setup
    tests: tuple[TestCase, ...] = field(default_factory=tuple)

    def resolve(self, relative: str) -> Path:
        p = Path(relative).expanduser()
        return p if p.is_absolute() else (self.path.parent / p).resolve()


def load(path: Path) -> TestFile:
    """Read and validate a test file; raise SpecError naming the line and the problem."""
    path = Path(path)
    if not path.exists():
        raise SpecError(f"{path}: no such test file")
    try:
        root = yaml.compose(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else 1
        raise SpecError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    return _Reader(path).file(root)


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) < 60 else text[:57] + "..."


class _Reader:
    """Walks YAML nodes (which keep their line numbers) into the dataclasses above."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, node: yaml.Node | None, problem: str) -> SpecError:
        line = node.start_mark.line + 1 if node is not None else 1
        return SpecError(f"{self.path}:{line}: {problem}")

    def mapping(self, node: yaml.Node, what: str, allowed: set[str]) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(node, f"{what} must be a mapping of keys to values")
        out = {}
        for key, value in node.value:
            name = key.value if isinstance(key, yaml.ScalarNode) else None
            if name not in allowed:
                raise self.fail(key, f"unknown key {name!r} in {what}; expected one of {', '.join(sorted(allowed))}")
            out[name] = value
        return out

    def scalar(self, node: yaml.Node, what: str, kind: type = str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(node, f"{what} must be a single value")
        value = yaml.safe_load(node.value) if kind is not str else node.value
        if kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
            raise self.fail(node, f"{what} must be a {kind.__name__}, got {node.value!r}")
        if kind is str and not value.strip():
            raise self.fail(node, f"{what} must not be empty")
        if kind in (int, float) and value <= 0:
            raise self.fail(node, f"{what} must be positive, got {value}")
        return value

    def file(self, root: yaml.Node | None) -> TestFile:
        if root is None:
            raise self.fail(None, "the file is empty; it needs 'setup' and 'tests'")
        top = self.mapping(root, "the test file", {"name", "setup", "tests"})
        if "tests" not in top:
            raise self.fail(root, "missing 'tests': list the tests to run")
        name = self.scalar(top["name"], "name") if "name" in top else self.path.stem
        setup = self.setup(top["setup"]) if "setup" in top else Setup()
        tests_node = top["tests"]
        if not isinstance(tests_node, yaml.SequenceNode) or not tests_node.value:
            raise self.fail(tests_node, "'tests' must be a non-empty list")
        tests = tuple(self.test(n, i) for i, n in enumerate(tests_node.value, 1))
        seen: set[str] = set()
        for t in tests:
            if t.name in seen:
                raise SpecError(f"{self.path}:{t.line}: two tests are called {t.name!r}; give each its own name")
            seen.add(t.name)
        return TestFile(self.path.resolve(), name, setup, tests)

    def setup(self, node: yaml.Node) -> Setup:
        m = self.mapping(node, "setup", {"open", "launch", "screen", "timeout", "accessibility"})
        if "open" in m and "launch" in m:
            raise self.fail(node, "setup takes 'open' (a page) or 'launch' (a command), not both")
        kwargs: dict[str, Any] = {}
        for key in ("open", "launch"):
            if key in m:
                kwargs[key] = self.scalar(m[key], f"setup.{key}")
        if "timeout" in m:
            kwargs["timeout"] = self.scalar(m["timeout"], "setup.timeout", float)
        if "accessibility" in m:
            kwargs["accessibility"] = self.scalar(m["accessibility"], "setup.accessibility", bool)
        if "screen" in m:
            screen = self.mapping(m["screen"], "setup.screen", {"width", "height", "scale"})
            for key, kind in (("width", int), ("height", int), ("scale", float)):
                if key in screen:
                    kwargs[key] = self.scalar(screen[key], f"setup.screen.{key}", kind)
        return Setup(**kwargs)

    def test(self, node: yaml.Node, index: int) -> TestCase:
        m = self.mapping(node, f"test #{index}", {"name", "steps", "timeout"})
        name = self.scalar(m["name"], "test name") if "name" in m else f"test {index}"
        if "steps" not in m:
            raise self.fail(node, f"test {name!r} has no 'steps'")
        steps_node = m["steps"]
        if not isinstance(steps_node, yaml.SequenceNode) or not steps_node.value:
            raise self.fail(steps_node, f"the steps of test {name!r} must be a non-empty list")
        timeout = self.scalar(m["timeout"], "test timeout", float) if "timeout" in m else 120.0
        return TestCase(name, tuple(self.step(s) for s in steps_node.value), node.start_mark.line + 1, timeout)

    def step(self, node: yaml.Node) -> Step:
        if isinstance(node, yaml.ScalarNode):
            return Step(node.start_mark.line + 1, do=self.scalar(node, "step"))
        m = self.mapping(node, "a step", {"do", "expect", "timeout"})
        if ("do" in m) == ("expect" in m):
            raise self.fail(node, "a step has either 'do' (a command) or 'expect' (what must be true)")
        default = 20.0 if "do" in m else 10.0  # commands may load pages; expectations are re-checked until then
        timeout = self.scalar(m["timeout"], "step timeout", float) if "timeout" in m else default
        if "do" in m:
            return Step(node.start_mark.line + 1, do=self.scalar(m["do"], "do"), timeout=timeout)
        return Step(node.start_mark.line + 1, expect=self.expectations(m["expect"]), timeout=timeout)

    def expectations(self, node: yaml.Node) -> tuple[Expectation, ...]:
        m = self.mapping(node, "expect", EXPECT_KEYS)
        if not m:
            raise self.fail(node, "expect needs at least one of " + ", ".join(sorted(EXPECT_KEYS)))
        return tuple(Expectation(kind, self.expectation(kind, value), value.start_mark.line + 1)
                     for kind, value in m.items())

    def expectation(self, kind: str, node: yaml.Node) -> Any:
        if kind in ("text", "no_text", "window"):
            return self.scalar(node, f"expect.{kind}")
        if kind == "file":
            m = self.mapping(node, "expect.file", {"path", "contains", "equals", "exists"})
            if "path" not in m:
                raise self.fail(node, "expect.file needs a 'path'")
            out = {"path": self.scalar(m["path"], "expect.file.path")}
            for key in ("contains", "equals"):
                if key in m:
                    out[key] = m[key].value if isinstance(m[key], yaml.ScalarNode) else self.scalar(m[key], key)
            if "exists" in m:
                out["exists"] = self.scalar(m["exists"], "expect.file.exists", bool)
            return out
        if kind == "command":
            m = self.mapping(node, "expect.command", {"run", "exit_code"})
            if "run" not in m:
                raise self.fail(node, "expect.command needs 'run' (the command)")
            code = yaml.safe_load(m["exit_code"].value) if "exit_code" in m else 0
            if not isinstance(code, int) or isinstance(code, bool):
                raise self.fail(m["exit_code"], "expect.command.exit_code must be an integer")
            return {"run": self.scalar(m["run"], "expect.command.run"), "exit_code": code}
        m = self.mapping(node, "expect.image", {"region", "matches", "tolerance"})
        for key in ("region", "matches"):
            if key not in m:
                raise self.fail(node, f"expect.image needs '{key}'")
        region = m["region"]
        values = [yaml.safe_load(v.value) for v in getattr(region, "value", [])]
        if not isinstance(region, yaml.SequenceNode) or len(values) != 4 or not all(
                isinstance(v, int) and v >= 0 for v in values) or values[2] <= values[0] or values[3] <= values[1]:
            raise self.fail(region, "expect.image.region must be [x0, y0, x1, y1] in screen pixels, x1>x0, y1>y0")
        tolerance = self.scalar(m["tolerance"], "expect.image.tolerance", float) if "tolerance" in m else 0.02
        return {"region": values, "matches": self.scalar(m["matches"], "expect.image.matches"),
                "tolerance": tolerance}
