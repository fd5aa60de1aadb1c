"""Replay benchmark: record the contact form once (real input through xdotool), then replay it many times in
fresh Chromium windows at random positions, sizes and device scale factors, with a different City each time,
on the page as recorded and on variations that make a wrong target possible: the City field removed, the fields
reordered, a second field with a similar label.

The end state is read from the page itself (selenium reads the result line; it never clicks or types). Each
replay ends right (done, and the page says what the recording would have saved), stopped (not done, with a
sentence naming the step), or wrong (done, with any other end state: the outcome that must never happen).
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app.desktop.browser import DrivenChromium
from app.desktop.capture import wait_for_content
from app.desktop.input import XdotoolDriver
from app.desktop.xvfb import VirtualDisplay
from app.engine.replay import ReplayOptions, replay_demo
from app.record.recorder import Recorder
from planner.demos import Demo, DemoStore

FORM = Path(__file__).resolve().parent.parent.parent / "assets" / "demo" / "form.html"
SCALES = (1.0, 1.25, 1.5, 1.75, 2.0)
CITIES = ("Paris", "Lisbon", "Oslo", "Madrid", "Vienna", "Dublin", "Prague", "Athens")
# name, the form's query, whether the recorded end state can be reached on it
VARIANTS = (("as recorded", "", True), ("City removed", "without=city", False),
            ("fields reordered", "first=city", True), ("similar label", "also=Work city", True))
SCREEN = (1600, 1200)
BOXES_JS = """
const box = id => { const r = document.getElementById(id).getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom]; };
return {dpr: window.devicePixelRatio, ox: window.screenX + (window.outerWidth - window.innerWidth),
        oy: window.screenY + (window.outerHeight - window.innerHeight),
        name: box('name'), city: box('city'), news: box('news'), save: box('save')};
"""


@dataclass
class Replay:
    """One replay of the bench: where and how it ran, and how it ended."""

    n: int
    scale: float
    position: tuple[int, int]
    size: tuple[int, int]
    city: str
    variant: str
    outcome: str  # right | stopped | wrong
    status: str
    seconds: float
    steps: int
    message: str

    @property
    def success(self) -> bool:
        """Whether it ended right."""
        return self.outcome == "right"


def centre(page: dict, key: str) -> tuple[int, int]:
    """Screen point (logical pixels) at the middle of the element ``key`` on a page measured by BOXES_JS."""
    x0, y0, x1, y1 = page[key]
    d = page["dpr"]
    return round(((x0 + x1) / 2 + page["ox"]) * d), round(((y0 + y1) / 2 + page["oy"]) * d)


def perform_form(driver: Any, display: str, name: str = "Ada Lovelace", city: str = "London",
                 pause: float = 0.4) -> None:
    """Fill the contact form the way a person would, through xdotool: click, type, tick, save."""
    page = driver.execute_script(BOXES_JS)
    xdo = XdotoolDriver(display)
    for key, text in (("name", name), ("city", city), ("news", ""), ("save", "")):
        xdo.click(*centre(page, key))
        time.sleep(pause)
        if text:
            xdo.type_text(text)
            time.sleep(pause)


def result_line(driver: Any) -> str:
    return driver.execute_script("return document.getElementById('result').textContent;")


def record_form(display: str, store: DemoStore, name: str = "contact-form") -> Demo:
    """Record the form being filled in (Ada Lovelace, London) and make the City a parameter."""
    with DrivenChromium(display, 900, 720, 1.0, app_url=FORM.as_uri()) as browser:
        wait_for_content(display)
        rec = Recorder(name, "fill in the contact form with a name and a city and save it", display, store,
                       replace_old=True).start()
        try:
            time.sleep(0.5)
            perform_form(browser.driver, display)
            time.sleep(0.6)
            XdotoolDriver(display).press(("ctrl", "alt", "shift", "r"))
            rec.wait(10)
        finally:
            demo = rec.stop()
        if result_line(browser.driver) != "Saved Ada Lovelace from London, newsletter yes":
            raise RuntimeError(f"the recording did not fill the form: {result_line(browser.driver)!r}")
    city = next(i for i, s in enumerate(demo.steps, 1) if s.kind == "type" and s.text == "London")
    demo.mark_param(city, "city")
    demo.save()
    return demo


def run(replays: int = 20, seed: int = 0, out: Path = Path("bench-results/replay"), timeout: float = 8.0,
        on_replay: Callable[[Replay], None] = lambda r: None) -> list[Replay]:
    """Record once, then replay ``replays`` times: scales and page variations in turn, window geometry and City
    at random."""
    rng = random.Random(seed)
    results: list[Replay] = []
    with VirtualDisplay(*SCREEN) as vd:
        demo = record_form(vd.display, DemoStore(Path(out) / "demos"))
        for n in range(1, replays + 1):
            scale = SCALES[(n - 1) % len(SCALES)]  # every scale equally often; the rest is random
            w = rng.randint(max(760, round(560 * scale)), SCREEN[0] - 40)
            h = rng.randint(max(560, round(500 * scale)), SCREEN[1] - 40)
            x, y = rng.randint(0, SCREEN[0] - w), rng.randint(0, SCREEN[1] - h)
            city = rng.choice(CITIES)
            variant = VARIANTS[(n - 1) % len(VARIANTS)]
            results.append(_replay_once(vd.display, demo, n, scale, (x, y), (w, h), city, variant, Path(out),
                                        timeout))
            on_replay(results[-1])
    return results


def _replay_once(display: str, demo: Demo, n: int, scale: float, position: tuple[int, int], size: tuple[int, int],
                 city: str, variant: tuple[str, str, bool], out: Path, timeout: float) -> Replay:
    name, query, reachable = variant
    url = FORM.as_uri() + (f"?{query}" if query else "")
    with DrivenChromium(display, round(size[0] / scale), round(size[1] / scale), scale, app_url=url) as browser:
        # Chromium measures its window in device-independent pixels: divide by the scale to get screen pixels
        browser.driver.set_window_rect(x=round(position[0] / scale), y=round(position[1] / scale),
                                       width=round(size[0] / scale), height=round(size[1] / scale))
        wait_for_content(display)
        t0 = time.monotonic()
        result = replay_demo(demo, demo.values({"city": city}),
                             ReplayOptions(display, out / "runs", timeout=timeout))
        seconds = time.monotonic() - t0
        line = result_line(browser.driver)
    right = reachable and line == f"Saved Ada Lovelace from {city}, newsletter yes"
    outcome = judge(result.status, result.message, right)
    message = result.message if result.status != "done" else ("" if right else f"page says {line!r}")
    return Replay(n, scale, position, size, city, name, outcome, result.status, round(seconds, 2), result.steps,
                  message)


def judge(status: str, message: str, right: bool) -> str:
    """'right' (done, right end state), 'stopped' (not done, with a sentence naming the step), or 'wrong' (done
    with a wrong end state, or a stop that names no step)."""
    if status == "done":
        return "right" if right else "wrong"
    return "stopped" if message.startswith("Step ") else "wrong"


def summarise(results: list[Replay]) -> dict[str, Any]:
    """The bench's JSON: shares of right ends, honest stops, wrong ends; by scale and by page variation."""

    def counts(rs: list[Replay]) -> dict[str, int]:
        return {"n": len(rs), **{k: sum(r.outcome == k for r in rs) for k in ("right", "stopped", "wrong")}}

    n = max(1, len(results))
    return {"replays": len(results), **{k: v for k, v in counts(results).items() if k != "n"},
            "right_rate": round(sum(r.outcome == "right" for r in results) / n, 4),
            "stopped_rate": round(sum(r.outcome == "stopped" for r in results) / n, 4),
            "wrong_done": sum(r.outcome == "wrong" for r in results),
            "by_scale": {str(s): counts([r for r in results if r.scale == s])
                         for s in sorted({r.scale for r in results})},
            "by_variant": {v[0]: {**counts([r for r in results if r.variant == v[0]]), "reachable": v[2]}
                           for v in VARIANTS if any(r.variant == v[0] for r in results)},
            "median_seconds": round(statistics.median(r.seconds for r in results), 2) if results else 0.0,
            "results": [{**asdict(r), "success": r.success} for r in results]}


def show(r: Replay) -> None:
    """One line per replay, as it ends."""
    print(f"  #{r.n:<3} {r.outcome:<7} x{r.scale:<4g} {r.variant:<16} at {r.position} size {r.size} city {r.city:<7} "
          f"{r.seconds:5.1f}s {r.steps:>2} steps" + (f"  -> {r.message}" if r.message else ""), flush=True)


def report(summary: dict[str, Any]) -> list[str]:
    """The summary lines: the right end state, honest stops, wrong ends, by scale and by page variation."""
    def part(c: dict[str, int]) -> str:
        return f"{c['right']} right, {c['stopped']} stopped, {c['wrong']} wrong of {c['n']}"

    n = summary["replays"]
    return [f"right end state: {summary['right']}/{n} ({summary['right_rate']:.0%}); stopped honestly: "
            f"{summary['stopped']}/{n} ({summary['stopped_rate']:.0%}); done with a wrong end state: "
            f"{summary['wrong_done']}; median {summary['median_seconds']}s per replay",
            "by scale: " + "; ".join(f"x{k}: {part(v)}" for k, v in summary["by_scale"].items()),
            "by page: " + "; ".join(f"{k}{'' if v['reachable'] else ' (cannot be done)'}: {part(v)}"
                                   for k, v in summary["by_variant"].items())]
