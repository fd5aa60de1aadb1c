"""The app's grounding modes as parsers: pixels only (the default), or pixels merged with the desktop's AT-SPI tree."""

from __future__ import annotations

import os
from dataclasses import dataclass

from grounding.a11y_parser import A11yParser
from grounding.coords import Frame
from grounding.parser import ScreenParser
from planner.protocols import Parser

MODES = {"pixels": "Pixels: OCR and widget shapes (works everywhere)",
         "accessibility": "Pixels + accessibility tree (AT-SPI: names for icon-only controls)"}


class GroundingModeError(RuntimeError):
    """The chosen grounding mode cannot work here; the message says what to change."""


@dataclass
class SessionBus:
    """The desktop session's own D-Bus, where applications already publish their accessibility trees (without an
    address, AT-SPI finds its bus through the X display)."""

    display: str
    address: str = ""

    def env(self) -> dict[str, str]:
        env = {**os.environ, "DISPLAY": self.display}
        if self.address:
            env["DBUS_SESSION_BUS_ADDRESS"] = self.address
        return env


def accessibility_parser(display: str, frame: Frame, pixels: ScreenParser, address: str = "") -> A11yParser:
    """Pixels merged with the session's AT-SPI tree, read by a reader process that ``close()`` stops."""
    from app.desktop.a11y_bus import TreeReader

    reader = TreeReader(SessionBus(display, address))  # type: ignore[arg-type]  # needs only env()
    return A11yParser(reader.nodes, frame, pixels, reader.close)


def make_parser(mode: str, display: str, frame: Frame | None = None, incremental: bool = True) -> Parser:
    """The parser a grounding mode names: pixels (OCR and widget shapes), or pixels merged with the session's
    AT-SPI tree. ``frame`` places the tree's logical boxes on the captured image (default: the first monitor).
    Call its ``close()`` when done (the accessibility parser stops its reader process)."""
    pixels = ScreenParser(incremental=incremental)
    if mode == "pixels":
        return pixels
    if mode != "accessibility":
        raise GroundingModeError(f"There is no grounding mode called {mode!r}; choose one of {', '.join(MODES)}.")
    address = os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address:
        raise GroundingModeError("Accessibility grounding needs the desktop's session bus (DBUS_SESSION_BUS_ADDRESS "
                                 "is not set); choose Pixels in Settings.")
    if frame is None:
        from app.desktop.capture import MssScreenSource

        source = MssScreenSource(display)
        frame = source.capture().frame
        source.close()
    return accessibility_parser(display, frame, pixels, address)
