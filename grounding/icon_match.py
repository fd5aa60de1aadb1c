"""Icons named by their shape: a drawn icon compared with the standard actions' pictures of several themes.

grounding/theme_icons.py names an icon drawn from an installed theme by an exact match. An application's own
pictures (FeatherPad's compiled-in icons, Qt's built-in file dialog pictures) are in no theme, but they draw the
same actions in another artist's style, as a person recognises: a floppy is Save, a curved arrow left is Undo.
Each picture is reduced to where its strokes run (histograms of edge directions over a grid, HOG, at a normalised
size; colour and brightness ignored, so a grey disabled icon has the same shape) and compared with every
reference picture of grounding/icon_refs.py and of Qt's own pixmaps (grounding/qt_pixmaps.py: Qt's file dialog
pictures, named as Qt words them). The nearest name is taken only when it is near and no picture of another
action, standard or not (the decoys), comes close: a wrong name on a button is worse than none (an agent may click
"Delete" for "Save"); a picture of the same action under another name (Qt's Parent Directory, a theme's go-up) is
no rival. On pictures of five themes that are not references (`deskpilot bench icons`) these margins name 21% of
the standard actions' pictures, 98% of them rightly, and 0.85% of the themes' other action pictures
(docs/screen.md).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from grounding import disk_cache, qt_pixmaps
from grounding.icon_refs import ACTIONS, REFERENCE_THEMES, ROOTS, library_key, references

GRID, CELL, BINS = 32, 8, 9  # a 32 px square in 4x4 cells, 9 edge directions (sign ignored: light on dark alike)
SOFTEN = 0.8  # the blur (px at GRID) before the edges are taken
NEAR = 0.85  # the cosine to a reference picture that names a drawn one
MARGIN = 0.08  # the nearest picture of another standard action must stay this much further off
DECOY_MARGIN = 0.04  # and the nearest of the themes' other action pictures this much
FAINT = 20  # a crop whose strongest pixel is this close to its face draws nothing
FINE_CELL = 4  # the finer grid (8x8 cells) a contested name is settled on
INK_SOFTEN = 1.2  # the blur (px at GRID) before the ink itself is compared
# the closer looks that settle a contested name, and how much nearer there it must be than each contested one
SETTLERS = {"edges": 0.12, "ink": 0.08}
BADGE_SOLID = 0.7  # a badge fills this much of its box at least (a disc 0.79)
BADGE_GLYPH = 0.05  # and a glyph of another colour this much of it at least
DIRECTIONS = frozenset({"go-previous", "go-next", "go-up", "go-down", "go-first", "go-last", "go-home"})
VERSION = 2  # of the descriptor's code: raise it when the descriptor changes, and the cached ones are made again


def shape_name(gray: np.ndarray, roots: tuple[Path, ...] = ROOTS,
               themes: tuple[str, ...] = REFERENCE_THEMES) -> str:
    """What a person calls the action of the icon in ``gray`` (a grey crop around it), or "" when unsure."""
    name, _, _ = nearest(gray, roots, themes)
    return said(name)


def said(name: str) -> str:
    """What a person calls the action of a reference's icon name: the theme action's word, or Qt's for its own
    pixmap ("qt-SP_FileDialogToParent" is "Parent Directory"); "" for a decoy."""
    return ACTIONS.get(name, "") or qt_pixmaps.said(name)


def action(name: str) -> str:
    """The standard action a reference's icon name draws: a Qt pixmap's freedesktop one, else its own name."""
    return qt_pixmaps.action(name)


def nearest(gray: np.ndarray, roots: tuple[Path, ...] = ROOTS,
            themes: tuple[str, ...] = REFERENCE_THEMES) -> tuple[str, float, float]:
    """The icon name ``gray`` shows surely (or ""), with its similarity and the nearest other name's."""
    got = _decide(_ink(gray), roots, themes)
    if not got[0] and (inner := _badge(gray)) is not None:
        # a picture on a badge (a disc with an arrow cut out of it): the badge is like many a decoy, its glyph
        # is what it says; only a direction is read there (an x, a minus or a tick on a disc is a status: error,
        # remove, done, not a toolbar's close, zoom or delete)
        named = _decide(inner, roots, themes)
        if action(named[0]) in DIRECTIONS:
            return named
    return got


def _decide(ink: np.ndarray | None, roots: tuple[Path, ...], themes: tuple[str, ...]) -> tuple[str, float, float]:
    """The name a picture's ink is surely nearest to (or ""), with its similarity and the nearest other name's."""
    names, starts, table, said, acts = _table(roots, themes)
    d = None if ink is None else descriptor(ink)
    if d is None or not len(names):
        return "", 0.0, 0.0
    # einsum, not BLAS: a matrix-vector product this small costs more in waking BLAS threads on a busy machine
    per_name = np.maximum.reduceat(np.einsum("ij,j->i", table, d), starts)  # rows grouped by name: its nearest
    first = int(np.argmax(np.where(said, per_name, -2.0)))
    score = float(per_name[first])
    other = acts != acts[first]  # a picture of the same action under another name (Qt's, a theme's) is no rival
    rival = float(np.max(np.where(said & other, per_name, -2.0)))
    decoy = float(np.max(np.where(~said, per_name, -2.0), initial=-2.0))
    sure = score >= NEAR and score - rival >= MARGIN and score - decoy >= DECOY_MARGIN
    if score >= NEAR and score - decoy >= DECOY_MARGIN and not sure:
        # contested: settled by a closer look at the contested names' pictures only, on the finer grid (a
        # page's folded corner and the plus on it apart) or by where the ink lies (a lens with nothing in it
        # is not one with a minus or a pencil)
        near = (per_name > score - MARGIN) & other  # the other actions in the margin, and the decoys as near
        contested = [str(n) for n in names[near]]
        sure = bool(contested) and any(_settled(ink, str(names[first]), contested, kind, roots, themes)
                                       for kind in SETTLERS)
    return (str(names[first]) if sure else ""), score, max(rival, decoy)


def _settled(ink: np.ndarray, name: str, contested: list[str], kind: str, roots: tuple[Path, ...],
             themes: tuple[str, ...]) -> bool:
    """Whether the closer look ``kind`` finds ``ink`` surely nearer ``name`` than every contested name."""
    d = _closer(ink, kind)
    if d is None:
        return False
    best = {n: float(np.max(r @ d)) if len(r := _closer_rows(n, kind, roots, themes)) else -1.0
            for n in [name, *contested]}
    return best[name] - max(best[n] for n in contested) >= SETTLERS[kind]


def _closer(ink: np.ndarray, kind: str) -> np.ndarray | None:
    """A picture's descriptor for a closer look: its edges on the finer grid, or its ink itself (centred,
    normalised, softened; zero mean and unit length)."""
    if kind == "edges":
        return descriptor(ink, FINE_CELL)
    square = _square(ink)
    if square is None:
        return None
    v = cv2.GaussianBlur(square, (0, 0), INK_SOFTEN).ravel()
    v = v - v.mean()
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else None


@lru_cache(maxsize=1024)
def _closer_rows(name: str, kind: str, roots: tuple[Path, ...], themes: tuple[str, ...]) -> np.ndarray:
    """The closer look's descriptors of one name's reference pictures (made when a contest first needs them)."""
    rows = [d for n, _, picture in _references(roots, themes) if n == name
            and (ink := _reference_ink(n, picture)) is not None and (d := _closer(ink, kind)) is not None]
    return np.stack(rows) if rows else np.zeros((0, 1), np.float32)


def descriptor(ink: np.ndarray, cell: int = CELL) -> np.ndarray | None:
    """The edge directions of a picture's ink (how far each pixel is off the face) at a normalised size (unit
    length), or None when nothing is drawn."""
    square = _square(ink)
    if square is None:
        return None
    # softened a little: one artist's one-pixel stroke and another's two-pixel one run the same way
    v = _hog(cv2.GaussianBlur(square, (0, 0), SOFTEN), cell)
    n = float(np.linalg.norm(v))
    return (v / n).astype(np.float32) if n > 0 else None


def _square(ink: np.ndarray) -> np.ndarray | None:
    """A picture's ink cut to its extent, centred in a square (its aspect kept) and scaled to GRID, peak 1."""
    peak = float(ink.max()) if ink.size else 0.0
    ys, xs = np.nonzero(ink > 0.25 * peak)
    if peak < FAINT or len(ys) < 6:
        return None
    ink = ink[ys.min():ys.max() + 1, xs.min():xs.max() + 1] / peak
    h, w = ink.shape
    if max(h, w) < 6:
        return None
    side = max(h, w) + 2
    square = np.zeros((side, side), np.float32)  # centred on a blank face: the aspect ratio is kept
    square[(side - h) // 2:(side - h) // 2 + h, (side - w) // 2:(side - w) // 2 + w] = ink
    return cv2.resize(square, (GRID, GRID), interpolation=cv2.INTER_AREA)


def _hog(small: np.ndarray, cell: int = CELL) -> np.ndarray:
    """Histograms of edge directions, weighted by strength, per cell; each 2x2 block of cells normalised."""
    gx = cv2.Sobel(small, cv2.CV_32F, 1, 0, ksize=1)
    gy = cv2.Sobel(small, cv2.CV_32F, 0, 1, ksize=1)
    mag, ang = np.hypot(gx, gy), np.mod(np.arctan2(gy, gx), np.pi)
    pos = ang / np.pi * BINS - 0.5  # each pixel votes into its two nearest directions
    lo = np.floor(pos).astype(int)
    frac = (pos - lo).astype(np.float32)
    n = GRID // cell
    of = np.arange(GRID) // cell
    at = (of[:, None] * n + of[None, :]) * BINS
    size = n * n * BINS
    hist = (np.bincount((at + lo % BINS).ravel(), (mag * (1 - frac)).ravel(), size)
            + np.bincount((at + (lo + 1) % BINS).ravel(), (mag * frac).ravel(), size)).reshape(n, n, BINS)
    blocks = []
    for i in range(n - 1):
        for j in range(n - 1):
            b = hist[i:i + 2, j:j + 2].ravel()
            b = np.minimum(b / (np.linalg.norm(b) + 1e-6), 0.2)  # one strong edge does not outvote the rest
            blocks.append(b / (np.linalg.norm(b) + 1e-6))
    return np.concatenate(blocks)


def _plain(name: str, gray: np.ndarray) -> np.ndarray | None:
    """The descriptor of a reference picture."""
    ink = _reference_ink(name, gray)
    return None if ink is None else descriptor(ink)


def _reference_ink(name: str, gray: np.ndarray) -> np.ndarray | None:
    """A reference picture's ink; a direction's drawn on a badge (Qt 5's arrows on discs) is its glyph alone, as
    a drawn badge's is read for a direction: as a whole, a disc is like every other disc."""
    badge = _badge(gray) if action(name) in DIRECTIONS else None
    return badge if badge is not None else _ink(gray)


def _ink(gray: np.ndarray) -> np.ndarray | None:
    """A grey crop's ink: how far each pixel is off the border's grey, either way."""
    if gray.ndim != 2 or min(gray.shape) < 3:
        return None  # a button too small to hold a picture once its frame is cut off
    g = gray.astype(np.float32)
    return np.abs(g - np.median(np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])))


def _badge(gray: np.ndarray) -> np.ndarray | None:
    """The ink of what is drawn on a badge filling the crop's picture (a disc or a rounded square of one
    colour with a glyph in another), or None when the picture is no badge: its ink measured from the badge's
    colour instead of the face's, the badge's own shading and rim left out."""
    if gray.ndim != 2 or min(gray.shape) < 3:
        return None
    g = gray.astype(np.float32)
    ink = np.abs(g - np.median(np.concatenate([g[0], g[-1], g[:, 0], g[:, -1]])))
    peak = float(ink.max())
    if peak < FAINT:
        return None
    inked = (ink > 0.25 * peak).astype(np.uint8)
    outside = np.pad(1 - inked, 1, constant_values=1)
    cv2.floodFill(outside, None, (0, 0), 2)
    shape = outside[1:-1, 1:-1] != 2  # the ink with its holes filled
    ys, xs = np.nonzero(shape)
    if len(ys) < 36:
        return None
    h, w = ys.max() - ys.min() + 1, xs.max() - xs.min() + 1
    holes = int((shape & (inked == 0)).sum())
    # a badge is solid (a disc fills 79% of its box) and holds a glyph of another colour (a hole in the ink)
    if len(ys) < BADGE_SOLID * h * w or not BADGE_GLYPH < holes / len(ys) < 0.5 or abs(h - w) > 0.25 * max(h, w):
        return None
    body = cv2.erode(shape.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    if body.sum() < 16:
        return None
    tone = g[body & (inked == 1)]
    if not tone.size:
        return None  # the body is all glyph: no badge's colour to read it from
    base = float(np.median(tone))
    shading = float(np.percentile(np.abs(tone - base), 75))  # the badge's gradient is not the glyph
    return np.where(body, np.maximum(np.abs(g - base) - shading, 0.0), 0.0)


@lru_cache(maxsize=4)
def _table(roots: tuple[Path, ...], themes: tuple[str, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray,
                                                                      np.ndarray, np.ndarray]:
    """The icon names, where each name's rows start, the references' descriptors (one row each, grouped by name),
    which names are standard actions (the rest are decoys) and the action each draws."""
    rows = _rows(roots, themes)
    names = np.array(sorted({n for n, _ in rows}))
    if not rows:
        return names, np.zeros(0, int), np.zeros((0, 1), np.float32), np.zeros(0, bool), names
    starts = np.searchsorted([n for n, _ in rows], names)
    spoken = np.array([bool(said(str(n))) for n in names], bool)
    acts = np.array([action(str(n)) for n in names])
    return names, starts, np.stack([d for _, d in rows]).astype(np.float32), spoken, acts


def _references(roots: tuple[Path, ...], themes: tuple[str, ...]) -> list[tuple[str, str, np.ndarray]]:
    """The themes' reference pictures and Qt's own pixmaps (grounding/qt_pixmaps.py)."""
    return references(roots, themes) + qt_pixmaps.references()


def _key(roots: tuple[Path, ...], themes: tuple[str, ...]) -> str:
    """The key of the themes' references and of Qt's: "" when there are none."""
    return "-".join(k for k in (library_key(roots, themes), qt_pixmaps.key()) if k)


def _rows(roots: tuple[Path, ...], themes: tuple[str, ...]) -> list[tuple[str, np.ndarray]]:
    """(name, descriptor) of every reference picture, sorted by name; kept in the user's cache beside the
    pictures, under a key of theirs and of the descriptor's settings (computing them takes half a second)."""
    key = _key(roots, themes)
    if not key:
        return []
    path = disk_cache.cache_dir() / f"icon-descriptors-{key}-v{VERSION}-{GRID}-{CELL}-{BINS}-{SOFTEN}.npz"
    if (kept := disk_cache.load(path, ("names", "table"))) is not None:
        return list(zip((str(n) for n in kept["names"]), kept["table"]))
    pictures = _references(roots, themes)
    rows = sorted(((name, d) for name, _, picture in pictures if (d := _plain(name, picture)) is not None),
                  key=lambda r: r[0])
    if rows:
        disk_cache.save(path, {"names": np.array([n for n, _ in rows]),
                               "table": np.stack([d for _, d in rows]).astype(np.float32)},
                        "icon-descriptors-", compressed=False)
    return rows
