"""The user's cache of what DeskPilot reads once and keeps (~/.cache/deskpilot): arrays in .npz files.

The icon themes' pictures and shapes (grounding/theme_icons.py, grounding/icon_refs.py) and the references'
descriptors (grounding/icon_match.py) take seconds to read and are the same until a theme is updated, so each is
kept in one file named by a key of what it was made from. A file is written whole or not at all (a temporary file
renamed over it: a parse in another process never reads half of one), a file of another key is removed when a new
one is written (made from themes since updated or by another version, it would only be left to grow), and a home
that cannot be written only means the data is read again next time.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

TEMPORARY = ".tmp."  # in the name of a file being written: never read, nor removed as superseded


def cache_dir() -> Path:
    """The user's cache folder for DeskPilot ($XDG_CACHE_HOME/deskpilot, else ~/.cache/deskpilot)."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deskpilot"


def load(path: Path, keys: tuple[str, ...]) -> dict[str, np.ndarray] | None:
    """The arrays ``keys`` of the cache file ``path``, or None when it is not there yet or was written by another
    version (a key missing, or not an .npz file)."""
    try:
        with np.load(path) as data:
            return {k: data[k] for k in keys}
    except (OSError, ValueError, KeyError, EOFError):
        return None


def save(path: Path, arrays: dict[str, np.ndarray], prefix: str, compressed: bool = True) -> bool:
    """Write ``arrays`` to ``path`` whole (a temporary file renamed over it) and remove the other files named
    ``prefix``*; False when the cache cannot be written (a read-only home: nothing is lost but time)."""
    tmp = path.with_name(f"{path.stem}{TEMPORARY}{os.getpid()}.npz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        (np.savez_compressed if compressed else np.savez)(tmp, **arrays)
        os.replace(tmp, path)
    except (OSError, ValueError):
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass  # no folder to write in at all
        return False
    superseded(path, prefix)
    return True


def superseded(path: Path, prefix: str) -> None:
    """Remove the cache files ``prefix``* beside ``path`` other than it (another process's file being written
    is left alone)."""
    try:
        for old in path.parent.glob(f"{prefix}*"):
            if old != path and TEMPORARY not in old.name:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a file another process removed first, or a folder not ours to change


def pack(pieces: list[np.ndarray], dtype: type | np.dtype) -> tuple[np.ndarray, np.ndarray]:
    """Ragged 2-D arrays as two arrays: their shapes (n x 2) and their pixels one after another."""
    dims = np.array([p.shape for p in pieces], dtype=np.int32).reshape(-1, 2)
    flat = np.concatenate([p.ravel() for p in pieces]).astype(dtype) if pieces else np.zeros(0, dtype)
    return dims, flat


def unpack(dims: np.ndarray, flat: np.ndarray) -> list[np.ndarray]:
    """The 2-D arrays ``pack`` made."""
    out, at = [], 0
    for h, w in dims:
        out.append(flat[at:at + h * w].reshape(h, w))
        at += h * w
    return out
