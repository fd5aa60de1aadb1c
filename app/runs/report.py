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
from planner.trajectory import FINAL, StepRecord, read_steps

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


def _step_html(folder: Path, step: StepRecord, own_cost: str = "") -> str:
    shot = folder / step.screenshot
    size = _size(shot) if step.screenshot and shot.is_file() else None
    marks = step_marks(step, size)
    out = step.outcome or {}
    bad = " stopped" if out.get("stopped") else "" if step.ok else " bad"
    parts = [f"<li class='step{bad}'><div class='head'><span class='n'>{step.step}</span>"
             f"<code>{html.escape(describe_action(step.action))}</code>"
             f"<span class='when'>{html.escape(local_time(step.timestamp, seconds=True))}</span></div>"]
    if step.response:
        parts.append(f"<p class='thought'>{html.escape(step.response)}</p>")
    if step.action.get("kind") == "run_code":
        parts.append(f"<p class='typed'>{html.escape(str(step.action.get('language', 'code')))}:</p>"
                     f"<pre>{html.escape(str(step.action.get('code', '')))}</pre>")
    elif marks.text:
        what = "keys" if step.action.get("kind") == "key" else "text"
        parts.append(f"<p class='typed'>{what}: <code>{html.escape(marks.text)}</code></p>")
    parts.extend(_grounding_html(step.grounding))
    if out.get("output"):
        parts.append(f"<p class='typed'>output:</p><pre>{html.escape(str(out['output']).rstrip())}</pre>")
    if not step.ok and out:
        label = "stopped" if out.get("stopped") else "error"
        parts.append(f"<p class='error'>{label}: {html.escape(str(out.get('error', '')))}</p>")
    if step.policy:
        asked = " (the person was asked)" if step.policy.get("asked") else ""
        parts.append(f"<p class='policy'>policy: {html.escape(str(step.policy.get('verdict', '')))}{asked}: "
                     f"{html.escape(str(step.policy.get('reason', '')))}</p>")
    if size is not None:
        parts.append(f"<img alt='step {step.step}' src='data:image/png;base64,{draw_marks(shot, marks)}'>")
    parts.append(f"<p class='meta'>{html.escape(_meta(step, own_cost))}</p>")
    parts.append("</li>")
    return "".join(parts)


def _grounding_html(g: dict[str, Any] | None) -> list[str]:
    """Why the target was taken to be where it was clicked: the grounder, its confidence, its reason."""
    if not g or not (g.get("why") or g.get("source")):
        return []
    confidence = f", confidence {float(g.get('confidence', 0)):.2f}" if "confidence" in g else ""
    return [f"<p class='grounding'>found by {html.escape(str(g.get('source', '')))}{confidence}: "
            f"{html.escape(str(g.get('why', '')))}</p>"]


def _meta(step: StepRecord, own_cost: str) -> str:
    """The step's cost (its own share, and the run's total after it) and its time split."""
    bits = [own_cost] if own_cost else []
    if step.usage is not None and (step.usage.tokens or step.usage.cost):
        bits.append(f"{step.usage.tokens:,} tokens, ${step.usage.cost:.4f} so far")
    if step.timing_ms:
        bits.append(" · ".join(f"{k} {v:,.0f} ms" for k, v in step.timing_ms.items()))
    return " · ".join(bits)


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
    usage = f" · {run.tokens:,} tokens · ${run.cost:.4f}" if run.tokens or run.cost else ""
    steps = read_steps(folder)
    steps_cost = _step_costs(steps)
    body = "".join(_step_html(folder, s, c) for s, c in zip(steps, steps_cost, strict=True))
    final = folder / FINAL
    after = (f"<li class='step final'><div class='head'><span class='n'>■</span><code>the screen as the run left "
             f"it</code></div><img alt='final screen' src='data:image/png;base64,{draw_marks(final, Marks())}'></li>"
             if final.is_file() else "")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>DeskPilot run: "
            f"{html.escape(run.task)}</title><style>{CSS}</style></head><body>"
            f"<header><p class='brand'>DeskPilot run</p><h1>{html.escape(run.task)}</h1>"
            f"<p><span class='status' style='background:{colour}'>{html.escape(run.status)}</span> "
            f"{html.escape(run.message)}</p><p class='meta'>{html.escape(local_time(run.started))} · {run.steps} "
            f"steps{usage}{_took(run.seconds)} · {html.escape(str(folder))}</p></header>"
            f"<ol class='steps'>{body}{after}</ol></body></html>")


def _step_costs(steps: list[StepRecord]) -> list[str]:
    """Each step's own share of the cost ("$0.0012 this step"), from the running totals the steps carry."""
    out, before = [], 0.0
    for step in steps:
        if step.usage is None or not step.usage.cost:
            out.append("")
            continue
        out.append(f"${step.usage.cost - before:.4f} this step")
        before = step.usage.cost
    return out


def _took(seconds: float | None) -> str:
    return "" if seconds is None else f" · took {seconds:.1f} s"


def local_time(stamp: str, seconds: bool = False) -> str:
    """An ISO time stamp in the reader's local time ('2026-11-21 11:04', or with ':05'); '' for none."""
    from datetime import datetime

    if not stamp:
        return ""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M" + ":%S" * seconds)
    except ValueError:
        return stamp


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
.policy{color:#b45309}.grounding{color:#475569;font-size:13px}.when{margin-left:auto;color:#64748b;font-size:12px}
pre{background:#f8fafc;border:1px solid #e2e8f0;border-radius:6px;padding:8px;white-space:pre-wrap;font-size:12px}
.step.stopped{border-color:#fcd34d}img{max-width:100%;border-radius:6px;border:1px solid #e2e8f0;margin-top:8px}
"""
