"""What the pixel parse derives from the screenshot alone, whatever OCR reads in it, computed on a thread of its
own while OCR runs: the grey screen, its edges, the outlines traced on them, the pictures' edge components, the
outlined light boxes and the edges' small squares. OCR's two models keep both cores busy only part of the time
(its detector's post-processing, the cutting of lines and their last readings run on one), and these take a
tenth of a dense screen's parse.
"""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np

from grounding.documents import light_components
from grounding.elements import Box
from grounding.icons import InkMaps, ink_maps
from grounding.more_widgets import edge_squares
from grounding.proposals import trace
from grounding.rows import horizontal_edges
from grounding.text_areas import outlined_boxes
from grounding.toolbar import edge_components

_POOL = ThreadPoolExecutor(1, thread_name_prefix="pixel-maps")


@dataclass(frozen=True, kw_only=True)
class PixelMaps:
    """The maps of one screenshot (see the module's docstring)."""

    gray: np.ndarray
    edges: np.ndarray  # cv2.Canny(gray, 30, 90)
    contours: list[np.ndarray]  # proposals.trace(gray, edges)
    icon_parts: np.ndarray  # toolbar.edge_components(gray)
    outlined: list[Box]  # text_areas.outlined_boxes(gray)
    squares: list[Box]  # more_widgets.edge_squares(edges)


def pixel_maps(image: np.ndarray) -> PixelMaps:
    """The maps of an RGB screenshot."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    edges = cv2.Canny(gray, 30, 90)
    for shared in (gray, edges):
        shared.setflags(write=False)  # read by several passes: none may draw into them
    return PixelMaps(gray=gray, edges=edges, contours=trace(gray, edges), icon_parts=edge_components(gray),
                     outlined=outlined_boxes(gray), squares=edge_squares(edges))


def start(image: np.ndarray) -> Future[PixelMaps]:
    """pixel_maps(image) on the maps' own thread; ``.result()`` waits for them."""
    return _POOL.submit(pixel_maps, image)


@dataclass(frozen=True, kw_only=True)
class LateMaps:
    """What later passes need of the grey screen and the text height alone."""

    ink: InkMaps  # icons.ink_maps(gray)
    light: tuple[int, np.ndarray, np.ndarray]  # documents.light_components(gray)
    rules: list[tuple[float, int, int]]  # rows.horizontal_edges(gray, glyphs)


def late_maps(gray: np.ndarray, glyphs: float) -> LateMaps:
    """The LateMaps of a grey screen whose text is ``glyphs`` high."""
    return LateMaps(ink=ink_maps(gray), light=light_components(gray), rules=horizontal_edges(gray, glyphs))


def start_late(gray: np.ndarray, glyphs: float) -> Future[LateMaps]:
    """late_maps(gray, glyphs) on the maps' thread: started once OCR is done (the text height is known then), they
    are found while the parse composes the controls on the other core, which after OCR would otherwise be idle."""
    return _POOL.submit(late_maps, gray, glyphs)
