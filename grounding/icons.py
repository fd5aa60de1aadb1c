"""Icons the pixel parser does not report: small pictures of ink standing alone beside text (a star, a trash can).

An icon is a blob of ink about a line tall, roughly as wide as it is tall, that no word of text covers (OCR reads
some icons as a stray glyph, "☆" or "高": a word of one character that is no letter or digit counts as no word).
It is named by the glyph OCR read for it, when that glyph is its alone; else it has no name.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element

SIZE = (10, 48)  # pixels: an icon's height and width lie between these
CONTAINERS = ("dialog", "list_box", "list", "group", "section", "window_title", "tree")  # icons may sit inside


def find_icons(gray: np.ndarray, elements: list[Element], words: list[Element]) -> list[Element]:
    """Icons in ``gray`` that no element of ``elements`` is (a control, a line of real text)."""
    ink = (gray < 200).astype(np.uint8)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8))  # the strokes of one picture join
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    texts = [w for w in words if not _glyph(w.name)]
    glyphs = [w for w in words if _glyph(w.name)]
    taken = [e.box for e in elements if e.role not in CONTAINERS and not (e.role == "text" and _glyph(e.name))]
    out = []
    for i in range(1, n):
        x, y, w, h, _ = (int(v) for v in stats[i])
        if not (SIZE[0] <= h <= SIZE[1] and SIZE[0] <= w <= SIZE[1]) or max(w, h) > 1.8 * min(w, h):
            continue
        box = Box(x, y, x + w, y + h)
        if any(t.box.intersection(box) > 0.2 * box.area for t in texts):
            continue
        if any(b.intersection(box) > 0.3 * box.area for b in taken):
            continue  # part of a control (its caption's letters) or of a line of text
        out.append(Element(box, "image", source="widget", confidence=0.5))
    return _named(out, glyphs)


def _named(icons: list[Element], glyphs: list[Element]) -> list[Element]:
    """Each icon named by the glyph OCR read over it: a word of k glyphs over k icons names them left to right."""
    names: dict[int, str] = {}
    for g in glyphs:
        under = sorted((i for i, e in enumerate(icons) if g.box.intersection(e.box) > 0.5 * e.box.area),
                       key=lambda i: icons[i].box.x0)
        chars = g.name.strip()
        if under and len(under) == len(chars):
            names.update(zip(under, chars))
    return [e.with_(name=names.get(i, "")) for i, e in enumerate(icons)]


def _glyph(text: str) -> bool:
    """A stray glyph OCR read for a picture: short, with no letter of a Latin script and no digit."""
    t = text.strip()
    return 0 < len(t) <= 2 and not any(c.isascii() and c.isalnum() for c in t)
