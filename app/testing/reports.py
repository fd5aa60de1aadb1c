"""Reports: JUnit XML for CI systems and one self-contained HTML file with every step's screenshot."""

from __future__ import annotations

import base64
import html
import io
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from app.testing.runner import TestResult


def junit(results: list[TestResult], path: Path) -> None:
    """One <testsuite> per test file; a failing test names its step's line and what was expected."""
    root = ET.Element("testsuites", tests=str(len(results)), failures=str(_count(results, "failed")),
                      errors=str(_count(results, "error")), time=f"{sum(r.seconds for r in results):.2f}")
    for file in dict.fromkeys(r.file for r in results):
        rs = [r for r in results if r.file == file]
        suite = ET.SubElement(root, "testsuite", name=rs[0].suite, file=file, tests=str(len(rs)),
                              failures=str(_count(rs, "failed")), errors=str(_count(rs, "error")),
                              time=f"{sum(r.seconds for r in rs):.2f}")
        for r in rs:
            case = ET.SubElement(suite, "testcase", classname=rs[0].suite, name=r.name, file=file,
                                 line=str(r.line), time=f"{r.seconds:.2f}")
            if r.status in ("failed", "error"):
                step = r.failed_step
                tag = "failure" if r.status == "failed" else "error"
                node = ET.SubElement(case, tag, message=r.message.splitlines()[0] if r.message else r.status,
                                     type=f"step at line {step.line}" if step else r.status)
                node.text = r.message
            ET.SubElement(case, "system-out").text = "\n".join(
                f"[{s.status}] line {s.line}: {s.title}" + (f" -- {s.message}" if s.message else "")
                for s in r.steps) + f"\ntrajectory: {r.folder}"
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _count(results: list[TestResult], status: str) -> int:
    return sum(r.status == status for r in results)


def html_report(results: list[TestResult], path: Path, title: str = "DeskPilot test report") -> None:
    """A single HTML file: a summary, then each test with its steps, screenshots (actions drawn on them) and the
    failing step highlighted with its expectation."""
    passed = _count(results, "passed")
    parts = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
             f"<style>{CSS}</style></head><body>", f"<h1>{html.escape(title)}</h1>",
             f"<p class='summary'>{passed} passed, {len(results) - passed} failed"
             f" &middot; {sum(r.seconds for r in results):.1f}s</p>"]
    for r in results:
        parts.append(_test_html(r))
    parts.append("</body></html>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(parts), encoding="utf-8")


def _test_html(r: TestResult) -> str:
    folder = Path(r.folder)
    traj = _load_steps(folder)
    out = [f"<section class='test {r.status}'><h2><span class='badge'>{r.status}</span> "
           f"{html.escape(r.suite)} &rsaquo; {html.escape(r.name)}</h2>",
           f"<p class='meta'>{html.escape(r.file)}:{r.line} &middot; {r.seconds:.1f}s"
           f"{' &middot; attempt ' + str(r.attempts) if r.attempts > 1 else ''}</p>"]
    if r.status == "error":
        out.append(f"<pre class='error'>{html.escape(r.message)}</pre>")
    out.append("<ol class='steps'>")
    for s in r.steps:
        out.append(f"<li class='step {s.status}'><div class='title'><span class='badge'>{s.status}</span> "
                   f"line {s.line}: {html.escape(s.title)}</div>")
        if s.message:
            out.append(f"<div class='message'>{html.escape(s.message)}</div>")
        shots = [(traj[n - 1], None) for n in s.trajectory_steps if 0 < n <= len(traj)]
        if s.screenshot:
            shots.append(({}, folder / s.screenshot))
        if shots:
            out.append("<div class='shots'>")
            for line, file in shots:
                out.append(_figure(folder, line, file))
            out.append("</div>")
        out.append("</li>")
    out.append("</ol></section>")
    return "\n".join(out)


def _figure(folder: Path, line: dict, file: Path | None) -> str:
    path = file or folder / line.get("screenshot_file", "")
    if not path.is_file():
        return ""
    action = line.get("action", {})
    caption = html.escape(_describe(action) if action else "screen when checked")
    return (f"<figure><img src='data:image/png;base64,{_png_with_action(path, action)}' alt='{caption}'>"
            f"<figcaption>{caption}</figcaption></figure>")


def _describe(action: dict) -> str:
    from planner.actions import describe, from_json

    try:
        return describe(from_json(action))
    except ValueError:
        return json.dumps(action)


def _png_with_action(path: Path, action: dict) -> str:
    """The screenshot, halved, with the click point (and drag line) drawn in red."""
    from PIL import Image, ImageDraw

    img = Image.open(path).convert("RGB")
    draw = ImageDraw.Draw(img)
    if "x" in action and "y" in action:
        x, y = action["x"], action["y"]
        draw.ellipse((x - 14, y - 14, x + 14, y + 14), outline=(230, 30, 30), width=4)
        draw.line((x - 22, y, x + 22, y), fill=(230, 30, 30), width=2)
        draw.line((x, y - 22, x, y + 22), fill=(230, 30, 30), width=2)
        if "to_x" in action:
            draw.line((x, y, action["to_x"], action["to_y"]), fill=(230, 30, 30), width=3)
    img = img.resize((img.width // 2, img.height // 2))
    buf = io.BytesIO()
    img.save(buf, format="PNG", optimize=True)
    return base64.b64encode(buf.getvalue()).decode()


def _load_steps(folder: Path) -> list[dict]:
    from planner.trajectory import load

    try:
        return load(folder)
    except FileNotFoundError:
        return []


CSS = """
body{font-family:system-ui,-apple-system,'DejaVu Sans',sans-serif;margin:24px auto;max-width:1100px;color:#1d2433}
h1{font-size:24px;margin:0 0 4px}.summary{color:#4a5568;margin:0 0 20px}
section.test{border:1px solid #d9dee7;border-radius:8px;padding:12px 16px;margin:14px 0}
section.failed,section.error{border-color:#e53e3e;background:#fff8f8}
h2{font-size:17px;margin:4px 0}.meta{color:#718096;font-size:13px;margin:0 0 8px}
.badge{display:inline-block;font-size:11px;text-transform:uppercase;padding:2px 7px;border-radius:10px;
color:white;background:#38a169;vertical-align:2px}
.failed>.badge,.error>h2>.badge,.failed>h2>.badge,.step.failed .badge{background:#e53e3e}
.step.skipped .badge{background:#a0aec0}.step{margin:8px 0}
.step.failed{background:#fed7d7;border-radius:6px;padding:6px}
.message{font-size:13px;color:#4a5568;margin:4px 0 4px 4px;white-space:pre-wrap}
.shots{display:flex;flex-wrap:wrap;gap:8px}figure{margin:0;max-width:340px}
figure img{max-width:340px;border:1px solid #cbd5e0;border-radius:4px}
figcaption{font-size:12px;color:#4a5568}pre.error{background:#fff5f5;padding:8px;white-space:pre-wrap}
"""
