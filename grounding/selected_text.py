"""Text selected all over (Ctrl+A in a page): light letters on bands of one saturated colour, read as text.

A selection highlight hugs its text: a band of one colour from the first glyph to the last, no padding at its
left end, no border, and the same colour on every line it covers. A coloured button has its caption inset from
its edges. Seen as they are, the bands pass for bars and tabs, and their letters merge ("Searchusers"); with each
band turned back into dark text on a light face, the page reads as it did before it was selected.
"""

from __future__ import annotations

import cv2
import numpy as np

MIN_BANDS = 4  # lines selected before the screen counts as selected text (one coloured button is not)
SATURATION = 90  # how far a colour's channels stand apart to be a highlight's (greys and whites do not)
HUG = 0.25  # band heights: how far a selected line's first glyph stands from its band's left end, at most (a
# selected space before it; a button's caption is inset by half its height or more)
BAND_HEIGHT = (8, 80)  # pixels: how tall a band of one selected line may be
BAND_WIDTH = 1.6  # band heights: how wide a band is at least (a few letters: a square of the colour with a light
# mark is a ticked box or a chosen radio of a theme that fills them with its accent colour, GTK's Adwaita)


def unselected(image: np.ndarray) -> np.ndarray:
    """``image`` with text selected on many lines turned into dark text on white; the image itself when it has
    none."""
    colour = _highlight(image)
    if colour is None:
        return image
    low, high = (np.clip(colour + d, 0, 255).astype(np.uint8) for d in (-24, 24))
    near = cv2.inRange(image, low, high)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(near, connectivity=4)
    if sum(_band(image, stats[i], colour) for i in range(1, n)) < MIN_BANDS:
        return image
    # the screen is selected: so is a line whose selection starts with a space or two (a label after its box)
    bands = [i for i in range(1, n) if _band(image, stats[i], colour, hug=2 * HUG)]
    out = image.copy()
    for i in bands:
        x, y, w, h = (int(v) for v in stats[i][:4])
        out[y:y + h, x:x + w] = _inverted(image[y:y + h, x:x + w], colour)
    for i in range(1, n):  # the selected spaces between a line's parts: slivers of the colour, no glyph on them
        x, y, w, h, area = (int(v) for v in stats[i])
        if BAND_HEIGHT[0] <= h <= BAND_HEIGHT[1] and w <= 0.5 * h and area >= 0.6 * w * h:
            out[y:y + h, x:x + w][labels[y:y + h, x:x + w] == i] = 255
    return out


def _highlight(image: np.ndarray) -> np.ndarray | None:
    """The most common saturated colour of the screen (to a step of 8 per channel), if it covers 0.3 % of it
    (looked at in every fourth pixel each way: a band is a line tall)."""
    small = np.ascontiguousarray(image[::4, ::4])
    channels = cv2.split(small)  # each pixel's highest and lowest channel by cv2's uint8 passes: numpy's max and
    # min over the last axis of three take several times as long
    spread = cv2.subtract(cv2.max(cv2.max(*channels[:2]), channels[2]), cv2.min(cv2.min(*channels[:2]), channels[2]))
    saturated = small[spread >= SATURATION].astype(np.int32)
    if len(saturated) < 0.005 * spread.size:
        return None
    keys = ((saturated[:, 0] >> 3) << 10) | ((saturated[:, 1] >> 3) << 5) | (saturated[:, 2] >> 3)
    counts = np.bincount(keys, minlength=1 << 15)
    top = int(np.argmax(counts))
    if counts[top] < 0.003 * spread.size:
        return None  # many colours, none of them over much of the screen: pictures, not a highlight
    return np.median(saturated[keys == top], axis=0).astype(np.int16)


def _band(image: np.ndarray, stat: np.ndarray, colour: np.ndarray, hug: float = HUG) -> bool:
    """Whether a patch of the highlight's colour is one selected line: band-shaped, light glyphs on it, the first
    of them at its very left end."""
    x, y, w, h, area = (int(v) for v in stat)
    if not BAND_HEIGHT[0] <= h <= BAND_HEIGHT[1] or w < BAND_WIDTH * h or area < 0.4 * w * h:
        return False
    patch = image[y:y + h, x:x + w].astype(np.int16)
    light = patch.min(axis=2) >= 200  # the glyphs, drawn in white or nearly
    if light.mean() < 0.04:
        return False
    columns = np.flatnonzero(light[h // 5:h - h // 5].any(axis=0))
    return bool(columns.size) and columns[0] <= max(3.0, hug * h)


def _inverted(patch: np.ndarray, colour: np.ndarray) -> np.ndarray:
    """A band's pixels from the highlight (0) to white (1) mapped to white (the face) to black (the glyph);
    what lies off that blend (a button's grey border under the band) is kept."""
    p = patch.astype(np.float32)
    c = colour.astype(np.float32)
    span = np.float32(255.0) - c
    t = np.clip(((p - c) * span).sum(axis=2) / max(1.0, float((span * span).sum())), 0.0, 1.0)
    off = np.abs(p - (c + t[..., None] * span)).max(axis=2) > 40
    grey = (255.0 * (1.0 - t)).astype(np.uint8)
    out = np.repeat(grey[..., None], 3, axis=2)
    out[off] = patch[off]
    return out
