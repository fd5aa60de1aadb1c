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
    if x_box and _amid_words(p.box, words, text_height):
        x_box = False  # a glyph of a sentence whose word boxes OCR set a little off its ink
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


def _amid_words(box: Box, words: list[Element], text_height: float) -> bool:
    """Words of one line on both sides of ``box``, each touching or within a text height of it."""
    row = [w for w in words if abs(w.box.center[1] - box.center[1]) < 0.5 * text_height]
    before = {w.line for w in row if box.x0 - text_height <= w.box.x1 and w.box.x0 < box.x0}
    after = {w.line for w in row if w.box.x0 <= box.x1 + text_height and w.box.x1 > box.x1}
    return bool(before & after)


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


def filled_toggle(icon: Element, image: np.ndarray, words: list[Element], text_height: float) -> Element:
    """``icon`` as the ticked checkbox or chosen radio it shows, or itself.

    Some themes (GTK's Adwaita, KDE's Breeze) draw a ticked box or a chosen radio as a face filled with the accent
    colour and no edge of its own, which the outline finder looks for, so the icon finder takes it for a picture.
    It is a toggle when it is the size of a letter, square, one even colour around a light tick or dot (an app's
    icon holds shades and more than one colour) and a label stands right beside it."""
    box = icon.box
    if icon.role != "image" or not 0.6 * text_height <= box.height <= 1.7 * text_height \
            or not 0.8 <= box.width / max(1.0, box.height) <= 1.25:
        return icon
    if face_of(image, box) != "marked" or not _even_fill(image, box):
        return icon
    if not words_beside(box, words, text_height, "right", reach=1.2):
        return icon
    role = "radio" if _round(image, box) else "checkbox"
    return Element(box, role, source="widget", confidence=0.7, states=frozenset({"checked"}))


def _fill_mask(crop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of a filled face's colour (neither the light mark nor the background), and that colour."""
    flat = crop.reshape(-1, 3).astype(np.int16)
    coloured = flat[(flat.max(axis=1) - flat.min(axis=1) >= 60) | (flat.mean(axis=1) < 150)]
    if not len(coloured):
        return np.zeros(crop.shape[:2], bool), np.zeros(3)
    colour = np.median(coloured, axis=0)
    return np.abs(crop.astype(np.int16) - colour).max(axis=2) <= 40, colour


def _even_fill(image: np.ndarray, box: Box) -> bool:
    """Most of the face one colour: of the pixels that are not light, nine in ten within a shade of their median."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    crop = image[max(0, y0):y1, max(0, x0):x1]
    flat = crop.reshape(-1, 3).astype(np.int16)
    dark = flat[flat.min(axis=1) <= 225]
    if len(dark) < 0.3 * len(flat):
        return False
    mask, _ = _fill_mask(crop)
    return float(mask.sum()) >= 0.6 * len(dark)


def _round(image: np.ndarray, box: Box) -> bool:
    """A disc, not a rounded square: the corners of its box are mostly not its colour."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    crop = image[max(0, y0):y1, max(0, x0):x1]
    mask, _ = _fill_mask(crop)
    h, w = mask.shape
    c = max(1, round(0.2 * min(h, w)))
    corners = np.concatenate([mask[:c, :c].ravel(), mask[:c, -c:].ravel(), mask[-c:, :c].ravel(),
                              mask[-c:, -c:].ravel()])
    return float(corners.mean()) < 0.35
