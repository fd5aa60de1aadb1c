"""The agent's synthetic input gives way to the person's keyboard.

Before every key or button press the agent sends, the X server's key state is read (XQueryKeymap) while the server
is grabbed, so no other client's input can slip in between the look and the press; while any key is down that the
agent did not press itself (a modifier the person holds, the first key of the stop chord), the press waits, and a
stop ends the wait at once. Every key and button the agent holds is tracked, so a stop releases them all: nothing
the agent types ever combines with the person's keys into a shortcut.

The XTest driver (app.desktop.xtest) sends all its input through ``Xlib.ext.xtest.fake_input``;
``KeyGuard.fake_input`` stands in for that one call. The xdotool driver, whose input is sent by another process,
waits for a clear keyboard before each of its calls instead (``wait_clear``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from planner.control import RunControl, Stopped


def foreign_keys(keymap: Any, held: set[int]) -> list[int]:
    """Keycodes down in an XQueryKeymap answer (32 bytes, one bit per keycode) that are not in ``held``."""
    down = []
    for index, byte in enumerate(keymap):
        for bit in range(8):
            if byte >> bit & 1 and index * 8 + bit not in held:
                down.append(index * 8 + bit)
    return down


@dataclass
class KeyGuard:
    """Wraps XTEST input for one run: waits while the person holds a key, stops on ``control``, tracks what is held."""

    control: RunControl
    poll: float = 0.005
    keys: set[int] = field(default_factory=set)
    buttons: set[int] = field(default_factory=set)
    _real: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self._real is None:
            from Xlib.ext.xtest import fake_input

            self._real = fake_input

    def fake_input(self, display: Any, event_type: int, detail: int = 0, **kwargs: Any) -> None:
        """``Xlib.ext.xtest.fake_input`` with the guard: presses wait for a keyboard the person is not using."""
        from Xlib import X

        if event_type in (X.KeyPress, X.ButtonPress):
            self._press(display, event_type, detail, kwargs)
        else:
            self._real(display, event_type, detail, **kwargs)
        held = self.keys if event_type in (X.KeyPress, X.KeyRelease) else self.buttons
        if event_type in (X.KeyPress, X.ButtonPress):
            held.add(detail)
        elif event_type in (X.KeyRelease, X.ButtonRelease):
            held.discard(detail)

    def _press(self, display: Any, event_type: int, detail: int, kwargs: dict[str, Any]) -> None:
        while True:
            self._stop_if_asked(display)
            display.grab_server()
            try:
                if not foreign_keys(display.query_keymap(), self.keys):
                    self._real(display, event_type, detail, **kwargs)
                    return
            finally:
                display.ungrab_server()
                display.flush()
            time.sleep(self.poll)  # the person is typing or holds a modifier: the agent waits its turn

    def wait_clear(self, display: Any) -> None:
        """Wait until no key is down (for input another process sends); a stop ends the wait."""
        while True:
            self._stop_if_asked(display)
            if not foreign_keys(display.query_keymap(), set()):
                return
            time.sleep(self.poll)

    def _stop_if_asked(self, display: Any) -> None:
        if self.control.stopped:
            self.release_all(display)
            raise Stopped(self.control.reason)

    def release_all(self, display: Any) -> None:
        """Release every key and button the agent holds (a stop mid-chord or mid-drag leaves nothing pressed)."""
        from Xlib import X

        for code in sorted(self.keys):
            self._real(display, X.KeyRelease, code)
        for button in sorted(self.buttons):
            self._real(display, X.ButtonRelease, button)
        self.keys.clear()
        self.buttons.clear()
        display.sync()
