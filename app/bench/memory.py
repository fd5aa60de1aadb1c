"""Resident memory over many capture+parse cycles in one process (peers report mss leaks of gigabytes)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from app.desktop.browser import ChromiumApp
from app.desktop.capture import MssScreenSource
from app.desktop.xvfb import VirtualDisplay
from grounding.parser import ScreenParser

PAGE = Path(__file__).resolve().parent.parent.parent / "assets" / "bench" / "ticker.html"


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(frames: int = 1000, warmup: int = 50, width: int = 1280, height: int = 800,
        report_every: int = 100) -> dict[str, Any]:
    """Capture and parse ``frames`` frames of a page that changes every 40 ms; RSS after warm-up vs at the end."""
    samples: list[tuple[int, float]] = []
    with VirtualDisplay(width, height) as vd, ChromiumApp(PAGE.as_uri(), vd.display, width, height):
        time.sleep(2.0)
        source, parser = MssScreenSource(vd.display), ScreenParser()
        try:
            t0 = time.monotonic()
            for n in range(1, frames + 1):
                parser.parse(source.capture().image)
                if n == warmup or n % report_every == 0:
                    samples.append((n, round(rss_mb(), 1)))
                    print(f"  frame {n:>5}: RSS {samples[-1][1]:.1f} MB", flush=True)
            seconds = time.monotonic() - t0
        finally:
            source.close()
    base = next(mb for n, mb in samples if n == warmup)
    return {"frames": frames, "warmup": warmup, "rss_mb_after_warmup": base, "rss_mb_end": samples[-1][1],
            "growth_mb": round(samples[-1][1] - base, 1), "ms_per_frame": round(seconds / frames * 1000, 1),
            "samples": samples}
