"""Captions the text detector passes over: a lone short glyph ("7", "=", "(") centred on a key or button is too
small for it to find, so the ink inside each empty button-sized outline is read on its own."""

from __future__ import annotations

import numpy as np

from grounding.elements import Box, Element
from grounding.proposals import Proposal
from models import ocr as ocr_model

MIN_SCORE = 0.6  # a glyph read on its own: less sure than in a line, but well above chance
MAX_CAPTION = 6  # characters: a key's or small button's caption, not a line of text
# a dash or a dot alone is the least the recogniser has to go on, and it hesitates between its look-alikes
PLAIN = {"-": "-", "\u2014": "-", "\u2013": "-", "\u2212": "-", "\u4e00": "-", ".": ".", "\u00b7": ".",
         "\u3002": "."}
MIN_PLAIN_SCORE = 0.3


def missed_captions(image: np.ndarray, words: list[Element], outlines: list[Proposal],
                    text_height: float, line_base: int) -> list[Element]:
    """Words read from the ink of button-sized outlines that hold no word; each gets a line of its own."""
    spots = [s for s in (_ink_box(image, p, text_height) for p in outlines if _empty_button(p, words, text_height))
             if s is not None]
    crops = [_crop(image, s, text_height) for s in spots]
    out = []
    for n, (spot, (text, score)) in enumerate(zip(spots, ocr_model.read_crops(crops))):
        text = text.strip()
        if text in PLAIN and score >= MIN_PLAIN_SCORE:
            text, score = PLAIN[text], MIN_SCORE
        if text and score >= MIN_SCORE and len(text) <= MAX_CAPTION:
            out.append(Element(spot, "text", name=text, source="ocr", confidence=score, line=line_base + n))
    return out


def _empty_button(p: Proposal, words: list[Element], text_height: float) -> bool:
    if not p.drawn or p.shape not in ("bar", "panel") or p.inked <= 0.0:
        return False
    if not (1.3 * text_height <= p.box.height <= 8 * text_height and p.box.width <= 12 * text_height):
        return False
    return not any(p.box.intersection(w.box) > 0.3 * w.box.area for w in words)


def _ink_box(image: np.ndarray, p: Proposal, text_height: float) -> Box | None:
    """The box of the ink on the outline's face, when it is one small grey glyph run (an icon's colours are no
    caption)."""
    x0, y0, x1, y1 = (int(v) for v in p.box.to_list())
    inset = max(3, int(0.12 * min(x1 - x0, y1 - y0)))
    face = image[y0 + inset:y1 - inset, x0 + inset:x1 - inset].astype(np.int16)
    if face.shape[0] < 3 or face.shape[1] < 3:
        return None
    gray = face.mean(axis=2)
    ink = np.abs(gray - np.median(gray)) > 60
    if ink.sum() < 3:
        return None
    ys, xs = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    h, w = ys[-1] - ys[0] + 1, xs[-1] - xs[0] + 1
    if h > 1.8 * text_height or w > 0.8 * face.shape[1]:
        return None
    spread = face[ink].max(axis=1) - face[ink].min(axis=1)
    if float(np.median(spread)) > 40:
        return None  # coloured ink: a picture
    return Box(x0 + inset + xs[0], y0 + inset + ys[0], x0 + inset + xs[-1] + 1, y0 + inset + ys[-1] + 1)


def _crop(image: np.ndarray, spot: Box, text_height: float) -> np.ndarray:
    """The glyphs on a band of their face a line of text tall, as a detected line is cut: a "-" or "=" alone
    reads as itself only at the size of the text around it."""
    h, w = image.shape[:2]
    half = max(spot.height, 1.4 * text_height) / 2
    pad_x = max(3.0, 0.5 * text_height)
    cy = spot.center[1]
    x0, y0 = max(0, int(spot.x0 - pad_x)), max(0, int(cy - half))
    x1, y1 = min(w, int(np.ceil(spot.x1 + pad_x))), min(h, int(np.ceil(cy + half)))
    return np.ascontiguousarray(image[y0:y1, x0:x1])
