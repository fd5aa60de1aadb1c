"""Stop from anywhere: a global hotkey grabbed on the X server and the screen-corner fail-safe (pointer polled).

The hotkey is a real grab (XGrabKey on the root window, with every Caps Lock / Num Lock variant), so the chord's
last key goes to DeskPilot alone and never reaches the application under the agent; the agent's own input waits
from the chord's first modifier on (app.desktop.keyguard). Both call ``on_stop`` on their own thread; the callback
should only set a flag (``RunControl.stop``), so a run ends within a keystroke whatever the GUI thread is doing.
"""

from __future__ import annotations

import os
import select
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

DEFAULT_HOTKEY = "<ctrl>+<alt>+<shift>+s"
KEYSYMS = {"esc": "Escape", "escape": "Escape", "pause": "Pause", "space": "space", "tab": "Tab", "end": "End",
           "home": "Home", **{f"f{i}": f"F{i}" for i in range(1, 13)}}
MODIFIERS = ("ctrl", "alt", "shift", "super", "cmd")
MODIFIER_KEYSYMS = {"alt": ("Alt_L", "Alt_R", "Meta_L"), "super": ("Super_L", "Super_R"),
                    "cmd": ("Super_L", "Super_R"), "numlock": ("Num_Lock",)}


class StopperError(RuntimeError):
    """The hotkey or the fail-safe could not be set up; the message says why and what to do."""


def hotkey_label(hotkey: str) -> str:
    """``<ctrl>+<alt>+s`` -> ``Ctrl+Alt+S``."""
    return "+".join(p.strip("<>").capitalize() for p in hotkey.split("+"))


def parse_hotkey(hotkey: str) -> tuple[list[str], str]:
    """``<ctrl>+<alt>+<shift>+s`` -> (["ctrl", "alt", "shift"], "s"); ValueError for anything else."""
    keys = [p.strip().lower().strip("<>") for p in hotkey.split("+") if p.strip()]
    mods = [k for k in keys if k in MODIFIERS]
    rest = [k for k in keys if k not in MODIFIERS]
    if len(rest) != 1 or not mods or not (len(rest[0]) == 1 or rest[0] in KEYSYMS):
        raise ValueError(f"{hotkey!r} is not modifiers plus one key, like {DEFAULT_HOTKEY}")
    return mods, rest[0]


@dataclass
class HotkeyStop:
    """Grabs ``hotkey`` (pynput syntax, e.g. ``<ctrl>+<alt>+<shift>+s``) on ``display`` for every application."""

    hotkey: str
    on_stop: Callable[[str], None]
    display: str = ""
    _x: Any = field(default=None, repr=False)
    _grabs: list[tuple[int, int]] = field(default_factory=list, repr=False)
    _thread: threading.Thread | None = field(default=None, repr=False)
    _wake: tuple[int, int] | None = field(default=None, repr=False)
    _keycode: int = 0

    def start(self) -> HotkeyStop:
        display = self.display or os.environ.get("DISPLAY", "")
        if not display:
            raise StopperError("The stop hotkey needs an X display; set DISPLAY or use the Stop button.")
        from app.desktop.xvfb import display_answers

        if not display_answers(display):
            raise StopperError(f"The display {display} does not answer, so no hotkey can be registered there; "
                               "use the Stop button.")
        try:
            mods, key = parse_hotkey(self.hotkey)
        except ValueError as exc:
            raise StopperError(f"The stop hotkey cannot be registered: {exc}.") from None
        from Xlib.display import Display

        self._x = Display(display)
        try:
            self._grab(mods, key)
        except StopperError:
            self._x.close()
            self._x = None
            raise
        self._wake = os.pipe()
        self._thread = threading.Thread(target=self._listen, name="stop-hotkey", daemon=True)
        self._thread.start()
        return self

    def _grab(self, mods: list[str], key: str) -> None:
        from Xlib import XK, X, error

        x = self._x
        keycode = x.keysym_to_keycode(XK.string_to_keysym(KEYSYMS.get(key, key)))
        if not keycode:
            raise StopperError(f"The stop hotkey {self.hotkey!r} names a key this keyboard does not have.")
        masks = _modifier_masks(x)
        wanted = 0
        for mod in mods:
            if mod not in masks:
                raise StopperError(f"The stop hotkey {self.hotkey!r} needs {mod}, which this keyboard lacks.")
            wanted |= masks[mod]
        numlock = masks.get("numlock", 0)
        root = x.screen().root
        catch = error.CatchError(error.BadAccess)
        for extra in {0, X.LockMask, numlock, X.LockMask | numlock}:  # Caps Lock or Num Lock on: still the chord
            root.grab_key(keycode, wanted | extra, False, X.GrabModeAsync, X.GrabModeAsync, onerror=catch)
            self._grabs.append((keycode, wanted | extra))
        x.sync()
        if catch.get_error():
            self._ungrab()
            raise StopperError(f"The stop hotkey {hotkey_label(self.hotkey)} is already taken by another program; "
                               "choose another ([app] hotkey, or Settings in the app).")
        self._keycode = keycode

    def _listen(self) -> None:
        from Xlib import X
        from Xlib.error import ConnectionClosedError

        x, wake = self._x, self._wake
        assert x is not None and wake is not None
        try:
            while True:
                ready, _, _ = select.select([x.fileno(), wake[0]], [], [], 1.0)
                if wake[0] in ready:
                    return
                while x.pending_events():
                    event = x.next_event()
                    if event.type == X.KeyPress and event.detail == self._keycode:
                        self.on_stop(f"Stopped with the hotkey {hotkey_label(self.hotkey)}.")
        except ConnectionClosedError:
            return  # the display went away (a virtual one stopped first): there is no key left to listen for

    def _ungrab(self) -> None:
        root = self._x.screen().root
        for keycode, mask in self._grabs:
            root.ungrab_key(keycode, mask)
        self._grabs.clear()
        self._x.sync()

    def stop(self) -> None:
        """Let go of the chord and end the listening thread."""
        if self._thread is not None and self._wake is not None:
            os.write(self._wake[1], b"x")
            self._thread.join(timeout=2.0)
            self._thread = None
            for fd in self._wake:
                os.close(fd)
            self._wake = None
        if self._x is not None:
            try:
                self._ungrab()
            except Exception:  # the display went away first: the server dropped our grabs with the connection
                pass
            self._x.close()
            self._x = None


def _modifier_masks(x: Any) -> dict[str, int]:
    """Which modifier bit holds ctrl, shift, alt, super and Num Lock on this server's keyboard map."""
    from Xlib import XK, X

    masks = {"ctrl": X.ControlMask, "shift": X.ShiftMask}
    bits = (X.ShiftMask, X.LockMask, X.ControlMask, X.Mod1Mask, X.Mod2Mask, X.Mod3Mask, X.Mod4Mask, X.Mod5Mask)
    for index, keycodes in enumerate(x.get_modifier_mapping()):
        for name, keysyms in MODIFIER_KEYSYMS.items():
            codes = {x.keysym_to_keycode(XK.string_to_keysym(k)) for k in keysyms} - {0}
            if codes & set(keycodes) and name not in masks:
                masks[name] = bits[index]
    return masks


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
        visits = CornerVisits()
        try:
            while not self._quit.wait(self.interval):
                p = root.query_pointer()
                corner = in_corner(p.root_x, p.root_y, w, h, self.margin)
                if visits.arrived(corner, self._agent_aims_there(w, h)):
                    self.on_stop(f"Stopped: the pointer went to the {corner} corner.")
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


@dataclass
class CornerVisits:
    """Turns pointer polls into stop requests: one per visit to a corner the person pushed the pointer into.

    A pointer already in a corner when watching starts, or put there by the agent's own action, is no request:
    it has to leave the corner and come back."""

    armed: bool | None = None  # None until the first poll

    def arrived(self, corner: str, agent_aims_there: bool) -> bool:
        """True when this poll is a new visit to ``corner`` ("" for none) by the person."""
        if self.armed is None or agent_aims_there:
            self.armed = not corner
            return False
        if not corner:
            self.armed = True
            return False
        fire, self.armed = self.armed, False
        return fire


def in_corner(x: float, y: float, width: int, height: int, margin: int) -> str:
    """Which corner (``top-left`` ...) the point is in, or ""."""
    left, right = x <= margin, x >= width - 1 - margin
    top, bottom = y <= margin, y >= height - 1 - margin
    if (left or right) and (top or bottom):
        return f"{'top' if top else 'bottom'}-{'left' if left else 'right'}"
    return ""
