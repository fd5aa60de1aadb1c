"""Low-level input events merged into demonstration steps: click, double click, drag, scroll, typed text, hotkey.

Events are plain dicts as the recorder writes them to ``events.jsonl``: ``kind`` (mouse_down, mouse_up, scroll,
key_down, key_up), ``t`` (seconds since the recording started), ``x``/``y`` (logical screen pixels),
``button``, ``dx``/``dy``, ``key`` (a character, or a key name such as enter, ctrl, shift). The builder is
pure: the same events always give the same steps, so a crashed recording can be rebuilt from its events.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from planner.demos import DemoStep

MODIFIERS = ("ctrl", "alt", "shift", "super")
CHORD_MODIFIERS = ("ctrl", "alt", "super")  # shift alone only changes the character typed

Event = dict[str, Any]


@dataclass
class Built:
    """A merged step (not yet grounded) and the events that start and end it."""

    step: DemoStep
    start: Event
    end: Event
    events: list[int] = field(default_factory=list)


@dataclass
class StepBuilder:
    """Feed events in order; completed steps come back as soon as nothing later can change them."""

    double_click_s: float = 0.5
    click_slack: float = 6.0
    drag_min: float = 8.0
    scroll_merge_s: float = 1.0
    _held: set[str] = field(default_factory=set)
    _down: Event | None = None
    _open: Built | None = None  # a click that may become a double click, a run of typing, a run of scrolling

    def feed(self, ev: Event) -> list[Built]:
        """Take one event; return the steps it completed."""
        kind = ev.get("kind")
        if kind == "mouse_down":
            return self._mouse_down(ev)
        if kind == "mouse_up":
            return self._mouse_up(ev)
        if kind == "scroll":
            return self._scroll(ev)
        if kind == "key_down":
            return self._key_down(ev)
        if kind == "key_up":
            self._held.discard(ev.get("key", ""))
        return []

    def tick(self, now: float) -> list[Built]:
        """Close a click once the double-click time has passed, so it need not wait for the next event."""
        if self._open and self._open.step.kind == "click" and self._down is None \
                and now - self._open.end["t"] > self.double_click_s:
            return self._close()
        return []

    def flush(self) -> list[Built]:
        """Everything still open, at the end of a recording."""
        return self._close()

    def _close(self) -> list[Built]:
        built, self._open = self._open, None
        return [built] if built is not None else []

    def _mouse_down(self, ev: Event) -> list[Built]:
        self._down = ev
        o = self._open
        if o and o.step.kind == "click" and o.step.button == ev.get("button") and o.step.count < 3 \
                and ev["t"] - o.end["t"] <= self.double_click_s and _dist(o.start, ev) <= self.click_slack:
            return []
        return self._close()

    def _mouse_up(self, ev: Event) -> list[Built]:
        down, self._down = self._down, None
        if down is None:
            return []
        seqs = [down.get("seq", -1), ev.get("seq", -1)]
        o = self._open
        if _dist(down, ev) >= self.drag_min and down.get("button") == "left":
            step = DemoStep(kind="drag", x=down["x"], y=down["y"], to_x=ev["x"], to_y=ev["y"], t=down["t"],
                            window=down.get("window", ""))
            return [*self._close(), Built(step, down, ev, seqs)]
        if o and o.step.kind == "click" and down["t"] - o.end["t"] <= self.double_click_s \
                and _dist(o.start, down) <= self.click_slack and o.step.button == down.get("button"):
            o.step = replace(o.step, count=o.step.count + 1)
            o.end, o.events = ev, o.events + seqs
            return []
        step = DemoStep(kind="click", x=down["x"], y=down["y"], button=down.get("button", "left"), t=down["t"],
                        window=down.get("window", ""))
        done = self._close()
        self._open = Built(step, down, ev, seqs)
        return done

    def _scroll(self, ev: Event) -> list[Built]:
        o = self._open
        if o and o.step.kind == "scroll" and ev["t"] - o.end["t"] <= self.scroll_merge_s and _dist(o.start, ev) <= 40:
            o.step = replace(o.step, dx=o.step.dx + int(ev.get("dx", 0)), dy=o.step.dy + int(ev.get("dy", 0)))
            o.end, o.events = ev, o.events + [ev.get("seq", -1)]
            return []
        done = self._close()
        step = DemoStep(kind="scroll", x=ev["x"], y=ev["y"], dx=int(ev.get("dx", 0)), dy=int(ev.get("dy", 0)),
                        t=ev["t"], window=ev.get("window", ""))
        self._open = Built(step, ev, ev, [ev.get("seq", -1)])
        return done

    def _key_down(self, ev: Event) -> list[Built]:
        key = ev.get("key", "")
        if key in MODIFIERS:
            self._held.add(key)
            return []
        if ev.get("stop") or not key:
            return []  # the combination that stops the recording is not part of the demonstration
        chord = [m for m in MODIFIERS if m in self._held]
        o = self._open
        if len(key) == 1 and not any(m in self._held for m in CHORD_MODIFIERS):
            if o and o.step.kind == "type":
                o.step = replace(o.step, text=o.step.text + key)
                o.end, o.events = ev, o.events + [ev.get("seq", -1)]
                return []
            done = self._close()
            self._open = Built(DemoStep(kind="type", text=key, t=ev["t"], window=ev.get("window", "")), ev, ev,
                               [ev.get("seq", -1)])
            return done
        if key == "backspace" and not chord and o and o.step.kind == "type" and o.step.text:
            o.step = replace(o.step, text=o.step.text[:-1])
            o.end, o.events = ev, o.events + [ev.get("seq", -1)]
            return []
        keys = tuple(chord) + (key.lower() if len(key) == 1 else key,)
        step = DemoStep(kind="key", keys=keys, t=ev["t"], window=ev.get("window", ""))
        return [*self._close(), Built(step, ev, ev, [ev.get("seq", -1)])]


def build_all(events: list[Event]) -> list[Built]:
    """Every step in a complete list of events (used to rebuild a recording that did not finish)."""
    builder = StepBuilder()
    out: list[Built] = []
    for ev in events:
        out += builder.feed(ev)
    return out + builder.flush()


def _dist(a: Event, b: Event) -> float:
    return float(((a["x"] - b["x"]) ** 2 + (a["y"] - b["y"]) ** 2) ** 0.5)
