"""Runs of True in a row of flags: the spans the pixel passes measure (a list's bands, a track's inked columns, a
page's face, a row of cells the tree covers)."""

from __future__ import annotations

import numpy as np


def flag_runs(flags: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) spans of consecutive True values."""
    padded = np.concatenate(([False], flags, [False])).astype(np.int8)
    change = np.flatnonzero(np.diff(padded))
    return [(int(s), int(e)) for s, e in zip(change[::2], change[1::2], strict=True)]


def longest_flag_run(flags: np.ndarray) -> tuple[int, int] | None:
    """The longest of ``flag_runs(flags)`` (the first of equals), or None when no flag is set."""
    spans = flag_runs(flags)
    return max(spans, key=lambda r: r[1] - r[0]) if spans else None
