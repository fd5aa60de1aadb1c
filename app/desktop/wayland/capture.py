"""Capture on wlroots compositors through the screencopy protocol, with grim: one output, or the whole layout."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

import numpy as np

from app.desktop.capture import CaptureError
from app.desktop.wayland.outputs import Output, layout_box, read_outputs
from app.desktop.wayland.wire import Connection, WaylandError
from grounding.coords import Frame
from planner.protocols import Observation


def list_outputs(display: str) -> list[Output]:
    """The outputs of the compositor at ``display``; CaptureError with what to do when it cannot be reached."""
    try:
        with Connection(display) as conn:
            return read_outputs(conn)
    except WaylandError as exc:
        raise CaptureError(str(exc)) from None


def read_ppm(data: bytes) -> np.ndarray:
    """A binary PPM (P6, 8-bit) as an RGB array."""
    parts = data.split(maxsplit=4)
    if len(parts) < 5 or parts[0] != b"P6" or parts[3] != b"255":
        raise CaptureError("grim returned something other than an 8-bit PPM image; update grim.")
    width, height = int(parts[1]), int(parts[2])
    pixels = np.frombuffer(parts[4], dtype=np.uint8, count=width * height * 3)
    return pixels.reshape(height, width, 3)


@dataclass
class GrimScreenSource:
    """Captures ``monitor`` (1.. each output left to right, 0 the whole layout) of the compositor at ``display``.

    The image has the output's device pixels; the Frame's scale (image pixels per logical pixel) is measured
    from the image itself, so fractional scales and grim's own rounding are accounted for.
    """

    display: str = ""
    monitor: int = 1
    _outputs: list[Output] | None = field(default=None, repr=False)

    def outputs(self) -> list[Output]:
        if self._outputs is None:
            self._outputs = list_outputs(self.display)
        return self._outputs

    def capture(self) -> Observation:
        outputs = self.outputs()
        if not 0 <= self.monitor <= len(outputs):
            raise CaptureError(f"Monitor {self.monitor} does not exist; this desktop has {len(outputs)} output(s): "
                               f"choose 1..{len(outputs)}, or 0 for all of them.")
        if self.monitor == 0:
            left, top, width, _height = layout_box(outputs)
            image = self._grim()
        else:
            out = outputs[self.monitor - 1]
            left, top, width = out.left, out.top, out.width
            image = self._grim("-o", out.name)
        frame = Frame(left, top, image.shape[1], image.shape[0], scale=image.shape[1] / width)
        return Observation(image, frame, time.time())

    def _grim(self, *args: str) -> np.ndarray:
        if shutil.which("grim") is None:
            raise CaptureError("grim is not installed: run `make install` (or `apt-get install grim`).")
        env = {**os.environ, **({"WAYLAND_DISPLAY": self.display} if self.display else {})}
        proc = subprocess.run(["grim", "-t", "ppm", *args, "-"], env=env, capture_output=True, timeout=30)
        if proc.returncode != 0:
            self._outputs = None  # outputs may have changed (unplugged, renamed): read them again next time
            err = proc.stderr.decode(errors="replace").strip()
            raise CaptureError(f"grim could not capture the screen ({err or proc.returncode}); the compositor "
                               "must offer wlr-screencopy (sway, Hyprland, labwc, river), else use the portal.")
        return read_ppm(proc.stdout)

    def close(self) -> None:
        """Nothing to release: every capture is its own grim process."""
