"""Links drawn over other text: a pager laid over a list's last line, a link over a caption. OCR reads the two as
one line of mixed words; the link's ink alone, taken by its colour, reads clean.

Link ink is saturated blue. Its underlines (thin runs under the glyphs) are taken out before reading, and each
underline is one link: a line read as k words (or k characters) over k underlines is k links, named in order
("2 3 >" of a pager). Only blue ink no link the parse reports already covers is read.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.components import components
from grounding.elements import Box, Element, Screen
from grounding.icon_shapes import chevron
from models import ocr as ocr_model

BLUE = 60  # a link's blue channel stands this far above its red and green
DARK = 120  # ... and its red and green stay below this (a link is a deep blue)
LINE = (8, 60)  # pixels: the height of a line of link text
SHORT = 8  # characters: a line this short may be one link per glyph (a pager)
# a chevron OCR read alone as a look-alike
ARROWS = {"》": ">", "〉": ">", "»": ">", "›": ">", "≥": ">", "《": "<", "〈": "<", "«": "<", "‹": "<", "≤": "<"}
PAD = 20  # white around the ink that is read: the OCR detector wants a margin (with less it reads > as V)


def links_over_text(screen: Screen) -> tuple[list[Element], list[Element]]:
    """Links whose blue ink overlaps other text, or that the parse missed, read from their ink alone; and the
    links of the parse they replace (what it read of a pager)."""
    if screen.image is None:
        return [], []
    red, green, blue_level = cv2.split(np.ascontiguousarray(screen.image))
    others = cv2.max(red, green)
    # blue above both by more than BLUE (the uint8 difference stops at 0, below it), in 0/1; not a pale lavender
    # pointer dot: uint8 passes of cv2 over the screen, not int16 copies of it
    blue = cv2.bitwise_and(cv2.compare(cv2.subtract(blue_level, others), BLUE, cv2.CMP_GT),
                           cv2.compare(others, DARK, cv2.CMP_LT)) & 1
    if blue.sum() < 20:
        return [], []
    glyphs, underlines = _without_underlines(blue)
    known = [e.box for e in screen.elements if e.role in ("link", "button", "tab", "text_field")]
    out: list[Element] = []
    stale: list[Element] = []
    for line in _lines(glyphs):
        under = sorted((u for u in underlines if _under(u, line)), key=lambda u: u.x0)
        parsed = [e for e in screen.elements if e.role == "link" and e.box.intersection(line) > 0]
        pager = _pager(line, under, glyphs) or _split(line, under, glyphs, parsed)
        if pager:  # a link an underline: read by its own ink, whatever the parse made of the line
            out += pager
            stale += parsed
            continue
        if any(k.iou(line) > 0.8 for k in known):  # the same link; one that also takes in other text is not
            continue
        if sum(k.intersection(line) for k in known if k.height <= 2 * line.height) >= 0.6 * line.area:
            continue  # links already found side by side ("sed. Est"), read as one line of blue
        if _solid(glyphs, line):
            continue  # a band of blue with words cut out of it (white on a blue header): no link's glyphs
        text = _read(glyphs, line)
        if text:
            out += [_chevron(e, glyphs) for e in _named(text, line, under, glyphs)]
    return out, stale


def _pager(line: Box, under: list[Box], glyphs: np.ndarray) -> list[Element]:
    """A pager's links, one per underline, when two or more underlines each lie under exactly one glyph (its
    current page, not underlined, is no link); each glyph is read alone, and one that reads as no letter or digit
    is named by its shape (a chevron: the shape test alone takes a 3 for one)."""
    if len(under) < 2:
        return []
    marks = _glyph_columns(glyphs, line)
    over = [[m for m in marks if u.x0 - 1 <= (m[0] + m[1]) / 2 <= u.x1 + 1] for u in under]
    if any(len(o) != 1 for o in over) or any((m[1] - m[0]) > 0.9 * line.height for o in over for m in o):
        return []  # words over their underlines: links of their own
    gaps = [b[0] - a[1] for a, b in zip(marks, marks[1:])]
    if min(gaps, default=0) < 0.3 * line.height or any(u.x0 > o[0][0] + 2 or u.x1 < o[0][1] - 2
                                                       for u, o in zip(under, over)):
        return []  # glyphs set close, or ink off its underline: a word whose underline skips descenders ("Joye")
    boxes = [Box(o[0][0], line.y0, o[0][1], line.y1) for o in over]
    links = []
    for box, (text, _) in zip(boxes, ocr_model.read_crops([_ink_crop(glyphs, box) for box in boxes])):
        text = text.strip()
        if not (len(text) == 1 and text.isascii() and text.isalnum()):  # a digit reads clean; a chevron may not
            text = _chevron(_link("?", box), glyphs).name.replace("?", "") or ARROWS.get(text, text)
        links.append(_link(text, box))
    return [link for link in links if len(link.name) == 1]


def _split(line: Box, under: list[Box], glyphs: np.ndarray, parsed: list[Element]) -> list[Element]:
    """Adjacent links the parse read as one ("sed.Est" for "sed." and "Est"), split at the gap in their underline:
    when the line's glyphs, all standing over underlines, are as many as the link's characters, each underline
    takes as many characters as glyphs stand over it."""
    if len(under) < 2 or len(parsed) != 1:
        return []
    chars = parsed[0].name.replace(" ", "")
    marks = _glyph_columns(glyphs, line)
    over = [[m for m in marks if u.x0 - 1 <= (m[0] + m[1]) / 2 <= u.x1 + 1] for u in under]
    if len(chars) != len(marks) or sum(len(o) for o in over) != len(marks) or not all(over):
        return []
    if any(b[0][0] - a[-1][1] < 0.25 * line.height for a, b in zip(over, over[1:])):
        return []  # no space between the groups: one word whose underline skips a descender ("aliquam")
    out, at = [], 0
    for o in over:
        out.append(_link(chars[at:at + len(o)], Box(o[0][0], line.y0, o[-1][1], line.y1)))
        at += len(o)
    return out


def _ink_crop(glyphs: np.ndarray, box: Box) -> np.ndarray:
    """The glyphs in ``box`` drawn black on white, with a margin."""
    x0, y0, x1, y1 = (int(v) for v in (box.x0, box.y0, box.x1, box.y1))
    crop = np.full((y1 - y0 + 2 * PAD, x1 - x0 + 2 * PAD, 3), 255, np.uint8)
    crop[PAD:PAD + y1 - y0, PAD:PAD + x1 - x0][glyphs[y0:y1, x0:x1].astype(bool)] = 0
    return crop


def _solid(glyphs: np.ndarray, line: Box) -> bool:
    """Whether the blue covers most of the line's box: glyph strokes cover well under half of it."""
    x0, y0, x1, y1 = (int(v) for v in (line.x0, line.y0, line.x1, line.y1))
    patch = glyphs[max(0, y0):y1, max(0, x0):x1]
    return bool(patch.size) and float(patch.mean()) > 0.5


def _without_underlines(mask: np.ndarray) -> tuple[np.ndarray, list[Box]]:
    """The glyphs' ink and the underlines taken out of it: blobs a few pixels tall and several times as wide."""
    n, labels, stats, (ox, oy) = components(mask)
    glyphs, underlines = mask.copy(), []
    box = glyphs[oy:oy + labels.shape[0], ox:ox + labels.shape[1]]  # where the labels lie
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if h <= 4 and w >= 3 * h and w >= 6:
            box[labels == i] = 0
            underlines.append(Box(x, y, x + w, y + h))
    return glyphs, underlines


def _lines(glyphs: np.ndarray) -> list[Box]:
    """Runs of glyphs close together on one line."""
    joined = cv2.dilate(glyphs, np.ones((3, 15), np.uint8))
    n, _, stats, _ = components(joined)
    boxes = [Box(int(x) + 7, int(y) + 1, int(x + w) - 7, int(y + h) - 1) for x, y, w, h, _ in stats[1:n]]
    return [b for b in boxes if LINE[0] <= b.height <= LINE[1] and b.width >= 4]


def _read(glyphs: np.ndarray, line: Box) -> str:
    """The text of the glyphs in ``line``, drawn black on white."""
    return " ".join(r.text.strip() for r in ocr_model.recognize(_ink_crop(glyphs, line)) if r.text.strip())


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
