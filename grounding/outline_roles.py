"""What one outline is, from its shape and the words OCR read in it: a button, a field, a dropdown, a text area,
a toggle (grounding/toggles.py), or nothing (a letter's bowl, a banner, an empty bar of colour). The pass over a
screen's outlines that asks this, and names what it finds, is grounding/widgets.py."""

from __future__ import annotations

import numpy as np

from grounding.bars import from_the_left, without_arrow, without_end_icon
from grounding.elements import Box, Element, reading_order
from grounding.lists import arrow_at_end
from grounding.proposals import Proposal
from grounding.toggles import toggle
from grounding.words import centred, rows, span

MAX_CAPTION_WORDS = 6  # a button says what it does in a few words; a sentence on a band is a notice
NAMED = "widget+ocr"  # a control found by its shape and named by the words OCR read in or beside it
ENTRY_FILL = 242  # a field's face is white or nearly so; a darker or coloured bar is a button or a banner


def classify(p: Proposal, inside: list[Element], free: list[Element], text_height: float,
              image: np.ndarray) -> Element | None:
    text = " ".join(w.name for w in reading_order(inside))
    if p.shape in ("square", "circle"):
        if inside and text.strip().lower() not in ("x", "×"):
            if p.box.height > 2.5 * text_height and p.fill < 250 and p.drawn and rows(inside) <= 2:
                return Element(p.box, "button", name=text, source=NAMED, confidence=0.7)
            return None  # a letter's bowl, not a control
        return toggle(p, free, text_height, image)
    if p.shape == "bar":
        return _classify_bar(p, inside, text, text_height, image)
    if inside and len(inside) <= 4 and rows(inside) <= 2 and p.fill < 250 and centred(p.box, inside, both_axes=True):
        return Element(p.box, "button", name=text, source=NAMED, confidence=0.75)
    if inside and _is_text_area(p, inside, text_height):
        return Element(p.box, "text_area", value=_paragraph(inside), source=NAMED, confidence=0.6)
    return None


def _classify_bar(p: Proposal, inside: list[Element], text: str, text_height: float,
                  image: np.ndarray) -> Element | None:
    entry = p.fill >= ENTRY_FILL and _grey(image, p.box)
    if not inside:
        if entry:
            role = "dropdown" if p.right_ink > 0.12 else "text_field"
            return Element(p.box, role, source="widget", confidence=0.6 if role == "dropdown" else 0.8)
        return None  # an empty bar of colour: a title bar, a separator, a progress bar
    if rows(inside) > 1:
        if entry and _is_text_area(p, inside, text_height):
            return Element(p.box, "text_area", value=_paragraph(inside), source=NAMED, confidence=0.6)
        return None  # several rows of text: a paragraph in a box, whose words stay text
    inside = without_end_icon(p.box, inside)  # a date field's calendar read as "二" is no word of its text
    text = " ".join(w.name for w in reading_order(inside))
    words = span(inside)
    arrowed = p.right_ink > 0.12 and words.x1 < p.box.x0 + 0.8 * p.box.width
    # a narrow closed list's choice may sit near its middle, but it starts at the left and leaves room for the arrow
    middle = centred(p.box, inside) and not (entry and from_the_left(p.box, inside, text_height)) \
        and not (arrowed and words.x0 - p.box.x0 < 0.5 * (p.box.x1 - words.x1))
    if middle and len(text.split()) > MAX_CAPTION_WORDS:
        return None  # a sentence on a band (a notice, an info bar): text, not a button's caption
    choice = without_arrow(p.box, inside)
    if len(choice) < len(inside):  # OCR read the dropdown's arrow as a letter ("Europe v")
        return Element(p.box, "dropdown", value=" ".join(w.name for w in choice), source=NAMED, confidence=0.7)
    words_end = span(inside).x1
    if p.right_ink > 0.12 and words_end < p.box.x1 - max(6.0, 0.6 * text_height) \
            and arrow_at_end(image, p.box, words_end):
        # a closed dropdown whose choice fills it: an arrow apart from its words at its right end
        return Element(p.box, "dropdown", value=text, source=NAMED, confidence=0.7)
    if middle:
        return Element(p.box, "button", name=text, source=NAMED, confidence=0.85 if p.fill < 250 else 0.6)
    chevron = arrowed and arrow_at_end(image, p.box, words_end)  # an arrow, not an icon as tall as the text
    if entry or chevron:  # a field; or, with an arrow at its end, a dropdown showing its choice
        return Element(p.box, "dropdown" if chevron else "text_field", value=text, source=NAMED, confidence=0.7)
    if _marker_before(p, inside, image):
        return Element(p.box, "button", name=text, source=NAMED, confidence=0.6)  # a header with an arrow
    return None  # words on a coloured band (a banner, a notice): text


def _grey(image: np.ndarray, box: Box) -> bool:
    """Whether a box's face is colourless (a field), not a tint (a notice, a highlighted row)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    inset = max(2, int(min(x1 - x0, y1 - y0) * 0.15))
    face = image[y0 + inset:y1 - inset, x0 + inset:x1 - inset].reshape(-1, 3).astype(np.int16)
    if not len(face):
        return True
    saturation = face.max(axis=1) - face.min(axis=1)
    return float(np.median(saturation)) < 25


def _marker_before(p: Proposal, inside: list[Element], image: np.ndarray) -> bool:
    """Ink between the box's left edge and its first word: an arrow or icon marking a clickable header."""
    first = min(w.box.x0 for w in inside)
    x0, y0, x1, y1 = int(p.box.x0) + 3, int(p.box.y0) + 3, int(first) - 2, int(p.box.y1) - 3
    if x1 - x0 < 3 or y1 <= y0:
        return False
    patch = image[y0:y1, x0:x1].astype(np.int16).mean(axis=2)
    return float(np.abs(patch - np.median(patch)).max()) > 60


def _is_text_area(p: Proposal, inside: list[Element], text_height: float) -> bool:
    """A field several lines tall: a colourless face, its text starting at the top left, inside the padding."""
    s = span(inside)
    return (p.fill >= ENTRY_FILL and p.box.height >= 2.2 * text_height and s.x0 - p.box.x0 <= 2.0 * text_height
            and s.y0 - p.box.y0 <= 1.6 * text_height)


def _paragraph(inside: list[Element]) -> str:
    by_line: dict[int, list[Element]] = {}
    for w in inside:
        by_line.setdefault(w.line, []).append(w)
    ordered = sorted(by_line.values(), key=lambda ws: min(w.box.y0 for w in ws))
    return "\n".join(" ".join(w.name for w in sorted(ws, key=lambda w: w.box.x0)) for ws in ordered)
