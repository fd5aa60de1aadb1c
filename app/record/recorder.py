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
the parameter ``password``, which a replay must be given. pynput's X backend reads $DISPLAY when it starts,
so ``display`` is set as this process's $DISPLAY.
"""

from __future__ import annotations

import contextlib
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
from app.record.step_builder import MODIFIERS, Built, Event, StepBuilder, build_all
from grounding.coords import Frame, Point, Space, logical_to_image
from grounding.parser import ScreenParser
from planner.demos import Demo, DemoStep, DemoStore, append_line
from planner.secrets import field_is_secret, names_a_secret
from planner.targets import Target, load_png, remember

DEFAULT_STOP = ("ctrl", "alt", "shift", "r")
KEY_NAMES = {"esc": "escape", "page_up": "pageup", "page_down": "pagedown", "caps_lock": "capslock",
             "print_screen": "printscreen", "cmd": "super", "alt_gr": "alt", "return": "enter"}
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
    _listeners: list[Any] = field(default_factory=list)
    _held: set[str] = field(default_factory=set)
    _images: dict[int, np.ndarray] = field(default_factory=dict)
    _seq: int = 0
    _t0: float = 0.0
    _x_offset: float | None = None
    _focus: Target | None = None
    _secret_runs: int = 0
    _titles: WindowTitles | None = None  # used under _lock only: one X connection for the listener threads

    def start(self) -> Recorder:
        """Create the demo folder and start listening."""
        display = self.display or os.environ.get("DISPLAY", "")
        os.environ["DISPLAY"] = display
        self.demo = self.store.create(self.name, self.task, {"display": display}, replace_old=self.replace_old)
        self.parser = self.parser or ScreenParser(incremental=False)  # every frame read whole: labels stay right
        self._t0 = time.monotonic()
        self._titles = WindowTitles(display)
        self._frames = FrameBuffer(display, self.demo.folder, self._t0, self.monitor).start()
        self._worker = threading.Thread(target=self._ground_steps, name="recorder-steps", daemon=True)
        self._worker.start()
        from pynput import keyboard, mouse

        self._listeners = [_timed(mouse.Listener)(on_click=self._on_click, on_scroll=self._on_scroll),
                           _timed(keyboard.Listener)(on_press=self._on_press, on_release=self._on_release)]
        for listener in self._listeners:
            listener.start()
        for listener in self._listeners:
            listener.wait()
        return self

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the stop keys are pressed or ``stop()`` is called; False if ``timeout`` passed first."""
        return self.stopped.wait(timeout)

    def stop(self, timeout: float = 120.0, interrupted: bool = False) -> Demo:
        """Stop listening, ground the steps still open, and mark the demo complete.

        ``interrupted``: the recording was ended with Ctrl-C, whose keys are then not part of the demo.
        """
        self.stopped.set()
        for listener in self._listeners:
            listener.stop()
        for listener in self._listeners:
            if listener is not threading.current_thread():  # the stop keys end it from the keyboard listener
                listener.join(0.5)
                if listener.is_alive():
                    _end_recording_context(listener)
                    listener.join(5.0)
        self._queue.put(None)
        if self._worker is not None:
            self._worker.join(timeout)
        if self._frames is not None:
            self._frames.stop()
        with self._lock:
            if self._titles is not None:
                self._titles.close()
        assert self.demo is not None
        if interrupted and self.steps and self.steps[-1].kind == "key" and self.steps[-1].keys == ("ctrl", "c"):
            self.steps.pop()
        self.demo.steps = list(self.steps)
        self.demo.meta.update(complete=True, events=self._seq, seconds=round(time.monotonic() - self._t0, 1))
        self.demo.save()
        return self.demo

    # -- events: written the moment they happen
    def _emit(self, ev: Event, listener: Any) -> None:
        received = time.monotonic() - self._t0
        server_ms = getattr(listener, "event_time", None)
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
            f = shot.frame
            title = self._titles.at(ev["x"], ev["y"]) if "x" in ev else self._titles.active()
            ev = {"seq": self._seq, "t": round(t, 4), **ev, "shot": shot.file,
                  "frame": [f.left, f.top, f.width, f.height, f.scale], "window": title}
            append_line(self.demo.folder / "events.jsonl", ev)
            if "x" in ev:
                self._images[self._seq] = shot.image
        self.on_event(ev)
        self._queue.put(ev)

    def _on_click(self, x: int, y: int, button: Any, pressed: bool) -> None:
        name = getattr(button, "name", "")
        if name in ("left", "right", "middle"):
            self._emit({"kind": "mouse_down" if pressed else "mouse_up", "x": x, "y": y, "button": name},
                       self._listeners[0])

    def _on_scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self._emit({"kind": "scroll", "x": x, "y": y, "dx": dx, "dy": dy}, self._listeners[0])

    def _on_press(self, key: Any) -> None:
        name = key_name(key)
        ev: Event = {"kind": "key_down", "key": name}
        if name in MODIFIERS:
            self._held.add(name)
        elif name and name.lower() == self.stop_keys[-1] and set(self.stop_keys[:-1]) <= self._held:
            ev["stop"] = True
        self._emit(ev, self._listeners[1])
        if ev.get("stop"):
            self.stopped.set()

    def _on_release(self, key: Any) -> None:
        name = key_name(key)
        self._held.discard(name)
        self._emit({"kind": "key_up", "key": name}, self._listeners[1])

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
        """The step with what it pointed at (or, for typing, whether it went into a password field)."""
        step, n = built.step, len(self.steps) + 1
        shot = built.start.get("shot", "")
        if step.kind == "type" and self._focus is not None and looks_secret(self._focus):
            self._mask(set(built.events))
            self._secret_runs += 1
            param = "password" if self._secret_runs == 1 else f"password{self._secret_runs}"
            self.demo.params[param] = ""
            return replace(step, text=f"{{{param}}}", secret=True, screenshot=shot)
        if step.kind in ("type", "key"):
            return replace(step, screenshot=shot)
        image = self._images.pop(built.start.get("seq", -1), None)
        for seq in built.events:
            self._images.pop(seq, None)
        if image is None:
            image = load_png(self.demo.folder / shot)
        frame = Frame(*built.start["frame"])
        screen = self.parser.parse(image)
        target = self._target(screen, image, frame, step.x, step.y, f"crops/step_{n}.png")
        to_target = None
        if step.kind == "drag":
            to_target = self._target(screen, image, frame, step.to_x, step.to_y, f"crops/step_{n}_to.png")
        if step.kind == "click":
            self._focus = target
        return replace(step, target=target, to_target=to_target, screenshot=shot)

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


def _end_recording_context(listener: Any) -> None:
    """pynput's X listener asks the server to stop recording on the very connection its thread is blocked reading,
    so the request may wait there until the next input event; a listener still running then talks to the X server
    after the recording ended (and to a virtual display that is gone). Sent on its other connection (the one
    pynput itself ends the context with), the request is flushed at once and the listener's thread returns."""
    conn, context = getattr(listener, "_display_stop", None), getattr(listener, "_context", None)
    if conn is None or context is None:
        return
    with contextlib.suppress(Exception):  # the listener finished meanwhile and closed that connection: nothing to end
        conn.record_disable_context(context)
        conn.flush()


def _timed(listener_class: type) -> type:
    """A pynput listener that keeps the X server time of the event it is handling (its callbacks lack it)."""

    class Timed(listener_class):  # type: ignore[misc, valid-type]
        event_time: int | None = None

        def _handle_message(self, display: Any, event: Any, injected: Any) -> None:  # pynput's X backend hook
            self.event_time = getattr(event, "time", None)
            super()._handle_message(display, event, injected)

    return Timed


def key_name(key: Any) -> str:
    """A pynput key as DeskPilot names it: a character ('a', 'A', ' '), or 'enter', 'ctrl', 'shift', 'f5' ..."""
    char = getattr(key, "char", None)
    if char is not None:
        if len(char) == 1 and ord(char) < 32:  # ctrl held turns letters into control characters on some layouts
            return chr(ord(char) + 96)
        return char
    name = getattr(key, "name", None)
    if name is None:
        vk = getattr(key, "vk", None)
        return chr(vk) if isinstance(vk, int) and 32 <= vk < 127 else ""
    if name == "space":
        return " "
    base = name[:-2] if name.endswith(("_l", "_r")) else name
    return KEY_NAMES.get(base, base)


def looks_secret(target: Target) -> bool:
    """Whether a field is for a password (planner.secrets' rule: its role, label or accessible name says so)."""
    return field_is_secret(target) or names_a_secret(target.text)


def rebuild(demo: Demo) -> Demo:
    """Merge and ground a recording's steps again from its events (a recording that crashed before stop())."""
    lines = (demo.folder / "events.jsonl").read_text(encoding="utf-8").splitlines()
    events = sorted((json.loads(line) for line in lines if line.strip()), key=lambda e: (e["t"], e["seq"]))
    (demo.folder / "steps.jsonl").write_text("", encoding="utf-8")
    rec = Recorder(demo.name, demo.task, parser=ScreenParser(incremental=False), demo=demo)
    for built in build_all(events):
        rec._add(built)
    demo.steps = list(rec.steps)
    demo.meta.update(complete=True, events=len(events))
    demo.save()
    return demo
