"""The desktop-session seam: which desktop we are on (x11 | wlroots | gnome | kde), and for it the capture
source, the input driver and the outputs (positions, logical and physical sizes, scales).

The display string decides: ":N" is X11 and keeps mss and the XTest or xdotool driver; a Wayland socket whose
compositor offers wlr-screencopy and wlr-virtual-pointer is wlroots (grim, our virtual pointer, wtype); any
other Wayland compositor (GNOME's mutter, KDE's kwin) goes through the XDG desktop portal.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from app.desktop.display_env import is_wayland
from app.desktop.input import InputDriver, make_driver
from app.desktop.wayland.outputs import Output
from planner.protocols import ScreenSource

KINDS = ("x11", "wlroots", "gnome", "kde")
WLROOTS_GLOBALS = ("zwlr_screencopy_manager_v1", "zwlr_virtual_pointer_manager_v1")


def session_display(env: dict[str, str] | None = None) -> str:
    """The display this session works on: $WAYLAND_DISPLAY on a Wayland session (X11 tools there see only
    XWayland windows and capture black), else $DISPLAY; "" when there is neither."""
    env = os.environ if env is None else env
    if env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland":
        return env.get("WAYLAND_DISPLAY") or "wayland-0"
    return env.get("DISPLAY", "")


def desktop_of(env: dict[str, str] | None = None) -> str:
    """gnome, kde or "" from $XDG_CURRENT_DESKTOP (e.g. ``ubuntu:GNOME``, ``KDE``)."""
    names = (os.environ if env is None else env).get("XDG_CURRENT_DESKTOP", "").lower().split(":")
    if any(n in ("gnome", "gnome-classic", "gnome-flashback", "unity", "budgie") for n in names):
        return "gnome"
    return "kde" if "kde" in names else ""


_probed: dict[str, frozenset[str]] = {}


def _wayland_globals(display: str) -> frozenset[str]:
    """The globals the compositor at ``display`` offers (remembered once it has answered)."""
    from app.desktop.wayland.wire import Connection, WaylandError

    if display not in _probed:
        try:
            with Connection(display) as conn:
                _probed[display] = frozenset(conn.globals)
        except WaylandError:
            return frozenset()
    return _probed[display]


def session_kind(display: str, env: dict[str, str] | None = None) -> str:
    """x11, wlroots, gnome or kde for ``display``: a Wayland compositor is asked what it offers, so a headless
    sway started inside a GNOME session is still wlroots."""
    if not is_wayland(display):
        return "x11"
    offered = _wayland_globals(display)
    if all(g in offered for g in WLROOTS_GLOBALS):
        return "wlroots"
    return desktop_of(env) or ("kde" if "org_kde_plasma_shell" in offered else "gnome")


def screen_source(display: str, monitor: int = 1) -> ScreenSource:
    """The capture source for ``display``: mss on X11, grim (screencopy) on wlroots, the portal elsewhere."""
    kind = session_kind(display)
    if kind == "x11":
        from app.desktop.capture import MssScreenSource

        return MssScreenSource(display, monitor)
    if kind == "wlroots":
        from app.desktop.wayland.capture import GrimScreenSource

        return GrimScreenSource(display, monitor)
    from app.desktop.wayland.portal_capture import PortalScreenSource

    return PortalScreenSource(display, monitor)


def input_driver(name: str, display: str, control: Any = None) -> InputDriver:
    """The input driver for ``display``: ``name`` (xtest or xdotool) on X11, giving way to the person's keys when
    ``control`` (a RunControl) is given; on Wayland the session's own."""
    kind = session_kind(display)
    if kind == "x11":
        return make_driver(name, display, control)
    if kind == "wlroots":
        from app.desktop.wayland.input import WlrootsDriver

        return WlrootsDriver(display)
    from app.desktop.wayland.portal_input import PortalDriver

    return PortalDriver(display)


def outputs(display: str) -> list[Output]:
    """The monitors of ``display``, left to right; on X11 logical and physical pixels are the same."""
    if is_wayland(display) and session_kind(display) == "wlroots":
        from app.desktop.wayland.capture import list_outputs

        return list_outputs(display)
    if is_wayland(display):
        from app.desktop.wayland.portal_capture import portal_outputs

        return portal_outputs(display)
    from app.desktop.capture import MssScreenSource

    source = MssScreenSource(display)
    try:
        mons = source.monitors()[1:]
    finally:
        source.close()
    return [Output(name=f"monitor-{i}", left=m["left"], top=m["top"], width=m["width"], height=m["height"],
                   physical_width=m["width"], physical_height=m["height"]) for i, m in enumerate(mons, 1)]


@dataclass(frozen=True, kw_only=True)
class Methods:
    """How a session captures and types, each in words for `deskpilot doctor`."""

    kind: str
    capture: str
    input: str


def methods(display: str) -> Methods:
    kind = session_kind(display)
    if kind == "x11":
        return Methods(kind=kind, capture="mss (X11 GetImage)", input="XTest (xdotool fallback)")
    if kind == "wlroots":
        return Methods(kind=kind, capture="grim (wlr-screencopy)",
                       input="wlr-virtual-pointer (absolute) and virtual-keyboard, our own Wayland client")
    return Methods(kind=kind, capture="XDG desktop portal Screenshot", input="XDG desktop portal RemoteDesktop")


@dataclass
class Headless:
    """A virtual desktop started for one run: ``display`` is an Xvfb display or a headless sway socket; ``bus`` the
    session bus of its accessibility service ("" without one), where programs started there publish their trees."""

    display: str
    sway: object | None = None
    bus: str = ""

    def place_windows_on(self, monitor: int) -> None:
        """New windows open on ``monitor`` (sway: focus that output; X11 windows are placed by position)."""
        if self.sway is not None and monitor > 0:
            self.sway.focus_output(monitor)  # type: ignore[attr-defined]


@contextmanager
def headless(session: str, width: int, height: int, scale: float = 1.0, count: int = 1,
             a11y: bool = True) -> Iterator[Headless]:
    """Xvfb (``session`` x11 or auto) or headless sway (wayland) with ``count`` outputs of ``width`` x ``height``
    logical pixels each; sway's outputs run at ``scale`` (device pixels per logical pixel). With ``a11y`` an Xvfb
    desktop gets an accessibility bus where AT-SPI is installed (on Wayland the tree's boxes are per window)."""
    if session == "wayland":
        from app.desktop.wayland.sway import HeadlessSway

        with HeadlessSway(width, height, scale=scale, outputs=count) as sway:
            yield Headless(sway.display, sway)
        return
    from app.desktop.a11y_bus import A11yUnavailable, AccessibilityBus
    from app.desktop.xvfb import VirtualDisplay

    with VirtualDisplay(width, height, screens=count) as vd:
        bus = None
        if a11y:
            try:
                bus = AccessibilityBus(vd.display).start()
            except (A11yUnavailable, OSError, subprocess.SubprocessError, IndexError, ValueError):
                bus = None  # pixels then; `deskpilot doctor` says what to install
        try:
            yield Headless(vd.display, bus=bus.address if bus else "")
        finally:
            if bus:
                bus.stop()


def hotkey_stop(hotkey: str, on_stop: Callable[[str], None], display: str = "") -> Any:
    """The started stop hotkey for this session: pynput on X11, the portal's GlobalShortcuts on Wayland."""
    from app.desktop.stoppers import HotkeyStop

    display = display or session_display()
    if not is_wayland(display):
        return HotkeyStop(hotkey, on_stop, display).start()
    from app.desktop.wayland.stoppers import PortalHotkeyStop

    return PortalHotkeyStop(hotkey, on_stop).start()


def corner_stop(display: str, on_stop: Callable[[str], None],
                aimed: Callable[[], tuple[float, float] | None] = lambda: None) -> Any:
    """The started corner fail-safe for ``display``; StopperError where the pointer cannot be read."""
    from app.desktop.stoppers import CornerStop, StopperError

    if not is_wayland(display):
        return CornerStop(display, on_stop, aimed=aimed).start()
    from app.desktop.wayland.outputs import layout_box
    from app.desktop.wayland.stoppers import PolledCornerStop, pointer_reader

    read = pointer_reader(dict(os.environ))
    if read is None:
        raise StopperError("This Wayland compositor does not tell other programs where the pointer is, so the "
                           "corner fail-safe is off; use the Stop button.")
    return PolledCornerStop(read, layout_box(outputs(display)), on_stop, aimed).start()
