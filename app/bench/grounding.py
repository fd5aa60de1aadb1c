"""Grounding benchmark: MiniWoB++ pages rendered in real Chromium at several scale factors.

Element boxes read from the DOM serve only as ground truth; each query is phrased as a person would say
it ('the "Submit" button', 'the link "Diam"', 'the 2nd text field', 'the checkbox next to "kT2ho"'), the
grounder sees only the screenshot, and a hit is a point inside the element's box.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.bench.miniwob import MiniwobBench, task_url
from app.desktop.browser import ChromiumApp, DrivenChromium
from app.desktop.capture import MssScreenSource
from app.desktop.xvfb import VirtualDisplay
from grounding.locate import NotFound, locate
from grounding.parser import ScreenParser
from grounding.vlm_tokens import AnswerError

ORDINALS = ["1st", "2nd", "3rd", "4th", "5th"]
TEXT_KINDS = {"button", "link", "tab", "checkbox", "radio"}
PAGES = ["click-button", "click-link", "click-checkboxes", "click-option", "enter-password", "click-tab",
         "click-dialog", "choose-list", "focus-text"]
GROUNDERS = ("pixels", "vlm")

# Every visible target on the page, in CSS pixels: its kind, the words that name it, and its box.
COLLECT_JS = """
const out = [], seen = new Set();
const vis = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; };
const add = (kind, name, e) => { if (!vis(e) || seen.has(e)) return; seen.add(e);
  const r = e.getBoundingClientRect(); out.push({kind, name, box: [r.left, r.top, r.right, r.bottom]}); };
const area = document.querySelector('#area') || document.body;
area.querySelectorAll('.ui-tabs-nav a').forEach(e => add('tab', e.textContent.trim(), e.parentElement));
document.querySelectorAll('.ui-dialog-titlebar-close').forEach(e => add('close', '', e));
document.querySelectorAll('.ui-dialog-buttonpane button').forEach(e => add('button', e.textContent.trim(), e));
area.querySelectorAll('button').forEach(e => add('button', e.textContent.trim(), e));
area.querySelectorAll('.alink').forEach(e => add('link', e.textContent.trim(), e));
area.querySelectorAll('input[type=checkbox]').forEach(e => add('checkbox', e.parentElement.textContent.trim(), e));
area.querySelectorAll('input[type=radio]').forEach(e => add('radio', e.parentElement.textContent.trim(), e));
area.querySelectorAll('input[type=text], input[type=password], input:not([type])')
  .forEach(e => add('text_field', '', e));
area.querySelectorAll('select').forEach(e => add('dropdown', '', e));
const dpr = window.devicePixelRatio;
const ox = window.screenX + (window.outerWidth - window.innerWidth);
const oy = window.screenY + (window.outerHeight - window.innerHeight);
return {dpr, ox, oy, items: out};
"""


@dataclass
class Sample:
    kind: str
    query: str
    hit: bool
    ms: float
    scale: float
    page: str
    detail: str


def queries(items: list[dict]) -> list[tuple[str, str, dict]]:
    """Phrase each target as a person would; a name shared by two targets is skipped (ambiguous)."""
    names = [i["name"] for i in items if i["name"]]
    fields = [i for i in items if i["kind"] == "text_field"]
    out = []
    for item in items:
        kind, name = item["kind"], item["name"]
        if name and names.count(name) > 1:
            continue
        if kind == "button":
            out.append((kind, f'the "{name}" button', item))
        elif kind == "link":
            out.append((kind, f'the link "{name}"', item))
        elif kind == "tab":
            out.append((kind, f'the "{name}" tab', item))
        elif kind in ("checkbox", "radio"):
            word = "checkbox" if kind == "checkbox" else "radio button"
            out.append((kind, f'the {word} next to "{name}"', item))
        elif kind == "text_field":
            out.append((kind, "the text field" if len(fields) == 1 else
                        f"the {ORDINALS[fields.index(item)]} text field", item))
        elif kind == "close":
            out.append((kind, "the close button", item))
        elif kind == "dropdown":
            out.append((kind, "the dropdown", item))
    return out


def run(scales: tuple[float, ...] = (1.0, 1.5, 2.0), episodes: int = 4, seed: int = 0,
        on_sample: Callable[[Sample], None] = lambda s: None, vlm: Any = None) -> list[Sample]:
    """Every query of every episode; ``vlm`` (a grounding.vlm.VLMGrounder) answers instead of parse + locate."""
    samples: list[Sample] = []
    for scale in scales:
        with VirtualDisplay(800, 600) as vd, DrivenChromium(vd.display, 800, 600, scale,
                                                           app_url=task_url(PAGES[0])) as browser:
            source = MssScreenSource(vd.display)
            try:
                for page in PAGES:
                    browser.driver.get(task_url(page))
                    MiniwobBench._wait_ready(browser.driver)
                    browser.driver.execute_script(f"Math.seedrandom && Math.seedrandom('{seed}-{page}');")
                    for _ in range(episodes):
                        samples += _episode(browser.driver, source, page, scale, on_sample, vlm)
            finally:
                source.close()
    return samples


def _episode(driver: Any, source: MssScreenSource, page: str, scale: float,
             on_sample: Callable[[Sample], None], vlm: Any = None) -> list[Sample]:
    driver.execute_script("core.startEpisodeReal();")
    utterance = driver.execute_script("return core.getUtterance();")
    time.sleep(0.3)
    truth = driver.execute_script(COLLECT_JS)
    obs = source.capture()
    t0 = time.perf_counter()
    screen = ScreenParser(incremental=False).parse(obs.image) if vlm is None else None
    parse_ms = (time.perf_counter() - t0) * 1000
    out = []
    for kind, query, item in queries(truth["items"]):
        d, ox, oy = truth["dpr"], truth["ox"], truth["oy"]
        x0, y0, x1, y1 = ((item["box"][0] + ox) * d, (item["box"][1] + oy) * d,
                          (item["box"][2] + ox) * d, (item["box"][3] + oy) * d)
        t1 = time.perf_counter()
        try:
            px, py, detail = _point(query, screen, obs.image, utterance, vlm)
            hit = x0 - 1 <= px <= x1 + 1 and y0 - 1 <= py <= y1 + 1
        except (NotFound, AnswerError) as exc:
            hit, detail = False, str(exc)
        ms = parse_ms + (time.perf_counter() - t1) * 1000
        sample = Sample(kind, query, hit, round(ms, 1), scale, page, detail)
        out.append(sample)
        on_sample(sample)
    driver.execute_script("core.endEpisode(0);")
    return out


def _point(query: str, screen: Any, image: np.ndarray, utterance: str, vlm: Any) -> tuple[float, float, str]:
    if vlm is None:
        m = locate(query, screen, echo=utterance)
        return *m.element.box.center, m.reason
    found = vlm.point(query, image)
    return found.point.x, found.point.y, f"answered {found.answer.strip()[:40]!r} ({found.kept_tokens}/" \
                                          f"{found.visual_tokens} visual tokens)"


def parse_timing(repeats: int = 3) -> dict[str, float]:
    """Full parse of a text-dense 1920x1080 screen, and an incremental parse after under 10% of it changed."""
    from PIL import Image, ImageDraw

    page = Path(__file__).resolve().parent.parent.parent / "assets" / "bench" / "dense.html"
    with VirtualDisplay(1920, 1080) as vd, ChromiumApp(page.as_uri(), vd.display, 1920, 1080):
        time.sleep(2.5)
        source = MssScreenSource(vd.display)
        image = source.capture().image
        source.close()
    fulls = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        ScreenParser(incremental=False).parse(image)
        fulls.append((time.perf_counter() - t0) * 1000)
    changed = Image.fromarray(image.copy())
    ImageDraw.Draw(changed).rectangle((300, 120, 900, 300), fill=(255, 255, 255))
    ImageDraw.Draw(changed).text((320, 150), "Order 1234 shipped to the customer", fill=(0, 0, 0))
    changed_arr = np.asarray(changed)
    incs = []
    for _ in range(repeats):
        parser = ScreenParser()
        parser.parse(image)
        t0 = time.perf_counter()
        parser.parse(changed_arr)
        incs.append((time.perf_counter() - t0) * 1000)
        fraction = parser.stats.changed_fraction
    full, inc = statistics.median(fulls), statistics.median(incs)
    return {"full_parse_ms_1080p": round(full, 1), "incremental_parse_ms_1080p": round(inc, 1),
            "incremental_parse_ratio": round(inc / full, 3), "incremental_changed_fraction": round(fraction, 3)}


def summarise(samples: list[Sample], grounder: str, timing: dict[str, float]) -> dict[str, Any]:
    by_kind = {}
    for kind in sorted({s.kind for s in samples}):
        ks = [s for s in samples if s.kind == kind]
        by_kind[kind] = {"n": len(ks), "accuracy": round(sum(s.hit for s in ks) / len(ks), 4)}
    text = [s for s in samples if s.kind in TEXT_KINDS]
    plain = [s for s in samples if s.kind not in TEXT_KINDS]
    return {"grounder": grounder, "n": len(samples),
            "accuracy": round(sum(s.hit for s in samples) / len(samples), 4) if samples else 0.0,
            "accuracy_text_labelled": round(sum(s.hit for s in text) / len(text), 4) if text else 0.0,
            "accuracy_without_text": round(sum(s.hit for s in plain) / len(plain), 4) if plain else 0.0,
            "by_kind": by_kind,
            "by_scale": {str(sc): round(sum(s.hit for s in samples if s.scale == sc)
                                        / max(1, sum(1 for s in samples if s.scale == sc)), 4)
                         for sc in sorted({s.scale for s in samples})},
            "median_ms": round(statistics.median(s.ms for s in samples), 1) if samples else 0.0,
            **timing}
