"""Input drivers: XTest (app.desktop.xtest) by default, xdotool as the fallback; both act in logical screen pixels
and name their display, never reading or changing this process's $DISPLAY."""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any, Protocol

XDOTOOL_KEYS = {"enter": "Return", "escape": "Escape", "tab": "Tab", "space": "space", "backspace": "BackSpace",
                "delete": "Delete", "up": "Up", "down": "Down", "left": "Left", "right": "Right", "home": "Home",
                "end": "End", "pageup": "Prior", "pagedown": "Next", "insert": "Insert", "ctrl": "ctrl",
                "alt": "alt", "shift": "shift", "super": "super", "cmd": "super", "meta": "meta",
                "capslock": "Caps_Lock", "menu": "Menu", "printscreen": "Print"}
BUTTON_NUMBERS = {"left": 1, "middle": 2, "right": 3}


class InputError(RuntimeError):
    """Input could not be sent; the message says what to install or change."""


class InputDriver(Protocol):
    def click(self, x: int, y: int, button: str = "left", count: int = 1, hold: tuple[str, ...] = ()) -> None: ...
    def move(self, x: int, y: int) -> None: ...
    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None: ...
    def scroll(self, x: int, y: int, dx: int, dy: int) -> None: ...
    def type_text(self, text: str) -> None: ...
    def press(self, keys: tuple[str, ...]) -> None: ...
    def close(self) -> None: ...


@dataclass
class XdotoolDriver:
    """Mouse and keyboard through the xdotool command (works wherever xdotool and an X display do).

    With ``control`` each call waits for a keyboard the person is not using (checked per call, not per key)."""

    display: str | None = None
    control: Any = None  # planner.control.RunControl
    _x: Any = field(default=None, repr=False)

    def _run(self, *args: str) -> None:
        if shutil.which("xdotool") is None:
            raise InputError("xdotool is not installed: run `make install` (or `apt-get install xdotool`).")
        if self.control is not None:
            from Xlib.display import Display

            from app.desktop.keyguard import KeyGuard

            self._x = self._x or Display(self.display or None)
            KeyGuard(self.control).wait_clear(self._x)
        env = {**os.environ, **({"DISPLAY": self.display} if self.display else {})}
        proc = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30)
        if proc.returncode != 0:
            raise InputError(f"xdotool failed: {proc.stderr.strip() or proc.returncode}")

    def click(self, x: int, y: int, button: str = "left", count: int = 1, hold: tuple[str, ...] = ()) -> None:
        down = [a for k in hold for a in ("keydown", XDOTOOL_KEYS.get(k, k))]
        up = [a for k in reversed(hold) for a in ("keyup", XDOTOOL_KEYS.get(k, k))]
        self._run("mousemove", "--sync", str(x), str(y), *down, "click", "--repeat", str(count), "--delay", "50",
                  str(BUTTON_NUMBERS[button]), *up)

    def move(self, x: int, y: int) -> None:
        self._run("mousemove", "--sync", str(x), str(y))

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None:
        self._run("mousemove", "--sync", str(x), str(y), "mousedown", "1", "mousemove", "--sync", str(to_x),
                  str(to_y), "mouseup", "1")

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        args = ["mousemove", "--sync", str(x), str(y)]
        if dy:
            args += ["click", "--repeat", str(abs(dy)), "4" if dy > 0 else "5"]
        if dx:
            args += ["click", "--repeat", str(abs(dx)), "7" if dx > 0 else "6"]
        self._run(*args)

    def type_text(self, text: str) -> None:
        self._run("type", "--delay", "12", "--", text)

    def press(self, keys: tuple[str, ...]) -> None:
        self._run("key", "--clearmodifiers", "+".join(XDOTOOL_KEYS.get(k, k) for k in keys))

    def close(self) -> None:
        """Nothing held to release (every call is its own xdotool process); the guard's connection closes."""
        if self._x is not None:
            self._x.close()
            self._x = None


def make_driver(name: str, display: str | None, control: Any = None) -> InputDriver:
    """'xtest' (default; 'pyautogui', its old name, still means it) or 'xdotool'; with ``control`` (a RunControl)
    input gives way to the person's keys (app.desktop.keyguard)."""
    if name == "xdotool":
        return XdotoolDriver(display, control)
    if name in ("xtest", "pyautogui"):
        from app.desktop.xtest import XTestDriver

        return XTestDriver(display, control=control)
    raise InputError(f"Unknown input driver {name!r}; choose xtest or xdotool.")
