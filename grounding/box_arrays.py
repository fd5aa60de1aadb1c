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
