"""Checkboxes, radios, close and icon buttons: outlines the size of a letter, and what marks them as controls.

An empty box or ring is a checkbox or radio only with a label beside it; a marked one (ticked, dotted) shows
structure inside its face, which a plain disc of colour (a window's traffic lights, a status dot) does not.
"""

from __future__ import annotations

import numpy as np

from grounding.elements import Box, Element
from grounding.proposals import Proposal
from grounding.words import words_beside

# how OCR reads an empty box or ring
BOX_GLYPHS = {"口", "□", "☐", "回", "○", "◯", "〇", "O", "o", "0", "D", "Q", "◎", "⊙", "●"}


X_GLYPHS = {"x", "X", "×", "✕", "✖"}


def toggle(p: Proposal, words: list[Element], text_height: float, image: np.ndarray) -> Element | None:
    """The control a small empty outline is, or None when nothing shows it is one."""
    covering = [w for w in words if w.box.intersection(p.box) > 0.5 * p.box.area]
    if p.x_shape > 0.6 and all(w.name in X_GLYPHS for w in covering):
        return Element(p.box, "button", name="Close", source="widget", confidence=p.x_shape)
    if p.inked > 0.12 and p.fill > 200 and p.shape == "square" and p.box.height > 2.1 * text_height:
        return Element(p.box, "button", source="widget", confidence=0.5)  # an icon: no words to name it
    face = face_of(image, p.box)
    if face is None:
        return None
    labelled = bool(words_beside(p.box, words, text_height, "right", reach=4.0)
                    or words_beside(p.box, words, text_height, "left", reach=2.0))
    if not labelled:
        return None  # a box or ring with nothing saying what it sets: a glyph of a window frame, a decoration
    role = "radio" if p.shape == "circle" else "checkbox"
    states = frozenset({"checked"}) if face == "marked" else frozenset()
    return Element(p.box, role, source="widget", confidence=0.8, states=states)


def face_of(image: np.ndarray, box: Box) -> str | None:
    """"empty" for a white face, "marked" for an accent-coloured or dark face holding a light tick or dot, None
    for anything else (an icon, a plain disc of colour, a glyph)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    crop = image[max(0, y0):y1, max(0, x0):x1].astype(np.int16)
    h, w = crop.shape[:2]
    if h < 4 or w < 4:
        return None
    yy, xx = np.mgrid[0:h, 0:w]
    inner = np.maximum(np.abs(yy - (h - 1) / 2) / (h / 2), np.abs(xx - (w - 1) / 2) / (w / 2)) < 0.6
    pixels = crop[inner]
    grey = np.median(pixels.mean(axis=1))
    saturation = np.median(pixels.max(axis=1) - pixels.min(axis=1))
    white = float((pixels.min(axis=1) > 225).mean())
    if grey >= 240 and white >= 0.74:
        return "empty"
    if (saturation >= 60 or grey < 150) and 0.12 <= white <= 0.45:
        return "marked"
    return None
