"""AT-SPI over D-Bus, pipelined: many calls in flight at once instead of one round trip per node.

Walking a tree node by node through libatspi costs a D-Bus round trip (client -> bus daemon -> application and
back) for every role, name, state and box. Here a whole batch of calls is written before the first reply is read,
so a level of the tree costs about one round trip. Pure Python (jeepney); no GObject bindings, no reader process.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jeepney import DBusAddress, HeaderFields, MessageType, new_method_call
from jeepney.io.blocking import DBusConnection, open_dbus_connection

ROOT = "/org/a11y/atspi/accessible/root"
REGISTRY = "org.a11y.atspi.Registry"
ACCESSIBLE = "org.a11y.atspi.Accessible"
WINDOW = 512  # calls in flight at most: the bus daemon queues replies while we are still writing
PATIENCE = 2.0  # seconds without a reply before the applications still owing replies count as hung
HUNG_FOR = 15.0  # seconds a hung application is left out of reads (its main loop may be blocked on a service)


class BusError(RuntimeError):
    """No accessibility bus answers; the message says where we looked."""


@dataclass(frozen=True)
class Call:
    """One method call on one accessible object: ``path`` on the application ``bus`` name."""

    bus: str
    path: str
    interface: str
    method: str
    signature: str = ""
    args: tuple = ()


@dataclass(frozen=True)
class Failed:
    """The reply to a call that failed (the object went away, or it lacks the interface)."""

    error: str


def prop(bus: str, path: str, interface: str, name: str) -> Call:
    """A D-Bus property read as a call."""
    return Call(bus, path, "org.freedesktop.DBus.Properties", "Get", "ss", (interface, name))


def bus_address(session: str = "", display: str = "", direct: str = "") -> str:
    """The AT-SPI bus: ``direct`` when given, else asked of the ``session`` bus, else the X root window's
    AT_SPI_BUS on ``display``. Nothing is read from the environment: the caller knows which desktop it means."""
    if direct:
        return direct
    if session:
        try:
            with open_dbus_connection(session) as conn:
                msg = new_method_call(DBusAddress("/org/a11y/bus", "org.a11y.Bus", "org.a11y.Bus"), "GetAddress")
                reply = conn.send_and_get_reply(msg, timeout=3)
            if reply.header.message_type == MessageType.method_return and reply.body[0]:
                return reply.body[0]
        except (OSError, TimeoutError, ValueError):
            pass
    found = _x_root_address(display)
    if found:
        return found
    raise BusError(f"no accessibility bus answers (session bus {session or 'not set'}, display {display or 'not set'})")


def _x_root_address(display: str) -> str:
    if not display or shutil.which("xprop") is None:
        return ""
    try:
        out = subprocess.run(["xprop", "-display", display, "-root", "AT_SPI_BUS"], capture_output=True, text=True,
                             timeout=3).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.split("=", 1)[1].strip().strip('"') if "=" in out and "not found" not in out else ""


class Wire:
    """A connection to the AT-SPI bus that answers batches of calls."""

    def __init__(self, address: str) -> None:
        try:
            self.conn: DBusConnection = open_dbus_connection(address)
        except (OSError, ValueError) as exc:
            raise BusError(f"the accessibility bus at {address} does not answer ({exc})") from exc
        self.address = address
        self.hung: dict[str, float] = {}  # application bus name -> when it stopped answering

    def applications(self) -> list[tuple[str, str]]:
        """(bus name, root path) of every application registered on the bus."""
        (apps,) = self.many([Call(REGISTRY, ROOT, ACCESSIBLE, "GetChildren")], timeout=3)
        if isinstance(apps, Failed):
            raise BusError(f"the accessibility registry does not answer ({apps.error})")
        return [tuple(a) for a in apps]  # type: ignore[misc]

    def answering(self, bus: str) -> bool:
        """False while ``bus`` is an application that recently stopped answering."""
        since = self.hung.get(bus)
        if since is None:
            return True
        if time.monotonic() - since > HUNG_FOR:
            del self.hung[bus]
            return True
        return False

    def many(self, calls: Sequence[Call], timeout: float = PATIENCE) -> list[Any]:
        """Every call's first reply value (or Failed), in order; at most WINDOW calls are in flight. Calls to an
        application that stopped answering fail at once (``Failed("hung")``) for a while."""
        out: list[Any] = [Failed("hung")] * len(calls)
        live = [(i, c) for i, c in enumerate(calls) if self.answering(c.bus)]
        if len(live) < len(calls):
            got = self._many([c for _, c in live], timeout)
            for (i, _), value in zip(live, got, strict=True):
                out[i] = value
            return out
        return self._many(calls, timeout)

    def _many(self, calls: Sequence[Call], timeout: float) -> list[Any]:
        out: list[Any] = [None] * len(calls)
        pending: dict[int, int] = {}
        todo = iter(enumerate(calls))
        self._send_all(_take(todo, WINDOW), pending)
        while pending:
            try:
                msg = self.conn.receive(timeout=timeout)
            except TimeoutError:  # an application that stopped answering: its calls fail, the rest stand
                now = time.monotonic()
                for i in list(pending.values()):
                    self.hung.setdefault(calls[i].bus, now)
                for i in list(pending.values()) + [i for i, _ in todo]:
                    out[i] = Failed("timeout")
                return out
            i = pending.pop(msg.header.fields.get(HeaderFields.reply_serial, -1), -1)
            if i < 0:
                continue  # a signal or a late reply to a call we gave up on
            out[i] = _value(msg)
            if len(pending) < WINDOW // 2:
                self._send_all(_take(todo, WINDOW - len(pending)), pending)
        return out

    def _send_all(self, batch: list[tuple[int, Call]], pending: dict[int, int]) -> None:
        """Write a batch of calls in one system call (a write per message costs as much as building it)."""
        data = []
        for i, call in batch:
            serial = next(self.conn.outgoing_serial)
            data.append(method_call(call, serial))
            pending[serial] = i
        if data:
            self.conn.sock.sendall(b"".join(data))

    def close(self) -> None:
        self.conn.close()


def method_call(call: Call, serial: int) -> bytes:
    """A D-Bus method call message, little-endian, built by hand: jeepney's general serialiser costs several
    times more, and a tree read sends thousands of these."""
    body = _body(call.signature, call.args)
    parts = [_field(1, "o", call.path), _field(2, "s", call.interface), _field(3, "s", call.method),
             _field(6, "s", call.bus)] + ([_field(8, "g", call.signature)] if call.signature else [])
    fields = b"".join(p + b"\0" * (-len(p) % 8) for p in parts[:-1]) + parts[-1]  # no padding after the last
    head = struct.pack("<cBBBIII", b"l", 1, 0, 1, len(body), serial, len(fields))
    blob = head + fields
    return blob + b"\0" * (-len(blob) % 8) + body


def _field(code: int, kind: str, value: str) -> bytes:
    raw = value.encode()
    head = struct.pack("<BB", code, 1) + kind.encode() + b"\0"
    if kind == "g":
        data = struct.pack("<B", len(raw)) + raw + b"\0"
    else:
        data = struct.pack("<I", len(raw)) + raw + b"\0"
    return head + b"\0" * (-len(head) % 4 if kind != "g" else 0) + data


def _body(signature: str, args: tuple) -> bytes:
    out = b""
    for kind, value in zip(signature, args, strict=True):
        if kind in "iu":
            out += b"\0" * (-len(out) % 4) + struct.pack("<i" if kind == "i" else "<I", value)
        elif kind == "s":
            raw = value.encode()
            out += b"\0" * (-len(out) % 4) + struct.pack("<I", len(raw)) + raw + b"\0"
        else:
            raise ValueError(f"no hand serialiser for D-Bus type {kind!r}")
    return out


def _take(it: Iterable, n: int) -> list:
    out = []
    for item in it:
        out.append(item)
        if len(out) >= n:
            break
    return out


def _value(msg: Any) -> Any:
    if msg.header.message_type == MessageType.error:
        return Failed(str(msg.header.fields.get(HeaderFields.error_name, "error")))
    body = msg.body
    if not body:
        return None
    value = body[0]
    if isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], str) and len(body) == 1 \
            and msg.header.fields.get(HeaderFields.signature) == "v":
        return value[1]  # a Properties.Get variant: (signature, value)
    return value if len(body) == 1 else body
