"""Underlines and other horizontal rules taken out of a line's crop before the recognizer reads it.

PP-OCRv4 learned letters from undecorated text. A link's underline runs one row under the baseline, and
Chromium skips it around descenders (text-decoration-skip-ink), so what is left touches a letter's foot from
the side: under an ``i`` the piece left of the next letter's descender reads as the hook of a ``j``, across a
``q``'s tail as the bowl of a ``g`` (MiniWoB links "ipsum" -> "jpsum", "quam" -> "guam"). In closely set text
the detector's padded box also takes in the underline of the line above. A rule's pixels are none of the
line's glyphs; painting them in the background tone leaves the letters as the model knows them.
"""

from __future__ import annotations

import numpy as np

RULE_LENGTH = 1.5  # a rule's unbroken run is at least this many crop heights long: no letter's stroke is
INK_CONTRAST = 40  # grey levels from the background that count as ink (as grounding.ocr.glyph_band counts it)
FAINT_CONTRAST = 12  # a rule's anti-aliased ends: fainter than ink, still a dot to the recognizer
CROSSED = 0.1  # at most this share of a rule's run may have ink right above it (a descender it does not skip)
SIDE = 0.5  # a stroke leaving a rule's end for this share of the crop's height or more is a box's side
CORNER = 2  # pixels around a rule's end where a box's side may join it (a rounded corner leaves a gap)


def without_rules(crop: np.ndarray) -> np.ndarray:
    """``crop`` (RGB) with its horizontal rules painted over in the background tone; ``crop`` itself if none.

    A rule is a band of rows holding a run of ink longer than any letter, that stands free of the glyphs
    above it. In it are erased that run (where no glyph stroke comes down into it) and the band's short
    pieces with nothing above them (the rule's pieces between skipped descenders); a stroke that comes down
    from above (a descender, the end of a g's hook) stays. The edges of a box (a field, a dropdown) are left
    alone: without them its sides would be read as "|".
    """
    h, w = crop.shape[:2]
    long = max(8, int(RULE_LENGTH * h))
    if w < long:
        return crop
    total = crop.sum(axis=2, dtype=np.int16)  # three times the grey level
    levels = total // 24  # the grey level's eighth
    ground = int(np.bincount(levels.ravel(), minlength=32).argmax())  # the commonest tone: glyphs are few
    contrast = np.abs(total / 3.0 - (ground * 8 + 4))
    ink = contrast > INK_CONTRAST
    rows = np.flatnonzero(_has_run(ink, long))
    if not rows.size:
        return crop
    bands = [band for band in _bands(rows) if not _box_edge(ink, *band, long)]
    if not bands:
        return crop
    out = crop.copy()
    fill = np.median(crop[levels == ground], axis=0).astype(np.uint8)
    for top, bottom in bands:
        above = ink[top - 1] if top > 0 else np.zeros(w, bool)
        for y in range(top, bottom):
            for a, b in _rule_pieces(ink[y], contrast[y] > FAINT_CONTRAST, above, long):
                out[y, a:b][~above[a:b]] = fill
    return out


def _rule_pieces(ink: np.ndarray, faint: np.ndarray, above: np.ndarray, long: int) -> list[tuple[int, int]]:
    """The runs of one rule row to erase, each widened over its faint ends: the long runs not crossed by
    strokes from above, and the short ones nothing rests on."""
    pieces = []
    for a, b in zip(*_runs(ink)):
        if (above[a:b].mean() > CROSSED) if b - a >= long else above[a:b].any():
            continue
        while a > 0 and faint[a - 1] and not above[a - 1]:
            a -= 1
        while b < len(ink) and faint[b] and not above[b]:
            b += 1
        pieces.append((a, b))
    return pieces


def _box_edge(ink: np.ndarray, top: int, bottom: int, long: int) -> bool:
    """Whether a rule band is the top or bottom of a box: a long run of it ends where a stroke turns away from
    it, up or down, for a good part of the crop's height, and nothing of the rule goes on past that stroke (an
    underline's pieces go on past the descenders they skip)."""
    h, w = ink.shape
    band = ink[top:bottom].any(axis=0)
    for a, b in zip(*_runs(band)):
        if b - a < long:
            continue
        for end, beyond in ((a, slice(max(0, a - 2 * CORNER - 2), max(0, a - CORNER))),
                            (b, slice(min(w, b + CORNER), min(w, b + 2 * CORNER + 2)))):
            columns = ink[:, max(0, end - CORNER):min(w, end + CORNER)]
            if not band[beyond].any() and _reach(columns, top, bottom) >= SIDE * h:
                return True
    return False


def _reach(columns: np.ndarray, top: int, bottom: int) -> int:
    """How many rows the ink of ``columns`` runs on, unbroken, from the rows just above ``top`` and just below
    ``bottom`` (the longer way)."""
    inked = columns.any(axis=1)
    down = inked[bottom:]
    up = inked[:top][::-1]
    return max(int(np.argmin(np.r_[part, False])) for part in (down, up))


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and (exclusive) ends of the True runs of a 1-D mask."""
    steps = np.diff(np.r_[False, mask, False].astype(np.int8))
    return np.flatnonzero(steps == 1), np.flatnonzero(steps == -1)


def _has_run(ink: np.ndarray, length: int) -> np.ndarray:
    """Per row of a 2-D mask, whether it holds ``length`` True values in a row (from cumulative sums: a window
    is all ink when its count is its length)."""
    counts = np.zeros((ink.shape[0], ink.shape[1] + 1), np.int32)
    np.cumsum(ink, axis=1, out=counts[:, 1:])
    return ((counts[:, length:] - counts[:, :-length]) == length).any(axis=1)


def _bands(rows: np.ndarray) -> list[tuple[int, int]]:
    """Consecutive rows grouped into (first, end exclusive) bands: a rule two or three pixels thick is one."""
    bands: list[tuple[int, int]] = []
    for y in rows:
        if bands and bands[-1][1] == y:
            bands[-1] = (bands[-1][0], y + 1)
        else:
            bands.append((int(y), int(y) + 1))
    return bands
