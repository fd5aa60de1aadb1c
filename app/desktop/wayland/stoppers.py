"""Stopping from anywhere on Wayland, where no client may grab keys or read the pointer on its own.

The hotkey goes through the portal's GlobalShortcuts (KDE Plasma, GNOME 48 and later): the desktop binds it
after asking the person once. The corner fail-safe needs the pointer's position, which only some compositors
tell (Hyprland's ``hyprctl cursorpos``); elsewhere it is off and the app's Stop button stays.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from app.desktop.stoppers import CornerVisits, StopperError, in_corner
from app.desktop.wayland.portal import Portal, PortalError

SHORTCUT_ID = "deskpilot-stop"
PORTAL_MODIFIERS = {"ctrl": "CTRL", "alt": "ALT", "shift": "SHIFT", "cmd": "LOGO", "super": "LOGO", "win": "LOGO"}


def portal_trigger(hotkey: str) -> str:
    """pynput's ``<ctrl>+<alt>+s`` in the shortcuts spec's form, ``CTRL+ALT+s``."""
    parts = [p.strip() for p in hotkey.split("+")]
    return "+".join(PORTAL_MODIFIERS.get(p.strip("<>"), p.strip("<>")) for p in parts)


@dataclass
class PortalHotkeyStop:
    """Calls ``on_stop`` when the desktop reports our GlobalShortcuts shortcut activated."""

    hotkey: str
    on_stop: Callable[[str], None]
    _thread: threading.Thread | None = field(default=None, repr=False)
    _quit: threading.Event = field(default_factory=threading.Event, repr=False)
    _ready: threading.Event = field(default_factory=threading.Event, repr=False)
    _error: str = ""

    def start(self, timeout: float = 130.0) -> PortalHotkeyStop:
        self._thread = threading.Thread(target=self._listen, name="portal-hotkey", daemon=True)
        self._thread.start()
        self._ready.wait(timeout)  # binding may wait on the person answering the desktop's dialog
        if self._error or not self._ready.is_set():
            self.stop()
            raise StopperError(self._error or "The desktop did not bind the stop hotkey in time; use the Stop button.")
        return self

    def _listen(self) -> None:
        from jeepney import MatchRule, message_bus

        portal = Portal()
        try:
            session = self._bind(portal)
            rule = MatchRule(type="signal", interface="org.freedesktop.portal.GlobalShortcuts", member="Activated")
            conn = portal._bus()
            conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=10)
            with conn.filter(rule) as queue:
                self._ready.set()
                while not self._quit.is_set():
                    try:
                        signal = conn.recv_until_filtered(queue, timeout=0.1)
                    except TimeoutError:
                        continue
                    if signal.body[0] == session and signal.body[1] == SHORTCUT_ID:
                        self.on_stop(f"Stopped with the hotkey {self.hotkey}.")
        except PortalError as exc:
            self._error = str(exc)
            self._ready.set()
        finally:
            portal.close()

    def _bind(self, portal: Portal) -> str:
        if not portal.version("GlobalShortcuts"):
            raise PortalError("This desktop's portal has no GlobalShortcuts (xdg-desktop-portal-wlr and GNOME before "
                              "48 lack it), so Wayland allows no global stop hotkey here; use the Stop button.")
        created = portal.request("GlobalShortcuts", "CreateSession", "a{sv}", (),
                                 {"session_handle_token": ("s", "dpstop")})
        session = str(created["session_handle"])
        shortcut: list[Any] = [(SHORTCUT_ID, {"description": ("s", "Stop DeskPilot"),
                                              "preferred_trigger": ("s", portal_trigger(self.hotkey))})]
        portal.request("GlobalShortcuts", "BindShortcuts", "oa(sa{sv})sa{sv}", (session, shortcut, ""), {})
        return session

    def stop(self) -> None:
        self._quit.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None


def hyprland_pointer() -> tuple[float, float]:
    """The pointer in logical layout pixels, as Hyprland tells it."""
    out = subprocess.run(["hyprctl", "cursorpos"], capture_output=True, text=True, timeout=2).stdout
    x, y = out.split(",")
    return float(x), float(y)


def pointer_reader(env: dict[str, str]) -> Callable[[], tuple[float, float]] | None:
    """How to read the pointer on this compositor, or None where it cannot be read (sway, GNOME, KDE)."""
    if env.get("HYPRLAND_INSTANCE_SIGNATURE") and shutil.which("hyprctl"):
        return hyprland_pointer
    return None


@dataclass
class PolledCornerStop:
    """The corner fail-safe with the pointer read through ``read`` over a layout ``box`` (left, top, w, h)."""

    read: Callable[[], tuple[float, float]]
    box: tuple[int, int, int, int]
    on_stop: Callable[[str], None]
    aimed: Callable[[], tuple[float, float] | None] = lambda: None
    margin: int = 2
    interval: float = 0.05
    _thread: threading.Thread | None = field(default=None, repr=False)
    _quit: threading.Event = field(default_factory=threading.Event, repr=False)

    def start(self) -> PolledCornerStop:
        self._thread = threading.Thread(target=self._watch, name="corner-stop", daemon=True)
        self._thread.start()
        return self

    def _watch(self) -> None:
        left, top, w, h = self.box
        visits = CornerVisits()
        while not self._quit.wait(self.interval):
            try:
                x, y = self.read()
            except (OSError, ValueError, subprocess.SubprocessError):
                continue  # one unreadable poll is no reason to stop watching
            corner = in_corner(x - left, y - top, w, h, self.margin)
            point = self.aimed()
            aimed_there = point is not None and bool(in_corner(point[0] - left, point[1] - top, w, h,
                                                               self.margin + 8))
            if visits.arrived(corner, aimed_there):
                self.on_stop(f"Stopped: the pointer went to the {corner} corner.")

    def stop(self) -> None:
        self._quit.set()
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
