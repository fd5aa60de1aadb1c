"""The desktop's installed applications, read from their .desktop entries (XDG): the programs ``open`` may start
without asking, and the terminal emulators (typing into one is code). Entries that are hidden, run in a terminal
(``Terminal=true``: vim, python) or start a program that runs other commands (``sh -c``) are not applications to
start freely; the policy judges those as code."""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.rules import runs_commands

# terminal emulators by program and window class, for desktops whose entries do not say TerminalEmulator
KNOWN_TERMINALS = frozenset(
    "xterm uxterm lxterm gnome-terminal gnome-terminal-server kgx org.gnome.console konsole xfce4-terminal "
    "mate-terminal lxterminal qterminal terminator tilix alacritty kitty foot footclient wezterm wezterm-gui "
    "urxvt rxvt rxvt-unicode st st-256color sakura terminology guake tilda yakuake cool-retro-term "
    "deepin-terminal ptyxis blackbox-terminal x-terminal-emulator".split())


@dataclass(frozen=True, kw_only=True)
class DesktopApps:
    """Programs of the installed applications, and the names (programs, window classes) of terminal emulators."""

    programs: frozenset[str] = frozenset()
    terminals: frozenset[str] = KNOWN_TERMINALS

    def is_terminal(self, window_class: str) -> bool:
        """Whether a window class (``"xterm xterm"``, ``"gnome-terminal-server gnome-terminal"``) is a terminal."""
        return any(name in self.terminals for name in window_class.lower().split())


def entry_dirs() -> list[Path]:
    """Where .desktop entries live: $XDG_DATA_HOME/applications, then each of $XDG_DATA_DIRS."""
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    dirs = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
    return [Path(d) / "applications" for d in [home, *dirs.split(":")] if d]


def read_entry(path: Path) -> dict[str, str]:
    """The keys of an entry's [Desktop Entry] group ({} when it cannot be read)."""
    out: dict[str, str] = {}
    group = ""
    try:
        lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return out
    for line in lines:
        line = line.strip()
        if line.startswith("["):
            group = line
        elif group == "[Desktop Entry]" and "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            out.setdefault(key.strip(), value.strip())
    return out


def exec_program(line: str) -> str:
    """The program an Exec line starts (``/usr/bin/chromium %U`` -> ``chromium``), past ``env VAR=...``."""
    try:
        words = [w for w in shlex.split(line) if not w.startswith("%")]
    except ValueError:
        return ""
    while words and (os.path.basename(words[0]) == "env" or re.match(r"^\w+=", words[0])):
        words = words[1:]
    return os.path.basename(words[0]) if words else ""


def _entries() -> Iterator[dict[str, str]]:
    for folder in entry_dirs():
        if folder.is_dir():
            for path in sorted(folder.rglob("*.desktop")):
                yield read_entry(path)


def installed() -> DesktopApps:
    """The installed applications and terminal emulators of this desktop."""
    programs: set[str] = set()
    terminals: set[str] = set(KNOWN_TERMINALS)
    for entry in _entries():
        prog = exec_program(entry.get("Exec", ""))
        if not prog or entry.get("Type", "Application") != "Application":
            continue
        if "TerminalEmulator" in entry.get("Categories", "").split(";"):
            terminals |= {prog.lower(), entry.get("StartupWMClass", "").lower()} - {""}
        hidden = entry.get("Hidden") == "true" or entry.get("Terminal") == "true"
        if not hidden and not runs_commands(prog):
            programs.add(prog)
    return DesktopApps(programs=frozenset(programs), terminals=frozenset(terminals))
