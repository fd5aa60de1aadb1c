"""Stop from anywhere: a global hotkey (pynput) and the screen-corner fail-safe (the pointer polled over Xlib).

Both call ``on_stop`` on their own thread; the callback should only set a flag (``RunControl.stop``) so a run
ends within one typing chunk, whatever the GUI thread is doing.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

_retired: set[int | None] = set()
_default_hook = threading.excepthook


def _quiet_retired(args: threading.ExceptHookArgs) -> None:
    """pynput's X listener only notices a stop at its next key event; if the display goes away first, its thread
    dies with a closed connection. For a listener we already stopped that is expected, not worth a traceback."""
    closed = "ConnectionClosed" in type(args.exc_value).__name__
    if closed and args.thread is not None and args.thread.ident in _retired:
        return
    _default_hook(args)


threading.excepthook = _quiet_retired


class StopperError(RuntimeError):
    """The hotkey or the fail-safe could not be set up; the message says why and what to do."""


@dataclass
class HotkeyStop:
    """Listens for ``hotkey`` (pynput syntax, e.g. ``<ctrl>+<alt>+s``) on ``display`` from any application."""

    hotkey: str
    on_stop: Callable[[str], None]
    display: str = ""
    _listener: Any = field(default=None, repr=False)

    def start(self) -> HotkeyStop:
        display = self.display or os.environ.get("DISPLAY", "")
        if not display:
            raise StopperError("The stop hotkey needs an X display; set DISPLAY or use the Stop button.")
        from app.desktop.xvfb import display_answers

        if not display_answers(display):
            raise StopperError(f"The display {display} does not answer, so no hotkey can be registered there; "
                               "use the Stop button.")
        saved = os.environ.get("DISPLAY")
        os.environ["DISPLAY"] = display  # pynput's X backend binds to $DISPLAY when it is imported and started
        try:
            from pynput import keyboard

            keyboard.HotKey.parse(self.hotkey)  # raises ValueError naming a key it does not know
            self._listener = keyboard.GlobalHotKeys({self.hotkey: self._fire})
            self._listener.start()
            self._wait_ready()
        except (ImportError, ValueError) as exc:
            raise StopperError(f"The stop hotkey {self.hotkey!r} cannot be registered ({exc}).") from None
        finally:
            if saved is None:
                os.environ.pop("DISPLAY", None)
            else:
                os.environ["DISPLAY"] = saved
        return self

    def _wait_ready(self, timeout: float = 5.0) -> None:
        """pynput's own wait() never returns when its thread dies on the way up (an X server that went away)."""
        deadline = time.monotonic() + timeout
        while not getattr(self._listener, "_ready", True):
            if not self._listener.is_alive() or time.monotonic() > deadline:
                self._listener.stop()
                self._listener = None
                raise StopperError("The stop hotkey could not listen to the keyboard (the X server refused or "
                                   "lacks the RECORD extension); use the Stop button.")
            time.sleep(0.02)

    def _fire(self) -> None:
        self.on_stop(f"Stopped with the hotkey {self.hotkey}.")

    def stop(self) -> None:
        if self._listener is not None:
            _retired.add(self._listener.ident)
            self._listener.stop()
            self._listener = None


@dataclass
class CornerStop:
    """Calls ``on_stop`` when the pointer sits within ``margin`` pixels of a screen corner the agent did not aim at.

    ``aimed`` returns the point the agent is moving to (or None); a corner the agent's own action targets is not
    a request to stop.
    """

    display: str
    on_stop: Callable[[str], None]
    aimed: Callable[[], tuple[float, float] | None] = lambda: None
    margin: int = 2
    interval: float = 0.03
    _thread: threading.Thread | None = field(default=None, repr=False)
    _quit: threading.Event = field(default_factory=threading.Event, repr=False)

    def start(self) -> CornerStop:
        from Xlib.display import Display

        try:
            xdisplay = Display(self.display or None)
        except Exception as exc:
            raise StopperError(f"The corner fail-safe cannot reach the display {self.display!r} ({exc}).") from None
        self._quit.clear()
        self._thread = threading.Thread(target=self._watch, args=(xdisplay,), name="corner-stop", daemon=True)
        self._thread.start()
        return self

    def _watch(self, xdisplay: Any) -> None:
        screen = xdisplay.screen()
        root, w, h = screen.root, screen.width_in_pixels, screen.height_in_pixels
        try:
            while not self._quit.wait(self.interval):
                p = root.query_pointer()
                corner = in_corner(p.root_x, p.root_y, w, h, self.margin)
                if corner and not self._agent_aims_there(w, h):
                    self.on_stop(f"Stopped: the pointer went to the {corner} corner.")
                    self._quit.wait(1.0)  # one stop per visit to the corner
        finally:
            xdisplay.close()

    def _agent_aims_there(self, w: int, h: int) -> bool:
        point = self.aimed()
        return point is not None and bool(in_corner(point[0], point[1], w, h, self.margin + 8))

    def stop(self) -> None:
        self._quit.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None


def in_corner(x: float, y: float, width: int, height: int, margin: int) -> str:
    """Which corner (``top-left`` ...) the point is in, or ""."""
    left, right = x <= margin, x >= width - 1 - margin
    top, bottom = y <= margin, y >= height - 1 - margin
    if (left or right) and (top or bottom):
        return f"{'top' if top else 'bottom'}-{'left' if left else 'right'}"
    return ""
