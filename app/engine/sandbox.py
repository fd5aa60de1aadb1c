"""Model-written code in a sandbox: bubblewrap (Debian's ``bubblewrap``) with the system read-only, /tmp read-only,
no network unless the code declared it needs it (and the policy allowed it), and only the work folder plus the
folders the code declared (``writes``) writable. DeskPilot's settings folder (which may hold the API key) and the
session's runtime folder (D-Bus, the keyring) are replaced by empty ones, and the X display is out of reach (its
socket lives in /tmp and in the network namespace), so code can neither read the key nor type into windows.

The person's files are there to read, /tmp's too, as a person expects (``cat /tmp/report.txt``): /tmp is shown
read-only, its sockets (an ssh agent, a browser's) covered and the display servers' socket folders (.X11-unix)
emptied; scratch files go to a private $TMPDIR that is gone when the code ends.

Where bubblewrap is missing or cannot make namespaces here, ``find_sandbox`` says so in one sentence; the policy
then asks a person before any code runs unconfined.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass

SCRATCH = "/dev/shm"  # the private $TMPDIR, in the sandbox's own /dev: /tmp itself is the person's, read-only
TRIES = 3  # builds of the sandbox: /tmp changes under it (a socket it covers goes away meanwhile)
UNBUILT = "bwrap: "  # what bubblewrap says when it could not build the sandbox, before anything ran in it
SOCKET_DEPTH = 3  # folders below /tmp searched for sockets to cover (where agents and browsers put theirs)


@dataclass(frozen=True, kw_only=True)
class Bubblewrap:
    """Wraps a command line so it runs inside bubblewrap."""

    path: str
    name: str = "bubblewrap"

    def wrap(self, argv: list[str], *, workdir: str, writes: tuple[str, ...] = (), network: bool = False,
             env: dict[str, str] | None = None) -> list[str]:
        """The bwrap command line that runs ``argv`` in ``workdir`` with only ``workdir`` and ``writes`` writable."""
        args = [self.path, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", *read_only_tmp(),
                "--tmpfs", SCRATCH, "--unshare-all", "--die-with-parent", "--new-session", "--clearenv"]
        if network:
            args.append("--share-net")
        for folder in hidden_folders():
            if os.path.isdir(folder):
                args += ["--tmpfs", folder]
        for folder in dict.fromkeys((workdir, *writes)):  # later binds win over the tmpfs above them
            args += ["--bind", folder, folder]
        for key, value in {"TMPDIR": SCRATCH, **(env or {})}.items():
            args += ["--setenv", key, value]
        return args + ["--chdir", workdir, "--", *argv]


def read_only_tmp(root: str = "/tmp") -> list[str]:
    """bwrap arguments that show ``root`` read-only with its sockets covered by /dev/null and its socket folders
    (.X11-unix, .ICE-unix) empty: code reads the person's files there but reaches no server through it."""
    args = ["--ro-bind", root, root]
    for path, is_dir in _sockets(root, SOCKET_DEPTH):
        args += ["--tmpfs", path] if is_dir else ["--ro-bind-try", "/dev/null", path]  # a socket may go meanwhile
    return args


def _sockets(folder: str, depth: int) -> list[tuple[str, bool]]:
    """The sockets under ``folder`` (False) and the folders of display sockets, named ``*-unix`` (True)."""
    found: list[tuple[str, bool]] = []
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return found
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                if entry.name.endswith("-unix"):
                    found.append((entry.path, True))
                elif depth > 0 and _enterable(entry.stat(follow_symlinks=False)):
                    found += _sockets(entry.path, depth - 1)
            elif stat.S_ISSOCK(entry.stat(follow_symlinks=False).st_mode):
                found.append((entry.path, False))
        except OSError:
            continue
    return found


def _enterable(st: os.stat_result) -> bool:
    """Whether code in the sandbox can pass through a folder of these permissions: by its owner's, group's or
    others' execute bit alone, as a process of this user without root's privileges over files (which the sandbox's
    namespaces take away). Sockets in a folder it cannot enter are out of its reach already; and bubblewrap cannot
    cover them, so trying fails the whole sandbox (a headless sway session's own 0700 runtime folder, owned by the
    user it runs as, made every code run fail)."""
    if st.st_uid == os.geteuid():
        return bool(st.st_mode & stat.S_IXUSR)
    if st.st_gid in (os.getegid(), *os.getgroups()):
        return bool(st.st_mode & stat.S_IXGRP)
    return bool(st.st_mode & stat.S_IXOTH)


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
    for _ in range(TRIES):
        probe = Bubblewrap(path=path).wrap(["true"], workdir="/")
        try:
            proc = subprocess.run(probe, capture_output=True, text=True, timeout=10)
        except (OSError, subprocess.TimeoutExpired) as exc:
            proc = subprocess.CompletedProcess(probe, 1, "", str(exc))
        if not proc.stderr.startswith(UNBUILT):
            break
    if proc.returncode != 0:
        why = (proc.stderr or "").strip().splitlines()[-1:] or [f"status {proc.returncode}"]
        return None, (f"No sandbox: bubblewrap cannot create namespaces here ({why[0]}), so every code run asks "
                      "first and runs unconfined; allow unprivileged user namespaces (sysctl "
                      "kernel.unprivileged_userns_clone=1) or run where they are allowed.")
    return Bubblewrap(path=path), (f"bubblewrap at {path}: code runs with the system and the person's "
                                   "files read-only (/tmp too), no network and only its declared folders writable")
