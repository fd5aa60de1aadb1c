"""An accessibility bus for a display: a session D-Bus and the AT-SPI bus launcher, so applications started
with ``app_env()`` publish their accessibility trees (Qt, GTK, Chromium with renderer accessibility)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field

from app.desktop.processes import stop_group

LAUNCHERS = ("/usr/libexec/at-spi-bus-launcher", "/usr/lib/at-spi2-core/at-spi-bus-launcher")


# the toolkits' own switches for publishing a tree (Chromium follows QT_ACCESSIBILITY too): a desktop's bus alone
# is not enough where its accessibility is not switched on for every application
PUBLISH = {"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1", "QT_ACCESSIBILITY": "1", "GTK_MODULES": "gail:atk-bridge",
           "NO_AT_BRIDGE": "0"}


def app_env(address: str) -> dict[str, str]:
    """What an application needs to publish its tree on the session bus at ``address`` (nothing for none)."""
    return {"DBUS_SESSION_BUS_ADDRESS": address, **PUBLISH} if address else {}


def chromium_flags(address: str) -> list[str]:
    """Chromium's flags for publishing its pages' trees on the bus at ``address`` (none for no bus): Chromium
    builds renderer accessibility only when asked, so a page is an empty document on the bus otherwise."""
    return ["--force-renderer-accessibility"] if address else []


class A11yUnavailable(RuntimeError):
    """The accessibility bus cannot be started here; the message says what to install."""


@dataclass
class AccessibilityBus:
    display: str
    address: str = ""
    _dbus_pid: int = 0
    _launcher: subprocess.Popen | None = field(default=None, repr=False)

    def start(self) -> AccessibilityBus:
        launcher = next((p for p in LAUNCHERS if os.path.exists(p)), None)
        if shutil.which("dbus-daemon") is None or launcher is None:
            raise A11yUnavailable("AT-SPI is not installed: run `make install` (packages dbus and at-spi2-core).")
        env = {**os.environ, "DISPLAY": self.display}
        out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"], env=env,
                             capture_output=True, text=True, timeout=10).stdout.split()
        self.address, self._dbus_pid = out[0], int(out[1])
        self._launcher = subprocess.Popen([launcher, "--launch-immediately"], env=self.env(),
                                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                          start_new_session=True)
        time.sleep(0.3)
        return self

    def env(self) -> dict[str, str]:
        return {**os.environ, "DISPLAY": self.display, "DBUS_SESSION_BUS_ADDRESS": self.address}

    def app_env(self) -> dict[str, str]:
        """What an application needs to publish its tree on this bus."""
        return app_env(self.address)

    def stop(self) -> None:
        if self._launcher:
            stop_group(self._launcher)
            self._launcher = None
        if self._dbus_pid:
            try:
                os.kill(self._dbus_pid, 15)
            except ProcessLookupError:
                pass
            self._dbus_pid = 0
            _remove_socket(self.address)


def _remove_socket(address: str) -> None:
    """Remove the socket file of the stopped bus at ``address`` (the session config puts it in /tmp): a daemon that
    was killed cannot remove it itself, and a desktop's end kills whatever has its DISPLAY, this bus included."""
    path = next((part[len("unix:path="):] for part in address.split(",") if part.startswith("unix:path=")), "")
    if path:
        try:
            os.unlink(path)
        except FileNotFoundError:  # the daemon removed it on its way out
            pass
