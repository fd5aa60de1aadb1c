"""A loopback RemoteDesktop, ScreenCast and GlobalShortcuts portal on a private session bus (the real protocol).

No wlroots portal implements RemoteDesktop, so this stands in for GNOME's or KDE's: it answers each Request
with a Response signal as the real frontend does and records every Notify* call for the test to check.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

OBJECT = "/org/freedesktop/portal/desktop"


@dataclass
class FakePortal:
    address: str
    streams: list[tuple[int, tuple[int, int], tuple[int, int]]]  # node, position, size
    token: str = "restore-1"
    calls: list[tuple[str, tuple]] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> FakePortal:
        from jeepney import message_bus
        from jeepney.io.blocking import open_dbus_connection

        self._conn = open_dbus_connection(self.address)
        self._conn.send_and_get_reply(message_bus.RequestName("org.freedesktop.portal.Desktop"), timeout=5)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        return self

    def _serve(self) -> None:
        from jeepney import MessageType

        while not self._stop.is_set():
            try:
                msg = self._conn.receive(timeout=0.1)
            except TimeoutError:
                continue
            if msg.header.message_type == MessageType.method_call:
                self._handle(msg)

    def _handle(self, msg: Any) -> None:
        from jeepney import DBusAddress, new_method_return, new_signal
        from jeepney.low_level import HeaderFields

        fields = msg.header.fields
        member, body = fields[HeaderFields.member], msg.body
        self.calls.append((member, body))
        if member == "Get":  # Properties.Get(interface, "version")
            self._conn.send(new_method_return(msg, "v", (("u", 2),)))
            return
        if member.startswith("Notify") or member == "Close":
            self._conn.send(new_method_return(msg))
            return
        options = body[-1]
        sender = fields[HeaderFields.sender][1:].replace(".", "_")
        path = f"{OBJECT}/request/{sender}/{options['handle_token'][1]}"
        self._conn.send(new_method_return(msg, "o", (path,)))
        results = self._results(member, options)
        signal = new_signal(DBusAddress(path, interface="org.freedesktop.portal.Request"), "Response", "ua{sv}",
                            (0, results))
        self._conn.send(signal)

    def _results(self, member: str, options: dict) -> dict:
        if member == "CreateSession":
            return {"session_handle": ("o", f"{OBJECT}/session/x/{options['session_handle_token'][1]}")}
        if member == "Start":
            streams = [(node, {"position": ("(ii)", pos), "size": ("(ii)", size)}) for node, pos, size in self.streams]
            return {"devices": ("u", 3), "streams": ("a(ua{sv})", streams), "restore_token": ("s", self.token)}
        return {}

    def activate(self, session: str, shortcut: str) -> None:
        """Emit GlobalShortcuts.Activated, as the desktop does when the person presses a bound shortcut."""
        from jeepney import DBusAddress, new_signal

        addr = DBusAddress(OBJECT, interface="org.freedesktop.portal.GlobalShortcuts")
        self._conn.send(new_signal(addr, "Activated", "osta{sv}", (session, shortcut, 0, {})))

    def sessions(self) -> list[str]:
        return [f"{OBJECT}/session/x/{body[0]['session_handle_token'][1]}" for member, body in self.calls
                if member == "CreateSession"]

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join(timeout=2)
        self._conn.close()
