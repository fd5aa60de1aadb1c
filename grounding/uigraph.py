"""ShowUI's UI connected graph: the screenshot as a grid of cells, neighbours joined when they look the same.

Cells that are near-identical to their right or lower neighbour are merged with union-find, so a flat
background becomes one large component while text and widgets stay many small ones. DeskPilot uses it to
tell uniform background from content (where OCR and proposals need to look) and, on a model's merged patch
grid, to choose which visual tokens to keep.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class UIGraph:
    """Component labels per cell (rows x cols), with the cell size in pixels."""

    labels: np.ndarray
    cell: int

    @property
    def components(self) -> int:
        return int(self.labels.max()) + 1 if self.labels.size else 0

    def sizes(self) -> np.ndarray:
        return np.bincount(self.labels.ravel(), minlength=self.components)

    def background_mask(self, min_cells: int = 0) -> np.ndarray:
        """Cells belonging to a large uniform component (default: 2% of the grid, at least 12 cells)."""
        threshold = min_cells or max(12, int(0.02 * self.labels.size))
        return self.sizes()[self.labels] >= threshold


def cell_blocks(image: np.ndarray, cell: int) -> np.ndarray:
    """The image cut into (rows, cols, cell*cell*channels) blocks, scaled to 0-1; edges are cropped."""
    h, w = image.shape[:2]
    rows, cols = h // cell, w // cell
    img = image[: rows * cell, : cols * cell].astype(np.float32) / 255.0
    c = img.shape[2] if img.ndim == 3 else 1
    img = img.reshape(rows, cell, cols, cell, c).transpose(0, 2, 1, 3, 4)
    return img.reshape(rows, cols, cell * cell * c)


def build_graph(blocks: np.ndarray, threshold: float = 1.0) -> np.ndarray:
    """Union-find over right/down neighbours whose blocks differ by an L2 norm below ``threshold``.

    ``blocks`` is (rows, cols, features); returns component labels (rows, cols), numbered in raster order.
    """
    rows, cols = blocks.shape[:2]
    right = np.linalg.norm(blocks[:, 1:] - blocks[:, :-1], axis=2) < threshold
    down = np.linalg.norm(blocks[1:, :] - blocks[:-1, :], axis=2) < threshold
    idx = np.arange(rows * cols).reshape(rows, cols)
    a = np.concatenate([idx[:, :-1][right], idx[:-1, :][down]])
    b = np.concatenate([idx[:, 1:][right], idx[1:, :][down]])
    return _components(rows * cols, a, b).reshape(rows, cols)


def _components(n: int, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Connected components of n nodes and edges (a[i], b[i]), labelled 0.. in order of first node.

    Union-find done in bulk: hook every edge's larger root under the smaller, then jump pointers to roots,
    until no edge joins two different roots.
    """
    parent = np.arange(n)
    while True:
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            break
        np.minimum.at(parent, np.maximum(ra, rb)[differ], np.minimum(ra, rb)[differ])
        while True:
            jumped = parent[parent]
            if np.array_equal(jumped, parent):
                break
            parent = jumped
    _, labels = np.unique(parent, return_inverse=True)
    return labels


def ui_graph(image: np.ndarray, cell: int = 28, threshold: float = 1.0) -> UIGraph:
    """The UI connected graph of an RGB screenshot on a ``cell``-pixel grid."""
    return UIGraph(build_graph(cell_blocks(image, cell), threshold), cell)


def content_boxes(image: np.ndarray, cell: int = 16, threshold: float = 1.0) -> list[tuple[int, int, int, int]]:
    """Pixel boxes around connected non-background areas: where text and widgets can be."""
    import cv2

    graph = ui_graph(image, cell, threshold)
    content = (~graph.background_mask()).astype(np.uint8)
    if not content.any():
        return []
    grown = cv2.dilate(content, np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    h, w = image.shape[:2]
    boxes = []
    for i in range(1, count):
        x, y, bw, bh = stats[i, :4]
        boxes.append((x * cell, y * cell, min(w, (x + bw) * cell), min(h, (y + bh) * cell)))
    return boxes
