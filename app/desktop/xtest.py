"""Mouse and keyboard through the X server's XTest extension, on a display named by the caller.

The driver opens its own connection to ``display``: nothing reads or changes this process's $DISPLAY, so runs on
several displays (the app's screen, a second one, virtual ones one after another) each get their input where
they asked for it. Characters the keyboard map lacks are typed on spare keys (keys with no symbol), given them for
the length of the text and given back after.
With a RunControl every press goes through app.desktop.keyguard: it waits while the person holds a key, and a stop
releases whatever the agent holds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from app.desktop.input import BUTTON_NUMBERS, XDOTOOL_KEYS, InputError

# DeskPilot's key names as X keysym names, where they differ from xdotool's short forms
KEYSYM_NAMES = {**XDOTOOL_KEYS, "ctrl": "Control_L", "alt": "Alt_L", "shift": "Shift_L", "super": "Super_L",
                "cmd": "Super_L", "meta": "Meta_L", "win": "Super_L", "esc": "Escape", "return": "Return"}
CLICK_GAP = 0.05  # seconds between the clicks of a double click (inside every toolkit's double-click time)
REMAP_SETTLE = 0.1  # seconds a changed keyboard map is left alone before its keys are typed, and after


@dataclass
class XTestDriver:
    """An ``InputDriver`` on ``display`` (":1"; None: the server $DISPLAY named when the driver was made)."""

    display: str | None = None
    control: Any = None  # planner.control.RunControl: input gives way to the person's keys and stops with the run
    fake_input: Callable[..., None] | None = None  # Xlib.ext.xtest.fake_input, or the guard's
    key_interval: float = 0.008  # seconds between typed characters: faster than the application reads them, keys
    # pile up in its queue and keep arriving after a stop (Chromium took 2,400 more with none)
    _x: Any = field(default=None, repr=False)
    _guard: Any = field(default=None, repr=False)

    def _conn(self) -> Any:
        if self._x is None:
            from Xlib import error
            from Xlib.display import Display
            from Xlib.ext import xtest

            try:
                self._x = Display(self.display) if self.display else Display()
            except (error.DisplayError, error.ConnectionClosedError) as exc:
                raise InputError(f"Cannot send input to the display {self.display or '$DISPLAY'} ({exc}); start it, "
                                 "or choose another display.") from None
            if not self._x.has_extension("XTEST"):
                self._x.close()
                self._x = None
                raise InputError(f"The display {self.display} has no XTest extension; use the xdotool input driver.")
            if self.control is not None and self.fake_input is None:
                from app.desktop.keyguard import KeyGuard

                self._guard = KeyGuard(self.control)
                self.fake_input = self._guard.fake_input
            self.fake_input = self.fake_input or xtest.fake_input
        return self._x

    def _send(self, kind: int, detail: int = 0, **where: int) -> None:
        x = self._conn()
        assert self.fake_input is not None
        self.fake_input(x, kind, detail, **where)

    def _flush(self) -> None:
        self._conn().sync()  # the server has the events before the step's settle wait starts

    def close(self) -> None:
        if self._x is not None:
            if self._guard is not None:
                self._guard.release_all(self._x)
            self._x.close()
            self._x = None

    def move(self, x: int, y: int) -> None:
        from Xlib import X

        self._send(X.MotionNotify, x=int(x), y=int(y))
        self._flush()

    def click(self, x: int, y: int, button: str = "left", count: int = 1, hold: tuple[str, ...] = ()) -> None:
        """Click ``count`` times; ``hold`` (e.g. ("ctrl",)) stays down around the clicks and comes up after."""
        from Xlib import X

        self.move(x, y)
        held = [self._keycode(k) for k in hold]
        for code in held:
            self._send(X.KeyPress, code)
        number = BUTTON_NUMBERS[button]
        try:
            for i in range(count):
                if i:
                    time.sleep(CLICK_GAP)
                self._send(X.ButtonPress, number)
                self._send(X.ButtonRelease, number)
                self._flush()
        finally:
            for code in reversed(held):
                self._send(X.KeyRelease, code)
            self._flush()

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None:
        from Xlib import X

        self.move(x, y)
        self._send(X.ButtonPress, 1)
        steps = 8  # toolkits start a drag only after the pointer moved with the button down
        for i in range(1, steps + 1):
            self.move(round(x + (to_x - x) * i / steps), round(y + (to_y - y) * i / steps))
            time.sleep(0.01)
        self._send(X.ButtonRelease, 1)
        self._flush()

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        from Xlib import X

        self.move(x, y)
        for button, clicks in ((4 if dy > 0 else 5, abs(dy)), (7 if dx > 0 else 6, abs(dx))):
            for _ in range(clicks):
                self._send(X.ButtonPress, button)
                self._send(X.ButtonRelease, button)
        self._flush()

    def type_text(self, text: str) -> None:
        """Each character on the key that carries it (with Shift when it is that key's second symbol)."""
        plan = [self._key_for(ch) for ch in text]
        missing = sorted({ch for ch, key in zip(text, plan) if key is None})  # none of this map's keys has them
        if missing:
            with self._spare_keys(missing) as lent:
                self._type_plan([key or (lent[ch], False) for ch, key in zip(text, plan)])
        else:
            self._type_plan(plan)  # type: ignore[arg-type]

    def _type_plan(self, plan: list[tuple[int, bool]]) -> None:
        for keycode, shifted in plan:
            self._tap(keycode, shifted)
            self._flush()
            time.sleep(self.key_interval)

    @contextmanager
    def _spare_keys(self, chars: list[str]) -> Iterator[dict[str, int]]:
        """A spare key (one with no symbol) for each of ``chars``, all given at once and left alone while they are
        typed, then given back. An application reads a changed map when it next handles an event, not when the
        map changed: xdotool gives one key each character in turn, and under load a Qt field read "é" on the map
        already giving that key "€"."""
        x = self._conn()
        first = x.display.info.min_keycode
        mapping = x.get_keyboard_mapping(first, x.display.info.max_keycode - first + 1)
        spare = [first + i for i, symbols in enumerate(mapping) if not any(symbols)]
        if len(spare) < len(chars):
            raise InputError(f"The keyboard map of {self.display or '$DISPLAY'} has {len(spare)} free keys and the "
                             f"text needs {len(chars)} characters it lacks; type it in parts.")
        lent = dict(zip(chars, spare))
        levels = len(mapping[0])
        for ch, keycode in lent.items():
            x.change_keyboard_mapping(keycode, [(_char_keysym(ch),) * levels])
        x.sync()
        time.sleep(REMAP_SETTLE)
        try:
            yield lent
        finally:
            time.sleep(REMAP_SETTLE)  # the last keys are read with the map they were typed on
            for keycode in lent.values():
                x.change_keyboard_mapping(keycode, [(0,) * levels])
            x.sync()

    def press(self, keys: tuple[str, ...]) -> None:
        """A key or a chord: the keys go down in order and come up in reverse."""
        from Xlib import X

        codes = [self._keycode(k) for k in keys]
        for code in codes:
            self._send(X.KeyPress, code)
        for code in reversed(codes):
            self._send(X.KeyRelease, code)
        self._flush()

    def _tap(self, keycode: int, shifted: bool) -> None:
        from Xlib import X

        shift = self._keycode("shift") if shifted else 0
        if shift:
            self._send(X.KeyPress, shift)
        self._send(X.KeyPress, keycode)
        self._send(X.KeyRelease, keycode)
        if shift:
            self._send(X.KeyRelease, shift)

    def _key_for(self, ch: str) -> tuple[int, bool] | None:
        """The key and the Shift state that type ``ch`` on this server's keyboard map; None when none does."""
        from Xlib import XK

        special = {"\n": "Return", "\t": "Tab", " ": "space"}
        keysym = XK.string_to_keysym(special[ch]) if ch in special else _char_keysym(ch)
        for keycode, index in self._conn().keysym_to_keycodes(keysym):
            if index in (0, 1):
                return keycode, index == 1
        return None

    def _keycode(self, name: str) -> int:
        from Xlib import XK

        keysym_name = KEYSYM_NAMES.get(name.lower(), name)
        if len(keysym_name) == 1:
            found = self._key_for(keysym_name)
            if found is not None:
                return found[0]
        elif keysym_name.lower().startswith("f") and keysym_name[1:].isdigit():
            keysym_name = keysym_name.upper()
        code = self._conn().keysym_to_keycode(XK.string_to_keysym(keysym_name))
        if not code:
            raise InputError(f"The keyboard of {self.display or '$DISPLAY'} has no key {name!r}.")
        return code


def _char_keysym(ch: str) -> int:
    """X keysyms equal Latin-1 code points; every other Unicode character is 0x01000000 plus its code point."""
    point = ord(ch)
    return point if 0x20 <= point <= 0x7E or 0xA0 <= point <= 0xFF else 0x01000000 + point
