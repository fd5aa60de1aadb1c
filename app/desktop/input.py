"""Input drivers: pyautogui (XTest) by default, xdotool as the fallback; both act in logical screen pixels."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
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
class PyAutoGuiDriver:
    """Mouse and keyboard through pyautogui on ``display`` (imported lazily: it binds to DISPLAY on import)."""

    display: str | None = None
    interval: float = 0.0
    _gui: Any = field(default=None, repr=False)
    _xdisplay: Any = field(default=None, repr=False)

    def _pg(self) -> Any:
        if self._gui is None:
            saved = os.environ.get("DISPLAY")
            if self.display:
                os.environ["DISPLAY"] = self.display  # pyautogui connects to $DISPLAY when first imported
            try:
                import pyautogui
            except Exception as exc:
                raise InputError(f"pyautogui cannot reach the display ({exc}); use --headless or the xdotool "
                                 "driver.") from exc
            finally:
                if saved is None:
                    os.environ.pop("DISPLAY", None)
                else:
                    os.environ["DISPLAY"] = saved
            pyautogui.FAILSAFE = False  # the agent's own stop control handles this; corners are valid targets
            pyautogui.PAUSE = 0.0
            self._gui = pyautogui
            if self.display and hasattr(pyautogui, "_pyautogui_x11"):
                from Xlib.display import Display

                self._xdisplay = Display(self.display)
        if self._xdisplay is not None:
            # pyautogui opens one X connection at import; point it at this driver's display for every call so
            # several displays (parallel runs, one virtual display after another) each get their own input
            self._gui._pyautogui_x11._display = self._xdisplay
        return self._gui

    def close(self) -> None:
        if self._xdisplay is not None:
            self._xdisplay.close()
            self._xdisplay = None

    def click(self, x: int, y: int, button: str = "left", count: int = 1, hold: tuple[str, ...] = ()) -> None:
        pg = self._pg()
        pg.moveTo(x, y)
        with pg.hold([{"super": "win", "cmd": "command"}.get(k, k) for k in hold]):
            pg.click(x, y, clicks=count, interval=0.05, button=button)

    def move(self, x: int, y: int) -> None:
        self._pg().moveTo(x, y)

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None:
        pg = self._pg()
        pg.moveTo(x, y)
        pg.mouseDown()
        steps = 8
        for i in range(1, steps + 1):
            pg.moveTo(x + (to_x - x) * i / steps, y + (to_y - y) * i / steps)
            time.sleep(0.01)
        pg.mouseUp()

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        pg = self._pg()
        pg.moveTo(x, y)
        if dy:
            pg.scroll(dy)
        if dx:
            pg.hscroll(dx)

    def type_text(self, text: str) -> None:
        pg = self._pg()
        if text.isascii():
            pg.write(text, interval=self.interval)
        else:
            XdotoolDriver(self.display).type_text(text)

    def press(self, keys: tuple[str, ...]) -> None:
        pg = self._pg()
        names = [{"super": "win", "cmd": "command"}.get(k, k) for k in keys]
        pg.hotkey(*names) if len(names) > 1 else pg.press(names[0])


@dataclass
class XdotoolDriver:
    """Mouse and keyboard through the xdotool command (works wherever xdotool and an X display do)."""

    display: str | None = None

    def _run(self, *args: str) -> None:
        if shutil.which("xdotool") is None:
            raise InputError("xdotool is not installed: run `make install` (or `apt-get install xdotool`).")
        env = {**os.environ, **({"DISPLAY": self.display} if self.display else {})}
        proc = subprocess.run(["xdotool", *args], env=env, capture_output=True, text=True, timeout=30)
        if proc.returncode != 0:
            raise InputError(f"xdotool failed: {proc.stderr.strip() or proc.returncode}")

    def click(self, x: int, y: int, button: str = "left", count: int = 1, hold: tuple[str, ...] = ()) -> None:
        keys = [XDOTOOL_KEYS.get(k, k) for k in hold]
        down = [a for k in keys for a in ("keydown", k)]
        up = [a for k in reversed(keys) for a in ("keyup", k)]
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
        """Nothing to release: every call is its own xdotool process."""


def make_driver(name: str, display: str | None) -> InputDriver:
    """'pyautogui' (default) or 'xdotool'."""
    if name == "xdotool":
        return XdotoolDriver(display)
    if name == "pyautogui":
        return PyAutoGuiDriver(display)
    raise InputError(f"Unknown input driver {name!r}; choose pyautogui or xdotool.")
