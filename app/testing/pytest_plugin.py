"""pytest plugin: a ``desktop`` fixture for GUI tests written in Python, with DeskPilot's reports attached.

```python
def test_saves(desktop):
    desktop.launch("python notes_app.py", cwd=HERE)
    desktop.do('type "Milk" into the Title field and click Save')
    desktop.expect_text("Saved Milk")
```
Options: ``--deskpilot-out DIR`` (trajectories and per-test HTML reports, default ``deskpilot-results``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.testing.desktop import Desktop
from app.testing.runner import StepResult, TestResult, slug


class DesktopFixture:
    """What a test gets: launch, do and expect_* that fail the test with DeskPilot's one-sentence reason."""

    def __init__(self, desktop: Desktop) -> None:
        self.desktop = desktop

    @property
    def home(self) -> Path:
        assert self.desktop.home
        return self.desktop.home

    def launch(self, command: str = "", open: str = "", cwd: str | Path | None = None, timeout: float = 20.0,
               scale: float = 1.0) -> None:
        self.desktop.launch(command=command, open=open, cwd=Path(cwd) if cwd else None, timeout=timeout,
                            scale=scale)

    def do(self, command: str, timeout: float = 20.0) -> None:
        result = self.desktop.do(command, timeout)
        if result.status != "done":
            pytest.fail(f"{command!r}: {result.message}", pytrace=False)

    def expect(self, kind: str, value: Any, timeout: float = 10.0) -> None:
        check = self.desktop.expect(kind, value, timeout)
        if not check.ok:
            pytest.fail(check.message, pytrace=False)

    def expect_text(self, text: str, timeout: float = 10.0) -> None:
        self.expect("text", text, timeout)

    def expect_no_text(self, text: str) -> None:
        self.expect("no_text", text)

    def expect_window(self, title: str, timeout: float = 10.0) -> None:
        self.expect("window", title, timeout)

    def expect_file(self, path: str, contains: str | None = None, timeout: float = 10.0) -> None:
        value: dict[str, Any] = {"path": path}
        if contains is not None:
            value["contains"] = contains
        self.expect("file", value, timeout)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--deskpilot-out", default="deskpilot-results",
                     help="where DeskPilot keeps trajectories and per-test HTML reports")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"deskpilot_{report.when}", report)
    d = getattr(item, "deskpilot_desktop", None)
    if report.when == "call" and d is not None:
        lines = [f"[{s.status}] {s.title}" + (f" -- {s.message}" if s.message else "") for s in _steps(d)]
        report.sections.append(("deskpilot", "\n".join(lines + [f"report: {d.out / 'report.html'}"])))


@pytest.fixture
def desktop(request: pytest.FixtureRequest) -> Any:
    """A private virtual display and home for this test; everything started on it stops afterwards."""
    out = Path(request.config.getoption("--deskpilot-out")).resolve() / slug(request.node.nodeid)
    d = Desktop(out, name=request.node.name).start()
    request.node.deskpilot_desktop = d
    try:
        yield DesktopFixture(d)
    finally:
        d.close()
        call = getattr(request.node, "deskpilot_call", None)
        failed = call is not None and call.failed
        message = str(call.longrepr) if failed else ""
        if d.trajectory:
            d.trajectory.finish("failed" if failed else "passed", message or "ok")
        _attach_report(request.node, d, failed, message)


def _steps(d: Desktop) -> list[StepResult]:
    steps = []
    for i, entry in enumerate(d.log):
        ok = entry.get("status") == "done" if "do" in entry else entry.get("ok")
        title = f"do: {entry['do']}" if "do" in entry else f"expect: {entry['expect']} {entry['value']!r}"
        steps.append(StepResult(title, i + 1, "passed" if ok else "failed", entry.get("message", ""),
                                trajectory_steps=entry.get("steps", [])))
    return steps


def _attach_report(node: pytest.Item, d: Desktop, failed: bool, message: str) -> None:
    """Write this test's HTML report (screenshots with actions drawn) and name it in the test's properties."""
    from app.testing.reports import html_report

    result = TestResult(str(node.path), node.module.__name__ if hasattr(node, "module") else "", node.name,
                        node.location[1] + 1, "failed" if failed else "passed", message, folder=str(d.out / "run"),
                        steps=_steps(d))
    report = d.out / "report.html"
    html_report([result], report, title=f"DeskPilot: {node.name}")
    node.user_properties.append(("deskpilot_report", str(report)))
