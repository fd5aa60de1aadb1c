"""Box tests over many boxes at once, each computing exactly what the Box method of the same name does.

A dense screen has hundreds of words, blobs and outlines; testing them pair by pair through Box methods in Python
was a large share of a pixel parse outside OCR.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from grounding.elements import Box


def box_array(boxes: Sequence[Box]) -> np.ndarray:
    """The boxes as an (n, 4) float64 array of x0, y0, x1, y1."""
    if not boxes:
        return np.zeros((0, 4))
    return np.array([(b.x0, b.y0, b.x1, b.y1) for b in boxes], dtype=np.float64)


def areas(a: np.ndarray) -> np.ndarray:
    """Box.area of each row."""
    return np.maximum(0.0, a[:, 2] - a[:, 0]) * np.maximum(0.0, a[:, 3] - a[:, 1])


def intersections(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Box.intersection of every box of ``a`` (rows) with every box of ``b`` (columns)."""
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    return np.where((w > 0) & (h > 0), w * h, 0.0)


def contains(outer: np.ndarray, inner: np.ndarray, slack: float = 0.0) -> np.ndarray:
    """Box.contains: whether each box of ``outer`` (rows) holds each box of ``inner`` (columns)."""
    return ((inner[None, :, 0] >= outer[:, None, 0] - slack) & (inner[None, :, 1] >= outer[:, None, 1] - slack)
            & (inner[None, :, 2] <= outer[:, None, 2] + slack) & (inner[None, :, 3] <= outer[:, None, 3] + slack))


def meets_over(a: np.ndarray, b: np.ndarray, least: np.ndarray) -> np.ndarray:
    """Whether each box of ``a`` meets some box of ``b`` in more than its ``least`` (non-negative, one per row of
    ``a``): ``(intersections(a, b) > least[:, None]).any(axis=1)``, computing only the pairs whose rows may overlap
    (a dense screen's thousand blobs each lie across a few of its words, not all of them)."""
    out = np.zeros(len(a), bool)
    if not len(a) or not len(b):
        return out
    order = np.argsort(b[:, 1], kind="stable")
    s = b[order]
    # a box of b whose top is more than the tallest of them above a's top ends above it (a pixel to spare for
    # rounding): the ones that may meet a box of a are a run of s, sorted by their tops
    reach = max(0.0, float((s[:, 3] - s[:, 1]).max())) + 1
    lo = np.searchsorted(s[:, 1], a[:, 1] - reach, side="left")
    hi = np.maximum(lo, np.searchsorted(s[:, 1], a[:, 3], side="left"))  # a top at or below a's bottom: no overlap
    counts = hi - lo
    rows = np.repeat(np.arange(len(a)), counts)
    cols = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts) + np.repeat(lo, counts)
    p, q = a[rows], s[cols]
    w = np.minimum(p[:, 2], q[:, 2]) - np.maximum(p[:, 0], q[:, 0])
    h = np.minimum(p[:, 3], q[:, 3]) - np.maximum(p[:, 1], q[:, 1])
    inter = np.where((w > 0) & (h > 0), w * h, 0.0)
    out[rows[inter > least[rows]]] = True
    return out
