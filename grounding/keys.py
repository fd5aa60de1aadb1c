"""Keys in a row: a captioned box the size of the buttons it stands flush with on its line is one more button,
and a key whose caption is drawn far fainter than its row's is disabled.

A calculator's disabled key (a paler face, a grey caption) looks like a field holding a placeholder; what tells it
is a key is its row: it stands flush with buttons of its own size on its own line, as no field does.
"""

from __future__ import annotations

import statistics

import numpy as np

from grounding.elements import Element, Screen

SIZE = 0.12  # a key's height and width within this fraction of its neighbours'
GAP = 0.35  # keys stand less than this fraction of their height apart
FAINT = 0.6  # a caption under this fraction of its row's usual contrast is greyed out


def keys_in_rows(screen: Screen) -> Screen:
    """``screen`` with each short-captioned field standing flush in a row of like buttons made a button, and the
    keys of such a row whose captions are far fainter than the others' disabled."""
    if screen.image is None:
        return screen
    buttons = [e for e in screen.elements if e.role == "button" and e.name]
    keys = {id(e): e.with_(role="button") for e in screen.elements
            if e.role == "text_field" and 0 < len(e.name.strip()) <= 4 and not e.value
            and any(_beside(e, b) for b in buttons) and len(_row(e, buttons)) >= 2}
    elements = [keys.get(id(e), e) for e in screen.elements]
    buttons = [e for e in elements if e.role == "button" and e.name]
    faint = set()
    for e in buttons:
        row = _row(e, buttons)
        if len(row) >= 3:
            usual = statistics.median(_contrast(screen.image, b) for b in row)
            if _contrast(screen.image, e) < FAINT * usual:
                faint.add(id(e))
    if not keys and not faint:
        return screen
    return screen.with_elements([e.with_(states=e.states | {"disabled"}) if id(e) in faint else e for e in elements])


def _beside(a: Element, b: Element) -> bool:
    """Whether ``b`` stands right beside ``a`` on its line, at its size."""
    gap = max(b.box.x0 - a.box.x1, a.box.x0 - b.box.x1)
    return _alike(a, b) and 0 <= gap <= GAP * a.box.height


def _alike(a: Element, b: Element) -> bool:
    h, w = a.box.height, a.box.width
    return abs(a.box.y0 - b.box.y0) <= SIZE * h and abs(b.box.height - h) <= SIZE * h \
        and abs(b.box.width - w) <= SIZE * w


def _row(e: Element, buttons: list[Element]) -> list[Element]:
    """The keys of ``e``'s size on its line, itself among them when it is a button."""
    return [b for b in buttons if _alike(e, b)]


def _contrast(image: np.ndarray, e: Element) -> float:
    """How far the caption's darkest stroke stands from the key's face, inside its border (a dot has one too)."""
    x0, y0, x1, y1 = (int(round(v)) for v in e.box.to_list())
    inset = max(2, round(0.15 * (y1 - y0)))
    crop = image[max(0, y0 + inset):y1 - inset, max(0, x0 + inset):x1 - inset].astype(np.int16)
    if crop.size == 0:
        return 0.0
    face = np.median(crop.reshape(-1, crop.shape[2]), axis=0)
    return float(np.abs(crop - face).max())
