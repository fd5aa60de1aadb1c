"""The compositor's outputs: position and size in logical pixels (xdg-output), mode in physical pixels (wl_output)."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.desktop.wayland.wire import Connection, pack, unpack
from grounding.coords import Frame

MODE_CURRENT = 0x1


@dataclass(frozen=True, kw_only=True)
class Output:
    """One monitor: where it sits in the layout and how many device pixels back each logical pixel."""

    name: str
    left: int
    top: int
    width: int  # logical
    height: int
    physical_width: int
    physical_height: int

    @property
    def scale(self) -> float:
        """Physical pixels per logical pixel (2.0 on a HiDPI output at scale 2, 1.5 for fractional scaling)."""
        return self.physical_width / self.width

    def frame(self) -> Frame:
        """The Frame of a full-resolution capture of this output, for grounding/coords.py."""
        return Frame(self.left, self.top, self.physical_width, self.physical_height, scale=self.scale)


@dataclass
class _Pending:
    name: str = ""
    transform: int = 0
    mode: tuple[int, int] = (0, 0)
    scale: int = 1
    geometry_at: tuple[int, int] = (0, 0)
    logical_at: tuple[int, int] | None = None
    logical_size: tuple[int, int] | None = None
    xdg_name: str = ""
    events: list[int] = field(default_factory=list)

    def on_output(self, opcode: int, data: bytes) -> None:
        if opcode == 0:  # geometry: x y physical_width physical_height subpixel make model transform
            x, y, *_, transform = unpack("iiiiissi", data)
            self.geometry_at, self.transform = (int(x), int(y)), int(transform)
        elif opcode == 1:
            flags, w, h, _refresh = unpack("uiii", data)
            if int(flags) & MODE_CURRENT:
                self.mode = (int(w), int(h))
        elif opcode == 3:
            self.scale = int(unpack("i", data)[0])
        elif opcode == 4:
            self.name = str(unpack("s", data)[0])

    def on_xdg(self, opcode: int, data: bytes) -> None:
        if opcode == 0:
            x, y = unpack("ii", data)
            self.logical_at = (int(x), int(y))
        elif opcode == 1:
            w, h = unpack("ii", data)
            self.logical_size = (int(w), int(h))
        elif opcode == 3:
            self.xdg_name = str(unpack("s", data)[0])

    def output(self, index: int) -> Output:
        pw, ph = self.mode if self.transform % 2 == 0 else self.mode[::-1]  # 90/270 degrees swap the mode's sides
        lw, lh = self.logical_size or (pw // max(self.scale, 1), ph // max(self.scale, 1))
        left, top = self.logical_at or self.geometry_at
        return Output(name=self.name or self.xdg_name or f"output-{index}", left=left, top=top, width=lw,
                      height=lh, physical_width=pw, physical_height=ph)


def read_outputs(conn: Connection) -> list[Output]:
    """Every output the compositor offers, left to right then top to bottom (monitor 1, 2, ...)."""
    pending = []
    for name, interface, _version in list(conn.all_globals):
        if interface == "wl_output":
            p = _Pending()
            p.events.append(conn.bind("wl_output", 4, p.on_output, name=name))
            pending.append(p)
    conn.roundtrip()
    if "zxdg_output_manager_v1" in conn.globals:
        manager = conn.bind("zxdg_output_manager_v1", 3)
        for p in pending:
            xdg = conn.new_id(p.on_xdg)
            conn.request(manager, 1, pack("uu", xdg, p.events[0]))
        conn.roundtrip()
    outputs = [p.output(i + 1) for i, p in enumerate(pending) if p.mode != (0, 0)]
    return sorted(outputs, key=lambda o: (o.left, o.top))


def layout_box(outputs: list[Output]) -> tuple[int, int, int, int]:
    """The bounding box of all outputs in logical pixels: left, top, width, height."""
    left, top = min(o.left for o in outputs), min(o.top for o in outputs)
    right, bottom = max(o.left + o.width for o in outputs), max(o.top + o.height for o in outputs)
    return left, top, right - left, bottom - top
