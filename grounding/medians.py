"""np.median of a small array of grey levels without numpy's per-call overhead (a dense screen asks for
hundreds: the fill of each outline, the ground under each word)."""

from __future__ import annotations

import numpy as np


def median(values: np.ndarray) -> float:
    """np.median(values) of a non-empty integer (or float64) array, to the bit: the middle value, or the mean of
    the two middle values taken as numpy takes it (their float64 sum halved). Not for float32 or NaN, which
    np.median sums and orders its own way."""
    ordered = np.sort(values, axis=None)
    mid = ordered.size // 2
    if ordered.size % 2:
        return float(ordered[mid])
    return (float(ordered[mid - 1]) + float(ordered[mid])) / 2
