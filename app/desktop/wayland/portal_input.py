"""Input on GNOME and KDE Wayland through the portal's RemoteDesktop session, pointer placed on ScreenCast streams.

Absolute pointer motion needs a stream to be relative to, so the session also selects every monitor as a
ScreenCast source (nothing is recorded: only the streams' positions are used). The person allows it once; the
portal's restore token (RemoteDesktop version 2) is kept so later runs start without the dialog.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

from app.desktop.input import InputError
from app.desktop.wayland.pointer import BUTTONS
from app.desktop.wayland.portal import PERMISSION, Portal, PortalError, token_file

KEYBOARD, POINTER = 1, 2
MONITOR = 1
PERSIST_UNTIL_REVOKED = 2
KEYSYMS = {"Return": 0xFF0D, "Escape": 0xFF1B, "Tab": 0xFF09, "BackSpace": 0xFF08, "Delete": 0xFFFF,
           "Home": 0xFF50, "Left": 0xFF51, "Up": 0xFF52, "Right": 0xFF53, "Down": 0xFF54, "Prior": 0xFF55,
           "Next": 0xFF56, "End": 0xFF57, "Insert": 0xFF63, "Menu": 0xFF67, "Print": 0xFF61, "Caps_Lock": 0xFFE5,
           "space": 0x20, "ctrl": 0xFFE3, "shift": 0xFFE1, "alt": 0xFFE9, "super": 0xFFEB,
           **{f"F{i}": 0xFFBE + i - 1 for i in range(1, 13)}}
NAMES = {"enter": "Return", "escape": "Escape", "esc": "Escape", "tab": "Tab", "backspace": "BackSpace",
         "delete": "Delete", "up": "Up", "down": "Down", "left": "Left", "right": "Right", "home": "Home",
         "end": "End", "pageup": "Prior", "pagedown": "Next", "insert": "Insert", "menu": "Menu",
         "printscreen": "Print", "capslock": "Caps_Lock", "control": "ctrl", "cmd": "super", "win": "super",
         "meta": "super", **{f"f{i}": f"F{i}" for i in range(1, 13)}}


def char_keysym(ch: str) -> int:
    """The X keysym of a character: Latin-1 as itself, Return and Tab by name, the rest as Unicode keysyms."""
    special = {"\n": KEYSYMS["Return"], "\t": KEYSYMS["Tab"]}
    if ch in special:
        return special[ch]
    code = ord(ch)
    return code if 0x20 <= code <= 0x7E or 0xA0 <= code <= 0xFF else 0x01000000 + code


@dataclass(frozen=True, kw_only=True)
class Stream:
    """One monitor of the session: the node id the portal gave it and its place in logical pixels."""

    node: int
    left: int
    top: int
    width: int
    height: int


@dataclass
class PortalDriver:
    """An InputDriver over org.freedesktop.portal.RemoteDesktop, in logical desktop pixels."""

    display: str = ""
    portal: Portal = field(default_factory=Portal)
    _session: str = ""
    _streams: list[Stream] = field(default_factory=list)

    def _start(self) -> str:
        if self._session:
            return self._session
        version = self.portal.version("RemoteDesktop")
        if not version:
            raise InputError("This desktop's portal has no RemoteDesktop: install xdg-desktop-portal-gnome (GNOME) "
                             "or xdg-desktop-portal-kde (KDE); wlroots compositors use their own input instead.")
        saved = token_file().read_text().strip() if token_file().exists() else ""
        if not saved:
            print(PERMISSION, file=sys.stderr)
        try:
            self._session = self._open(version, saved)
        except PortalError as exc:
            raise InputError(str(exc)) from None
        return self._session

    def _open(self, version: int, saved: str) -> str:
        p = self.portal
        created = p.request("RemoteDesktop", "CreateSession", "a{sv}", (), {"session_handle_token": ("s", "dp")})
        session = str(created["session_handle"])
        devices: dict[str, Any] = {"types": ("u", KEYBOARD | POINTER)}
        if version >= 2:
            devices["persist_mode"] = ("u", PERSIST_UNTIL_REVOKED)
            if saved:
                devices["restore_token"] = ("s", saved)
        p.request("RemoteDesktop", "SelectDevices", "oa{sv}", (session,), devices)
        p.request("ScreenCast", "SelectSources", "oa{sv}", (session,),
                  {"types": ("u", MONITOR), "multiple": ("b", True)})
        started = p.request("RemoteDesktop", "Start", "osa{sv}", (session, ""), {})
        self._streams = [Stream(node=int(node), left=props.get("position", (0, 0))[0],
                                top=props.get("position", (0, 0))[1], width=props.get("size", (0, 0))[0],
                                height=props.get("size", (0, 0))[1]) for node, props in started.get("streams", [])]
        if started.get("restore_token"):
            token_file().parent.mkdir(parents=True, exist_ok=True)
            token_file().write_text(str(started["restore_token"]))
        return session

    def _notify(self, method: str, signature: str, *args: Any) -> None:
        session = self._start()
        try:
            self.portal.call("RemoteDesktop", method, "oa{sv}" + signature, session, {}, *args)
        except PortalError as exc:
            raise InputError(str(exc)) from None

    def move(self, x: int, y: int) -> None:
        self._start()
        stream = next((s for s in self._streams if s.left <= x < s.left + s.width and s.top <= y < s.top + s.height),
                      None)
        if stream is None:
            raise InputError(f"({x}, {y}) is on none of the monitors the portal shares; allow every monitor.")
        self._notify("NotifyPointerMotionAbsolute", "udd", stream.node, float(x - stream.left), float(y - stream.top))

    def click(self, x: int, y: int, button: str = "left", count: int = 1) -> None:
        self.move(x, y)
        for i in range(count):
            if i:
                time.sleep(0.05)
            self._notify("NotifyPointerButton", "iu", BUTTONS[button], 1)
            self._notify("NotifyPointerButton", "iu", BUTTONS[button], 0)

    def drag(self, x: int, y: int, to_x: int, to_y: int) -> None:
        self.move(x, y)
        self._notify("NotifyPointerButton", "iu", BUTTONS["left"], 1)
        for i in range(1, 9):
            self.move(round(x + (to_x - x) * i / 8), round(y + (to_y - y) * i / 8))
            time.sleep(0.01)
        self._notify("NotifyPointerButton", "iu", BUTTONS["left"], 0)

    def scroll(self, x: int, y: int, dx: int, dy: int) -> None:
        self.move(x, y)
        if dy:
            self._notify("NotifyPointerAxisDiscrete", "ui", 0, -dy)  # the portal counts down as positive
        if dx:
            self._notify("NotifyPointerAxisDiscrete", "ui", 1, dx)

    def _keysym(self, sym: int, pressed: bool) -> None:
        self._notify("NotifyKeyboardKeysym", "iu", sym, 1 if pressed else 0)

    def type_text(self, text: str) -> None:
        for ch in text:
            self._keysym(char_keysym(ch), True)
            self._keysym(char_keysym(ch), False)
            time.sleep(0.012)

    def press(self, keys: tuple[str, ...]) -> None:
        syms = [KEYSYMS.get(NAMES.get(k, k)) or (char_keysym(k) if len(k) == 1 else None) for k in keys]
        if None in syms:
            raise InputError(f"There is no key called {keys[syms.index(None)]!r}.")
        for sym in syms:
            self._keysym(int(sym), True)  # type: ignore[arg-type]
        for sym in reversed(syms):
            self._keysym(int(sym), False)  # type: ignore[arg-type]

    def close(self) -> None:
        if self._session:
            try:
                from jeepney import DBusAddress, new_method_call

                msg = new_method_call(DBusAddress(self._session, "org.freedesktop.portal.Desktop",
                                                  "org.freedesktop.portal.Session"), "Close")
                self.portal._bus().send_and_get_reply(msg, timeout=5)
            except (PortalError, OSError, TimeoutError):
                pass  # the session ends with our bus connection anyway
            self._session = ""
        self.portal.close()
