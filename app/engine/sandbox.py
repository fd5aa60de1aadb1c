"""Model-written code in a sandbox: bubblewrap (Debian's ``bubblewrap``) with the system read-only, a private /tmp,
no network unless the code declared it needs it (and the policy allowed it), and only the work folder plus the
folders the code declared (``writes``) writable. DeskPilot's settings folder (which may hold the API key) and the
session's runtime folder (D-Bus, the keyring) are replaced by empty ones, and the X display is out of reach (its
socket lives in /tmp and in the network namespace), so code can neither read the key nor type into windows.

Where bubblewrap is missing or cannot make namespaces here, ``find_sandbox`` says so in one sentence; the policy
then asks a person before any code runs unconfined.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Bubblewrap:
    """Wraps a command line so it runs inside bubblewrap."""

    path: str
    name: str = "bubblewrap"

    def wrap(self, argv: list[str], *, workdir: str, writes: tuple[str, ...] = (), network: bool = False,
             env: dict[str, str] | None = None) -> list[str]:
        """The bwrap command line that runs ``argv`` in ``workdir`` with only ``workdir`` and ``writes`` writable."""
        args = [self.path, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/tmp",
                "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
        if network:
            args.append("--share-net")
        for folder in hidden_folders():
            if os.path.isdir(folder):
                args += ["--tmpfs", folder]
        for folder in dict.fromkeys((workdir, *writes)):  # later binds win over the tmpfs above them
            args += ["--bind", folder, folder]
        for key, value in (env or {}).items():
            args += ["--setenv", key, value]
        return args + ["--chdir", workdir, "--", *argv]


def hidden_folders() -> tuple[str, ...]:
    """What code must not see: DeskPilot's settings folder, the session's runtime folder, the system bus."""
    from models.settings import config_path

    runtime = os.environ.get("XDG_RUNTIME_DIR") or f"/run/user/{os.getuid()}"
    return tuple(dict.fromkeys((str(config_path().parent), runtime, "/run/dbus")))


@functools.cache
def find_sandbox() -> tuple[Bubblewrap | None, str]:
    """The sandbox code runs in, and a sentence saying which (or why there is none and what to install)."""
    path = shutil.which("bwrap")
    if path is None:
        return None, ("No sandbox: bubblewrap is not installed, so every code run asks first and runs unconfined; "
                      "install it with `make install` (apt package bubblewrap).")
    probe = Bubblewrap(path=path).wrap(["true"], workdir="/")
    try:
        proc = subprocess.run(probe, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired) as exc:
        proc = subprocess.CompletedProcess(probe, 1, "", str(exc))
    if proc.returncode != 0:
        why = (proc.stderr or "").strip().splitlines()[-1:] or [f"status {proc.returncode}"]
        return None, (f"No sandbox: bubblewrap cannot create namespaces here ({why[0]}), so every code run asks "
                      "first and runs unconfined; allow unprivileged user namespaces (sysctl "
                      "kernel.unprivileged_userns_clone=1) or run where they are allowed.")
    return Bubblewrap(path=path), (f"bubblewrap at {path}: code runs with the system read-only, a private /tmp, "
                                   "no network and only its declared folders writable")
