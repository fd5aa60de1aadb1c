"""Input on wlroots compositors: our own virtual pointer and virtual keyboard, one of each for the whole run."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.desktop.input import XDOTOOL_KEYS, InputError
from app.desktop.wayland.keyboard import VirtualKeyboard
from app.desktop.wayland.pointer import VirtualPointer
from app.desktop.wayland.wire import WaylandError

SETTLE = 0.05  # seconds between arriving and pressing: a client that has just seen the pointer enter may drop a
# press that comes in the same instant (Chromium on a freshly mapped window)
KEYSYMS = {**XDOTOOL_KEYS, **{f"f{i}": f"F{i}" for i in range(1, 13)}}


@dataclass
class WlrootsDriver:
    """An InputDriver in logical layout pixels on the wlroots compositor at ``display`` (a WAYLAND_DISPLAY)."""

    display: str = ""
    _pointer: VirtualPointer | None = field(default=None, repr=False)
    _keyboard: VirtualKeyboard | None = field(default=None, repr=False)

    def _ptr(self) -> VirtualPointer:
        if self._pointer is None:
            try:
                self._pointer = VirtualPointer(self.display).open()
            except WaylandError as exc:
                raise InputError(str(exc)) from None
        return self._pointer

    def _do(self, action: str, *args: object) -> None:
        try:
            getattr(self._ptr(), action)(*args)
        except WaylandError as exc:
            self.close()
            raise InputError(str(exc)) from None

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None:
        self._do("move", x, y)
        time.sleep(SETTLE)
        for i in range(count):
            if i:
                time.sleep(0.05)
            self._do("button", button, True)
            self._do("button", button, False)

    def move(self, x: int, y: int) -> None:
        self._do("move", x, y)

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None:
        self._do("move", x, y)
        self._do("button", "left", True)
        steps = 8
        for i in range(1, steps + 1):
            self._do("move", x + (to_x - x) * i / steps, y + (to_y - y) * i / steps)
            time.sleep(0.01)
        self._do("button", "left", False)

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self._do("move", x, y)
        self._do("scroll", dx, dy)

    def type_text(self, text: str) -> None:
        self._keys("type_text", text)

    def press(self, keys: tuple[str, ...]) -> None:
        self._keys("press", keys, KEYSYMS)

    def _keys(self, action: str, *args: object) -> None:
        try:
            if self._keyboard is None:
                self._keyboard = VirtualKeyboard(self.display).open()
            getattr(self._keyboard, action)(*args)
        except WaylandError as exc:
            self.close()
            raise InputError(str(exc)) from None

    def close(self) -> None:
        for device in (self._pointer, self._keyboard):
            if device is not None:
                device.close()
        self._pointer = self._keyboard = None
