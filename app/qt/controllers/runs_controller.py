"""The runs browser: list the runs folder (searchable, newest first), show the selected run step by step, export
it to one HTML file, delete it."""

from __future__ import annotations

import html
import json
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QFileDialog, QMessageBox

from app.qt import theme
from app.qt.controllers.rows import duration, money, step_row
from app.qt.views.runs_window import RunRow, RunsWindow
from app.runs.marks import short, step_marks
from app.runs.report import describe_action, export_html, local_time
from app.runs.store import RunSummary, delete_run, list_runs
from planner.trajectory import FINAL, StepRecord, read_steps


class RunsController(QObject):
    """Fills the RunsWindow from ``root`` and answers its signals; the details always follow the selection."""

    def __init__(self, window: RunsWindow, root: Path) -> None:
        super().__init__()
        self.window = window
        self.root = Path(root)
        self.summaries: list[RunSummary] = []
        self.current: RunSummary | None = None
        self.steps: list[StepRecord] = []
        self.query = ""
        window.run_picked.connect(self._picked)
        window.step_picked.connect(self.show_step)
        window.search_changed.connect(self.search)
        window.refresh_clicked.connect(self.refresh)
        window.export_clicked.connect(self._export_clicked)
        window.open_clicked.connect(self._open_folder)
        window.delete_clicked.connect(self._delete_clicked)

    def refresh(self, root: Path | None = None) -> None:
        """Read the runs folder again; the run selected before stays selected (else the newest is)."""
        if root is not None:
            self.root = Path(root)
        self.summaries = list_runs(self.root)
        self.window.set_folder(str(self.root))
        self._show_list(str(self.current.folder) if self.current else "")

    def search(self, query: str) -> None:
        """Only the runs whose task or result holds ``query`` (any case)."""
        self.query = query.strip().lower()
        self._show_list(str(self.current.folder) if self.current else "")

    def _show_list(self, keep: str) -> None:
        shown = [s for s in self.summaries
                 if not self.query or self.query in f"{s.task} {s.status} {s.message}".lower()]
        rows = [RunRow(str(s.folder), s.task, s.status.replace("_", " "), s.steps, money(s.cost, s.tokens),
                       duration(s.seconds), local_time(s.started)) for s in shown]
        colours = {r.status: theme.status_colour(s.status) for r, s in zip(rows, shown, strict=True)}
        count = f"{len(shown)} of {len(self.summaries)} runs" if self.query else f"{len(self.summaries)} runs"
        self.window.show_message(f"{count} in {self.root}" if self.summaries else f"No runs yet in {self.root}.")
        self.window.set_runs(rows, colours, keep)

    def _picked(self, key: str) -> None:
        if key:
            self.open_run(Path(key))
        else:
            self._clear()

    def open_run(self, folder: Path) -> None:
        """Show one run: its task, result, cost and steps; the last step is selected."""
        from app.runs.store import summarise

        folder = Path(folder)
        self.current = next((s for s in self.summaries if s.folder == folder), None) or summarise(folder)
        s = self.current
        self.steps = read_steps(s.folder)
        self.window.show_run(s.task or "(no task)", _result_html(s))
        self.window.set_steps([(step_row(step, describe_action(step.action)), self._image(step))
                               for step in self.steps])
        self.window.set_actions(True)
        self.window.set_step_detail("")
        if self.steps:
            self.window.pick_step(self.steps[-1].step)
        else:  # nothing to show step by step: the screen as the run left it, if it kept one
            self.window.show_screen(self._final(), None)
            self.window.set_step_detail(s.message)

    def show_step(self, number: int) -> None:
        step = next((s for s in self.steps if s.step == number), None)
        if step is None:
            return
        image = self._image(step)
        size = (image.width(), image.height()) if image is not None else None
        self.window.show_screen(image, step_marks(step, size))
        self.window.set_step_detail(step_text(step))

    def export(self, out: Path | None = None) -> Path | None:
        """Write the current run's HTML report; returns its path."""
        if self.current is None:
            return None
        path = export_html(self.current.folder, out)
        self.window.show_message(f"Exported {path}")
        return path

    def delete(self) -> bool:
        """Delete the selected run's folder; the list moves on to the next run."""
        if self.current is None:
            return False
        try:
            delete_run(self.root, self.current.folder)
        except (ValueError, OSError) as exc:
            self.window.show_message(str(exc))
            return False
        gone, self.current = self.current, None
        self.refresh()
        self.window.show_message(f"Deleted the run {short(gone.task, 60)!r} ({gone.folder.name}).")
        return True

    def _delete_clicked(self) -> None:
        if self.current is None:
            return
        answer = QMessageBox.question(self.window, "Delete this run?",
                                      f"Delete the run {short(self.current.task, 80)!r} and its screenshots?\n"
                                      f"{self.current.folder}")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete()

    def _export_clicked(self) -> None:
        if self.current is None:
            return
        default = str(self.current.folder / "report.html")
        out, _ = QFileDialog.getSaveFileName(self.window, "Export run as HTML", default, "HTML (*.html)")
        if out:
            self.export(Path(out))

    def _open_folder(self) -> None:
        target = self.current.folder if self.current else self.root
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))

    def _image(self, step: StepRecord) -> QImage | None:
        if self.current is None or not step.screenshot:
            return None
        image = QImage(str(self.current.folder / step.screenshot))
        return None if image.isNull() else image

    def _final(self) -> QImage | None:
        image = QImage(str(self.current.folder / FINAL)) if self.current else QImage()
        return None if image.isNull() else image

    def _clear(self) -> None:
        """Nothing selected (an empty folder, a search that matches nothing): no run's details stay on show."""
        self.current, self.steps = None, []
        w = self.window
        w.show_run("No run chosen" if self.summaries else "No runs yet: type a task in the main window and press Run.",
                   "")
        w.set_steps([])
        w.show_screen(None)
        w.set_step_detail("")
        w.set_actions(False)


def _result_html(s: RunSummary) -> str:
    usage = f" · {s.tokens:,} tokens · ${s.cost:.4f}" if s.tokens or s.cost else ""
    took = f" · {duration(s.seconds)}" if s.seconds is not None else ""
    return (f"<span style='color:{theme.status_colour(s.status)};font-weight:600'>{html.escape(s.status)}</span>"
            f" &nbsp;{html.escape(s.message)}<br><span style='color:{theme.MUTED}'>{s.steps} steps{usage}{took}"
            f" · started {html.escape(local_time(s.started))}</span>")


def step_text(step: StepRecord) -> str:
    """A step's details in a few readable lines: action, grounding, outcome and output, policy, cost, time split."""
    lines = [f"Action: {json.dumps(step.action, ensure_ascii=False)}"]
    g = step.grounding
    if g:
        lines.append(f"Grounding: {g.get('source', '')}, confidence {float(g.get('confidence', 0)):.2f}: "
                     f"{g.get('why', '')}")
    if step.outcome:
        out = step.outcome
        verdict = "ok" if out.get("ok") else ("stopped: " if out.get("stopped") else "") + str(out.get("error", ""))
        lines.append("Outcome: " + verdict + (f"; output: {short(str(out['output']).strip(), 160)}"
                                              if out.get("output") else ""))
    if step.policy:
        asked = " (you were asked)" if step.policy.get("asked") else ""
        lines.append(f"Policy: {step.policy.get('verdict', '')}{asked}, {step.policy.get('reason', '')}")
    if step.usage is not None and (step.usage.tokens or step.usage.cost):
        lines.append(f"Used so far: {step.usage.tokens:,} tokens, ${step.usage.cost:.4f}")
    if step.timing_ms:
        lines.append(f"At {local_time(step.timestamp, seconds=True)}; time: " + ", ".join(f"{k} {v:.0f} ms"
                                                                          for k, v in step.timing_ms.items()))
    return "\n".join(lines)
