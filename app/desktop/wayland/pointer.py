"""An absolute virtual pointer over wlr-virtual-pointer-unstable-v1 (sway, Hyprland, labwc, river, Wayfire).

Created without an output, the pointer's absolute motion spans the whole output layout, so a logical layout
point (x, y) is sent as (x - left, y - top) out of the layout box's width and height: one call reaches any
output, whatever the compositor (sway's `seat - cursor set` is sway's alone).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from app.desktop.wayland.outputs import Output, layout_box, read_outputs
from app.desktop.wayland.wire import Connection, WaylandError, pack

BUTTONS = {"left": 0x110, "right": 0x111, "middle": 0x112}  # linux/input-event-codes.h BTN_*
WHEEL_STEP = 15.0  # the axis distance one wheel click scrolls in wl_pointer terms (libinput's convention)
MOTION_ABSOLUTE, BUTTON, AXIS, FRAME, AXIS_SOURCE, AXIS_DISCRETE, DESTROY = 1, 2, 3, 4, 5, 7, 8


def _now_ms() -> int:
    return int(time.monotonic() * 1000) & 0xFFFFFFFF


@dataclass
class VirtualPointer:
    """``move``/``button``/``scroll`` in logical layout pixels on the compositor at ``display``."""

    display: str = ""
    outputs: list[Output] = field(default_factory=list)
    _conn: Connection | None = field(default=None, repr=False)
    _pointer: int = 0

    def open(self) -> VirtualPointer:
        conn = Connection(self.display).connect()
        try:
            self.outputs = read_outputs(conn)
            if not self.outputs:
                raise WaylandError("The compositor reports no outputs, so there is nowhere to point.")
            manager = conn.bind("zwlr_virtual_pointer_manager_v1", 1)
        except WaylandError as exc:
            conn.close()
            raise WaylandError(f"{exc} Pointer input needs a wlroots compositor (sway, Hyprland, labwc, river); "
                               "on GNOME or KDE the desktop portal is used.") from None
        self._pointer = conn.new_id()
        conn.request(manager, 0, pack("uu", 0, self._pointer))  # no seat: the compositor's default seat
        conn.roundtrip()
        self._conn = conn
        return self

    def _send(self, opcode: int, fmt: str = "", *args: int | float) -> None:
        if self._conn is None:
            self.open()
        assert self._conn is not None
        self._conn.request(self._pointer, opcode, pack(fmt, *args))

    def move(self, x: float, y: float) -> None:
        """Put the pointer at logical layout point (x, y), clamped into the layout."""
        if self._conn is None:
            self.open()
        left, top, width, height = layout_box(self.outputs)
        px = min(max(round(x) - left, 0), width - 1)
        py = min(max(round(y) - top, 0), height - 1)
        self._send(MOTION_ABSOLUTE, "uuuuu", _now_ms(), px, py, width, height)
        self._frame()

    def button(self, name: str, pressed: bool) -> None:
        self._send(BUTTON, "uuu", _now_ms(), BUTTONS[name], 1 if pressed else 0)
        self._frame()

    def scroll(self, dx: int, dy: int) -> None:
        """Wheel clicks: ``dy`` > 0 scrolls up and ``dx`` > 0 right, as the XTest driver and xdotool count them."""
        for axis, clicks in ((0, -dy), (1, dx)):
            if clicks:
                self._send(AXIS_SOURCE, "u", 0)  # wheel
                self._send(AXIS_DISCRETE, "uufi", _now_ms(), axis, clicks * WHEEL_STEP, clicks)
                self._frame()

    def _frame(self) -> None:
        assert self._conn is not None
        self._send(FRAME)
        self._conn.roundtrip()  # the compositor has handled the event before we send the next one

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._send(DESTROY)
                self._conn.roundtrip()
            except (WaylandError, OSError):
                pass  # the compositor may be gone already; the socket is closed either way
            self._conn.close()
            self._conn = None
