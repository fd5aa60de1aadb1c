"""The Wayland wire protocol, enough of it for a client that binds globals, reads their events and sends requests.

No libwayland binding is needed: a message is an object id, an opcode and little-endian 32-bit words, and the
few interfaces we speak (wl_output, xdg-output, virtual pointer) take only ints, strings and object ids.
"""

from __future__ import annotations

import os
import socket
import struct
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

Handler = Callable[[int, bytes], None]  # (opcode, argument bytes) for one event on one object
DISPLAY_ID = 1


class WaylandError(RuntimeError):
    """The compositor could not be reached or refused a request; the message says what to check."""


def socket_path(display: str = "") -> Path:
    """Where ``display`` (or $WAYLAND_DISPLAY, default wayland-0) listens: an absolute path, or a name in
    $XDG_RUNTIME_DIR."""
    name = display or os.environ.get("WAYLAND_DISPLAY", "") or "wayland-0"
    if name.startswith("/"):
        return Path(name)
    runtime = os.environ.get("XDG_RUNTIME_DIR", "")
    if not runtime:
        raise WaylandError(f"XDG_RUNTIME_DIR is not set, so the Wayland display {name!r} cannot be found; set it or "
                           "give WAYLAND_DISPLAY as an absolute path.")
    return Path(runtime) / name


def pack(fmt: str, *args: int | str) -> bytes:
    """Arguments in wire form: ``i`` int, ``u`` uint or object id, ``f`` 24.8 fixed, ``s`` string."""
    out = b""
    for kind, value in zip(fmt, args, strict=True):
        if kind == "s":
            data = str(value).encode() + b"\0"
            out += struct.pack("<I", len(data)) + data + b"\0" * (-len(data) % 4)
        elif kind == "f":
            out += struct.pack("<i", round(float(value) * 256))
        else:
            out += struct.pack("<i" if kind == "i" else "<I", int(value))
    return out


def unpack(fmt: str, data: bytes) -> list[int | str]:
    """The inverse of :func:`pack` for an event's arguments."""
    values: list[int | str] = []
    pos = 0
    for kind in fmt:
        if kind == "s":
            (size,) = struct.unpack_from("<I", data, pos)
            values.append(data[pos + 4:pos + 4 + size].rstrip(b"\0").decode(errors="replace"))
            pos += 4 + size + (-size % 4)
        else:
            (value,) = struct.unpack_from("<i" if kind in "if" else "<I", data, pos)
            values.append(value / 256 if kind == "f" else value)
            pos += 4
    return values


@dataclass
class Connection:
    """One client connection: ``bind`` globals by interface name, ``request`` on objects, ``roundtrip`` to read."""

    display: str = ""
    globals: dict[str, tuple[int, int]] = field(default_factory=dict)  # interface -> (name, version); last wins
    all_globals: list[tuple[int, str, int]] = field(default_factory=list)
    _sock: socket.socket | None = field(default=None, repr=False)
    _handlers: dict[int, Handler] = field(default_factory=dict, repr=False)
    _next_id: int = 2
    _buffer: bytes = b""

    def connect(self, timeout: float = 5.0) -> Connection:
        path = socket_path(self.display)
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout)
        try:
            self._sock.connect(str(path))
        except OSError as exc:
            self.close()
            raise WaylandError(f"Cannot connect to the Wayland compositor at {path} ({exc.strerror or exc}); start "
                               "it, or use --headless --session wayland.") from None
        self._handlers[DISPLAY_ID] = self._on_display
        registry = self.new_id(self._on_registry)
        self.request(DISPLAY_ID, 1, pack("u", registry))
        self.roundtrip()
        return self

    def new_id(self, handler: Handler = lambda op, data: None) -> int:
        """A fresh client-side object id whose events go to ``handler``."""
        oid, self._next_id = self._next_id, self._next_id + 1
        self._handlers[oid] = handler
        return oid

    def adopt(self, oid: int, handler: Handler) -> None:
        """Route the events of an object the compositor created (a new_id in one of its events) to ``handler``."""
        self._handlers[oid] = handler

    def bind(self, interface: str, version: int, handler: Handler = lambda op, data: None,
             name: int | None = None) -> int:
        """Bind the global ``interface`` (the one called ``name`` when several exist) at most at ``version``."""
        if name is None:
            if interface not in self.globals:
                raise WaylandError(f"This compositor does not offer {interface}.")
            name, offered = self.globals[interface]
        else:
            offered = next(v for n, i, v in self.all_globals if n == name)
        oid = self.new_id(handler)
        self.request(self._registry_id, 0, pack("usuu", name, interface, min(version, offered), oid))
        return oid

    def request(self, oid: int, opcode: int, args: bytes = b"") -> None:
        assert self._sock is not None
        header = struct.pack("<II", oid, ((8 + len(args)) << 16) | opcode)
        self._sock.sendall(header + args)

    def request_fd(self, oid: int, opcode: int, args: bytes, fd: int) -> None:
        """A request with one file descriptor argument (sent alongside the message, not in its words)."""
        assert self._sock is not None
        header = struct.pack("<II", oid, ((8 + len(args)) << 16) | opcode)
        socket.send_fds(self._sock, [header + args], [fd])

    def roundtrip(self) -> None:
        """Send wl_display.sync and dispatch events until the compositor answers it: all earlier requests are done."""
        done: list[bool] = []
        callback = self.new_id(lambda op, data: done.append(True))
        self.request(DISPLAY_ID, 0, pack("u", callback))
        while not done:
            self._read_once()
        self._handlers.pop(callback, None)

    def _read_once(self) -> None:
        assert self._sock is not None
        try:
            chunk = self._sock.recv(65536)
        except TimeoutError:
            raise WaylandError("The Wayland compositor stopped answering.") from None
        if not chunk:
            raise WaylandError("The Wayland compositor closed the connection.")
        self._buffer += chunk
        while len(self._buffer) >= 8:
            oid, word = struct.unpack_from("<II", self._buffer)
            size = word >> 16
            if len(self._buffer) < size:
                return
            body, self._buffer = self._buffer[8:size], self._buffer[size:]
            handler = self._handlers.get(oid)
            if handler is not None:
                handler(word & 0xFFFF, body)

    @property
    def _registry_id(self) -> int:
        return 2  # the first id we allocate in connect()

    def _on_registry(self, opcode: int, data: bytes) -> None:
        if opcode == 0:
            name, interface, version = unpack("usu", data)
            self.all_globals.append((int(name), str(interface), int(version)))
            self.globals[str(interface)] = (int(name), int(version))

    def _on_display(self, opcode: int, data: bytes) -> None:
        if opcode == 0:
            oid, code, message = unpack("uus", data)
            raise WaylandError(f"The compositor refused a request on object {oid} (error {code}: {message}).")
        if opcode == 1:
            (oid,) = unpack("u", data)
            self._handlers.pop(int(oid), None)

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None

    def __enter__(self) -> Connection:
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()
