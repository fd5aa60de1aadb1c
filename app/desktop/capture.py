"""Screen capture over mss: one monitor (or the whole desktop) as an RGB image with its Frame."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grounding.coords import Frame
from grounding.frame_diff import Stillness
from planner.protocols import Observation


class CaptureError(RuntimeError):
    """The screen could not be captured; the message says what to do."""


@dataclass
class MssScreenSource:
    """Captures ``monitor`` (1 = first monitor, 0 = all monitors as one image) from ``display``.

    The Frame's scale is image pixels per logical pixel: 1 on X11 (input and capture share pixels), 2 for a
    Retina capture whose input coordinates are points; clicks are mapped back through it.
    """

    display: str | None = None
    monitor: int = 1
    _mss: Any = field(default=None, repr=False)
    _monitors: list[dict[str, int]] | None = field(default=None, repr=False)

    def _grabber(self) -> Any:
        if self._mss is None:
            try:
                import mss
            except ImportError as exc:  # pragma: no cover
                raise CaptureError("mss is not installed: run `make install`.") from exc
            try:
                self._mss = mss.MSS(display=self.display) if self.display else mss.MSS()
            except Exception as exc:
                raise CaptureError(f"Cannot open the display {self.display or os.environ.get('DISPLAY')!r} "
                                   f"for capture ({exc}); start one or use --headless.") from exc
        return self._mss

    def monitors(self) -> list[dict[str, int]]:
        """Index 0 is the whole desktop, 1.. each monitor: mss's RandR list, or Xinerama's heads where the server
        joins monitors with Xinerama but shows RandR a single output (Xephyr, some VNC and remote desktops)."""
        if self._monitors is None:
            mons = list(self._grabber().monitors)
            heads = xinerama_heads(self.display)
            if len(heads) > len(mons) - 1 and len({(h["left"], h["top"]) for h in heads}) == len(heads):
                mons = [mons[0], *heads]
            self._monitors = mons
        return self._monitors

    def capture(self) -> Observation:
        grabber = self._grabber()
        mons = self.monitors()
        if not 0 <= self.monitor < len(mons):
            raise CaptureError(f"Monitor {self.monitor} does not exist; this desktop has {len(mons) - 1} "
                               f"monitor(s): choose 1..{len(mons) - 1}, or 0 for all of them.")
        mon = mons[self.monitor]
        shot = grabber.grab(mon)
        bgra = np.frombuffer(shot.raw, dtype=np.uint8).reshape(shot.height, shot.width, 4)
        image = np.ascontiguousarray(bgra[:, :, 2::-1])
        frame = Frame(int(mon["left"]), int(mon["top"]), shot.width, shot.height,
                      scale=shot.width / mon["width"] if mon["width"] else 1.0)
        return Observation(image, frame, time.time())

    def close(self) -> None:
        if self._mss is not None:
            self._mss.close()
            self._mss = None


def xinerama_heads(display: str | None) -> list[dict[str, int]]:
    """The Xinerama heads of ``display`` (empty when Xinerama is off or the display cannot be read)."""
    try:
        from Xlib import display as xdisplay
        from Xlib.error import DisplayError as XDisplayError
    except ImportError:  # pragma: no cover
        return []
    try:
        d = xdisplay.Display(display or None)
    except (XDisplayError, OSError, ValueError):
        return []
    try:
        if not d.has_extension("XINERAMA") or not d.xinerama_is_active():
            return []
        return [{"left": s.x, "top": s.y, "width": s.width, "height": s.height}
                for s in d.xinerama_query_screens().screens]
    finally:
        d.close()


def drawn(image: np.ndarray) -> bool:
    """Whether anything is drawn on ``image``: a few dozen pixels unlike its common colour (its median, which on a
    mostly plain screen is the plain colour). A page with one button on white is drawn; a screen of one colour,
    the bare root window or a window not painted yet, is not. (The spread of all pixels said "blank" for a white
    page holding one button, and a run waited 20 s for it.)"""
    sample = image[::2, ::2].reshape(-1, image.shape[-1]) if image.ndim == 3 else image[::2, ::2].reshape(-1, 1)
    common = np.median(sample, axis=0)
    unlike = (np.abs(sample.astype(np.int16) - common.astype(np.int16)) > 24).any(axis=1)
    return int(unlike.sum()) >= 16  # every other pixel each way: 16 of them are about 64 on the screen


def wait_for_content(display: str, timeout: float = 20.0, monitor: int = 1) -> None:
    """Wait until something other than a blank screen is drawn on ``monitor`` (an app window has come up) and it
    holds still for one look."""
    from app.desktop.session import screen_source

    source = screen_source(display, monitor)
    try:
        still_frame(lambda: source.capture().image, timeout, 0.3, drawn)
    finally:
        getattr(source, "close", lambda: None)()


def still_frame(capture: Callable[[], np.ndarray], timeout: float, every: float,
                ready: Callable[[np.ndarray], bool] = lambda image: True) -> np.ndarray | None:
    """The screen once it holds still (two looks ``every`` seconds apart the same, or only a small animation
    moving for a few looks: grounding/frame_diff.py) and ``ready`` says it is; None when that does not come within
    ``timeout``."""
    deadline, looks = time.monotonic() + timeout, Stillness(every)
    while time.monotonic() < deadline:
        now = capture()
        if looks.still(now) and ready(now):
            return now
        time.sleep(every)
    return None
