"""A virtual keyboard over zwp-virtual-keyboard-unstable-v1 that stays for the whole run.

It carries the standard US keymap, so every ASCII character is the key a person would press (Shift for
capitals) and clients map key codes as for a real keyboard: Chromium drops key codes it has no DOM code for,
and clients read a keymap once, not on every call as with a fresh wtype process (whose first keystroke a
client can drop while it is still taking in the new keymap). A character the US layout lacks (é, ö, emoji)
is put on a spare key (the keypad's, whose DOM codes Chromium treats as printable; F13 and up it does not),
and the extended keymap is given time to arrive. Modifiers are sent as state: wlroots does not derive them
from a virtual keyboard's keys.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from app.desktop.wayland.wire import Connection, WaylandError, pack

LETTERS = {**{c: 16 + i for i, c in enumerate("qwertyuiop")}, **{c: 30 + i for i, c in enumerate("asdfghjkl")},
           **{c: 44 + i for i, c in enumerate("zxcvbnm")}}
PLAIN = {**LETTERS, **{c: 2 + i for i, c in enumerate("1234567890")}, "-": 12, "=": 13, "[": 26, "]": 27,
         ";": 39, "'": 40, "`": 41, "\\": 43, ",": 51, ".": 52, "/": 53, " ": 57, "\n": 28, "\t": 15}
SHIFTED = {**{c.upper(): k for c, k in LETTERS.items()}, **dict(zip("!@#$%^&*()", range(2, 12), strict=True)),
           "_": 12, "+": 13, "{": 26, "}": 27, ":": 39, '"': 40, "~": 41, "|": 43, "<": 51, ">": 52, "?": 53}
NAMED = {"Return": 28, "Escape": 1, "Tab": 15, "BackSpace": 14, "Delete": 111, "Up": 103, "Down": 108,
         "Left": 105, "Right": 106, "Home": 102, "End": 107, "Prior": 104, "Next": 109, "Insert": 110,
         "Menu": 127, "Print": 99, "Caps_Lock": 58, "space": 57,
         **{f"F{i}": 58 + i for i in range(1, 11)}, "F11": 87, "F12": 88}
MODIFIERS = {"ctrl": 29, "shift": 42, "alt": 56, "super": 125}
MASKS = {29: 4, 42: 1, 56: 8, 125: 64}  # Control, Shift, Mod1, Mod4 in the pc keymap
ALIASES = {"control": "ctrl", "cmd": "super", "win": "super", "meta": "super", "logo": "super"}
# keys a US keyboard has but text never needs: where characters outside the layout go (XKB name, evdev code)
SPARE = [*zip(("KP7", "KP8", "KP9", "KPSU", "KP4", "KP5", "KP6", "KPAD", "KP1", "KP2", "KP3", "KP0", "KPDL"),
              range(71, 84), strict=True), ("LSGT", 86), ("KPMU", 55), ("KPDV", 98)]
KEYMAP_SETTLE = 0.15  # seconds a client gets to take in a new keymap before the next key


def keymap_text(extra: list[str]) -> str:
    """The US keymap, with each character of ``extra`` alone on a spare key."""
    spare = "".join(f'    override key <{SPARE[i][0]}> {{ type = "ONE_LEVEL", [ U{ord(ch):04X} ] }};\n'
                    for i, ch in enumerate(extra))
    return ('xkb_keymap {\n  xkb_keycodes { include "evdev+aliases(qwerty)" };\n'
            '  xkb_types { include "complete" };\n  xkb_compatibility { include "complete" };\n'
            f'  xkb_symbols {{\n    include "pc+us+inet(evdev)"\n{spare}  }};\n}};\n')


@dataclass
class VirtualKeyboard:
    """``type_text`` and ``press`` on the compositor at ``display``; key names as xdotool's (Return, Tab ...)."""

    display: str = ""
    delay: float = 0.012
    _conn: Connection | None = field(default=None, repr=False)
    _keyboard: int = 0
    _extra: list[str] = field(default_factory=list, repr=False)

    def open(self) -> VirtualKeyboard:
        conn = Connection(self.display).connect()
        try:
            seat = conn.bind("wl_seat", 1)
            manager = conn.bind("zwp_virtual_keyboard_manager_v1", 1)
        except WaylandError as exc:
            conn.close()
            raise WaylandError(f"{exc} Keyboard input needs a compositor with virtual-keyboard (sway, Hyprland, "
                               "labwc, river); on GNOME or KDE the desktop portal is used.") from None
        self._keyboard = conn.new_id()
        conn.request(manager, 0, pack("uu", seat, self._keyboard))
        self._conn = conn
        self._upload()
        return self

    def _upload(self) -> None:
        assert self._conn is not None
        data = keymap_text(self._extra).encode() + b"\0"
        fd = os.memfd_create("deskpilot-keymap", os.MFD_CLOEXEC)
        try:
            os.write(fd, data)
            self._conn.request_fd(self._keyboard, 0, pack("uu", 1, len(data)), fd)  # xkb_v1 format, (fd), size
        finally:
            os.close(fd)
        self._conn.roundtrip()
        time.sleep(KEYMAP_SETTLE)

    def _spare_code(self, ch: str) -> int:
        if ch not in self._extra:
            if len(self._extra) == len(SPARE):
                self._extra.clear()  # every spare key is taken: start again with this character alone
            self._extra.append(ch)
            self._upload()
        return SPARE[self._extra.index(ch)][1]

    def _key(self, code: int, pressed: bool) -> None:
        assert self._conn is not None
        stamp = int(time.monotonic() * 1000) & 0xFFFFFFFF
        self._conn.request(self._keyboard, 1, pack("uuu", stamp, code, 1 if pressed else 0))
        self._conn.roundtrip()

    def _modifiers(self, held: tuple[int, ...]) -> None:
        assert self._conn is not None
        mask = 0
        for m in held:
            mask |= MASKS[m]
        self._conn.request(self._keyboard, 2, pack("uuuu", mask, 0, 0, 0))  # depressed, latched, locked, group

    def _tap(self, code: int, held: tuple[int, ...] = ()) -> None:
        for m in held:
            self._key(m, True)
        if held:
            self._modifiers(held)
        self._key(code, True)
        self._key(code, False)
        for m in reversed(held):
            self._key(m, False)
        if held:
            self._modifiers(())

    def type_text(self, text: str) -> None:
        if self._conn is None:
            self.open()
        for ch in text:
            if ch in PLAIN:
                self._tap(PLAIN[ch])
            elif ch in SHIFTED:
                self._tap(SHIFTED[ch], (MODIFIERS["shift"],))
            else:
                self._tap(self._spare_code(ch))
            time.sleep(self.delay)

    def press(self, keys: tuple[str, ...], names: dict[str, str]) -> None:
        """Hold the modifiers among ``keys`` and tap the last one; ``names`` maps our key names to keysym names."""
        if self._conn is None:
            self.open()
        *mods, last = (ALIASES.get(k, k) for k in keys)
        if any(m not in MODIFIERS for m in mods):
            raise WaylandError(f"{'+'.join(keys)!r}: only ctrl, alt, shift and super can be held with a key.")
        held = tuple(MODIFIERS[m] for m in mods)
        name = names.get(last, last)
        if last in MODIFIERS:
            self._tap(MODIFIERS[last], held)
        elif name in NAMED:
            self._tap(NAMED[name], held)
        elif len(last) == 1 and last.lower() in PLAIN:
            self._tap(PLAIN[last.lower()], held)
        elif len(last) == 1 and last in SHIFTED:
            self._tap(SHIFTED[last], (*held, MODIFIERS["shift"]))
        else:
            raise WaylandError(f"There is no key called {last!r}; use a character or a name such as enter, tab, "
                               "f5 or pagedown.")

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.request(self._keyboard, 3)
                self._conn.roundtrip()
            except (WaylandError, OSError):
                pass  # the compositor may be gone already
            self._conn.close()
            self._conn = None
