"""A successful run's trajectory saved as a demonstration: its clicks, drags, scrolls, typing and keys, each
grounded on the step's own screenshot the way the recorder grounds a live step.

Each step's logical points go onto its screenshot through the capture frame the step recorded (a version-1
trajectory, which recorded none, is taken as the desktop's origin at one image pixel per logical pixel). Typed
text keeps the field the click before it landed on, and each step gets the effect seen between its screenshot
and the next one, as a recording does.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

from grounding.coords import Point, Space, logical_to_image
from grounding.elements import VALUE_ROLES
from grounding.parser import ScreenParser
from planner.demos import Demo, DemoError, DemoStep, DemoStore
from planner.step_effects import Screens, with_effects
from planner.targets import load_png, remember
from planner.trajectory import StepRecord, frame_of, read_steps

POINTER_KINDS = {"click", "drag", "scroll"}


def save_run(run: Path, name: str, store: DemoStore, task: str = "", replace_old: bool = False) -> Demo:
    """Turn the finished run in ``run`` into the demo ``name``; a run that did not succeed is refused."""
    run = Path(run)
    result = (run / "result.txt").read_text().split("\n", 1)[0].strip() if (run / "result.txt").exists() else ""
    if not (run / "traj.jsonl").exists():
        raise DemoError(f"{run} is not a run folder (it has no traj.jsonl); pass a folder under runs/.")
    if result != "done":
        raise DemoError(f"the run in {run} did not finish successfully ({result or 'no result.txt'}); only a "
                        "successful run can become a demonstration.")
    info = json.loads((run / "task.json").read_text()) if (run / "task.json").exists() else {}
    demo = store.create(name, task or info.get("task", ""), {"source": f"run:{run.resolve()}"}, replace_old)
    parser = ScreenParser(incremental=False)
    focus, final = None, ""
    for record in read_steps(run):
        step = _step(record, run, demo, parser)
        final = f"shots/run_{record.screenshot}" if record.screenshot and (run / record.screenshot).exists() else ""
        if step is None:
            continue
        if step.kind == "click":
            focus = step.target
        elif step.kind == "type" and focus is not None and focus.role in VALUE_ROLES:
            step = replace(step, into=focus)
        demo.steps.append(step)
    demo.steps = with_effects(demo.steps, Screens(demo.folder, parser.parse), final)
    demo.meta["complete"] = True
    demo.save()
    return demo


def _step(record: StepRecord, run: Path, demo: Demo, parser: ScreenParser) -> DemoStep | None:
    action, n = record.action, len(demo.steps) + 1
    kind = action.get("kind")
    shot = record.screenshot
    kept = ""
    if shot and (run / shot).exists():
        kept = f"shots/run_{shot}"
        shutil.copyfile(run / shot, demo.folder / kept)
    match kind:
        case "type":
            secret = bool(action.get("secret"))
            text = action.get("text", "")
            if secret:
                param = "password" if "password" not in demo.params else f"password{len(demo.params) + 1}"
                demo.params[param], text = "", f"{{{param}}}"
            return DemoStep(kind="type", text=text, secret=secret, screenshot=kept)
        case "key":
            return DemoStep(kind="key", keys=tuple(action.get("keys", ())), screenshot=kept)
        case _ if kind in POINTER_KINDS and kept:
            image = load_png(demo.folder / kept)
            frame = frame_of(record, (image.shape[1], image.shape[0]))
            screen = parser.parse(image)

            def at(x: float, y: float, suffix: str = "") -> object:
                p = logical_to_image(Point(x, y, Space.LOGICAL), frame)
                return remember(screen, image, p.x, p.y, demo.folder, f"crops/step_{n}{suffix}.png")

            x, y = action["x"], action["y"]
            if kind == "click":
                return DemoStep(kind="click", x=x, y=y, button=action.get("button", "left"),
                                count=action.get("count", 1), target=at(x, y), screenshot=kept)
            if kind == "scroll":
                return DemoStep(kind="scroll", x=x, y=y, dx=action.get("dx", 0), dy=action.get("dy", 0),
                                target=at(x, y), screenshot=kept)
            return DemoStep(kind="drag", x=x, y=y, to_x=action["to_x"], to_y=action["to_y"], target=at(x, y),
                            to_target=at(action["to_x"], action["to_y"], "_to"), screenshot=kept)
    return None
