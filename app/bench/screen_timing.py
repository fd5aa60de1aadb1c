"""The parse timing of `deskpilot bench screen`: the text-dense 1920x1080 page, parsed again and again, by stage.

What it times is a running agent's parse: the models are loaded and the folded graphs built by one parse before
the clock starts (a cold start is a one-off of a few seconds, not a parse), then the same capture is parsed
``repeats`` times from scratch (the pixel parser is not incremental here, so nothing read before is reused) and
the median is the figure. Each parser's ``stats`` fields ending in ``_ms`` are the stages (detect, read and ocr
for pixels; tree and pixels for accessibility). The load average is kept beside it: on a shared machine the
figures grow with it.
"""

from __future__ import annotations

import os
import statistics
import time
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Any

from app.bench.screen import ROOT, Mode

REPEATS = 5
STAGE_NAMES = {"ocr_ms": "OCR", "detect_ms": "of which text detection", "read_ms": "recognition",
               "proposals_ms": "outlines",
               "tree_ms": "accessibility tree", "pixels_ms": "pixels", "total_ms": "whole parse"}


@dataclass(frozen=True)
class DenseTiming:
    """Medians over the timed parses: the whole parse and each stage, with the spread and the machine's load."""

    median_ms: float
    min_ms: float
    max_ms: float
    repeats: int
    stages_ms: dict[str, float] = field(default_factory=dict)
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def to_json(self) -> dict[str, Any]:
        return {"median_ms": self.median_ms, "min_ms": self.min_ms, "max_ms": self.max_ms, "repeats": self.repeats,
                "stages_ms": self.stages_ms, "load_average": list(self.load_average)}

    def describe(self) -> str:
        """One line: the stages, then the spread and the load average."""
        stages = ", ".join(f"{STAGE_NAMES.get(k, k.removesuffix('_ms'))} {v:.0f}" for k, v in self.stages_ms.items()
                           if k != "total_ms")
        return (f"{stages + '; ' if stages else ''}{self.repeats} parses {self.min_ms:.0f}-{self.max_ms:.0f} ms, "
                f"load average {self.load_average[0]:.1f}")


def dense_parse(mode: Mode, repeats: int = REPEATS) -> DenseTiming:
    """Time ``mode``'s parse of the text-dense page (assets/bench/dense.html) shown at 1920x1080 in Chromium."""
    from app.bench.screen_pages import settle, shown_page

    page = ROOT / "assets" / "bench" / "dense.html"
    with shown_page(page.as_uri(), 1920, 1080, 1.0, mode.needs_bus) as (stage, capture, _driver):
        time.sleep(1.0)
        image = settle(capture)
        parser = mode.make(stage)
        parser.parse(image)  # loads the models: not a parse a running agent waits for
        times, stages = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            parser.parse(image)
            times.append((time.perf_counter() - t0) * 1000)
            stages.append(_stage_ms(getattr(parser, "stats", None)))
        close = getattr(parser, "close", None)
        if close is not None:
            close()
    keys = [k for k in stages[0] if all(k in s for s in stages)]
    return DenseTiming(round(statistics.median(times), 1), round(min(times), 1), round(max(times), 1), repeats,
                       {k: round(statistics.median(s[k] for s in stages), 1) for k in keys},
                       tuple(round(v, 2) for v in os.getloadavg()))


def _stage_ms(stats: Any) -> dict[str, float]:
    """The numeric ``*_ms`` fields of a parser's stats (a dataclass), in their declared order."""
    if stats is None or not is_dataclass(stats):
        return {}
    out = {}
    for f in fields(stats):
        value = getattr(stats, f.name)
        if f.name.endswith("_ms") and isinstance(value, (int, float)) and value:
            out[f.name] = float(value)
    return out
