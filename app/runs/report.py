"""One run as a single self-contained HTML file: the task, the outcome, and every step with its screenshot."""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path
from typing import Any

from app.runs.marks import Marks, step_marks
from app.runs.store import summarise
from planner.trajectory import StepRecord, read_steps

ACCENT = (37, 99, 235)
STATUS_COLOURS = {"done": "#15803d", "failed": "#b91c1c", "error": "#b91c1c", "stopped": "#b45309"}


def draw_marks(png: Path, marks: Marks, width: int = 960) -> str:
    """The screenshot as base64 PNG, scaled to ``width``, with the target box, point and typed text drawn."""
    from PIL import Image, ImageDraw

    img = Image.open(png).convert("RGB")
    draw = ImageDraw.Draw(img, "RGBA")
    if marks.box:
        draw.rounded_rectangle(marks.box, radius=4, outline=ACCENT + (255,), width=3, fill=ACCENT + (40,))
    if marks.point and marks.drag_to:
        draw.line((*marks.point, *marks.drag_to), fill=ACCENT + (255,), width=4)
    if marks.point:
        x, y = marks.point
        draw.ellipse((x - 13, y - 13, x + 13, y + 13), outline=(255, 255, 255, 255), width=5)
        draw.ellipse((x - 13, y - 13, x + 13, y + 13), outline=ACCENT + (255,), width=3)
        draw.ellipse((x - 4, y - 4, x + 4, y + 4), fill=ACCENT + (255,))
    scale = min(1.0, width / img.width)
    if scale < 1.0:
        img = img.resize((round(img.width * scale), round(img.height * scale)), Image.LANCZOS)
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return base64.b64encode(buf.getvalue()).decode()


def _step_html(folder: Path, step: StepRecord) -> str:
    shot = folder / step.screenshot
    size = _size(shot) if step.screenshot and shot.is_file() else None
    marks = step_marks(step, size)
    parts = [f"<li class='step{'' if step.ok else ' bad'}'><div class='head'><span class='n'>{step.step}</span>"
             f"<code>{html.escape(describe_action(step.action))}</code></div>"]
    if step.response:
        parts.append(f"<p class='thought'>{html.escape(step.response)}</p>")
    if marks.text:
        what = {"key": "keys", "run_code": "code"}.get(str(step.action.get("kind")), "text")
        parts.append(f"<p class='typed'>{what}: <code>{html.escape(marks.text)}</code></p>")
    if not step.ok and step.outcome:
        parts.append(f"<p class='error'>{html.escape(str(step.outcome.get('error', '')))}</p>")
    if step.policy:
        parts.append(f"<p class='policy'>policy: {html.escape(str(step.policy.get('reason', '')))}</p>")
    if size is not None:
        parts.append(f"<img alt='step {step.step}' src='data:image/png;base64,{draw_marks(shot, marks)}'>")
    if step.timing_ms:
        parts.append(f"<p class='meta'>{' · '.join(f'{k} {v:.0f} ms' for k, v in step.timing_ms.items())}</p>")
    parts.append("</li>")
    return "".join(parts)


def _size(png: Path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(png) as img:
        return img.size


def describe_action(action: dict[str, Any]) -> str:
    from planner.actions import ActionError, describe, from_json

    try:
        return describe(from_json(action))
    except (ActionError, TypeError):
        return json.dumps(action)


def run_html(folder: Path) -> str:
    """The whole report as one HTML string (screenshots embedded)."""
    folder = Path(folder)
    run = summarise(folder)
    colour = STATUS_COLOURS.get(run.status, "#475569")
    usage = f" · {run.tokens} tokens · ${run.cost:.4f}" if run.tokens else ""
    body = "".join(_step_html(folder, s) for s in read_steps(folder))
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>DeskPilot run: "
            f"{html.escape(run.task)}</title><style>{CSS}</style></head><body>"
            f"<header><p class='brand'>DeskPilot run</p><h1>{html.escape(run.task)}</h1>"
            f"<p><span class='status' style='background:{colour}'>{html.escape(run.status)}</span> "
            f"{html.escape(run.message)}</p><p class='meta'>{html.escape(run.started)} · {run.steps} steps{usage}"
            f" · {html.escape(str(folder))}</p></header><ol class='steps'>{body}</ol></body></html>")


def export_html(folder: Path, out: Path | None = None) -> Path:
    """Write the run's report to ``out`` (default: report.html inside the run folder) and return its path."""
    folder = Path(folder)
    if not (folder / "traj.jsonl").is_file():
        raise FileNotFoundError(f"{folder} is not a run folder (it has no traj.jsonl).")
    out = Path(out) if out else folder / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(run_html(folder), encoding="utf-8")
    return out


CSS = """
body{font-family:'Inter','Segoe UI','DejaVu Sans',system-ui,sans-serif;margin:0;background:#f4f6fa;color:#0f172a}
header{background:#0f172a;color:#e2e8f0;padding:28px 40px}header h1{margin:4px 0 10px;font-size:24px;color:#fff}
.brand{margin:0;font-size:12px;letter-spacing:.12em;text-transform:uppercase;color:#93c5fd}
.status{color:#fff;border-radius:10px;padding:2px 10px;font-size:12px;text-transform:uppercase;margin-right:6px}
.meta{color:#64748b;font-size:12px}header .meta{color:#94a3b8}
ol.steps{list-style:none;max-width:1000px;margin:24px auto;padding:0 20px}
.step{background:#fff;border:1px solid #e2e8f0;border-radius:10px;padding:14px 18px;margin:0 0 16px}
.step.bad{border-color:#fca5a5}.head{display:flex;gap:10px;align-items:center}
.n{background:#2563eb;color:#fff;border-radius:50%;width:26px;height:26px;display:inline-flex;
align-items:center;justify-content:center;font-size:13px;font-weight:600}
code{font-family:'JetBrains Mono','DejaVu Sans Mono',monospace;font-size:13px}
.thought{color:#334155;font-style:italic;margin:8px 0}.typed{margin:6px 0}.error{color:#b91c1c}
.policy{color:#b45309}img{max-width:100%;border-radius:6px;border:1px solid #e2e8f0;margin-top:8px}
"""
