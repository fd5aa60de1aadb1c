"""The XDG desktop portal over D-Bus (jeepney): a method call answered later by a Request's Response signal."""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BUS_NAME = "org.freedesktop.portal.Desktop"
OBJECT = "/org/freedesktop/portal/desktop"
IFACE = "org.freedesktop.portal."
# the one sentence a person reads before the portal's dialog comes up
PERMISSION = ("DeskPilot asks the desktop, once, to let it see the screen and use the mouse and keyboard: choose "
              "Allow in the dialog that opens (and Remember where it is offered), and later runs will not ask again.")
_tokens = itertools.count(1)


class PortalError(RuntimeError):
    """The portal is missing, refused, or the person declined; the message says what to do."""


def token_file() -> Path:
    """Where the RemoteDesktop restore token is kept, beside DeskPilot's config."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "deskpilot" / "portal-restore-token"


def plain(variant: tuple[str, Any]) -> Any:
    """A variant from jeepney, (signature, value), as plain Python: a{sv} dicts and the streams list unwrapped."""
    sig, value = variant
    if sig == "v":
        return plain(value)
    if sig == "a{sv}":
        return {k: plain(v) for k, v in value.items()}
    if sig == "a(ua{sv})":  # ScreenCast/RemoteDesktop streams: (node id, properties)
        return [(node, {k: plain(v) for k, v in props.items()}) for node, props in value]
    return value


@dataclass
class Portal:
    """One connection to the session bus, to the portal's frontend (xdg-desktop-portal)."""

    timeout: float = 120.0  # a Request waits for a person to answer a dialog
    _conn: Any = field(default=None, repr=False)

    def _bus(self) -> Any:
        if self._conn is None:
            try:
                from jeepney.io.blocking import open_dbus_connection
            except ImportError as exc:  # pragma: no cover
                raise PortalError("jeepney is not installed: run `make install`.") from exc
            try:
                self._conn = open_dbus_connection("SESSION")
            except (OSError, KeyError, ValueError) as exc:
                raise PortalError(f"There is no session D-Bus to reach the desktop portal on ({exc}); run inside "
                                  "the desktop session.") from None
        return self._conn

    def call(self, interface: str, method: str, signature: str = "", *args: Any) -> tuple:
        """A plain method call on the portal object; PortalError with the bus's own error text."""
        from jeepney import DBusAddress, MessageType, new_method_call

        msg = new_method_call(DBusAddress(OBJECT, BUS_NAME, IFACE + interface), method, signature or None,
                              args if signature else None)
        reply = self._bus().send_and_get_reply(msg, timeout=30)
        if reply.header.message_type == MessageType.error:
            raise PortalError(f"The desktop portal refused {interface}.{method}: {' '.join(map(str, reply.body))}")
        return reply.body

    def version(self, interface: str) -> int:
        """The portal's version of ``interface``; 0 when the portal (or that part of it) is not there."""
        from jeepney import DBusAddress, MessageType, Properties

        try:
            msg = Properties(DBusAddress(OBJECT, BUS_NAME, IFACE + interface)).get("version")
            reply = self._bus().send_and_get_reply(msg, timeout=10)
        except (PortalError, TimeoutError):
            return 0
        if reply.header.message_type == MessageType.error:
            return 0
        return int(plain(reply.body[0]))

    def request(self, interface: str, method: str, signature: str, args: tuple, options: dict[str, Any]) \
            -> dict[str, Any]:
        """Call a method that answers through a Request object and wait for its Response: the results."""
        from jeepney import MatchRule, message_bus

        conn = self._bus()
        token = f"deskpilot{os.getpid()}_{next(_tokens)}"
        sender = conn.unique_name[1:].replace(".", "_")
        path = f"{OBJECT}/request/{sender}/{token}"
        rule = MatchRule(type="signal", interface="org.freedesktop.portal.Request", member="Response", path=path)
        conn.send_and_get_reply(message_bus.AddMatch(rule), timeout=10)
        with conn.filter(rule) as queue:
            self.call(interface, method, signature, *args, {**options, "handle_token": ("s", token)})
            try:
                signal = conn.recv_until_filtered(queue, timeout=self.timeout)
            except TimeoutError:
                raise PortalError(f"The desktop portal did not answer {interface}.{method} within "
                                  f"{self.timeout:g}s (a dialog left open?).") from None
        code, results = signal.body
        if code == 1:
            raise PortalError(f"{interface}.{method} was declined in the desktop's dialog; run again and choose "
                              "Allow.")
        if code != 0:
            raise PortalError(f"The desktop portal could not carry out {interface}.{method} (response {code}).")
        return {k: plain(v) for k, v in results.items()}

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
