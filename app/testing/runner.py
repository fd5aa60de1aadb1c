"""Runs test files: each test on its own display and home, N at once, retried up to K times."""

from __future__ import annotations

import multiprocessing
import re
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app.testing import spec
from app.testing.desktop import Desktop, DesktopError


@dataclass
class StepResult:
    title: str
    line: int
    status: str  # passed | failed | skipped
    message: str = ""
    seconds: float = 0.0
    trajectory_steps: list[int] = field(default_factory=list)
    screenshot: str = ""


@dataclass
class TestResult:
    file: str
    suite: str
    name: str
    line: int
    status: str  # passed | failed | error
    message: str = ""
    seconds: float = 0.0
    attempts: int = 1
    folder: str = ""
    steps: list[StepResult] = field(default_factory=list)

    @property
    def failed_step(self) -> StepResult | None:
        return next((s for s in self.steps if s.status == "failed"), None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


def slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", text).strip("-").lower() or "test"


def run_test(tf: spec.TestFile, case: spec.TestCase, out: Path, retries: int = 0, policy: str = "",
             session: str = "x11") -> TestResult:
    """Run one test, again up to ``retries`` times while it fails; the last attempt is reported. ``policy`` is a
    TOML file whose [policy] table replaces the config file's; ``session`` x11 (Xvfb) or wayland (headless sway)."""
    result = None
    for attempt in range(1, retries + 2):
        result = _attempt(tf, case, out / slug(tf.name) / slug(case.name), policy, session)
        result.attempts = attempt
        if result.status == "passed":
            break
    assert result is not None
    return result


def _attempt(tf: spec.TestFile, case: spec.TestCase, folder: Path, policy: str = "", session: str = "x11") \
        -> TestResult:
    result = TestResult(str(tf.path), tf.name, case.name, case.line, "passed", folder=str(folder / "run"))
    started = time.monotonic()
    setup = tf.setup
    desktop = Desktop(folder, setup.width, setup.height, name=f"{tf.name}: {case.name}", a11y=setup.accessibility,
                      policy_file=policy, session=session)
    try:
        desktop.start()
        open_target = str(tf.resolve(setup.open)) if setup.open and "://" not in setup.open else setup.open
        if setup.open or setup.launch:
            desktop.launch(command=setup.launch, open=open_target, cwd=tf.path.parent, scale=setup.scale,
                           timeout=setup.timeout)
        for step in case.steps:
            if time.monotonic() - started > case.timeout:
                result.steps.append(StepResult(step.title, step.line, "failed",
                                               f"the test ran past its {case.timeout:g}s timeout"))
                break
            outcome = _run_step(desktop, tf, step, folder)
            result.steps.append(outcome)
            if outcome.status == "failed":
                break
    except DesktopError as exc:
        result.status, result.message = "error", str(exc)
    except Exception as exc:  # a broken test must not take the suite down; the report carries the traceback
        result.status, result.message = "error", f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=5)}"
    finally:
        desktop.close()
        if desktop.trajectory:
            desktop.trajectory.finish(result.status, result.message or "ok")
    failed = result.failed_step
    if failed and result.status == "passed":
        result.status, result.message = "failed", f"line {failed.line}: {failed.title}: {failed.message}"
    done = {s.line for s in result.steps}
    result.steps += [StepResult(s.title, s.line, "skipped") for s in case.steps if s.line not in done]
    result.seconds = round(time.monotonic() - started, 2)
    return result


def _run_step(desktop: Desktop, tf: spec.TestFile, step: spec.Step, folder: Path) -> StepResult:
    t0 = time.monotonic()
    if step.do:
        run = desktop.do(step.do, timeout=step.timeout)
        steps = desktop.log[-1]["steps"]
        ok = run.status == "done"
        return StepResult(step.title, step.line, "passed" if ok else "failed", run.message,
                          round(time.monotonic() - t0, 2), steps)
    messages, ok = [], True
    for e in step.expect:
        check = desktop.expect(e.kind, e.value, timeout=step.timeout, base=tf.path.parent)
        messages.append(check.message)
        ok = ok and check.ok
    shot = folder / "run" / f"expect_line_{step.line}.png"
    _save(desktop.screenshot(), shot)
    return StepResult(step.title, step.line, "passed" if ok else "failed", "; ".join(messages),
                      round(time.monotonic() - t0, 2), screenshot=shot.name)


def _save(image: Any, path: Path) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path, compress_level=1)


def _run_in_worker(args: tuple[str, str, str, int, str, str]) -> TestResult:
    path, name, out, retries, policy, session = args
    tf = spec.load(Path(path))
    case = next(c for c in tf.tests if c.name == name)
    return run_test(tf, case, Path(out), retries, policy, session)


def run_suite(files: list[spec.TestFile], out: Path, parallel: int = 1, retries: int = 0,
              on_result: Callable[[TestResult], None] = lambda r: None, policy: str = "",
              session: str = "x11") -> list[TestResult]:
    """Run every test of every file (on Xvfb, or headless sway for ``session`` wayland); results come back in
    file order whatever the parallelism."""
    jobs = [(str(tf.path), case.name, str(out), retries, policy, session) for tf in files for case in tf.tests]
    if parallel <= 1:
        results = []
        for job in jobs:
            results.append(_run_in_worker(job))
            on_result(results[-1])
        return results
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=parallel, mp_context=ctx) as pool:
        futures = [pool.submit(_run_in_worker, job) for job in jobs]
        results = []
        for future in futures:
            results.append(future.result())
            on_result(results[-1])
    return results
