"""Pixel-level pointing: the element under a point, image crops, and scale-aware template matching.

A recorded demonstration keeps a crop of what was clicked; when the words on screen cannot find it again (an
icon, an unlabelled box), the crop is searched for at several scales, since the window may now be drawn at a
different device scale factor. All boxes and points here are in image pixels.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen, reading_order
from grounding.locate import searchable

SCALES = (0.5, 0.6, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.33, 1.5, 1.75, 2.0)
CROP_PAD = 4  # pixels of context kept around a target's box in its crop


@dataclass(frozen=True)
class TemplateHit:
    """Where a crop was found, how well (normalised correlation, -1..1) and at what scale."""

    box: Box
    score: float
    scale: float

    def inner(self, pad: int = CROP_PAD) -> Box:
        """The found box without the context padding the crop was cut with."""
        d = pad * self.scale
        return Box(self.box.x0 + d, self.box.y0 + d, self.box.x1 - d, self.box.y1 - d)


def element_at(screen: Screen, x: float, y: float, slack: float = 3.0) -> Element | None:
    """The element a point is on: the smallest control holding it, else the word (or line) holding it, else the
    nearest word."""
    texts = list(screen.words) if screen.words else screen.lines()
    pool = searchable(screen)
    holding = [e for e in pool if e.box.expanded(slack).contains_point(x, y)]
    small = [e for e in holding if e.box.area < 0.25 * screen.width * screen.height]
    widgets = [e for e in small if e.is_control]
    if widgets:
        return min(widgets, key=lambda e: e.box.area)
    if small:
        return min(small, key=lambda e: e.box.area)
    near = [(e, _distance(e.box, x, y)) for e in texts]
    near = [(e, d) for e, d in near if d <= 8]
    return min(near, key=lambda ed: ed[1])[0] if near else None


def _distance(box: Box, x: float, y: float) -> float:
    dx = max(box.x0 - x, 0.0, x - box.x1)
    dy = max(box.y0 - y, 0.0, y - box.y1)
    return float(np.hypot(dx, dy))


def crop(image: np.ndarray, box: Box, pad: int = CROP_PAD) -> np.ndarray:
    """The pixels of ``box`` (padded, clipped to the image), copied."""
    h, w = image.shape[:2]
    x0, y0 = max(0, int(box.x0) - pad), max(0, int(box.y0) - pad)
    x1, y1 = min(w, int(np.ceil(box.x1)) + pad), min(h, int(np.ceil(box.y1)) + pad)
    return image[y0:y1, x0:x1].copy()


def patch_around(x: float, y: float, size: int = 48) -> Box:
    """A square box centred on a point: what a click on nothing in particular is remembered by."""
    half = size / 2
    return Box(x - half, y - half, x + half, y + half)


def distinctive(template: np.ndarray) -> bool:
    """Whether a crop has enough contrast to be found again (a blank patch matches everywhere)."""
    return template.size > 0 and min(template.shape[:2]) >= 6 and float(_gray(template).std()) >= 6.0


def find_template(image: np.ndarray, template: np.ndarray, scales: tuple[float, ...] = SCALES,
                  threshold: float = 0.82, limit: int = 8) -> list[TemplateHit]:
    """Places where ``template`` appears, at the scale that fits best, in reading order (at most ``limit``)."""
    if not distinctive(template):
        return []
    hay = _gray(image)
    best: tuple[float, float, np.ndarray, tuple[int, int]] | None = None
    for scale in scales:
        th, tw = round(template.shape[0] * scale), round(template.shape[1] * scale)
        if th < 6 or tw < 6 or th > hay.shape[0] or tw > hay.shape[1]:
            continue
        needle = cv2.resize(_gray(template), (tw, th), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_LINEAR)
        result = cv2.matchTemplate(hay, needle, cv2.TM_CCOEFF_NORMED)
        peak = float(np.nan_to_num(result).max())
        if best is None or peak > best[0]:
            best = (peak, scale, np.nan_to_num(result), (tw, th))
    if best is None or best[0] < threshold:
        return []
    _, scale, result, (tw, th) = best
    return _peaks(result, tw, th, scale, threshold, limit)


def similarity(image: np.ndarray, box: Box, template: np.ndarray, pad: int = CROP_PAD) -> float:
    """How much the pixels at ``box`` look like ``template`` (a crop cut with ``pad``), the crop scaled to the box:
    normalised correlation, -1..1 (0 when either is blank or the box is off the image)."""
    if not distinctive(template):
        return 0.0
    inner_h = max(template.shape[0] - 2 * pad, 1)
    scale = box.height / inner_h
    d = pad * scale
    h, w = image.shape[:2]
    x0, y0 = int(round(box.x0 - d)), int(round(box.y0 - d))
    x1, y1 = int(round(box.x1 + d)), int(round(box.y1 + d))
    if x0 < 0 or y0 < 0 or x1 > w or y1 > h or x1 - x0 < 6 or y1 - y0 < 6:
        return 0.0
    patch = _gray(image[y0:y1, x0:x1])
    needle = cv2.resize(_gray(template), (x1 - x0, y1 - y0), interpolation=cv2.INTER_AREA)
    if float(patch.std()) < 1.0:
        return 0.0
    return float(np.nan_to_num(cv2.matchTemplate(patch, needle, cv2.TM_CCOEFF_NORMED)).max())


def _peaks(result: np.ndarray, tw: int, th: int, scale: float, threshold: float, limit: int) -> list[TemplateHit]:
    """Non-overlapping maxima above ``threshold``, best first, then put in reading order."""
    hits: list[TemplateHit] = []
    work = result.copy()
    while len(hits) < limit:
        _, peak, _, (px, py) = cv2.minMaxLoc(work)
        if peak < threshold:
            break
        hits.append(TemplateHit(Box(px, py, px + tw, py + th), float(peak), scale))
        work[max(0, py - th // 2):py + th // 2 + 1, max(0, px - tw // 2):px + tw // 2 + 1] = -1.0
    order = reading_order([Element(h.box, "image") for h in hits])
    index = {(e.box.x0, e.box.y0): i for i, e in enumerate(order)}
    return sorted(hits, key=lambda h: index[(h.box.x0, h.box.y0)])


def _gray(image: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image
