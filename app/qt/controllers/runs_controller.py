"""The runs browser: list the runs folder, open a run step by step, export it to one HTML file."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl
from PySide6.QtGui import QColor, QDesktopServices, QImage
from PySide6.QtWidgets import QFileDialog, QTreeWidgetItem

from app.qt import theme
from app.qt.views.runs_window import RunsWindow
from app.qt.views.timeline import StepRow
from app.runs.marks import short, step_marks
from app.runs.report import describe_action, export_html
from app.runs.store import RunSummary, list_runs
from planner.trajectory import StepRecord, read_steps


class RunsController(QObject):
    """Fills the RunsWindow from ``root`` and reacts to its buttons."""

    def __init__(self, window: RunsWindow, root: Path) -> None:
        super().__init__()
        self.window = window
        self.root = Path(root)
        self.summaries: list[RunSummary] = []
        self.current: RunSummary | None = None
        self.steps: list[StepRecord] = []
        window.runs.currentItemChanged.connect(lambda item, _prev: self._open_item(item))
        window.steps.picked.connect(self.show_step)
        window.refresh_button.clicked.connect(self.refresh)
        window.export_button.clicked.connect(self._export_clicked)
        window.open_button.clicked.connect(self._open_folder)

    def refresh(self, root: Path | None = None) -> None:
        """Read the runs folder again, newest first, and open the newest run."""
        if root is not None:
            self.root = Path(root)
        w = self.window
        self.summaries = list_runs(self.root)
        w.folder.setText(str(self.root))
        w.runs.clear()
        for s in self.summaries:
            item = QTreeWidgetItem([short(s.task or "(no task)", 60), s.status, str(s.steps), _when(s.started)])
            item.setForeground(1, QColor(theme.status_colour(s.status)))
            item.setToolTip(0, s.task)
            item.setData(0, Qt.ItemDataRole.UserRole, str(s.folder))
            w.runs.addTopLevelItem(item)
        w.export_button.setEnabled(bool(self.summaries))
        w.statusBar().showMessage(f"{len(self.summaries)} runs in {self.root}" if self.summaries
                                  else f"No runs yet in {self.root}.")
        if self.summaries:
            w.runs.setCurrentItem(w.runs.topLevelItem(0))
        else:
            self._clear()

    def open_run(self, folder: Path) -> None:
        """Show one run: its task, result and steps; the first step is selected."""
        self.current = next((s for s in self.summaries if s.folder == Path(folder)), None)
        if self.current is None:
            from app.runs.store import summarise

            self.current = summarise(Path(folder))
        s, w = self.current, self.window
        self.steps = read_steps(s.folder)
        w.task.setText(s.task)
        usage = f" · {s.tokens:,} tokens · ${s.cost:.4f}" if s.tokens else ""
        w.result.setText(f"<span style='color:{theme.status_colour(s.status)};font-weight:600'>{s.status}</span>"
                         f" &nbsp;{s.message}<br><span style='color:{theme.MUTED}'>{s.steps} steps{usage}</span>")
        w.steps.clear()
        for step in self.steps:
            verdict = "ok" if step.ok else (step.outcome or {}).get("error", "failed")
            w.steps.put(StepRow(step.step, describe_action(step.action), step.response, verdict), self._image(step))
        if self.steps:
            w.steps.setCurrentRow(0)
        else:
            w.view.show_image(None)

    def show_step(self, number: int) -> None:
        step = next((s for s in self.steps if s.step == number), None)
        if step is None:
            return
        image = self._image(step)
        size = (image.width(), image.height()) if image is not None else None
        self.window.view.show_image(image, step_marks(step, size))
        self.window.step_detail.setText(step_text(step))

    def export(self, out: Path | None = None) -> Path | None:
        """Write the current run's HTML report; returns its path."""
        if self.current is None:
            return None
        path = export_html(self.current.folder, out)
        self.window.statusBar().showMessage(f"Exported {path}")
        return path

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

    def _open_item(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.open_run(Path(item.data(0, Qt.ItemDataRole.UserRole)))

    def _image(self, step: StepRecord) -> QImage | None:
        if self.current is None or not step.screenshot:
            return None
        image = QImage(str(self.current.folder / step.screenshot))
        return None if image.isNull() else image

    def _clear(self) -> None:
        self.current, self.steps = None, []
        w = self.window
        w.task.setText("No runs yet: type a task in the main window and press Run.")
        w.result.setText("")
        w.steps.clear()
        w.view.show_image(None)
        w.step_detail.setText("")


def step_text(step: StepRecord) -> str:
    """A step's details in a few readable lines: action, grounding, outcome, policy, time split."""
    lines = [f"Action: {json.dumps(step.action, ensure_ascii=False)}"]
    g = step.grounding
    if g:
        lines.append(f"Grounding: {g.get('source', '')}, confidence {g.get('confidence', 0):.2f}: {g.get('why', '')}")
    if step.outcome:
        out = step.outcome
        lines.append("Outcome: " + ("ok" if out.get("ok") else str(out.get("error", "failed")))
                     + (f"; output: {short(str(out['output']).strip(), 120)}" if out.get("output") else ""))
    if step.policy:
        lines.append(f"Policy: {step.policy.get('verdict', '')}, {step.policy.get('reason', '')}")
    if step.timing_ms:
        lines.append("Time: " + ", ".join(f"{k} {v:.0f} ms" for k, v in step.timing_ms.items()))
    return "\n".join(lines)


def _when(started: str) -> str:
    """'2026-11-21T10:04:05.123+00:00' -> '2026-11-21 10:04'."""
    return started[:16].replace("T", " ") if started else ""
