"""`deskpilot bench screen`: the screen model against ground truth, per parsing mode.

Sources show something on a private display and say what it truly shows (Chromium pages through the DOM
here; desktop applications through AT-SPI in app/bench/screen_atspi.py); every mode's parser reads the same
capture. Modes are registered by name with a factory taking the Stage (display, frame, accessibility bus),
so the accessibility mode plugs in beside pixels.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from app.bench.screen_truth import Score, Truth, score, summary
from grounding.coords import Frame
from grounding.elements import Screen

ROOT = Path(__file__).resolve().parent.parent.parent
SCALES = (1.0, 1.5, 2.0)


class Parser(Protocol):
    def parse(self, image: np.ndarray) -> Screen: ...


@dataclass
class Stage:
    """Where a source shows its pages: the display, the capture's frame, and an accessibility bus when a mode
    needs one (``bus`` is an app.desktop.a11y_bus.AccessibilityBus)."""

    display: str
    frame: Frame
    bus: Any = None
    parsers: dict[str, Parser] = field(default_factory=dict)


@dataclass(frozen=True)
class Mode:
    """A way of parsing the screen: ``make`` builds its parser for a stage; ``needs_bus`` asks sources to start
    their display with an accessibility bus and their applications with accessibility on."""

    name: str
    make: Callable[[Stage], Parser]
    needs_bus: bool = False


def _pixels(stage: Stage) -> Parser:
    from grounding.parser import ScreenParser

    return ScreenParser(incremental=False)


def _accessibility(stage: Stage) -> Parser:
    from app.bench.screen_atspi import accessibility_parser

    return accessibility_parser(stage)


MODES: dict[str, Mode] = {"pixels": Mode("pixels", _pixels),
                          "accessibility": Mode("accessibility", _accessibility, needs_bus=True)}


@dataclass(frozen=True)
class Sample:
    """One screenshot scored in one mode."""

    mode: str
    source: str
    page: str
    scale: float
    score: Score


class Source(Protocol):
    name: str

    def samples(self, modes: list[Mode], scales: tuple[float, ...]) -> Iterator[Sample]: ...


def parse_all(stage: Stage, modes: list[Mode], image: np.ndarray, truth: Truth, source: str, page: str,
              scale: float) -> Iterator[Sample]:
    """Parse one capture in every mode (each mode's parser made once per stage) and score it.

    Modes that read the live accessibility tree go first: the capture is frozen but the page is not (MiniWoB++'s
    clock ticks), so the tree is read as close to the capture as it can be; a pixels parse before it, 0.3-5 s,
    let the tree move on and its lines be scored against a screen that no longer showed them."""
    for mode in sorted(modes, key=lambda m: not m.needs_bus):
        parser = stage.parsers.get(mode.name)
        if parser is None:
            parser = stage.parsers[mode.name] = mode.make(stage)
        t0 = time.perf_counter()
        screen = parser.parse(image)
        ms = (time.perf_counter() - t0) * 1000
        yield Sample(mode.name, source, page, scale, score(truth, screen, ms))


def close_parsers(stage: Stage) -> None:
    for parser in stage.parsers.values():
        close = getattr(parser, "close", None)
        if close is not None:
            close()
    stage.parsers.clear()


def default_sources(episodes: int = 1) -> list[Source]:
    """Chromium pages (bundled and MiniWoB++), plus desktop applications where their module is present."""
    from app.bench.screen_pages import MiniwobPages, PageFiles

    sources: list[Source] = [PageFiles(), MiniwobPages(episodes=episodes)]
    try:
        from app.bench import screen_atspi  # the accessibility helper's AT-SPI application truth
    except ImportError:
        return sources
    return sources + list(screen_atspi.sources())


def run(modes: list[str], sources: list[Source], scales: tuple[float, ...] = SCALES,
        on_sample: Callable[[Sample], None] = lambda s: None) -> list[Sample]:
    """Every source's screens, parsed and scored in every mode."""
    chosen = [MODES[m] for m in modes]
    out = []
    for source in sources:
        for sample in source.samples(chosen, scales):
            out.append(sample)
            on_sample(sample)
    return out


def report(samples: list[Sample], modes: list[str], dense: dict[str, Any]) -> dict[str, Any]:
    """The bench JSON: per mode the figures over every screen, by source (page family) and by scale, and the
    dense page's parse time (``dense``: a screen_timing.DenseTiming per mode that was timed)."""
    out: dict[str, Any] = {}
    for mode in ("pixels", "accessibility"):
        ss = [s for s in samples if s.mode == mode]
        timing = dense.get(mode)
        timed = {"parse_ms_dense_1080p": timing.median_ms, "dense_1080p": timing.to_json()} if timing else {}
        if mode not in modes or not ss:
            out[mode] = {"skipped": f"the {mode} mode was not run"} if mode not in modes else {"screens": 0, **timed}
            continue
        figures = summary([s.score for s in ss])
        figures["parse_ms_dense_1080p"] = timing.median_ms if timing else None
        if timing:
            figures["dense_1080p"] = timing.to_json()
        figures["by_source"] = [{"source": src, **summary([s.score for s in ss if s.source == src])}
                                for src in dict.fromkeys(s.source for s in ss)]
        figures["by_page"] = [{"page": page, **summary([s.score for s in ss if s.page == page])}
                              for page in dict.fromkeys(s.page for s in ss)]
        figures["by_scale"] = {f"{sc:g}": summary([s.score for s in ss if s.scale == sc])
                               for sc in sorted({s.scale for s in ss})}
        out[mode] = figures
    return out


def table(result: dict[str, Any]) -> str:
    """The figures as a terminal table, one block per mode that ran."""
    rows = []
    keys = ("control_recall", "name_accuracy", "state_accuracy", "phantom_rate", "text_line_recall")
    for mode, f in result.items():
        if "control_recall" not in f:
            rows.append(f"{mode}: {f.get('skipped', 'no screens')}")
            rows += _dense_rows(f)
            continue
        rows.append(f"{mode}: {f['screens']} screens, {f['controls']} controls, {f['text_lines']} text lines")
        rows.append(f"  {'source':<28}" + "".join(f"{k.split('_')[0][:7]:>9}" for k in keys))
        for row in [*f["by_source"], {"source": "all", **f}]:
            rows.append(f"  {row['source']:<28}" + "".join(f"{row[k]:>9.3f}" for k in keys))
        rows.append(f"  legend tokens (median) {f['legend_tokens_median']}; parse of a dense 1920x1080 page: "
                    f"{f['parse_ms_dense_1080p']} ms")
        rows += _dense_rows(f)[1:]
    return "\n".join(rows)


def _dense_rows(f: dict[str, Any]) -> list[str]:
    """The dense page's parse time and, under it, its stages (median ms), spread and load average."""
    if not f.get("dense_1080p"):
        return []
    from app.bench.screen_timing import DenseTiming

    t = f["dense_1080p"]
    timing = DenseTiming(t["median_ms"], t["min_ms"], t["max_ms"], t["repeats"], t["stages_ms"],
                         tuple(t["load_average"]))
    return [f"  parse of a dense 1920x1080 page: {timing.median_ms} ms", f"    {timing.describe()}"]
