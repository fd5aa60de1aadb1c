"""What the policy reads in text it is shown: destructive shell patterns, recursive deletes, shell syntax in a
command line, programs that run other commands, and folders code may never be given to write."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable
from pathlib import Path

DESTRUCTIVE: tuple[tuple[str, str], ...] = (
    (r"(^|[\s;&|(`'\"])(sudo|doas|pkexec)\s", "runs a command as root"),
    (r"(^|[\s;&|(`'\"])su\s+(-|root)", "switches to root"),
    (r"\bmkfs(\.\w+)?\b|\b(fdisk|sfdisk|parted|gdisk|wipefs|mkswap)\b", "uses a disk tool"),
    (r"\bdd\b[^\n]*\bof=/dev/", "writes to a raw device"),
    (r">\s*/dev/(sd|nvme|hd|vd|mmcblk)", "writes to a raw device"),
    (r"\b(curl|wget|fetch)\b[^\n|]*\|\s*(sudo\s+)?(ba|z|da|k|fi)?sh\b", "pipes a download into a shell"),
    (r"\b(curl|wget)\b[^\n|]*\|\s*(sudo\s+)?python[0-9.]*\b", "pipes a download into Python"),
    (r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:", "is a fork bomb"),
    (r"(^|[\s;&|(`'\"])(shutdown|reboot|poweroff|halt)(\s|$|['\"])", "powers the machine off"),
    (r"\bchmod\s+(-\w*R\w*\s+)?[0-7]*777\s+/(\s|$)", "opens up the whole file system"),
    (r"\bchown\s+-\w*R\w*\s+\S+\s+/(\s|$)", "changes owners across the file system"),
)
RECURSIVE_FLAGS = re.compile(r"^-(\w*[rR]\w*|-recursive)$")
# programs whose arguments are another command: starting one of them is running code, not opening an application
RUNNERS = frozenset("sh bash dash zsh fish ksh mksh csh tcsh busybox env sudo doas pkexec su runuser nohup setsid "
                    "nice ionice timeout xargs exec eval stdbuf chroot unshare nsenter flatpak-spawn systemd-run "
                    "python python2 python3 perl ruby node nodejs php lua tclsh wish osascript pwsh "
                    "xdg-open gio kioclient5 kde-open5 exo-open".split())
# folders no code may be given to write: the system, and DeskPilot's own settings (the policy lives there)
SYSTEM_ROOTS = ("/", "/usr", "/etc", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/boot", "/var",
                "/opt", "/srv", "/proc", "/sys", "/dev", "/run", "/snap")
UNDER_SYSTEM = ("/usr/", "/etc/", "/bin/", "/sbin/", "/lib/", "/lib64/", "/boot/", "/proc/", "/sys/", "/dev/")


def destructive(text: str) -> str:
    """Why ``text`` is destructive (``"runs a command as root"``), or "" when no built-in pattern matches."""
    for pattern, why in DESTRUCTIVE:
        if re.search(pattern, text, re.MULTILINE):
            return why
    return ""


def shell_syntax(command: str) -> str:
    """The first piece of shell syntax in a command line (an operator, a redirection, an expansion), or "".

    Quoted text is an argument, not syntax: ``chromium 'https://x/?a=1&b=2'`` holds none. ``$`` and backticks
    still expand inside double quotes, so they count there too."""
    quote = ""
    for ch in command:
        if ch == "\n":
            return "a line break"
        if quote == "'":
            quote = "" if ch == "'" else quote
        elif ch in "$`":
            return f"the expansion {ch!r}"
        elif quote == '"':
            quote = "" if ch == '"' else quote
        elif ch in "'\"":
            quote = ch
        elif ch in ";&|<>(){}":
            return f"the operator {ch!r}"
    return "an unclosed quote" if quote else ""


def runs_commands(prog: str) -> bool:
    """Whether a program runs the command in its arguments (a shell, an interpreter; ``python3.11`` too)."""
    return prog in RUNNERS or re.sub(r"[0-9.]+$", "", prog) in RUNNERS


def program(command: str) -> str:
    """The program a command line starts (its first word's base name), or "" when it cannot be read."""
    try:
        words = shlex.split(command)
    except ValueError:
        return ""
    return os.path.basename(words[0]) if words else ""


def deletes_outside(code: str, inside: Callable[[str], bool]) -> str:
    """The first path a recursive ``rm`` or ``shutil.rmtree`` would delete for which ``inside(path)`` is False."""
    for segment in re.split(r"[;&|\n()`]+", code):
        try:
            words = shlex.split(segment, comments=True)
        except ValueError:
            words = segment.split()
        for i, word in enumerate(words):
            if os.path.basename(word) != "rm":
                continue
            args = words[i + 1:]
            if any(RECURSIVE_FLAGS.match(a) for a in args):
                for target in (a for a in args if not a.startswith("-")):
                    if not inside(target):
                        return target
    for match in re.finditer(r"rmtree\(\s*(?:r?(['\"])(.*?)\1|([^)]*))", code):
        target = match.group(2) if match.group(2) is not None else match.group(3).strip()
        if match.group(2) is None or not inside(target):
            return target
    return ""


def resolve_folder(path: str, workdir: str) -> str:
    """A declared folder as an absolute, normalised path (``~`` expanded, relative ones under the work folder)."""
    expanded = os.path.expanduser(path.strip())
    if not os.path.isabs(expanded):
        expanded = os.path.join(workdir or os.getcwd(), expanded)
    return os.path.realpath(expanded)


def forbidden_write(folder: str, protected: tuple[str, ...] = ()) -> str:
    """Why code may never be given ``folder`` (absolute) to write, or "": a system folder, or one holding a
    protected folder (DeskPilot's settings)."""
    if folder in SYSTEM_ROOTS or folder.startswith(UNDER_SYSTEM):
        return f"{folder} is a system folder"
    if folder == os.path.realpath(Path.home()):
        return f"{folder} is the whole home folder"
    for kept in protected:
        if kept == folder or kept.startswith(folder.rstrip("/") + "/") or folder.startswith(kept.rstrip("/") + "/"):
            return f"{folder} holds DeskPilot's own settings"
    return ""
