"""`deskpilot doctor`'s desktop-session lines: the session type, how it is captured, how input reaches it, and what
is missing for it (and for `--headless --session wayland`), one line each."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from app.cli.doctor import Check

PORTALS = Path("/usr/share/xdg-desktop-portal/portals")
FRONTENDS = (Path("/usr/libexec/xdg-desktop-portal"), Path("/usr/lib/xdg-desktop-portal"))
PORTAL_PACKAGE = {"gnome": "xdg-desktop-portal-gnome", "kde": "xdg-desktop-portal-kde"}
PORTAL_FILE = {"gnome": "gnome.portal", "kde": "kde.portal"}


def session_checks(x11_input: Callable[[], Check], env: dict[str, str] | None = None,
                   portals: Path = PORTALS) -> list[Check]:
    """session, capture, input and headless-wayland lines for the session this shell is in."""
    from app.desktop.session import methods, session_display, session_kind

    display = session_display(env)
    if not display:
        return [Check("session", False, "No desktop session (neither WAYLAND_DISPLAY nor DISPLAY is set): runs need "
                      "--headless, which starts Xvfb, or headless sway with --session wayland.", required=False),
                Check("capture", True, "on --headless: mss on Xvfb, or grim (wlr-screencopy) on headless sway",
                      required=False), x11_input(), headless_wayland()]
    kind = session_kind(display, env)
    how = methods(display)
    checks = [Check("session", True, f"{kind} session on {display}{_compositor(kind, env)}")]
    if kind == "x11":
        checks += [Check("capture", True, how.capture), x11_input()]
    elif kind == "wlroots":
        checks += _wlroots(display, how.capture, how.input)
    else:
        checks += _portal(kind, how.capture, how.input, portals)
    return [*checks, headless_wayland()]


def _compositor(kind: str, env: dict[str, str] | None) -> str:
    env = os.environ if env is None else env
    if kind != "wlroots":
        return ""
    for var, name in (("SWAYSOCK", "sway"), ("HYPRLAND_INSTANCE_SIGNATURE", "Hyprland"), ("LABWC_PID", "labwc")):
        if env.get(var):
            return f" ({name})"
    desktop = env.get("XDG_CURRENT_DESKTOP", "")
    return f" ({desktop})" if desktop else ""


def _wlroots(display: str, capture: str, input_method: str) -> list[Check]:
    from app.desktop.session import _wayland_globals

    offered = _wayland_globals(display)
    missing = [g for g in ("zwlr_virtual_pointer_manager_v1", "zwp_virtual_keyboard_manager_v1") if g not in offered]
    grim = shutil.which("grim")
    return [Check("capture", bool(grim), f"{capture}" if grim else
                  "grim is missing, so the screen cannot be captured: run `make install` (or `apt-get install grim`)."),
            Check("input", not missing, f"{input_method}" if not missing else
                  f"the compositor does not offer {', '.join(missing)}, so DeskPilot cannot move the pointer "
                  "or type here.")]


def _portal(kind: str, capture: str, input_method: str, portals: Path) -> list[Check]:
    frontend = any(p.exists() for p in FRONTENDS)
    backend = (portals / PORTAL_FILE[kind]).exists()
    if frontend and backend:
        return [Check("capture", True, f"{capture}"),
                Check("input", True, f"{input_method} (asks once, then remembers)")]
    need = " ".join(p for p, ok in (("xdg-desktop-portal", frontend), (PORTAL_PACKAGE[kind], backend)) if not ok)
    line = f"the desktop portal is missing on this {kind.upper() if kind == 'kde' else 'GNOME'} session: install {need}"
    return [Check("capture", False, f"{line} (screenshots of the desktop need it)."),
            Check("input", False, f"{line} (mouse and keyboard need its RemoteDesktop).")]


def headless_wayland() -> Check:
    """Whether `--headless --session wayland` can start sway here."""
    missing = [t for t in ("sway", "grim") if shutil.which(t) is None]
    if missing:
        return Check("wayland", False, f"--headless --session wayland needs {' and '.join(missing)}: run `make "
                     "install` (or `apt-get install sway grim`).", required=False)
    if os.geteuid() == 0:
        from app.desktop.wayland.sway import headless_user
        from app.desktop.xvfb import DisplayError

        try:
            user = headless_user()
        except DisplayError as exc:
            return Check("wayland", False, str(exc), required=False)
        return Check("wayland", True, f"headless sway for --session wayland (runs as {user.pw_name if user else '?'}"
                     ", sway refuses root)", required=False)
    return Check("wayland", True, "headless sway for --session wayland", required=False)
