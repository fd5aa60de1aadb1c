"""What a run's end leaves in the main window: the notice with its reason in full (or the agent's answer), a
button to the model settings when a model is what the task needs, and a Details view of the last step and the
model's raw replies."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtGui import QDesktopServices

from app.qt.views.details_dialog import DetailsDialog
from app.qt.views.main_window import MainWindow
from app.runs.report import describe_action, local_time
from planner.events import Finished
from planner.language import MODEL_HINT
from planner.trajectory import StepRecord, read_calls, read_steps

HEADLINES = {"failed": "The run failed.", "error": "The run could not go on.", "stopped": "Stopped mid-step.",
             "max_steps": "Out of steps.", "timeout": "Out of time.", "budget": "Over budget."}
APP_MODEL_HINT = "for open-ended tasks set up a language model in Settings → Model"  # in place of MODEL_HINT


@dataclass(frozen=True)
class RunContext:
    """What the app knew about a run when it started: which agent it chose and where code runs."""

    direct: bool = True  # the direct-command interpreter, not a model
    model_configured: bool = False
    workdir: str = ""
    own_workdir: bool = False  # made for this run (Settings names none): removed at its end when left empty


class EndingController(QObject):
    """Fills the notice when a run ends and opens Details on request; ``fix_requested`` asks for Settings → Model."""

    fix_requested = Signal()

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window = window
        self.folder = ""
        self.status = ""
        self.message = ""
        self.dialog: DetailsDialog | None = None
        window.details_clicked.connect(self.show_details)
        window.fix_clicked.connect(self.fix_requested)

    def clear(self) -> None:
        self.folder = ""
        self.window.hide_notice()

    def ended(self, event: Finished, context: RunContext) -> None:
        """Say how the run ended: for a failure the full reason and what to do; for a finished task its answer."""
        self.folder, self.status = event.folder, event.status
        self.message = event.message.replace(MODEL_HINT, APP_MODEL_HINT)
        work = _used(context.workdir)
        if event.status == "done":
            if event.answer:
                self.window.show_notice("done", "Answer:", event.answer, details=bool(self.folder))
            elif work:
                self.window.show_notice("done", "Done.", f"{self.message}\nWork folder: {work}", details=False)
            else:
                self.window.hide_notice()
            return
        if event.status == "stopped":
            self._stopped()
            return
        calls = read_calls(Path(self.folder)) if self.folder else []
        fix = ""
        if event.status == "failed" and event.steps == 0 and context.direct:
            fix = "Model settings" if context.model_configured else "Set up a model"
        elif calls and calls[-1].get("error"):
            fix = "Model settings"
        text = self.message + (f"\nWork folder: {work}" if work else "")
        self.window.show_notice(event.status, HEADLINES.get(event.status, "The run ended."), text,
                                details=bool(self.folder), fix=fix)

    def _stopped(self) -> None:
        """A stop the person asked for needs no notice, unless it cut a step short: then how far that step got."""
        steps = read_steps(Path(self.folder)) if self.folder and (Path(self.folder) / "traj.jsonl").is_file() else []
        last = (steps[-1].outcome or {}) if steps else {}
        if not last.get("stopped"):
            self.window.hide_notice()
            return
        error = str(last.get("error", ""))
        headline = "Stopped before this step ran." if error.startswith("Not run") else "Stopped mid-step."
        self.window.show_notice("stopped", headline, f"Step {steps[-1].step}: {error}")

    def show_details(self) -> None:
        """The Details view of the run that just ended."""
        if not self.folder:
            return
        folder = Path(self.folder)
        steps = read_steps(folder) if (folder / "traj.jsonl").is_file() else []
        calls = read_calls(folder)
        if self.dialog is None:
            self.dialog = DetailsDialog(self.window)
            self.dialog.open_folder_clicked.connect(self._open_folder)
        headline = f"{HEADLINES.get(self.status, 'Finished.')} {self.message}"
        self.dialog.show_details(headline, step_details(steps[-1]) if steps else "", replies_text(calls), len(calls),
                                 str(folder))
        self.dialog.show()
        self.dialog.raise_()

    def _open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(self.folder))


def step_details(step: StepRecord) -> str:
    """The last step in full: the action as JSON, what it aimed at, what happened, the policy's ruling."""
    lines = [f"Step {step.step} at {local_time(step.timestamp, seconds=True)}: {describe_action(step.action)}",
             json.dumps(step.action, indent=2, ensure_ascii=False)]
    if step.response:
        lines += ["", f"The agent's thought: {step.response}"]
    g = step.grounding or {}
    if g.get("why") or g.get("source"):
        lines += ["", f"Grounding: {g.get('source', '')} (confidence {float(g.get('confidence', 0)):.2f}) "
                      f"{g.get('why', '')}".rstrip()]
    out = step.outcome or {}
    if out:
        verdict = "ok" if out.get("ok") else ("stopped: " if out.get("stopped") else "failed: ") + str(out.get("error"))
        lines += ["", f"Outcome: {verdict}"]
        if out.get("output"):
            lines += ["Output:", str(out["output"]).rstrip()]
    if step.policy:
        asked = " (you were asked)" if step.policy.get("asked") else ""
        lines += ["", f"Policy: {step.policy.get('verdict')}{asked}: {step.policy.get('reason', '')}"]
    return "\n".join(lines)


def replies_text(calls: list[dict]) -> str:
    """Each model call as it came back, raw, with its tokens and time; failed calls with their error."""
    parts = []
    for call in calls:
        when = local_time(str(call.get("at", "")), seconds=True)
        head = (f"#{call.get('call', '?')}  {when}  {call.get('model', '')}  "
                f"{int(call.get('prompt_tokens', 0)):,} in / {int(call.get('completion_tokens', 0)):,} out  "
                f"{float(call.get('seconds', 0)):.1f} s")
        body = f"ERROR: {call['error']}" if call.get("error") else str(call.get("reply", ""))
        parts.append(f"{head}\n{body}")
    return "\n\n".join(parts)


def _used(workdir: str) -> str:
    """The work folder when code left something in it, else ""."""
    path = Path(workdir) if workdir else None
    return workdir if path is not None and path.is_dir() and any(path.iterdir()) else ""
