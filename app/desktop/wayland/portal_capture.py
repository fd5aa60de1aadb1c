"""Capture on GNOME and KDE Wayland through the portal's Screenshot, cropped to one output."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np

from app.desktop.capture import CaptureError
from app.desktop.wayland.outputs import Output, layout_box, read_outputs
from app.desktop.wayland.portal import Portal, PortalError
from app.desktop.wayland.wire import Connection, WaylandError
from grounding.coords import Frame
from planner.protocols import Observation


def portal_outputs(display: str) -> list[Output]:
    """Outputs as the compositor reports them to any client (mutter and kwin offer wl_output and xdg-output)."""
    try:
        with Connection(display) as conn:
            return read_outputs(conn)
    except WaylandError as exc:
        raise CaptureError(str(exc)) from None


@dataclass
class PortalScreenSource:
    """Captures ``monitor`` (1.., 0 = the whole desktop) with org.freedesktop.portal.Screenshot, non-interactive.

    The portal writes each shot to a file (GNOME: ~/Pictures); we read it and remove it, so runs leave none.
    """

    display: str = ""
    monitor: int = 1
    portal: Portal = field(default_factory=Portal)
    _outputs: list[Output] | None = field(default=None, repr=False)

    def capture(self) -> Observation:
        if self._outputs is None:
            self._outputs = portal_outputs(self.display)
        outputs = self._outputs
        if not 0 <= self.monitor <= len(outputs):
            raise CaptureError(f"Monitor {self.monitor} does not exist; this desktop has {len(outputs)} output(s): "
                               f"choose 1..{len(outputs)}, or 0 for all of them.")
        image = self._shot()
        left, top, width, _height = layout_box(outputs)
        scale = image.shape[1] / width
        if self.monitor:
            out = outputs[self.monitor - 1]
            x0, y0 = round((out.left - left) * scale), round((out.top - top) * scale)
            image = np.ascontiguousarray(image[y0:y0 + round(out.height * scale), x0:x0 + round(out.width * scale)])
            left, top = out.left, out.top
        return Observation(image, Frame(left, top, image.shape[1], image.shape[0], scale=scale), time.time())

    def _shot(self) -> np.ndarray:
        from PIL import Image

        try:
            results = self.portal.request("Screenshot", "Screenshot", "sa{sv}", ("",),
                                          {"interactive": ("b", False)})
        except PortalError as exc:
            raise CaptureError(str(exc)) from None
        path = Path(unquote(urlparse(str(results.get("uri", ""))).path))
        if not path.is_file():
            raise CaptureError(f"The portal's screenshot {results.get('uri')!r} cannot be read.")
        try:
            with Image.open(path) as im:
                return np.asarray(im.convert("RGB"))
        finally:
            path.unlink(missing_ok=True)

    def close(self) -> None:
        self.portal.close()
