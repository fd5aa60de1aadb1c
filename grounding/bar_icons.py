"""Light pictures on a dark bar: the white magnifier at the end of a red search bar, an app bar's menu and actions.

grounding/icons.py finds dark ink on a light page; on a filled bar the whole bar is ink and a white glyph is a
hole in it. A bar is a solid run of one dark or saturated grey level, wider than three of its heights and at most
a few icons tall (a dark window is no bar: its pictures are another matter). A picture on it is a blob clearly
lighter than the bar, icon-sized, that no word read covers. One with no word between it and an end of the bar is
the bar's button (an app bar or a search bar keeps its actions at its ends); one between two words on it is a
picture. A selected row of a list is a dark bar too, and its icon only shows what the row is: bars inside a list
are left alone.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box

DARK = 170  # a bar's grey level is below this, so a white glyph stands out on it
LIGHTER = 70  # a glyph is at least this much lighter than its bar
FILL = 0.7  # the bar's own level fills this much of its box at least (its glyphs and words are the rest)
ICON = (10, 48)  # pixels: a picture's height and width lie between these


def bars(found: list[tuple[Box, np.ndarray]], lists: list[Box]) -> list[tuple[Box, np.ndarray]]:
    """The bars of ``found`` (dark_bars' answer) not inside ``lists``: a selected row of a list is no bar."""
    return [(bar, light) for bar, light in found if not any(b.intersection(bar) > 0.8 * bar.area for b in lists)]


def dark_bars(gray: np.ndarray) -> list[tuple[Box, np.ndarray]]:
    """The dark bars of ``gray``, each with the mask of what is clearly lighter on it."""
    dark = (gray < DARK).astype(np.uint8)
    # solid parts only: a window's one-pixel frame or a rule would join a bar to everything it touches
    k = 5  # odd, so the opening keeps the bar where it is; it cuts frames and rules up to 4 pixels thick
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((k, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=4)
    out = []
    for i in range(1, n):
        x, y, w, h, area = (int(v) for v in stats[i])
        bar = Box(x, y, x + w, y + h)
        if not (ICON[0] + 4 <= h <= 3 * ICON[1] and w >= 3 * h and area >= FILL * w * h):
            continue
        patch = gray[y:y + h, x:x + w].astype(np.int16)
        light = patch >= float(np.median(patch)) + LIGHTER  # the bar's own grey fills most of its box
        light[0, :] = light[-1, :] = light[:, 0] = light[:, -1] = False  # the page around it, seen at a corner
        if y + h >= gray.shape[0] - 1 or x + w >= gray.shape[1] - 1:
            light = _uncut(light)
        out.append((bar, light))
    return out


def _uncut(light: np.ndarray) -> np.ndarray:
    """``light`` less its blobs that reach its last row or column: a bar the screen's edge cuts cuts its caption
    too, and the halves of letters left are no pictures."""
    _, labels = cv2.connectedComponents(cv2.dilate(light.astype(np.uint8), np.ones((3, 3), np.uint8)))
    cut = np.setdiff1d(np.union1d(labels[-2], labels[:, -2]), [0])
    return light & ~np.isin(labels, cut)


def light_parts(bar: Box, light: np.ndarray, joined: bool = True) -> list[Box]:
    """The blobs of ``light`` (a bar's lighter mask, from ``bars``), in screen coordinates; ``joined``: strokes a
    little apart are one blob (a menu's three lines), else each stroke is its own (a ⋮'s dots)."""
    mask = light.astype(np.uint8)
    if joined:
        k = max(3, int(bar.height) // 10)  # a tenth of the bar: the gaps inside a picture, at any scale
        mask = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((k, k), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    return [Box(int(bar.x0 + x), int(bar.y0 + y), int(bar.x0 + x + w), int(bar.y0 + y + h))
            for x, y, w, h, _ in stats[1:n]]


def role_on(bar: Box, picture: Box, words: list[Box]) -> str:
    """A picture between two words on its bar is a picture; one with no words on a side is the bar's button."""
    on = [w for w in words if w.intersection(bar) > 0.5 * w.area]
    left = any(w.x1 <= picture.x0 for w in on)
    right = any(w.x0 >= picture.x1 for w in on)
    return "image" if left and right else "button"
