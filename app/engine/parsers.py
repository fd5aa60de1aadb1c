"""Grounding modes as parsers: "auto" (the default) reads the accessibility tree wherever an AT-SPI bus answers and
pixels elsewhere; "accessibility" insists on the tree; "pixels" never asks for it."""

from __future__ import annotations

import os
from dataclasses import dataclass

from grounding.a11y_parser import A11yParser
from grounding.a11y_reader import AccessibilityReader, bus_answers
from grounding.coords import Frame
from grounding.parser import ScreenParser
from planner.protocols import Parser

MODES = {"auto": "Automatic: the accessibility tree where the desktop has one, pixels elsewhere",
         "accessibility": "Accessibility tree first (AT-SPI), pixels for what it lacks",
         "pixels": "Pixels only: OCR and widget shapes (works everywhere)"}


class GroundingModeError(RuntimeError):
    """The chosen grounding mode cannot work here; the message says what to change."""


@dataclass(frozen=True, kw_only=True)
class Choice:
    """What a run will ground with, and why (one line for `doctor` and the trajectory)."""

    mode: str  # "accessibility" | "pixels"
    address: str = ""
    reason: str = ""


def session_bus_of(display: str) -> tuple[str, str]:
    """(session bus, AT-SPI bus) of the desktop on ``display``: this process's own session's when ``display`` is
    the session's own screen; a bus of another desktop would describe windows that are not on this screen."""
    if display and display != os.environ.get("DISPLAY", ""):
        return "", ""
    return os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""), os.environ.get("AT_SPI_BUS_ADDRESS", "")


def _wayland_session(display: str) -> bool:
    """Whether ``display`` is this process's own screen in a Wayland session (XWayland included)."""
    own = not display or display == os.environ.get("DISPLAY", "")
    return own and (os.environ.get("XDG_SESSION_TYPE") == "wayland" or bool(os.environ.get("WAYLAND_DISPLAY")))


def choose(mode: str, display: str, session: str | None = None) -> Choice:
    """The mode a run will use: "auto" becomes accessibility when a bus answers on this desktop, else pixels.
    ``session`` names the desktop's session bus (DeskPilot's own virtual displays pass theirs)."""
    if mode not in MODES:
        raise GroundingModeError(f"There is no grounding mode called {mode!r}; choose one of {', '.join(MODES)}.")
    if mode == "pixels":
        return Choice(mode="pixels", reason="pixels were chosen")
    if mode == "auto" and session is None and _wayland_session(display):
        return Choice(mode="pixels", reason="on Wayland the tree's boxes are relative to each window, not the screen")
    session, direct = session_bus_of(display) if session is None else (session, "")
    address = bus_answers(session, display, direct)
    if address:
        return Choice(mode="accessibility", address=address, reason=f"an accessibility bus answers at {address}")
    if mode == "accessibility":
        raise GroundingModeError(f"Accessibility grounding needs an AT-SPI bus, and none answers on display "
                                 f"{display or '(none)'} (session bus {session or 'not set'}); start the desktop's "
                                 f"accessibility service or choose Pixels in Settings.")
    return Choice(mode="pixels", reason=f"no AT-SPI accessibility bus answers on {display or 'this desktop'}")


def accessibility_parser(frame: Frame, pixels: ScreenParser, address: str, display: str = "") -> A11yParser:
    """The tree of the bus at ``address`` first, ``pixels`` for the rest; ``close()`` drops the connection."""
    reader = AccessibilityReader(address, display=display)
    screen = (frame.left, frame.top, frame.left + round(frame.width / frame.scale),
              frame.top + round(frame.height / frame.scale))
    return A11yParser(lambda: reader.read(screen), frame, pixels, reader.close)


def make_parser(mode: str, display: str, frame: Frame | None = None, incremental: bool = True,
                session: str | None = None) -> Parser:
    """The parser a grounding mode names: the pixel parser (OCR and widget shapes), or an A11yParser that reads the
    accessibility tree first and pixels for the rest (auto: where a bus answers). ``frame`` places the tree's
    logical boxes on the captured image (default: the first monitor). Call its ``close()`` when done."""
    pixels = ScreenParser(incremental=incremental)
    choice = choose(mode, display, session)
    if choice.mode == "pixels":
        return pixels
    if frame is None:
        from app.desktop.capture import MssScreenSource

        source = MssScreenSource(display)
        frame = source.capture().frame
        source.close()
    return accessibility_parser(frame, pixels, choice.address, display)


def grounding_line(display: str, mode: str = "auto") -> tuple[bool, str]:
    """(usable, one line) saying whether an accessibility bus answers here and which mode runs will use."""
    try:
        choice = choose(mode, display)
    except GroundingModeError as exc:
        return False, str(exc)
    return True, describe(choice, mode)


def describe(choice: Choice, mode: str = "auto") -> str:
    """One line saying which mode runs will use, and why."""
    if choice.mode == "accessibility":
        return (f"an AT-SPI accessibility bus answers ({choice.address.split(',')[0]}): runs read the "
                f"applications' trees first and pixels for the rest (grounding {mode})")
    return f"{choice.reason}: runs read pixels only (grounding {mode}; GNOME, KDE and Xfce sessions run a bus)"
