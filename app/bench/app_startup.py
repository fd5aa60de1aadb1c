"""`deskpilot bench app`: seconds from starting the app's process to its main window painted on an X screen.

The app runs unmodified (`python -m app.cli app`) on a private Xvfb with an empty config; this process watches
the X server for a viewable top-level window titled "DeskPilot" whose header colour has been drawn.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

import numpy as np

from app.desktop.processes import stop_group
from app.desktop.xvfb import VirtualDisplay

HEADER_RGB = (15, 23, 42)  # theme.NIGHT: the header band is the first thing painted at the window's top


def _painted_window(xdisplay: object, grabber: object) -> bool:
    from Xlib import X

    root = xdisplay.screen().root  # type: ignore[attr-defined]
    for win in root.query_tree().children:
        try:
            if win.get_wm_name() != "DeskPilot" or win.get_attributes().map_state != X.IsViewable:
                continue
            geo = win.get_geometry()
        except Exception:  # the window went away between the listing and the question
            continue
        shot = grabber.grab({"left": geo.x, "top": geo.y, "width": max(1, geo.width), "height": 24})  # type: ignore
        top = np.frombuffer(shot.raw, np.uint8).reshape(shot.height, shot.width, 4)[:, :, 2::-1]
        if np.all(top[12, : max(1, geo.width // 2)] == HEADER_RGB, axis=-1).mean() > 0.5:
            return True
    return False


def launch_once(display: str, timeout: float = 30.0) -> float:
    """Start the app once and return the seconds until its window is painted."""
    import mss
    from Xlib.display import Display

    with tempfile.TemporaryDirectory(prefix="deskpilot-bench-") as home:
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=display, XDG_CONFIG_HOME=f"{home}/config", XDG_DATA_HOME=f"{home}/data")
        xdisplay, grabber = Display(display), mss.MSS(display=display)
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "app"], env=env, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            while time.monotonic() - t0 < timeout:
                if _painted_window(xdisplay, grabber):
                    return time.monotonic() - t0
                if proc.poll() is not None:
                    raise RuntimeError(f"The app exited with status {proc.returncode} before showing its window.")
                time.sleep(0.005)
            raise RuntimeError(f"The app did not show its window within {timeout:g} s.")
        finally:
            stop_group(proc)
            grabber.close()
            xdisplay.close()


def measure(runs: int = 5) -> list[float]:
    """``runs`` launches, one after another, on one virtual display."""
    with VirtualDisplay(1600, 1000) as vd:
        return [launch_once(vd.display) for _ in range(runs)]
