"""MiniWoB++ in real Chromium: the agent sees only pixels and acts only through OS input.

Selenium is used for three things only: starting an episode (``core.startEpisodeReal()``), reading the
instruction (``core.getUtterance()``) and reading the reward (``WOB_RAW_REWARD_GLOBAL``).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.desktop.xvfb import VirtualDisplay
from app.engine.compose import Parts, compose
from app.engine.executor import DesktopExecutor
from app.engine.options import RunOptions

DEV_TASKS = ("click-button,click-link,click-dialog,click-dialog-2,click-checkboxes,click-option,enter-text,"
             "enter-password,focus-text,click-tab,click-collapsible,choose-list,click-test").split(",")
DEV30 = DEV_TASKS + ("enter-text-2,form-sequence,form-sequence-3,use-slider,use-spinner,enter-date,enter-time,"
                     "choose-date-easy,click-widget,click-collapsible-2,click-tab-2-easy,navigate-tree,search-engine,"
                     "social-media,email-inbox-delete,sign-agreement,copy-paste").split(",")
TASK_SETS = {"dev13": DEV_TASKS, "dev30": DEV30}  # dev30: issue 18's direct-command set


class MiniwobError(RuntimeError):
    """The MiniWoB++ pages or a task are missing; the message says what to do."""


def task_dir() -> Path:
    spec = importlib.util.find_spec("miniwob")
    if spec is None or not spec.submodule_search_locations:
        raise MiniwobError("The miniwob package is not installed: run `make install`.")
    return Path(list(spec.submodule_search_locations)[0]) / "html" / "miniwob"


def task_set(name: str) -> list[str]:
    """The tasks of a named set; MiniwobError naming the sets there are."""
    if name not in TASK_SETS:
        raise MiniwobError(f"There is no task set called {name!r}; the sets are {', '.join(TASK_SETS)}.")
    return list(TASK_SETS[name])


def task_url(name: str) -> str:
    path = task_dir() / f"{name}.html"
    if not path.exists():
        raise MiniwobError(f"There is no MiniWoB++ task called {name!r}; see {task_dir()} for the names.")
    return path.as_uri()


@dataclass
class EpisodeResult:
    task: str
    episode: int
    utterance: str
    success: bool
    reward: float
    steps: int
    status: str
    message: str
    folder: str
    timings: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class MiniwobBench:
    tasks: list[str]
    episodes: int = 10
    seed: int = 0
    out: Path = Path("bench-results/miniwob")
    width: int = 800
    height: int = 600
    scale: float = 2.0
    max_steps: int = 25
    input_driver: str = "xtest"
    on_episode: Callable[[EpisodeResult], None] = lambda r: None
    display: str = ""

    def run(self) -> list[EpisodeResult]:
        urls = {t: task_url(t) for t in self.tasks}
        results: list[EpisodeResult] = []
        with VirtualDisplay(self.width, self.height) as vd, \
                DrivenChromium(vd.display, self.width, self.height, self.scale,
                               app_url=urls[self.tasks[0]]) as browser:
            self.display = vd.display
            source = MssScreenSource(vd.display)
            driver = make_driver(self.input_driver, vd.display)
            executor = DesktopExecutor(driver)
            try:
                for task in self.tasks:
                    browser.driver.get(urls[task])
                    self._wait_ready(browser.driver)
                    browser.driver.execute_script(f"Math.seedrandom && Math.seedrandom('{self.seed}-{task}');")
                    for ep in range(self.episodes):
                        result = self._episode(browser.driver, task, ep, source, executor)
                        results.append(result)
                        self.on_episode(result)
            finally:
                source.close()
                driver.close()
        return results

    @staticmethod
    def _wait_ready(driver: Any, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if driver.execute_script("return typeof core !== 'undefined' && typeof genProblem === 'function';"):
                return
            time.sleep(0.05)
        raise MiniwobError("The MiniWoB++ page did not load in Chromium within 10 s.")

    def _episode(self, driver: Any, task: str, ep: int, source: MssScreenSource,
                 executor: DesktopExecutor) -> EpisodeResult:
        driver.execute_script("core.startEpisodeReal();")
        utterance = driver.execute_script("return core.getUtterance();")
        time.sleep(0.15)  # let the page paint the new problem
        meta = {"benchmark": "miniwob", "miniwob_task": task, "episode": ep, "seed": self.seed}
        options = RunOptions(task=utterance, display=self.display, out=self.out / task, max_steps=self.max_steps,
                             agent="direct", name=f"episode-{ep:03d}", meta=meta)
        run = compose(options, parts=Parts(source=source, executor=executor)).run()
        reward = self._reward(driver)
        return EpisodeResult(task, ep, utterance, reward > 0, reward, run.steps, run.status, run.message,
                             run.folder, run.timings)

    @staticmethod
    def _reward(driver: Any, timeout: float = 1.5) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if driver.execute_script("return WOB_DONE_GLOBAL;"):
                return float(driver.execute_script("return WOB_RAW_REWARD_GLOBAL;"))
            time.sleep(0.05)
        driver.execute_script("core.endEpisode(0);")
        return 0.0


def summarise(results: list[EpisodeResult]) -> dict[str, Any]:
    """The benchmark JSON: per-task episodes, successes, mean steps, median step seconds and a time split."""
    tasks: dict[str, Any] = {}
    for name in dict.fromkeys(r.task for r in results):
        rs = [r for r in results if r.task == name]
        step_secs = [sum(parts) for r in rs for parts in zip(*r.timings.values())] if rs else []
        split = {k: _median([v for r in rs for v in r.timings.get(k, [])])
                 for k in ("capture", "parse", "decide", "model", "act")}
        tasks[name] = {"episodes": len(rs), "successes": sum(r.success for r in rs), **_honesty(rs),
                       "mean_steps": round(statistics.mean(r.steps for r in rs), 2),
                       "median_step_seconds": _median(step_secs), "step_seconds_split": split}
    total = len(results)
    return {"tasks": tasks, "success_rate": round(sum(r.success for r in results) / total, 4) if total else 0.0,
            **_honesty(results)}


def _honesty(results: list[EpisodeResult]) -> dict[str, int]:
    """How often the run's own ending disagreed with the page's reward: it said done and the task failed, or it
    said it failed and the task was done."""
    return {"false_done": sum(r.status == "done" and not r.success for r in results),
            "false_fail": sum(r.status != "done" and r.success for r in results)}


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 4) if values else 0.0


def table(summary: dict[str, Any]) -> str:
    """A plain-text per-task table for the terminal and the README."""
    rows = [f"{'task':<20} {'success':>9} {'rate':>6} {'steps':>6} {'s/step':>7}  capture/parse/decide/act (s)"]
    for name, t in summary["tasks"].items():
        s = t["step_seconds_split"]
        rows.append(f"{name:<20} {t['successes']:>4}/{t['episodes']:<4} {t['successes'] / t['episodes']:>6.0%} "
                    f"{t['mean_steps']:>6.1f} {t['median_step_seconds']:>7.3f}  "
                    f"{s['capture']:.3f}/{s['parse']:.3f}/{s['decide']:.4f}/{s['act']:.3f}")
    rows.append(f"{'overall':<20} {summary['success_rate']:>16.1%}")
    rows.append(f"ended done but the task failed: {summary.get('false_done', 0)}; ended failed but the task was "
                f"done: {summary.get('false_fail', 0)}")
    return "\n".join(rows)


def write_json(summary: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2))
