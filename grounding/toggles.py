"""Checkboxes, radios, close and icon buttons: outlines the size of a letter, and what marks them as controls.

An empty box or ring is a checkbox or radio only with a label beside it; a marked one (ticked, dotted) shows
structure inside its face, which a plain disc of colour (a window's traffic lights, a status dot) does not.
"""

from __future__ import annotations

import cv2
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
    if _inside_a_face(image, p.box):
        return None  # the light dot or tick inside a chosen radio or ticked box filled with a colour
    if face == "empty" and p.shape == "square" and EMPTY_INK < p.inked < 0.6:
        return None  # lines drawn inside an empty face: a picture (a folder, a page), not an unticked box (a
        # ring's own thickness fills its small inside: radios are left alone)
    role = "radio" if p.shape == "circle" else "checkbox"
    states = frozenset({_filled_face(image, p.box) or "checked"}) if face == "marked" else frozenset()
    return Element(p.box, role, source="widget", confidence=0.8, states=states)


def _inside_a_face(image: np.ndarray, box: Box) -> bool:
    """Whether the pixels just around ``box`` (2 px out) are nearly all of a saturated colour: ``box`` is the mark
    on a face filled with it (Adwaita's chosen radio: a blue disc around a white dot), not a control of its own."""
    return _coloured_ring(image, box, 2) >= 0.7 and _coloured_ring(image, box, max(6, int(box.width))) < 0.3


def _coloured_ring(image: np.ndarray, box: Box, out: int) -> float:
    """The share of saturated pixels on the one-pixel ring ``out`` pixels outside ``box`` (0 where it leaves the
    image): a chosen radio's face is coloured just around its dot and not a box-width further, a checkbox on a
    coloured row or banner is coloured at both."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    h, w = image.shape[:2]
    if x0 < out or y0 < out or x1 + out > w or y1 + out > h:
        return 0.0
    patch = image[y0 - out:y1 + out, x0 - out:x1 + out].astype(np.int16)
    ring = np.zeros(patch.shape[:2], bool)
    ring[[0, -1], :] = True
    ring[:, [0, -1]] = True
    return float(_accent(patch[ring]).mean())


def _accent(pixels: np.ndarray) -> np.ndarray:
    """Which pixels (int16, channels last) are of a saturated, not pale colour: a filled face's accent."""
    return (pixels.max(axis=-1) - pixels.min(axis=-1) >= 40) & (pixels.min(axis=-1) < 200)


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
        (ax, ay), (bx, by) = a.box.center, b.box.center
        in_line = abs(ay - by) <= 0.3 * size or abs(ax - bx) <= 0.3 * size
        return _alike(a, b) and in_line and max(abs(ax - bx), abs(ay - by)) <= 8 * size

    lone = [t for t in toggles if not t.name]
    return [t for t in lone if not any(o is not t and twins(t, o) for o in toggles)]


def _crop(image: np.ndarray, box: Box) -> np.ndarray:
    """The pixels of ``box`` (whole pixels, clipped at the image's top and left)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    return image[max(0, y0):y1, max(0, x0):x1]


def _face(image: np.ndarray, box: Box, least: int) -> tuple[np.ndarray | None, np.ndarray]:
    """The pixels of ``box`` (int16) and the mask of its middle (the inner 60% each way, where a tick or dot is),
    or None when the box is under ``least`` pixels either way."""
    crop = _crop(image, box).astype(np.int16)
    h, w = crop.shape[:2]
    if h < least or w < least:
        return None, np.zeros((0, 0), bool)
    yy, xx = np.mgrid[0:h, 0:w]
    return crop, np.maximum(np.abs(yy - (h - 1) / 2) / (h / 2), np.abs(xx - (w - 1) / 2) / (w / 2)) < 0.6


def face_of(image: np.ndarray, box: Box) -> str | None:
    """"empty" for a white face, "marked" for an accent-coloured or dark face holding a light tick or dot or for a
    white face holding one dark tick or dot (Qt's Fusion, classic themes), None for anything else (an icon, a plain
    disc of colour, a glyph)."""
    crop, inner = _face(image, box, 4)
    if crop is None:
        return None
    pixels = crop[inner]
    grey = np.median(pixels.mean(axis=1))
    saturation = np.median(pixels.max(axis=1) - pixels.min(axis=1))
    white = float((pixels.min(axis=1) > 225).mean())
    if grey >= 240 and white >= 0.74:
        return "empty"
    if (saturation >= 60 or grey < 150) and 0.12 <= white <= 0.45:
        return "marked"
    if grey >= 240 and white >= 0.4 and _one_dark_mark(crop, inner) and _framed(crop.mean(axis=2)):
        return "marked"
    return None


def _framed(grey: np.ndarray) -> bool:
    """Whether an edge darker than the white face runs along all four sides of a box's pixels (its outer fifth):
    a box's frame, not glyphs on a flat tool button, whose ink leaves a side or two bare."""
    h, w = grey.shape
    d = max(1, round(0.2 * min(h, w)))  # each band's depth, and the corners left out along it
    sides = (grey[:d, d:w - d].min(axis=0), grey[h - d:, d:w - d].min(axis=0), grey[d:h - d, :d].min(axis=1),
             grey[d:h - d, w - d:].min(axis=1))
    return all(side.size and float(np.median(side)) <= 225 for side in sides)


def _one_dark_mark(crop: np.ndarray, inner: np.ndarray) -> bool:
    """Whether the middle of a white face holds one dark mark across most of it: a tick or a dot is one stroke or
    blob spanning half the middle each way; a glyph's bowl ("O", "D") leaves pieces of its ring there, a picture's
    lines several strokes, and a lone speck spans little."""
    ys, xs = np.nonzero(inner)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    dark = (crop[y0:y1, x0:x1].mean(axis=2) < 120).astype(np.uint8)
    if not 0.08 <= dark.mean() <= 0.4:
        return False
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark, connectivity=8)
    if count != 2:  # the background and one mark
        return False
    return stats[1, cv2.CC_STAT_WIDTH] >= 0.5 * (x1 - x0) and stats[1, cv2.CC_STAT_HEIGHT] >= 0.5 * (y1 - y0)


def faint_ones_disabled(toggles: list[Element], image: np.ndarray, words: list[Element] = (),
                        text_height: float = 0.0) -> list[Element]:
    """Checkboxes and radios a toolkit shows as disabled.

    Where the labels say it, they decide: GTK and Qt grey out the label of a toggle you cannot change (and GTK's
    Adwaita draws every unticked box with the same light edge, disabled or not), so once some toggle's label on
    the screen is light grey beside the dark ones of the others, those toggles are the disabled ones. Otherwise
    (a browser keeps a disabled box's label dark) unticked boxes drawn much fainter than the others are disabled;
    alike boxes that are all light are one style, not disabled. ``words``: the words the labels were read from."""
    greyed = _greyed_labels(toggles, image, words, text_height) if words and text_height else None
    if greyed is not None:
        return [t.with_(states=t.states | {"disabled"}) if id(t) in greyed else t for t in toggles]

    def darkest(e: Element) -> float:  # of its edge: a ticked box's mark (Qt's is black) says nothing of its frame
        crop, inner = _face(image, e.box, 1)
        return 255.0 if crop is None else float(np.percentile(crop[~inner].mean(axis=1), 5))

    boxes = [t for t in toggles if t.role in ("checkbox", "radio")]
    if len(boxes) < 2:
        return toggles
    shade = {id(t): darkest(t) for t in boxes}

    def faint(t: Element) -> bool:  # beside the darkest edge of its like (same role, same size: one style)
        ink = min((shade[id(o)] for o in boxes if o is not t and _alike(o, t)), default=255.0)
        return not t.checked and shade[id(t)] >= 180 and shade[id(t)] - ink >= 60

    return [t.with_(states=t.states | {"disabled"}) if id(t) in shade and faint(t) else t for t in toggles]


def _alike(a: Element, b: Element) -> bool:
    """Two toggles of one role and size (within 15 %): drawn in one style."""
    size = max(a.box.width, a.box.height, b.box.width, b.box.height)
    return a.role == b.role and abs(a.box.width - b.box.width) <= 0.15 * size \
        and abs(a.box.height - b.box.height) <= 0.15 * size


GREYED = 60  # how much lighter than the darkest toggle label a greyed-out label's letters are drawn, at least,
GREYED_LEVEL = 145  # and their grey level at least (dark grey text, a page's #888 secondary labels too, is
# ordinary ink; GTK's disabled labels are drawn at 150-160, Qt's lighter)


def _greyed_labels(toggles: list[Element], image: np.ndarray, words: list[Element],
                   text_height: float) -> set[int] | None:
    """The ids of the toggles whose labels are greyed out, or None when no label on the screen is (then the
    labels say nothing): letters of no colour, light grey, beside dark ones of other toggles' labels."""
    inks = {}
    for t in toggles:
        if t.role not in ("checkbox", "radio") or not t.name:
            continue
        label = _label_words(t, words, text_height)
        if label:
            inks[id(t)] = _letters(image, label)
    if len(inks) < 2:
        return None
    darkest = min(grey for grey, _ in inks.values())
    greyed = {i for i, (grey, colour) in inks.items()
              if grey >= GREYED_LEVEL and grey - darkest >= GREYED and colour < 40}
    return greyed or None


def _label_words(toggle: Element, words: list[Element], text_height: float) -> list[Box]:
    """The boxes of the words right beside ``toggle`` that its name was read from."""
    row = [w for w in words if abs(w.box.center[1] - toggle.box.center[1]) < max(toggle.box.height, w.box.height) * 0.6
           and w.box.x0 >= toggle.box.x1 - 2 and w.box.x0 - toggle.box.x1 <= 6.4 * text_height]
    names = toggle.name.split()
    return [w.box for w in sorted(row, key=lambda w: w.box.x0) if w.name in names]


def _letters(image: np.ndarray, boxes: list[Box]) -> tuple[float, float]:
    """The grey level of the darkest tenth of the pixels in ``boxes`` (the letters' ink) and how coloured it is."""
    pixels = np.concatenate([image[max(0, int(b.y0)):int(b.y1), max(0, int(b.x0)):int(b.x1)].reshape(-1, 3)
                             for b in boxes]).astype(np.int16)
    if not len(pixels):
        return 255.0, 0.0  # boxes that round to nothing: no ink to judge, as a blank label
    grey = pixels.mean(axis=1)
    ink = pixels[grey <= np.percentile(grey, 10)]
    return float(ink.mean()), float(np.median(ink.max(axis=1) - ink.min(axis=1)))


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
    state = _filled_face(image, box)
    crop = _crop(image, box)
    mask, _ = _fill_mask(crop)
    if state is None or not _even_fill(crop, mask):
        return icon
    if any(w.box.intersection(box) > 0.3 * box.area for w in words):
        return icon  # a letter OCR read on it: an avatar's initial or a badge, not a tick or dot
    label = words_beside(box, words, text_height, "right", reach=1.2)
    if not label:
        return icon
    role = "radio" if _round(mask) else "checkbox"
    return Element(box, role, name=label, source="widget", confidence=0.7, states=frozenset({state}))


def _filled_face(image: np.ndarray, box: Box) -> str | None:
    """"checked" for a face of a saturated colour around a light tick or dot, "mixed" when the light mark is a
    dash (a box neither ticked nor not, GTK's inconsistent state), None for anything else."""
    crop, inner = _face(image, box, 6)
    if crop is None:
        return None
    grey = crop.mean(axis=2)
    coloured = _accent(crop)
    if not coloured[~inner].any():
        return None
    face = np.median(grey[coloured & ~inner])
    light = (grey >= face + 35) & (crop.min(axis=2) >= 170)  # the mark: white, or pale on a disabled face
    fill = coloured & ~light
    if fill[~inner].mean() < 0.3 or not 0.1 <= light[inner].mean() <= 0.8:
        return None  # no coloured face around the middle, or nothing light in it (or nothing but light)
    ys, xs = np.nonzero(light & inner)
    return "mixed" if np.ptp(ys) + 1 <= 0.4 * (np.ptp(xs) + 1) else "checked"


def _fill_mask(crop: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pixels of a filled face's colour (neither the light mark nor the background), and that colour."""
    flat = crop.reshape(-1, 3).astype(np.int16)
    coloured = flat[(flat.max(axis=1) - flat.min(axis=1) >= 60) | (flat.mean(axis=1) < 150)]
    if not len(coloured):
        return np.zeros(crop.shape[:2], bool), np.zeros(3)
    colour = np.median(coloured, axis=0)
    return np.abs(crop.astype(np.int16) - colour).max(axis=2) <= 40, colour


def _even_fill(crop: np.ndarray, mask: np.ndarray) -> bool:
    """Most of the face one colour (``mask``: its colour's pixels, _fill_mask): of the pixels that are not light,
    six in ten that colour."""
    flat = crop.reshape(-1, 3).astype(np.int16)
    dark = flat[flat.min(axis=1) <= 225]
    if len(dark) < 0.3 * len(flat):
        return False
    return float(mask.sum()) >= 0.6 * len(dark)


def _round(mask: np.ndarray) -> bool:
    """A disc, not a rounded square: the corners of its box are mostly not its colour (``mask``, _fill_mask)."""
    h, w = mask.shape
    c = max(1, round(0.2 * min(h, w)))
    corners = np.concatenate([mask[:c, :c].ravel(), mask[:c, -c:].ravel(), mask[-c:, :c].ravel(),
                              mask[-c:, -c:].ravel()])
    return float(corners.mean()) < 0.35
