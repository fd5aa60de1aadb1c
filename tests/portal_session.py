"""A real desktop-portal stack on a headless sway for tests: a private session D-Bus, PipeWire (which
xdg-desktop-portal-wlr needs even for screenshots), and xdg-desktop-portal activated from that bus."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.desktop.processes import stop_group
from app.desktop.wayland.sway import HeadlessSway

PORTAL = Path("/usr/libexec/xdg-desktop-portal")


def portal_missing() -> str:
    """Why the portal stack cannot be started here ('' when it can)."""
    for tool in ("sway", "dbus-daemon", "pipewire"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed"
    if not PORTAL.exists() or not Path("/usr/libexec/xdg-desktop-portal-wlr").exists():
        return "xdg-desktop-portal and xdg-desktop-portal-wlr are not installed"
    return ""


@contextmanager
def portal_bus(sway: HeadlessSway) -> Iterator[str]:
    """Yield the address of a session bus on which the portal serves ``sway``; stops everything afterwards."""
    # NO_AT_BRIDGE and GTK_A11Y: the GTK portal (Access) must not wait on an accessibility bus this bus lacks
    env = {**os.environ, **sway.env(), "XDG_CURRENT_DESKTOP": "sway", "XDG_SESSION_TYPE": "wayland",
           "NO_AT_BRIDGE": "1", "GTK_A11Y": "none", "GIO_USE_VFS": "local"}
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"], env=env,
                         capture_output=True, text=True, timeout=10).stdout.split()
    address, dbus_pid = out[0], int(out[1])
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    pipewire = subprocess.Popen(["pipewire"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                start_new_session=True)
    try:
        socket = Path(sway.runtime_dir) / "pipewire-0"
        deadline = time.monotonic() + 10
        while not socket.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the socket appears a moment before PipeWire takes clients
        # started here rather than activated by the bus: activated, its start-up now and then stalls for the
        # bus's 25 s call timeout
        frontend = subprocess.Popen([str(PORTAL)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                    start_new_session=True)
        _start_portal(address)
        yield address
    finally:
        if "frontend" in locals():
            stop_group(frontend)
        stop_group(pipewire)
        _stop_bus_services(address)
        os.kill(dbus_pid, signal.SIGTERM)


def _start_portal(address: str, timeout: float = 30.0) -> None:
    """Activate the portal and wait until it serves Screenshot, so a test's first call is not its start-up."""
    from jeepney import DBusAddress, MessageType, Properties
    from jeepney.io.blocking import open_dbus_connection

    conn = open_dbus_connection(address)
    msg = Properties(DBusAddress("/org/freedesktop/portal/desktop", "org.freedesktop.portal.Desktop",
                                 "org.freedesktop.portal.Screenshot")).get("version")
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                if conn.send_and_get_reply(msg, timeout=timeout).header.message_type != MessageType.error:
                    return
            except TimeoutError:
                break
            time.sleep(0.2)
    finally:
        conn.close()


def _stop_bus_services(address: str) -> None:
    """The portal processes the bus activated inherit its address; end them by that mark."""
    needle = f"DBUS_SESSION_BUS_ADDRESS={address}\0".encode()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle in (entry / "environ").read_bytes():
                os.kill(int(entry.name), signal.SIGTERM)
        except (OSError, PermissionError):
            continue
