"""`deskpilot bench planner`: model calls per action on scripted multi-step tasks (app/bench/planner_tasks.py),
planner overhead per step with model time excluded, and prompt size over a long run.

For the overhead: a real screen (the text-dense bench page in Chromium on Xvfb, parsed once) and an in-process
model that answers at once; everything the planner does around the model (messages, screenshots, schema checks,
grounding the worker's target, measuring the screen, context upkeep) is timed, and the model's own time is
subtracted.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from app.desktop.browser import ChromiumApp
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.xvfb import VirtualDisplay
from grounding.parser import ScreenParser
from models.chat import Message, Meter, Reply, Usage
from planner.actions import Click
from planner.hierarchy import HierarchicalAgent, PlannerConfig
from planner.protocols import Outcome

PAGE = Path(__file__).resolve().parent.parent.parent / "assets" / "bench" / "dense.html"


@dataclass
class InstantModel:
    """Answers by role at once and keeps the time spent inside ``complete`` (the part that is the model's)."""

    target: str
    meter: Meter = field(default_factory=Meter)
    seconds: float = 0.0
    worker_chars: list[int] = field(default_factory=list)
    name: str = "instant"

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        t0 = time.perf_counter()
        system = messages[0].text
        if "You are the manager" in system:
            text = json.dumps({"subtasks": [{"title": f"click {self.target} again and again"}]})
        elif "You are the reflector" in system:  # asked only on trouble; here every click changes the screen
            text = json.dumps({"changed": "the field is focused", "success": True, "advice": ""})
        else:
            self.worker_chars.append(sum(len(m.text) for m in messages))
            text = json.dumps({"thought": "keep going", "action": {"type": "click", "target": self.target}})
        self.meter.add(Usage(sum(len(m.text) for m in messages) // 4, len(text) // 4))
        self.seconds += time.perf_counter() - t0
        return Reply(text, Usage(), self.name)


def run(steps: int = 100, width: int = 1280, height: int = 800, marks: bool = False) -> dict[str, Any]:
    """Run ``steps`` worker turns on one real screen; per-step overhead in ms."""
    with VirtualDisplay(width, height) as vd, ChromiumApp(PAGE.as_uri(), vd.display, width, height):
        wait_for_content(vd.display)
        time.sleep(1.0)
        source = MssScreenSource(vd.display)
        try:
            obs = source.capture()
        finally:
            source.close()
    screen = ScreenParser().parse(obs.image)
    model = InstantModel('the "Apply" button')
    agent = HierarchicalAgent(model, "Fill in the form", PlannerConfig(marks=marks, workdir="/tmp"))
    overhead: list[float] = []
    for i in range(steps):
        fresh = replace(obs, image=obs.image.copy())  # every step of a real run brings a new screenshot
        fresh.image[0, i % width] ^= 1  # and it differs from the one before (the click changed something)
        model.seconds = 0.0
        t0 = time.perf_counter()
        decision = agent.decide(fresh, screen)
        agent.feedback(decision.action, Outcome(ok=True), True)
        overhead.append((time.perf_counter() - t0 - model.seconds) * 1000)
        assert isinstance(decision.action, Click), decision.action
    turns = overhead[1:]  # the first step also makes the plan
    chars = model.worker_chars
    return {"steps": steps, "screen": f"{width}x{height}", "elements": len(screen.elements), "marks": marks,
            "overhead_ms_median": round(statistics.median(turns), 2),
            "overhead_ms_p95": round(sorted(turns)[int(len(turns) * 0.95) - 1], 2),
            "overhead_ms_first": round(overhead[0], 2),
            "prompt_chars_step_10": chars[9], "prompt_chars_step_100": chars[min(99, len(chars) - 1)],
            "prompt_bounded": chars[min(99, len(chars) - 1)] <= chars[9]}


def calls(reflect: str = "on_trouble", names: tuple[str, ...] = (), out: Path | None = None,
          on_task: Any = None) -> dict[str, Any]:
    """Run the scripted tasks (all, or those named) and count model calls per action, by role."""
    import tempfile

    from app.bench.planner_tasks import Summary, run_task, tasks

    chosen = [t for t in tasks() if not names or t.name in names]
    summary = Summary()
    folder = out or Path(tempfile.mkdtemp(prefix="deskpilot-bench-planner-"))
    for task in chosen:
        result = run_task(task, folder, reflect)
        summary.results.append(result)
        if on_task is not None:
            on_task(result)
    return {"reflect": reflect, "runs": str(folder), **summary.to_json()}
