"""HeadlessSway: a sway compositor on wlroots' headless backend, for tests, CI and `--headless --session wayland`.

sway refuses to run as root, so as root it runs as the unprivileged user the installer creates (``deskpilot``,
or $DESKPILOT_WAYLAND_USER); its runtime folder is private to it, and we reach its sockets by absolute path.
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from app.desktop.processes import stop_group
from app.desktop.xvfb import DisplayError

DEFAULT_USER = "deskpilot"
CONFIG = """xwayland disable
default_border none
default_floating_border none
focus_follows_mouse no
"""


def headless_user() -> pwd.struct_passwd | None:
    """The account sway runs under: None when we are not root (sway then runs as us)."""
    if os.geteuid() != 0:
        return None
    name = os.environ.get("DESKPILOT_WAYLAND_USER", DEFAULT_USER)
    try:
        return pwd.getpwnam(name)
    except KeyError:
        raise DisplayError(f"sway will not run as root and there is no user {name!r} to run it as: run `make "
                           f"install` (it creates one), or `useradd --system {name}`.") from None


@dataclass
class HeadlessSway:
    """``with HeadlessSway(1280, 800, scale=2, outputs=2) as sway:`` gives ``sway.display`` (a socket path).

    Each output shows ``width`` x ``height`` logical pixels at ``scale`` (its mode is ``scale`` times that in
    device pixels); outputs sit side by side, HEADLESS-1 leftmost.
    """

    width: int = 1280
    height: int = 800
    scale: float = 1.0
    outputs: int = 1
    display: str = ""
    runtime_dir: str = ""
    process: subprocess.Popen | None = field(default=None, repr=False)

    def start(self, timeout: float = 15.0) -> HeadlessSway:
        if shutil.which("sway") is None:
            raise DisplayError("sway is not installed: run `make install` (or `apt-get install sway grim wtype`).")
        user = headless_user()
        self.runtime_dir = tempfile.mkdtemp(prefix="deskpilot-wl-")
        config = Path(self.runtime_dir) / "config"
        config.write_text(CONFIG + "".join(self._output_line(i) for i in range(1, self.outputs + 1)))
        if user is not None:
            for path in (self.runtime_dir, config):
                os.chown(path, user.pw_uid, user.pw_gid)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": self.runtime_dir,
               "XDG_RUNTIME_DIR": self.runtime_dir, "WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1",
               "WLR_RENDERER": "pixman", "WLR_HEADLESS_OUTPUTS": str(self.outputs)}
        self.process = subprocess.Popen(["sway", "-c", str(config)], env=env, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.PIPE, start_new_session=True,
                                        user=user.pw_uid if user else None, group=user.pw_gid if user else None,
                                        extra_groups=[] if user else None)
        try:
            self._wait_ready(timeout)
        except DisplayError:
            self.stop()
            raise
        return self

    def _output_line(self, i: int) -> str:
        w, h = round(self.width * self.scale), round(self.height * self.scale)
        return (f"output HEADLESS-{i} mode {w}x{h} position {(i - 1) * self.width} 0 scale {self.scale:g}\n")

    def _wait_ready(self, timeout: float) -> None:
        """Until both sockets exist and sway reports every output at its configured size."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process is not None
            if self.process.poll() is not None:
                raise DisplayError(f"sway did not start ({self._stderr_tail() or 'no output'}).")
            sockets = [p for p in Path(self.runtime_dir).glob("wayland-*") if not p.name.endswith(".lock")]
            if sockets and self._ipc_socket() and self._outputs_ready():
                self.display = str(sockets[0])
                return
            time.sleep(0.1)
        raise DisplayError(f"sway did not bring up {self.outputs} output(s) within {timeout:g}s.")

    def _outputs_ready(self) -> bool:
        try:
            outputs = self.ipc("get_outputs")
        except DisplayError:
            return False
        want = {(o["rect"]["width"], o["rect"]["height"]) for o in outputs if o.get("active")}
        return len(outputs) >= self.outputs and want == {(self.width, self.height)}

    def _ipc_socket(self) -> str:
        found = sorted(Path(self.runtime_dir).glob("sway-ipc.*.sock"))
        return str(found[0]) if found else ""

    def ipc(self, kind: str, command: str = "") -> list:
        """``swaymsg -t KIND [COMMAND]``: get_outputs, get_tree, or a command such as ``focus output HEADLESS-2``."""
        args = ["swaymsg", "-s", self._ipc_socket(), "-r", "-t", kind, *([command] if command else [])]
        proc = subprocess.run(args, capture_output=True, text=True, timeout=10)
        if proc.returncode != 0:
            raise DisplayError(f"swaymsg {kind} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        data = json.loads(proc.stdout or "[]")
        return data if isinstance(data, list) else [data]

    def focus_output(self, index: int) -> None:
        """New windows open on output ``index`` (1 = HEADLESS-1) from now on."""
        self.ipc("command", f"focus output HEADLESS-{index}")

    def _stderr_tail(self) -> str:
        if self.process is None or self.process.stderr is None or self.process.poll() is None:
            return ""
        lines = self.process.stderr.read().decode(errors="replace").strip().splitlines()
        return next((line for line in reversed(lines) if "[ERROR]" in line), lines[-1] if lines else "")

    def env(self) -> dict[str, str]:
        """What a Wayland client of this compositor needs: its socket, runtime folder and IPC socket."""
        return {"WAYLAND_DISPLAY": self.display, "XDG_RUNTIME_DIR": self.runtime_dir, "SWAYSOCK": self._ipc_socket()}

    def stop(self) -> None:
        if self.process is not None:
            stop_group(self.process)
            if self.process.stderr:
                self.process.stderr.close()
            self.process = None
        if self.runtime_dir:
            shutil.rmtree(self.runtime_dir, ignore_errors=True)
            self.runtime_dir = ""

    def __enter__(self) -> HeadlessSway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
