"""The recorder's ears: pynput's mouse and keyboard listeners in a child process started with $DISPLAY set to the
recorded display. pynput's X backend reads $DISPLAY and nothing else, so this keeps the recording process's own
environment untouched: after a recording, runs still work on the display they are configured for.

The child writes one JSON line per input event on stdout, with the X server's time of the event, after a first
``{"kind": "ready"}`` line once both listeners are up; it ends when its stdin closes (the parent stopped, or died).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import IO, Any

KEY_NAMES = {"esc": "escape", "page_up": "pageup", "page_down": "pagedown", "caps_lock": "capslock",
             "print_screen": "printscreen", "cmd": "super", "alt_gr": "alt", "return": "enter"}
READY_S = 30.0  # a loaded machine can take this long to start Python and pynput


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


@dataclass
class InputListener:
    """The parent's side: start the child on ``display`` and hand each event dict to ``on_event`` (its thread)."""

    display: str
    on_event: Callable[[dict[str, Any]], None]
    process: subprocess.Popen | None = None
    _reader: threading.Thread | None = field(default=None, repr=False)

    def start(self) -> InputListener:
        """Return once both listeners are up; RuntimeError with the child's own words when they cannot start."""
        env = {**os.environ, "DISPLAY": self.display}  # the child's environment, not ours
        self.process = subprocess.Popen([sys.executable, "-m", "app.record.listen"], env=env, text=True,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        start_new_session=True)  # Ctrl-C in the terminal is ours to handle
        first = _read_line(self.process.stdout, READY_S)
        if not first or json.loads(first).get("kind") != "ready":
            self.stop()
            raise RuntimeError(f"the input listener could not start on {self.display}: {self._why()}")
        self._reader = threading.Thread(target=self._read, name="recorder-input", daemon=True)
        self._reader.start()
        return self

    def _read(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        for line in self.process.stdout:
            if line.strip():
                self.on_event(json.loads(line))

    def _why(self) -> str:
        from app.desktop.processes import stop_group

        if self.process is None:
            return "it was not started"
        stop_group(self.process)
        err = (self.process.stderr.read() if self.process.stderr else "").strip().splitlines()
        return err[-1] if err else f"it exited with status {self.process.returncode}"

    def stop(self) -> None:
        """End the child (closing its stdin ends it; a child that hangs is killed) and its reader thread."""
        from app.desktop.processes import stop_group

        if self.process is None:
            return
        if self.process.stdin is not None and not self.process.stdin.closed:
            self.process.stdin.close()
        try:
            self.process.wait(3.0)
        except subprocess.TimeoutExpired:
            stop_group(self.process)
        if self._reader is not None and self._reader is not threading.current_thread():
            self._reader.join(3.0)
        for pipe in (self.process.stdout, self.process.stderr):
            if pipe is not None:
                pipe.close()
        self.process = None


def _read_line(pipe: IO[str] | None, timeout: float) -> str:
    """One line from ``pipe`` within ``timeout`` seconds ("" when none came)."""
    import select

    if pipe is None:
        return ""
    ready, _, _ = select.select([pipe], [], [], timeout)
    return pipe.readline() if ready else ""


def _timed(listener_class: type) -> type:
    """A pynput listener that keeps the X server time of the event it is handling (its callbacks lack it)."""

    class Timed(listener_class):  # type: ignore[misc, valid-type]
        event_time: int | None = None

        def _handle_message(self, display: Any, event: Any, injected: Any) -> None:  # pynput's X backend hook
            self.event_time = getattr(event, "time", None)
            super()._handle_message(display, event, injected)

    return Timed


def main() -> None:
    """The child: listen on $DISPLAY and print events until stdin closes."""
    from pynput import keyboard, mouse

    lock = threading.Lock()

    def emit(listener: Any, event: dict[str, Any]) -> None:
        with lock:
            print(json.dumps({**event, "server_ms": listener.event_time}), flush=True)

    def click(x: int, y: int, button: Any, pressed: bool) -> None:
        emit(mice, {"kind": "mouse_down" if pressed else "mouse_up", "x": x, "y": y,
                    "button": getattr(button, "name", "")})

    mice = _timed(mouse.Listener)(on_click=click, on_scroll=lambda x, y, dx, dy: emit(
        mice, {"kind": "scroll", "x": x, "y": y, "dx": dx, "dy": dy}))
    keys = _timed(keyboard.Listener)(on_press=lambda k: emit(keys, {"kind": "key_down", "key": key_name(k)}),
                                     on_release=lambda k: emit(keys, {"kind": "key_up", "key": key_name(k)}))
    for listener in (mice, keys):
        listener.start()
    for listener in (mice, keys):
        listener.wait()
    with lock:
        print(json.dumps({"kind": "ready"}), flush=True)
    sys.stdin.read()  # until the parent closes it
    os._exit(0)  # pynput's threads block in the X RECORD read until the next event: do not wait for them


if __name__ == "__main__":
    main()
