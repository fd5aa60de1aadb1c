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
from app.runs.marks import action_marks, short
from app.runs.report import describe_action, export_html
from app.runs.store import RunSummary, list_runs, read_steps


class RunsController(QObject):
    """Fills the RunsWindow from ``root`` and reacts to its buttons."""

    def __init__(self, window: RunsWindow, root: Path) -> None:
        super().__init__()
        self.window = window
        self.root = Path(root)
        self.summaries: list[RunSummary] = []
        self.current: RunSummary | None = None
        self.steps: list[dict] = []
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
        for line in self.steps:
            outcome = (line.get("info") or {}).get("outcome") or {"ok": True}
            verdict = "ok" if outcome.get("ok", True) else outcome.get("error", "failed")
            w.steps.put(StepRow(int(line.get("step_num", 0)), describe_action(line.get("action") or {}),
                                str(line.get("response", "")), verdict), self._image(line))
        if self.steps:
            w.steps.setCurrentRow(0)
        else:
            w.view.show_image(None)

    def show_step(self, step: int) -> None:
        line = next((s for s in self.steps if s.get("step_num") == step), None)
        if line is None:
            return
        action, info = line.get("action") or {}, line.get("info") or {}
        self.window.view.show_image(self._image(line), action_marks(action, info))
        self.window.step_detail.setText(step_text(action, info))

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

    def _image(self, line: dict) -> QImage | None:
        if self.current is None or not line.get("screenshot_file"):
            return None
        image = QImage(str(self.current.folder / line["screenshot_file"]))
        return None if image.isNull() else image

    def _clear(self) -> None:
        self.current, self.steps = None, []
        w = self.window
        w.task.setText("No runs yet: type a task in the main window and press Run.")
        w.result.setText("")
        w.steps.clear()
        w.view.show_image(None)
        w.step_detail.setText("")


def step_text(action: dict, info: dict) -> str:
    """A step's details in a few readable lines: action, grounding, outcome, policy, time split."""
    lines = [f"Action: {json.dumps(action, ensure_ascii=False)}"]
    g = info.get("grounding")
    if isinstance(g, dict):
        lines.append(f"Grounding: {g.get('source', '')}, confidence {g.get('confidence', 0):.2f}: {g.get('why', '')}")
    outcome = info.get("outcome")
    if isinstance(outcome, dict):
        lines.append("Outcome: " + ("ok" if outcome.get("ok") else str(outcome.get("error", "failed")))
                     + (f"; output: {short(str(outcome['output']).strip(), 120)}" if outcome.get("output") else ""))
    if isinstance(info.get("policy"), dict):
        lines.append(f"Policy: {info['policy'].get('verdict', '')}, {info['policy'].get('reason', '')}")
    timing = info.get("timing_ms")
    if isinstance(timing, dict):
        lines.append("Time: " + ", ".join(f"{k} {v:.0f} ms" for k, v in timing.items()))
    return "\n".join(lines)


def _when(started: str) -> str:
    """'2026-11-21T10:04:05.123+00:00' -> '2026-11-21 10:04'."""
    return started[:16].replace("T", " ") if started else ""
