"""Scripted multi-step tasks for `deskpilot bench planner`: each runs the way `deskpilot run` runs (compose, a real
virtual display, a real application, code really run) with a scripted model that answers as a capable model
would, and counts the model calls it took per action carried out, by role.

The script reads its ids off the screen it is sent, as a model does (models.fake.fill_ids): ``#{Email}`` in an
answer becomes the id the legend gives the control named "Email".
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.fake import RoleScript

ASSETS = Path(__file__).resolve().parent.parent.parent / "assets" / "bench"
# what the reflector says when it is asked (reflect = "always"; by default every action here changes the screen)
AS_MEANT = [{"changed": "as the actions meant", "success": True, "advice": ""}] * 4


@dataclass(frozen=True)
class Task:
    name: str
    task: str
    script: dict[str, list[Any]]
    check: Callable[[Path, str, str], bool]  # (workdir, visible text at the end, answer) -> success
    page: str = ""
    command: tuple[str, ...] = ()
    prepare: Callable[[Path], None] = lambda folder: None
    size: tuple[int, int] = (1280, 800)


@dataclass
class TaskResult:
    name: str
    status: str
    success: bool
    model_calls: int
    by_role: dict[str, int]
    actions: int
    steps: int
    seconds: float
    message: str = ""
    answer: str = ""

    @property
    def calls_per_action(self) -> float:
        return round(self.model_calls / max(self.actions, 1), 3)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "status": self.status, "success": self.success, "model_calls": self.model_calls,
                "model_calls_by_role": self.by_role, "actions": self.actions,
                "model_calls_per_ui_action": self.calls_per_action, "steps": self.steps,
                "seconds": round(self.seconds, 1), "message": self.message, "answer": self.answer}


def act(kind: str, thought: str = "", **fields: Any) -> dict[str, Any]:
    return {"type": kind, **fields}


def _shows_all(text: str, *parts: str) -> bool:
    from grounding.locate import shows

    return all(shows(text, p) for p in parts)


def tasks() -> list[Task]:
    """The three tasks: a form with a dropdown, a list and checkboxes; a GTK Save As dialog; a code subtask."""
    form = Task(
        "form", "Sign Grace Hopper (grace@navy.mil) up from Canada for Monday and Wednesday; agree to the terms, no "
        "newsletter. Tell me what the page confirms.",
        {"manager": [{"thought": "one form to fill and send", "subtasks": [{"title": "fill in the sign-up form as "
                      "asked and send it"}], "facts": {"page": "the volunteer sign-up form is open"}},
                     {"thought": "the page confirms it", "done": True, "summary": "Grace Hopper is signed up",
                      "answer": "The page says: Saved Grace Hopper, grace@navy.mil, Canada, Monday+Wednesday, terms "
                                "yes, news no."}],
         "worker": [{"thought": "fill every field I can see", "actions": [
                         act("type", text="Grace Hopper", into="#{Full name}"),
                         act("type", text="grace@navy.mil", into="#{Email}"),
                         act("select", target="the Country dropdown", option="Canada"),
                         act("select", option=["Monday", "Wednesday"]),
                         act("set", target="#{I agree to the terms}", value=True),
                         act("set", target="#{Send me the newsletter}", value=False)]},
                    {"thought": "all filled in: send it", "action": act("click", target="#{Sign up}",
                                                                       done="the page confirms the sign-up")}],
         "reflector": AS_MEANT},
        lambda folder, text, answer: _shows_all(text, "Saved Grace Hopper", "Canada", "Monday+Wednesday",
                                                "terms yes", "news no"),
        page=(ASSETS / "signup.html").as_uri())
    save = Task(
        "save_as", "Write 'Meeting at 10' in the text editor and save it as notes.txt in {workdir}.",
        {"manager": [{"subtasks": [{"title": "type 'Meeting at 10' in the editor"},
                                   {"title": "save it as {workdir}/notes.txt"}]},
                     {"done": True, "summary": "notes.txt is saved", "answer": ""}],
         "worker": [{"thought": "type it", "action": act("type", text="Meeting at 10", window="Mousepad",
                                                          done="the text is in the editor")},
                    {"thought": "open Save As", "action": act("press", keys=["ctrl", "s"])},
                    {"thought": "the Save As dialog is open: the full path into its Name field, then Save",
                     "actions": [act("type", text="{workdir}/notes.txt", into="#{Name}"),
                                 act("click", target="#{Save}", done="saved as notes.txt")]}],
         "reflector": AS_MEANT},
        lambda folder, text, answer: (folder / "notes.txt").exists()
        and "Meeting at 10" in (folder / "notes.txt").read_text(),
        command=("mousepad", "--disable-server"), size=(1280, 1024))
    code = Task(
        "code", "Rename every .txt file in {workdir} to .md and tell me how many there were.",
        {"manager": [{"subtasks": [{"title": "rename every .txt in {workdir} to .md and count them", "kind": "code"}]},
                     {"done": True, "summary": "renamed", "answer": "There were 3 .txt files; they are .md now."}],
         "programmer": [{"thought": "rename and check in one program", "language": "bash",
                         "code": "cd {workdir} && n=0; for f in *.txt; do mv \"$f\" \"${f%.txt}.md\"; n=$((n+1)); "
                                 "done; echo renamed $n; ls *.md; ls *.txt 2>/dev/null | wc -l",
                         "done": True, "summary": {"commands": ["mv each *.txt to *.md"], "outputs": ["renamed 3"],
                                                   "side_effects": ["a.md b.md c.md"],
                                                   "verification": "listed the .md files; no .txt is left"}}]},
        lambda folder, text, answer: sorted(p.name for p in folder.iterdir()) == ["a.md", "b.md", "c.md"]
        and "3" in answer,
        prepare=_three_text_files)
    return [form, save, code]


def _three_text_files(folder: Path) -> None:
    for name in "abc":
        (folder / f"{name}.txt").write_text(f"file {name}\n")


def run_task(task: Task, out: Path, reflect: str = "on_trouble") -> TaskResult:
    """Run one task on its own virtual display, as `deskpilot run` would, and count what it cost."""
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.processes import stop_group
    from app.desktop.xvfb import VirtualDisplay
    from app.engine.compose import Parts, compose
    from app.engine.options import RunOptions
    from models.settings import PlannerSettings
    from planner.policy import FixedApprover

    folder = Path(tempfile.mkdtemp(prefix=f"deskpilot-bench-{task.name}-"))
    home = Path(tempfile.mkdtemp(prefix="deskpilot-home-"))
    task.prepare(folder)
    script = _filled(task.script, folder)
    model = RoleScript({role: [json.dumps(a) for a in answers] for role, answers in script.items()})
    t0 = time.monotonic()
    width, height = task.size
    with VirtualDisplay(width, height) as vd:
        app, proc = None, None
        try:
            if task.page:
                app = ChromiumApp(task.page, vd.display, 1280, 800).start()
            elif task.command:
                if shutil.which(task.command[0]) is None:
                    raise RuntimeError(f"{task.command[0]} is not installed: run `make install`.")
                proc = subprocess.Popen(task.command, cwd=folder, env={**vd.env(), "HOME": str(home)},
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
            wait_for_content(vd.display)
            time.sleep(1.0)
            options = RunOptions(task=task.task.format(workdir=folder), display=vd.display, out=out, max_steps=40,
                                 workdir=str(folder), name=task.name)
            run = compose(options, parts=Parts(model=model, approver=FixedApprover("once"),
                                               planner=PlannerSettings(reflect=reflect)))
            agent = run.agent
            result = run.run()
            text = _visible_text(Path(result.folder))
        finally:
            if app is not None:
                app.stop()
            if proc is not None:
                stop_group(proc)
    calls = dict(agent.calls) if agent is not None else {}
    success = result.status == "done" and task.check(folder, text, result.answer)
    shutil.rmtree(folder, ignore_errors=True)
    shutil.rmtree(home, ignore_errors=True)
    return TaskResult(task.name, result.status, success, sum(calls.values()), calls,
                      getattr(agent, "actions_done", 0), result.steps, time.monotonic() - t0, result.message,
                      result.answer)


def _filled(script: dict[str, list[Any]], folder: Path) -> dict[str, list[Any]]:
    """The script with {workdir} filled in wherever it appears."""
    text = json.dumps(script).replace("{workdir}", str(folder))
    return json.loads(text)


def _visible_text(run_folder: Path) -> str:
    """What the last screenshot of a run says (OCR), for checking a page's confirmation line."""
    import numpy as np
    from PIL import Image

    from grounding.parser import ScreenParser
    from planner.trajectory import read_steps

    steps = read_steps(run_folder)
    shots = [s.screenshot for s in steps if s.screenshot]
    if not shots:
        return ""
    image = np.asarray(Image.open(run_folder / shots[-1]).convert("RGB"))
    return ScreenParser(incremental=False).parse(image).visible_text()


@dataclass
class Summary:
    results: list[TaskResult] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        calls = sum(r.model_calls for r in self.results)
        actions = sum(r.actions for r in self.results)
        by_role: dict[str, int] = {}
        for r in self.results:
            for role, n in r.by_role.items():
                by_role[role] = by_role.get(role, 0) + n
        return {"tasks": [r.to_json() for r in self.results], "model_calls": calls, "ui_actions": actions,
                "model_calls_per_ui_action": round(calls / max(actions, 1), 3), "model_calls_by_role": by_role,
                "all_succeeded": all(r.success for r in self.results)}
