"""Progress lines for the terminal, from the loop's events."""

from __future__ import annotations

from typing import Any


def print_event(kind: str, data: dict[str, Any]) -> None:
    """One line per step: what was done, whether the screen changed, how long it took."""
    if kind == "step":
        timing = data["info"].get("timing_ms", {})
        changed = data["info"].get("screen_changed")
        note = "" if changed is not False else "  (the screen did not change)"
        print(f"  step {data['step']:>2}: {data['action']}{note}   [{sum(timing.values()):.0f} ms]", flush=True)
