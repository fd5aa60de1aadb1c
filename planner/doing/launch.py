"""What "open X" starts when nothing on the screen is called X: a program on the PATH, the program of an installed
application whose desktop entry is named X ("open Text Editor"), or a file, opened by the desktop's default
application."""

from __future__ import annotations

import os
import shlex
import shutil
from pathlib import Path

ENTRY_DIRS = ("applications",)  # under each XDG data folder


def launchable(name: str) -> str:
    """The command line that opens ``name``, or "" when no program, application or file is called so."""
    program = name.strip().lower()
    if shutil.which(program):
        return program
    found = _entry_program(name.strip())
    if found:
        return found
    path = Path(name.strip()).expanduser()
    if path.is_absolute() and path.exists() and shutil.which("xdg-open"):
        return shlex.join(["xdg-open", str(path)])
    return ""


def _data_dirs() -> list[Path]:
    home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return [Path(d) for d in [home, *(os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share").split(":")]
            if d]


def _entry_program(name: str) -> str:
    """The program of the desktop entry whose file or Name says ``name`` (case aside), when it is on the PATH."""
    wanted = name.lower()
    for folder in (d / sub for d in _data_dirs() for sub in ENTRY_DIRS):
        for path in sorted(folder.glob("*.desktop")) if folder.is_dir() else ():
            keys = _keys(path)
            if wanted not in (path.stem.lower(), path.stem.lower().rsplit(".", 1)[-1], keys.get("Name", "").lower()):
                continue
            words = _words(keys.get("Exec", ""))
            if words and shutil.which(words[0]):
                return os.path.basename(words[0])
    return ""


def _words(line: str) -> list[str]:
    """An Exec line's words, its field codes (%U) left out."""
    try:
        return [w for w in shlex.split(line) if not w.startswith("%")]
    except ValueError:
        return []


def _keys(path: Path) -> dict[str, str]:
    """Name and Exec of an entry's first group ({} when it cannot be read)."""
    out: dict[str, str] = {}
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return out
    for line in text.split("\n[", 1)[0].splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() in ("Name", "Exec"):
            out.setdefault(key.strip(), value.strip())
    return out
