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
EMPTY_INK = 0.18  # an unticked box's face is bare; a folder icon's holds its fold


def toggle(p: Proposal, words: list[Element], text_height: float, image: np.ndarray) -> Element | None:
    """The control a small empty outline is, or None when nothing shows it is one."""
    covering = [w for w in words if w.box.intersection(p.box) > 0.5 * p.box.area]
    face = face_of(image, p.box)
    x_box = p.x_shape > 0.6 and face != "empty" and all(w.name in X_GLYPHS for w in covering)
    # an x in a box is a close button, unless a label stands right beside it (a checkbox whose tick looks crossed)
    if x_box and (face is None or not words_beside(p.box, words, text_height, "right", reach=1.0)):
        return Element(p.box, "button", name="Close", source="widget", confidence=p.x_shape)
    if face != "marked" and p.inked > 0.12 and p.fill > 200 and p.box.height > 2.1 * text_height:
        # far taller than a toggle: a framed icon, its pale face around it (a rounded frame traces as a ring)
        return Element(p.box, "button", source="widget", confidence=0.5)  # an icon: no words to name it
    if face is None:
        return None  # a grey or filled square, a picture: no face a toggle has
    if face == "empty" and p.shape == "square" and EMPTY_INK < p.inked < 0.6:
        return None  # lines drawn inside an empty face: a picture (a folder, a page), not an unticked box (a
        # ring's own thickness fills its small inside: radios are left alone)
    role = "radio" if p.shape == "circle" else "checkbox"
    states = frozenset({"checked"}) if face == "marked" else frozenset()
    return Element(p.box, role, source="widget", confidence=0.8, states=states)


def unlabelled_alone(toggles: list[Element]) -> list[Element]:
    """Checkboxes and radios with no label beside them and no twin in line with them: a lone empty box or ring
    with nothing saying what it sets is a glyph of a window frame or a decoration, while a row or column of
    like boxes (options with their labels elsewhere) is a set of toggles."""
    def twins(a: Element, b: Element) -> bool:
        size = max(a.box.width, a.box.height)
        alike = a.role == b.role and abs(a.box.width - b.box.width) <= 0.15 * size \
            and abs(a.box.height - b.box.height) <= 0.15 * size
        (ax, ay), (bx, by) = a.box.center, b.box.center
        in_line = abs(ay - by) <= 0.3 * size or abs(ax - bx) <= 0.3 * size
        return alike and in_line and max(abs(ax - bx), abs(ay - by)) <= 8 * size

    lone = [t for t in toggles if not t.name]
    return [t for t in lone if not any(o is not t and twins(t, o) for o in toggles)]


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


def faint_ones_disabled(toggles: list[Element], image: np.ndarray) -> list[Element]:
    """Unticked checkboxes and radios drawn much fainter than the others on the screen, disabled (a toolkit greys
    out the outline of a box it will not let you tick; alike boxes that are all light are one style, not
    disabled)."""
    def darkest(e: Element) -> float:
        x0, y0, x1, y1 = (int(v) for v in e.box.to_list())
        patch = image[max(0, y0):y1, max(0, x0):x1].astype(np.int16).mean(axis=2)
        return float(np.percentile(patch, 5)) if patch.size else 255.0

    plain = [t for t in toggles if t.role in ("checkbox", "radio") and not t.checked]
    if len(plain) + sum(t.checked for t in toggles) < 2:
        return toggles
    shade = {id(t): darkest(t) for t in plain}
    others = [darkest(t) for t in toggles if t.role in ("checkbox", "radio") and t.checked] + list(shade.values())
    ink = min(others)
    return [t.with_(states=t.states | {"disabled"}) if id(t) in shade and shade[id(t)] >= 180
            and shade[id(t)] - ink >= 60 else t for t in toggles]
