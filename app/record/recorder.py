"""Recorder: watch a person work (pynput mouse and keyboard listeners), keep a screenshot before every event,
merge the events into steps and ground each step on the element under the pointer.

Python API (the CLI's ``deskpilot record`` and the desktop app's Record button both use it)::

    rec = Recorder("save-note", task="save a note called Groceries", display=":1",
                   on_step=lambda step, n: print(n, step.describe()))   # called from a worker thread
    rec.start()            # listeners, frame grabber and grounding worker run in background threads
    rec.wait()             # returns when the stop keys are pressed (default ctrl+alt+shift+r) or stop() is called
    demo = rec.stop()      # grounds what is left, marks the demo complete, returns the planner.demos.Demo

``on_event(event)`` sees every raw event as it is written. Every event is appended (and fsync'd) to
``events.jsonl`` the moment it happens, naming its screenshot in ``shots/`` (written by a background saver);
steps go to ``steps.jsonl`` as they are grounded. The mouse and the keyboard listeners run in two threads, so
events are stamped with the X server's own time and merged in that order, not in the order they arrive.
Text typed into a password field (its label or accessible name says so) is masked in both files and becomes
the parameter ``password``, which a replay must be given. A typed step keeps the field it went into; when the
recording stops, every step gets the effect it had (app/record/effects.py). The listeners run in a child process
on ``display`` (app.record.listen), so recording leaves this process's $DISPLAY as it was.
"""

from __future__ import annotations

import heapq
import json
import os
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from app.desktop.windows import WindowTitles
from app.record.frames import FrameBuffer
from app.record.listen import InputListener
from app.record.step_builder import MODIFIERS, Built, Event, StepBuilder, build_all
from grounding.coords import Frame, Point, Space, logical_to_image
from grounding.elements import VALUE_ROLES
from grounding.parser import ScreenParser
from planner.demos import Demo, DemoStep, DemoStore, append_line
from planner.secrets import field_is_secret
from planner.step_effects import Screens, with_effects
from planner.targets import Target, load_png, remember, target_at

DEFAULT_STOP = ("ctrl", "alt", "shift", "r")
HOLD = 0.4  # seconds an event waits for a later-arriving, earlier one from the other listener
StepCallback = Callable[[DemoStep, int], None]


@dataclass
class Recorder:
    """Records one demonstration into ``store`` under ``name``; see the module docstring for the API."""

    name: str
    task: str = ""
    display: str | None = None
    store: DemoStore = field(default_factory=DemoStore)
    monitor: int = 1
    stop_keys: tuple[str, ...] = DEFAULT_STOP
    on_step: StepCallback = lambda step, n: None
    on_event: Callable[[Event], None] = lambda ev: None
    parser: Any = None
    replace_old: bool = False
    demo: Demo | None = None
    steps: list[DemoStep] = field(default_factory=list)
    stopped: threading.Event = field(default_factory=threading.Event)
    _frames: FrameBuffer | None = None
    _queue: queue.Queue = field(default_factory=queue.Queue)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _worker: threading.Thread | None = None
    _listener: InputListener | None = None
    _held: set[str] = field(default_factory=set)
    _images: dict[int, np.ndarray] = field(default_factory=dict)
    _seq: int = 0
    _t0: float = 0.0
    _x_offset: float | None = None
    _focus: Target | None = None
    _secret_runs: int = 0
    _secret_texts: set[str] = field(default_factory=set)  # in memory only: effects never quote them
    _screens: Screens | None = None
    _stop_shot: str = ""  # the frame just before the stop keys: the end of the demonstration
    _titles: WindowTitles | None = None  # used under _lock only: one X connection for the listener threads

    def start(self) -> Recorder:
        """Create the demo folder and start listening."""
        display = self.display or os.environ.get("DISPLAY", "")
        self.demo = self.store.create(self.name, self.task, {"display": display}, replace_old=self.replace_old)
        self.parser = self.parser or ScreenParser(incremental=False)  # every frame read whole: labels stay right
        self._t0 = time.monotonic()
        self._titles = WindowTitles(display)
        self._frames = FrameBuffer(display, self.demo.folder, self._t0, self.monitor).start()
        self._worker = threading.Thread(target=self._ground_steps, name="recorder-steps", daemon=True)
        self._worker.start()
        try:
            self._listener = InputListener(display, self._on_input).start()
        except RuntimeError:
            self._frames.stop()
            self._queue.put(None)
            raise
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the stop keys are pressed or ``stop()`` is called; False if ``timeout`` passed first."""
        return self.stopped.wait(timeout)

    def stop(self, timeout: float = 120.0, interrupted: bool = False) -> Demo:
        """Stop listening, ground the steps still open, and mark the demo complete.

        ``interrupted``: the recording was ended with Ctrl-C, whose keys are then not part of the demo.
        """
        self.stopped.set()
        if self._listener is not None:
            self._listener.stop()
        self._queue.put(None)
        if self._worker is not None:
            self._worker.join(timeout)
        final = ""
        if self._frames is not None:
            final = self._stop_shot or self._frames.before(time.monotonic() - self._t0).file
            self._frames.stop()
        with self._lock:
            if self._titles is not None:
                self._titles.close()
        assert self.demo is not None
        if interrupted and self.steps and self.steps[-1].kind == "key" and self.steps[-1].keys == ("ctrl", "c"):
            self.steps.pop()
        self.demo.steps = with_effects(list(self.steps), self._screens_of(), final, self._secret_texts)
        self.demo.meta.update(complete=True, events=self._seq, seconds=round(time.monotonic() - self._t0, 1))
        self.demo.save()
        return self.demo

    # -- events: written the moment they happen
    def _emit(self, ev: Event, server_ms: Any) -> None:
        received = time.monotonic() - self._t0
        with self._lock:
            if self.stopped.is_set() or self.demo is None or self._frames is None or self._titles is None:
                return
            self._seq += 1
            t = received
            if isinstance(server_ms, int) and server_ms > 0:
                # the smallest arrival delay seen so far maps the server's clock onto ours best
                lag_free = received - server_ms / 1000
                self._x_offset = lag_free if self._x_offset is None else min(self._x_offset, lag_free)
                t = server_ms / 1000 + self._x_offset
            shot = self._frames.before(t)
            if ev.get("stop"):
                self._stop_shot = shot.file
            f = shot.frame
            title = self._titles.at(ev["x"], ev["y"]) if "x" in ev else self._titles.active()
            ev = {"seq": self._seq, "t": round(t, 4), **ev, "shot": shot.file,
                  "frame": [f.left, f.top, f.width, f.height, f.scale], "window": title}
            append_line(self.demo.folder / "events.jsonl", ev)
            if "x" in ev:
                self._images[self._seq] = shot.image
        self.on_event(ev)
        self._queue.put(ev)

    def _on_input(self, ev: dict[str, Any]) -> None:
        """One event from the listener process (its thread): clicks, scrolls and keys; the stop keys end it."""
        kind, server_ms = ev.get("kind"), ev.get("server_ms")
        if kind in ("mouse_down", "mouse_up") and ev.get("button") in ("left", "right", "middle"):
            self._emit({"kind": kind, "x": ev["x"], "y": ev["y"], "button": ev["button"]}, server_ms)
        elif kind == "scroll":
            self._emit({"kind": "scroll", "x": ev["x"], "y": ev["y"], "dx": ev["dx"], "dy": ev["dy"]}, server_ms)
        elif kind == "key_down":
            self._on_press(str(ev.get("key", "")), server_ms)
        elif kind == "key_up":
            self._held.discard(str(ev.get("key", "")))
            self._emit({"kind": "key_up", "key": str(ev.get("key", ""))}, server_ms)

    def _on_press(self, name: str, server_ms: Any) -> None:
        ev: Event = {"kind": "key_down", "key": name}
        if name in MODIFIERS:
            self._held.add(name)
        elif name and name.lower() == self.stop_keys[-1] and set(self.stop_keys[:-1]) <= self._held:
            ev["stop"] = True
        self._emit(ev, server_ms)
        if ev.get("stop"):
            self.stopped.set()

    # -- steps: put in the server's order, merged and grounded off the listener threads
    def _ground_steps(self) -> None:
        builder, waiting = StepBuilder(), []
        while True:
            try:
                ev = self._queue.get(timeout=0.1)
            except queue.Empty:
                ev = ""
            if ev:
                heapq.heappush(waiting, (ev["t"], ev["seq"], ev))
            now = time.monotonic() - self._t0
            while waiting and (ev is None or waiting[0][0] < now - HOLD):
                for built in builder.feed(heapq.heappop(waiting)[2]):
                    self._add(built)
            if ev is None:
                for built in builder.flush():
                    self._add(built)
                return
            for built in builder.tick(now - HOLD):
                self._add(built)

    def _add(self, built: Built) -> None:
        step = self.ground(built)
        self.steps.append(step)
        append_line(self.demo.folder / "steps.jsonl", step.to_json())
        self.on_step(step, len(self.steps))

    def ground(self, built: Built) -> DemoStep:
        """The step with what it pointed at (for typing: the field it went into, and whether that is a password
        field)."""
        step, n = built.step, len(self.steps) + 1
        shot = built.start.get("shot", "")
        if step.kind == "type":
            return self._typed(step, built, shot)
        if step.kind == "key":
            if step.keys[-1] == "tab":
                self._focus = None  # the focus moved on to a field the recording did not point at
            return replace(step, screenshot=shot)
        image = self._images.pop(built.start.get("seq", -1), None)
        for seq in built.events:
            self._images.pop(seq, None)
        if image is None:
            image = load_png(self.demo.folder / shot)
        frame = Frame(*built.start["frame"])
        screen = self.parser.parse(image)
        self._screens_of().keep(shot, screen)
        target = self._target(screen, image, frame, step.x, step.y, f"crops/step_{n}.png")
        to_target = None
        if step.kind == "drag":
            to_target = self._target(screen, image, frame, step.to_x, step.to_y, f"crops/step_{n}_to.png")
        if step.kind == "click":
            self._focus = target
        return replace(step, target=target, to_target=to_target, screenshot=shot)

    def _typed(self, step: DemoStep, built: Built, shot: str) -> DemoStep:
        focus = self._focus if self._focus is not None else self._focused(shot)
        into = focus if focus is not None and focus.role in VALUE_ROLES else None
        if focus is not None and looks_secret(focus):
            self._mask(set(built.events))
            self._secret_texts.add(step.text)
            self._secret_runs += 1
            param = "password" if self._secret_runs == 1 else f"password{self._secret_runs}"
            self.demo.params[param] = ""
            return replace(step, text=f"{{{param}}}", secret=True, screenshot=shot, into=into)
        return replace(step, screenshot=shot, into=into)

    def _focused(self, shot: str) -> Target | None:
        """The field holding the focus on ``shot`` when the screen model knows it (the accessibility tree does)."""
        screen = self._screens_of().get(shot)
        if screen is None or not screen.focused:
            return None
        el = screen.get(screen.focused)
        return target_at(screen, screen.image, *el.box.center)[0]

    def _screens_of(self) -> Screens:
        if self._screens is None:
            assert self.demo is not None
            self._screens = Screens(self.demo.folder, self.parser.parse)
        return self._screens

    def _target(self, screen: Any, image: np.ndarray, frame: Frame, x: float, y: float, crop_name: str) -> Target:
        p = logical_to_image(Point(x, y, Space.LOGICAL), frame)
        return remember(screen, image, p.x, p.y, self.demo.folder, crop_name)

    def _mask(self, seqs: set[int]) -> None:
        """Mask the characters of a password run in events.jsonl (they were written as they happened)."""
        path, first, last = self.demo.folder / "events.jsonl", min(seqs), max(seqs) + 3
        with self._lock:
            lines = []
            for line in path.read_text(encoding="utf-8").splitlines():
                ev = json.loads(line)
                if first <= ev.get("seq", 0) <= last and ev.get("kind", "").startswith("key") \
                        and len(ev.get("key", "")) == 1:
                    ev["key"] = "•"
                lines.append(json.dumps(ev, ensure_ascii=False))
            tmp = path.with_suffix(".tmp")
            tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
            os.replace(tmp, path)


def looks_secret(target: Target) -> bool:
    """Whether a field is for a password (planner.secrets' rule: its states or its name say so)."""
    return field_is_secret(target)


def rebuild(demo: Demo) -> Demo:
    """Merge and ground a recording's steps again from its events (a recording that crashed before stop())."""
    lines = (demo.folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = sorted((json.loads(line) for line in lines if line.strip()), key=lambda e: (e["t"], e["seq"]))
    (demo.folder / "steps.jsonl").write_text("", encoding="utf-8")
    rec = Recorder(demo.name, demo.task, parser=ScreenParser(incremental=False), demo=demo)
    for built in build_all(events):
        rec._add(built)
    final = events[-1].get("shot", "") if events else ""
    demo.steps = with_effects(list(rec.steps), rec._screens_of(), final, rec._secret_texts)
    demo.meta.update(complete=True, events=len(events))
    demo.save()
    return demo
