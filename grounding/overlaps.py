"""Links drawn over other text: a pager laid over a list's last line, a link over a caption. OCR reads the two as
one line of mixed words; the link's ink alone, taken by its colour, reads clean.

Link ink is saturated blue. Its underlines (thin runs under the glyphs) are taken out before reading, and each
underline is one link: a line read as k words (or k characters) over k underlines is k links, named in order
("2 3 >" of a pager). Only blue ink no link the parse reports already covers is read.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.icon_shapes import chevron
from models import ocr as ocr_model

BLUE = 60  # a link's blue channel stands this far above its red and green
DARK = 120  # ... and its red and green stay below this (a link is a deep blue)
LINE = (8, 60)  # pixels: the height of a line of link text
SHORT = 8  # characters: a line this short may be one link per glyph (a pager)
PAD = 20  # white around the ink that is read: the OCR detector wants a margin (with less it reads > as V)


def links_over_text(screen: Screen) -> list[Element]:
    """Links whose blue ink overlaps other text, or that the parse missed, read from their ink alone."""
    if screen.image is None:
        return []
    rgb = np.asarray(screen.image).astype(np.int16)
    others = np.maximum(rgb[..., 0], rgb[..., 1])
    blue = ((rgb[..., 2] - others > BLUE) & (others < DARK)).astype(np.uint8)  # not a pale lavender pointer dot
    if blue.sum() < 20:
        return []
    glyphs, underlines = _without_underlines(blue)
    known = [e.box for e in screen.elements if e.role in ("link", "button", "tab", "text_field")]
    out: list[Element] = []
    for line in _lines(glyphs):
        if any(k.iou(line) > 0.8 for k in known):  # the same link; one that also takes in other text is not
            continue
        if sum(k.intersection(line) for k in known if k.height <= 2 * line.height) >= 0.6 * line.area:
            continue  # links already found side by side ("sed. Est"), read as one line of blue
        if _solid(glyphs, line):
            continue  # a band of blue with words cut out of it (white on a blue header): no link's glyphs
        text = _read(glyphs, line)
        if text:
            under = sorted((u for u in underlines if _under(u, line)), key=lambda u: u.x0)
            out += [_chevron(e, glyphs) for e in _named(text, line, under, glyphs)]
    return out


def _solid(glyphs: np.ndarray, line: Box) -> bool:
    """Whether the blue covers most of the line's box: glyph strokes cover well under half of it."""
    x0, y0, x1, y1 = (int(v) for v in (line.x0, line.y0, line.x1, line.y1))
    patch = glyphs[max(0, y0):y1, max(0, x0):x1]
    return bool(patch.size) and float(patch.mean()) > 0.5


def _without_underlines(mask: np.ndarray) -> tuple[np.ndarray, list[Box]]:
    """The glyphs' ink and the underlines taken out of it: blobs a few pixels tall and several times as wide."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    glyphs, underlines = mask.copy(), []
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if h <= 4 and w >= 3 * h and w >= 6:
            glyphs[labels == i] = 0
            underlines.append(Box(x, y, x + w, y + h))
    return glyphs, underlines


def _lines(glyphs: np.ndarray) -> list[Box]:
    """Runs of glyphs close together on one line."""
    joined = cv2.dilate(glyphs, np.ones((3, 15), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    boxes = [Box(int(x) + 7, int(y) + 1, int(x + w) - 7, int(y + h) - 1) for x, y, w, h, _ in stats[1:n]]
    return [b for b in boxes if LINE[0] <= b.height <= LINE[1] and b.width >= 4]


def _read(glyphs: np.ndarray, line: Box) -> str:
    """The text of the glyphs in ``line``, drawn black on white."""
    x0, y0, x1, y1 = (int(v) for v in (line.x0, line.y0, line.x1, line.y1))
    crop = np.full((y1 - y0 + 2 * PAD, x1 - x0 + 2 * PAD, 3), 255, np.uint8)
    crop[PAD:PAD + y1 - y0, PAD:PAD + x1 - x0][glyphs[y0:y1, x0:x1].astype(bool)] = 0
    return " ".join(r.text.strip() for r in ocr_model.recognize(crop) if r.text.strip())


def _under(u: Box, line: Box) -> bool:
    overlap = min(u.x1, line.x1) - max(u.x0, line.x0)
    return overlap > 0.5 * u.width and line.y1 - 0.3 * line.height <= u.y0 <= line.y1 + 0.5 * line.height


def _named(text: str, line: Box, under: list[Box], glyphs: np.ndarray) -> list[Element]:
    """One link per underline when the words are as many; one per character when the glyphs are as many (a
    pager's "1 2 3 >", its current page not underlined); else the line as one link."""
    words, chars = text.split(), text.replace(" ", "")
    if len(under) > 1 and len(words) == len(under):
        return [_link(w, Box(u.x0, line.y0, u.x1, line.y1)) for u, w in zip(under, words)]
    marks = _glyph_columns(glyphs, line)
    if 1 < len(chars) <= SHORT and len(marks) == len(chars):
        return [_link(c, Box(x0, line.y0, x1, line.y1)) for (x0, x1), c in zip(marks, chars)]
    return [_link(text, line)]


def _link(name: str, box: Box) -> Element:
    return Element(box, "link", name=name, source="ocr", confidence=0.6)


def _glyph_columns(glyphs: np.ndarray, line: Box) -> list[tuple[int, int]]:
    """The column ranges of ink in ``line`` with blank columns between them, left to right."""
    x0, y0, x1, y1 = (int(v) for v in (line.x0, line.y0, line.x1, line.y1))
    inked = glyphs[y0:y1, x0:x1].any(axis=0)
    out, start = [], None
    for i, on in enumerate(list(inked) + [False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            out.append((x0 + start, x0 + i))
            start = None
    return out


def _chevron(link: Element, glyphs: np.ndarray) -> Element:
    """A one-character link whose glyph is a chevron is ">" (or "<"), whatever OCR made of it."""
    if len(link.name) != 1:
        return link
    b = link.box
    mask = glyphs[int(b.y0):int(b.y1), int(b.x0):int(b.x1)].astype(bool)
    ys, xs = np.nonzero(mask)
    if not len(ys):
        return link
    glyph = chevron(mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1])
    return link.with_(name=glyph) if glyph else link
