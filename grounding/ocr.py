"""Word-level OCR: lines from the bundled model split into words using the model's own character boxes."""

from __future__ import annotations

from bisect import bisect_right

import numpy as np

from grounding.elements import Box, Element
from models import ocr as ocr_model


def read_words(image: np.ndarray, offset: tuple[int, int] = (0, 0), line_base: int = 0) -> list[Element]:
    """OCR ``image`` (RGB) and return one element per word, with boxes shifted by ``offset``.

    Each word keeps the index of its line (``line``) so phrases can be matched across neighbouring words.
    Words drawn in a link colour (saturated blue) get the role ``link``.
    """
    words: list[Element] = []
    measured: dict[tuple[tuple[float, float], ...], tuple[tuple[float, float] | None, list[float]]] = {}

    def measure(quads: np.ndarray) -> None:  # what needs only a line's box, found while the lines are read
        for quad in quads:
            key = tuple(map(tuple, quad.tolist()))
            box = _quad_box(key)
            pixels = _line_pixels(image, box)  # both read the line's grey levels
            measured[key] = glyph_band(image, box, pixels), _blank_columns(image, box, pixels)

    for n, line in enumerate(ocr_model.recognize(image, meanwhile=measure)):
        if line.quad not in measured:
            measure(np.array([line.quad]))
        band, blanks = measured[line.quad]
        for text, box in _split_line(line, blanks):
            role = "link" if _is_link_colored(image, box) else "text"  # on the padded box: its edge is background
            # the detector pads its boxes; the glyphs' own rows give the line's true height (unless they cannot
            # be told: an empty box read as a character has only its borders, which are no glyph rows)
            if band is not None and band[1] - band[0] >= 0.35 * box.height:
                box = Box(box.x0, band[0], box.x1, band[1])
            words.append(Element(box.shifted(*offset), role, name=text, source="ocr",
                                 confidence=line.score, line=line_base + n))
    return words


def _line_pixels(image: np.ndarray, box: Box) -> tuple[np.ndarray, int, int]:
    """The grey levels (the channels' mean) of ``box`` clipped to the image, and the clipped box's x0 and y0."""
    h, w = image.shape[:2]
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(w, int(np.ceil(box.x1))), min(h, int(np.ceil(box.y1)))
    return image[y0:y1, x0:x1].astype(np.int16).mean(axis=2), x0, y0


def glyph_band(image: np.ndarray, box: Box, pixels: tuple[np.ndarray, int, int] | None = None
               ) -> tuple[float, float] | None:
    """The rows a text line's glyphs cover (image y, end exclusive), found from the middle of the detector's
    padded box outwards, so the neighbouring lines its padding reaches are left out; None when no ink shows.
    ``pixels``: _line_pixels(image, box), when known."""
    gray, _, y0 = _line_pixels(image, box) if pixels is None else pixels
    if gray.shape[1] < 3 or gray.shape[0] < 4:
        return None
    # ink stands out from its own row's background (the row's commonest tone: glyphs are drawn in many shades
    # of anti-aliasing, the ground in one), so a selection band, a border or a rule is no ink and ends the line
    levels = (gray // 8).astype(np.int64)
    offsets = np.arange(levels.shape[0])[:, None] * 32
    counts = np.bincount((levels + offsets).ravel(), minlength=32 * levels.shape[0]).reshape(-1, 32)
    contrast = np.abs(gray - (counts.argmax(axis=1)[:, None] * 8 + 4))
    ink = contrast > max(40.0, 0.4 * float(contrast.max()))
    ink[:, ink.mean(axis=0) > 0.85] = False  # a column inked from top to bottom is a box's side, not a glyph
    ink_rows = ink.any(axis=1) & (ink.mean(axis=1) < 0.85)
    middle = len(ink_rows) // 2
    inked = np.flatnonzero(ink_rows)
    if not inked.size:
        return None
    start = end = int(inked[np.argmin(np.abs(inked - middle))])  # the inked row nearest the middle
    # a blank row ends the line: across a whole line some letter always fills the row between an i and its dot
    while start - 1 >= 0 and ink_rows[start - 1]:
        start -= 1
    while end + 1 < len(ink_rows) and ink_rows[end + 1]:
        end += 1
    if end - start + 1 < 3:
        return None
    return float(y0 + start), float(y0 + end + 1)


def _blank_columns(image: np.ndarray, box: Box, pixels: tuple[np.ndarray, int, int] | None = None) -> list[float]:
    """Centres (image x, left to right) of blank column runs inside a text line that are wide enough to be spaces.

    OCR drops spaces in small text ("facilisisimperdiet"); the pixels still show them: a space is a run of
    ink-free columns about a quarter of the glyph height wide, wider than the gap between letters.
    """
    gray, x0, _ = _line_pixels(image, box) if pixels is None else pixels
    if gray.shape[1] < 4 or gray.shape[0] < 4:
        return []
    background = np.median(np.concatenate([gray[0], gray[-1]]))
    ink = np.abs(gray - background) > 60
    # the middle of the detector's (padded) box: the line's own glyphs, with feet and bars, but not the
    # neighbouring lines or underlines that its padding reaches
    band = ink[int(0.2 * ink.shape[0]): int(0.8 * ink.shape[0]) + 1]
    rows = np.nonzero(band.any(axis=1))[0]
    if len(rows) == 0:
        return []
    glyph_h = rows[-1] - rows[0] + 1
    cols = band.any(axis=0)
    runs, run_start = [], None
    inked = np.nonzero(cols)[0]
    for x in range(inked[0], inked[-1] + 1):
        if not cols[x]:
            run_start = x if run_start is None else run_start
        elif run_start is not None:
            runs.append((run_start, x))
            run_start = None
    if not runs:
        return []
    typical = float(np.median([b - a for a, b in runs]))
    limit = max(3.0, 0.3 * glyph_h, 2.0 * typical)  # wider than a letter gap, and than most gaps on this line
    return [x0 + (a + b) / 2 for a, b in runs if b - a >= limit]


def _split_line(line: ocr_model.OcrLine, blanks: list[float] = ()) -> list[tuple[str, Box]]:
    """Group a line's characters into words at spaces and at blank pixel gaps; else proportional widths."""
    line_box = _quad_box(line.quad)
    if not line.chars:
        return _proportional(line.text, line_box)
    words: list[tuple[str, Box]] = []
    text, box = "", None
    for ch, (x0, _, x1, _) in zip(line.chars, line.char_boxes):
        centre = (x0 + x1) / 2
        # a blank past the word's middle and its last letter's start, before this character's centre (blanks run
        # left to right: the first one past both is the one to test)
        first = 0 if box is None else bisect_right(blanks, max(box.center[0], box.x1 - box.width / max(1, len(text))))
        gap = box is not None and first < len(blanks) and blanks[first] < centre
        if ch.isspace() or gap:
            if text:
                words.append((text, box))
            text, box = "", None
            if ch.isspace():
                continue
        char_box = Box(x0, line_box.y0, x1, line_box.y1)
        text, box = text + ch, char_box if box is None else box.union(char_box)
    if text:
        words.append((text, box))
    return words


def _proportional(text: str, line_box: Box) -> list[tuple[str, Box]]:
    tokens = text.split()
    if not tokens:
        return []
    per_char = line_box.width / max(1, len(text))
    out, pos = [], 0
    for token in tokens:
        start = text.index(token, pos)
        pos = start + len(token)
        out.append((token, Box(line_box.x0 + start * per_char, line_box.y0,
                               line_box.x0 + pos * per_char, line_box.y1)))
    return out


def _quad_box(quad: tuple[tuple[float, float], ...]) -> Box:
    xs, ys = [p[0] for p in quad], [p[1] for p in quad]
    return Box(min(xs), min(ys), max(xs), max(ys))


def ink_color(image: np.ndarray, box: Box) -> tuple[int, int, int] | None:
    """The colour of the darkest-contrast pixels inside ``box``: the text colour, not its background."""
    h, w = image.shape[:2]
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(w, int(np.ceil(box.x1))), min(h, int(np.ceil(box.y1)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    crop = image[y0:y1, x0:x1].reshape(-1, 3).astype(np.int32)
    # the background from a ring just outside the box: its own edge rows may be ink (an underline, bold glyphs),
    # and an underline below it is outvoted by the row above and the sides
    above, below, left, right = max(0, y0 - 2), min(h - 1, y1 + 1), max(0, x0 - 2), min(w - 1, x1 + 1)
    border = np.concatenate([image[above, x0:x1], image[below, x0:x1], image[y0:y1, left],
                             image[y0:y1, right]]).astype(np.int32)
    background = np.median(border, axis=0)
    distance = np.abs(crop - background).sum(axis=1)
    ink = crop[distance >= max(60, np.percentile(distance, 80))]  # >=: bold ink may be a fifth of the box
    if len(ink) < 3:
        return None
    return tuple(int(v) for v in np.median(ink, axis=0))


def _is_link_colored(image: np.ndarray, box: Box) -> bool:
    if not _any_blue(image, box):
        return False
    color = ink_color(image, box)
    if color is None:
        return False
    r, g, b = color
    return b > 140 and b - max(r, g) > 70 and not _on_a_band(image, box, color)


def _any_blue(image: np.ndarray, box: Box) -> bool:
    """Whether some pixel in ``box`` has blue over 140, some blue over 70 above its red and some over 70 above
    its green: a link's ink colour (medians of the ink's channels) needs all three (a median, even the mean of
    two middle values, is no larger than the largest value, and is monotone), and a page's few blue words are
    all that need their ink colour found."""
    h, w = image.shape[:2]
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(w, int(np.ceil(box.x1))), min(h, int(np.ceil(box.y1)))
    crop = image[y0:y1, x0:x1].astype(np.int16)
    blue = crop[:, :, 2]
    return bool((blue > 140).any() and (blue - crop[:, :, 0] > 70).any() and (blue - crop[:, :, 1] > 70).any())


def _on_a_band(image: np.ndarray, box: Box, color: tuple[int, int, int]) -> bool:
    """Whether the "ink" colour covers most of the word's box: the band of colour the word is written on (white
    words on a blue header read against the page around it), not the strokes of its letters."""
    h, w = image.shape[:2]
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(w, int(np.ceil(box.x1))), min(h, int(np.ceil(box.y1)))
    crop = image[y0:y1, x0:x1].reshape(-1, 3).astype(np.int32)
    return bool(len(crop)) and float((np.abs(crop - np.array(color)).sum(axis=1) < 60).mean()) > 0.5
