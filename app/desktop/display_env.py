"""A display string says its kind: ":N" (or "host:N") is X11, anything else names a Wayland socket."""

from __future__ import annotations

import os
import re
from pathlib import Path

X_DISPLAY = re.compile(r"^[\w.\-]*:\d+(\.\d+)?$")


def is_wayland(display: str) -> bool:
    """Whether ``display`` names a Wayland socket (``wayland-0`` or an absolute path) rather than an X display."""
    return bool(display) and not X_DISPLAY.match(display)


def child_env(display: str, base: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a program that should draw on ``display``: on Wayland its socket (with the runtime
    folder it lives in) and the toolkits told to use it natively, with DISPLAY removed so nothing lands on
    XWayland; on X11 DISPLAY, and toolkits a Wayland session told to use Wayland told to use X11 instead (a run
    on a virtual X display started from a Wayland desktop)."""
    env = dict(os.environ if base is None else base)
    if not display:
        return env
    if not is_wayland(display):
        env.pop("WAYLAND_DISPLAY", None)
        if env.get("QT_QPA_PLATFORM", "").startswith("wayland"):
            env["QT_QPA_PLATFORM"] = "xcb"
        if env.get("GDK_BACKEND", "").startswith("wayland"):
            env["GDK_BACKEND"] = "x11"
        return {**env, "DISPLAY": display}
    env.pop("DISPLAY", None)
    env.update(WAYLAND_DISPLAY=display, QT_QPA_PLATFORM="wayland", GDK_BACKEND="wayland")
    if display.startswith("/"):
        env["XDG_RUNTIME_DIR"] = str(Path(display).parent)
    return env


def without_opencv(env: dict[str, str]) -> dict[str, str]:
    """``env`` without what opencv-python's cv2 (a dependency of the OCR package) puts in our environment on
    import: Qt's plugin and font paths into its own Qt, and its libraries first on LD_LIBRARY_PATH. A Qt 5
    program started with them aborts ("could not load the Qt platform plugin xcb"): `open featherpad` did."""
    mark = f"{os.sep}cv2{os.sep}"
    out = {k: v for k, v in env.items() if not (k.startswith("QT_") and mark in v)}
    if "LD_LIBRARY_PATH" in out:
        kept = [p for p in out["LD_LIBRARY_PATH"].split(os.pathsep) if p and mark not in p + os.sep]
        if kept:
            out["LD_LIBRARY_PATH"] = os.pathsep.join(kept)
        else:
            del out["LD_LIBRARY_PATH"]
    return out


def chromium_flags(display: str, flags: list[str], scale: float) -> list[str]:
    """Chromium's window flags for ``display``: on Wayland native (Ozone), and a scale of 1 leaves the device
    scale to the compositor (an output at scale 2 gets a crisp 2x page)."""
    if not is_wayland(display):
        return flags
    keep = [f for f in flags if not (scale == 1 and f.startswith("--force-device-scale-factor="))]
    return [*keep, "--ozone-platform=wayland"]
