"""Where the pixel parser still has to look: the screen minus the windows the tree covers, plus the holes in them
(canvases, images, embedded views) - and of those only the parts where something is drawn."""

from __future__ import annotations

import cv2
import numpy as np

from grounding.a11y_reader import TreeSnapshot
from grounding.a11y_screen import image_box
from grounding.coords import Frame
from grounding.runs import flag_runs

CELL = 8  # image pixels per mask cell
CONTAINERS = ("text_area", "list_box", "list", "group", "dialog", "menu")  # records that may hold a hole
MARGIN = 2  # cells kept round drawn content: OCR finds no line in a crop cut tight to the glyphs
MIN_SIDE = 28  # thinner than this: a window edge beside the tree's box, not text with its margin
FLAT = 6  # a cell whose channels vary no more than this shows nothing (an empty desktop, a blank margin)


def uncovered_regions(image: np.ndarray, tree: TreeSnapshot, frame: Frame) -> tuple[list[tuple[int, int, int, int]],
                                                                                     float]:
    """Boxes (image pixels) the pixel parser must read, and the share of the screen they make up."""
    h, w = image.shape[:2]
    gh, gw = -(-h // CELL), -(-w // CELL)
    need = np.ones((gh, gw), bool)
    for box in tree.windows:
        _mark(need, image_box(box, frame), False, inner=True)
    for box in tree.holes:
        _mark(need, image_box(box, frame), True, inner=False)
    holes = [image_box(b, frame) for b in tree.holes]
    for r in tree.records if holes else ():  # what the tree names inside a hole (text under a clear canvas)
        box = image_box(r["box"], frame)
        if r["role"] not in CONTAINERS and (r["name"] or r["value"]) \
                and any(h.intersection(box) >= 0.8 * box.area for h in holes):
            _mark(need, box, False, inner=True)
    need &= _grown(~flat_cells(image), MARGIN)
    out = []
    for c0, r0, c1, r1 in rectangles(need):
        x0, y0, x1, y1 = c0 * CELL, r0 * CELL, min(w, c1 * CELL), min(h, r1 * CELL)
        if x1 - x0 >= MIN_SIDE and y1 - y0 >= MIN_SIDE:
            out.append((x0, y0, x1, y1))
    area = sum((x1 - x0) * (y1 - y0) for x0, y0, x1, y1 in out)
    return out, area / float(w * h)


def flat_cells(image: np.ndarray) -> np.ndarray:
    """Cells whose pixels are all one colour (within FLAT): nothing is drawn there to read."""
    kernel = np.ones((CELL, CELL), np.uint8)
    # the max and min over each CELL x CELL window that starts at a pixel, read at every cell's corner
    high = cv2.dilate(image, kernel, anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)[::CELL, ::CELL]
    low = cv2.erode(image, kernel, anchor=(0, 0), borderType=cv2.BORDER_REPLICATE)[::CELL, ::CELL]
    spread = high.astype(np.int16) - low
    return (spread.max(axis=-1) if spread.ndim == 3 else spread) <= FLAT


def _grown(mask: np.ndarray, cells: int) -> np.ndarray:
    out = mask.copy()
    for _ in range(cells):
        grown = out.copy()
        grown[1:] |= out[:-1]
        grown[:-1] |= out[1:]
        grown[:, 1:] |= out[:, :-1]
        grown[:, :-1] |= out[:, 1:]
        out = grown
    return out


def rectangles(mask: np.ndarray) -> list[tuple[int, int, int, int]]:
    """The set cells as rectangles (col0, row0, col1, row1): runs of a row that repeat on the next rows grow down,
    so a ring of desktop around a window becomes four bands, never one box over the window."""
    done: list[tuple[int, int, int, int]] = []
    open_: dict[tuple[int, int], int] = {}  # run -> the row it started on
    for r in range(mask.shape[0] + 1):
        runs = set(flag_runs(mask[r])) if r < mask.shape[0] else set()
        for run in list(open_):
            if run not in runs:
                done.append((run[0], open_.pop(run), run[1], r))
        for run in runs:
            open_.setdefault(run, r)
    return done


def _mark(need: np.ndarray, box: object, value: bool, inner: bool) -> None:
    """Set the cells of ``box``: the cells wholly inside it (``inner``), or every cell it touches."""
    gh, gw = need.shape
    x0, y0, x1, y1 = box.x0 / CELL, box.y0 / CELL, box.x1 / CELL, box.y1 / CELL  # type: ignore[attr-defined]
    if inner:
        c0, r0 = int(np.ceil(x0 - 0.5)), int(np.ceil(y0 - 0.5))  # cells at least half inside
        c1, r1 = int(np.floor(x1 + 0.5)), int(np.floor(y1 + 0.5))
    else:
        c0, r0, c1, r1 = int(np.floor(x0)), int(np.floor(y0)), int(np.ceil(x1)), int(np.ceil(y1))
    c0, r0, c1, r1 = max(0, c0), max(0, r0), min(gw, c1), min(gh, r1)
    if c1 > c0 and r1 > r0:
        need[r0:r1, c0:c1] = value
