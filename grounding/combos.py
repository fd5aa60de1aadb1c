"""Editable combo boxes: a field with its arrow button drawn as a small box of its own at its right end; and the
arrow after a menu button's caption, which is no part of its name.

The outline finder sees two shapes: the field, and the arrow's box, which alone looks like a toggle. A person
sees one dropdown. The box must touch the field's right end, share its top and bottom, be no wider than about
a field's height, and hold a mark that points down (wide at the top, narrow at the bottom): a search field with a
magnifier button beside it stays a field and a button.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element

ARROW_GLYPHS = {"v", "V", "\u02c5", "\u2304", "\u25be", "\u25bc", "\u2228"}  # how OCR reads a menu button's arrow
TOUCH = 3  # pixels between the field's right edge and the arrow box's left edge
ARROW_ROLES = ("radio", "checkbox", "button")  # what the arrow's box alone is taken for


def join_combos(widgets: list[Element], image: np.ndarray, frames: tuple[Box, ...] = ()) -> list[Element]:
    """``widgets`` with each field and the arrow box at its right end made one dropdown; ``frames`` are drawn
    outlines, one of which may be the combo's own frame around the field and the arrow (the arrow's box then
    need not be a control of its own)."""
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    used: set[int] = set()
    out: list[Element] = []
    for f in widgets:
        if f.role not in ("text_field", "dropdown") or id(f) in used:
            continue
        arrow = next((b for b in widgets if id(b) not in used and b is not f and _arrow_of(f.box, b, gray)), None)
        if arrow is not None:
            used.update((id(f), id(arrow)))
            box = Box(f.box.x0, min(f.box.y0, arrow.box.y0), arrow.box.x1, max(f.box.y1, arrow.box.y1))
            out.append(f.with_(box=box, role="dropdown", value=f.value))
            continue
        frame = next((q for q in frames if _frames_with_arrow(q, f.box, gray)), None)
        if frame is not None:
            used.add(id(f))
            out.append(f.with_(box=frame, role="dropdown", value=f.value))
    return [_without_arrow(w) for w in widgets if id(w) not in used] + out


def _without_arrow(e: Element) -> Element:
    """A button's caption without the arrow drawn after it (a menu button's "MS ▾", read "MS v")."""
    words = e.name.split()
    if e.role == "button" and len(words) >= 2 and words[-1] in ARROW_GLYPHS:
        return e.with_(name=" ".join(words[:-1]))
    return e


def _frames_with_arrow(q: Box, field: Box, gray: np.ndarray) -> bool:
    """Whether ``q`` is a combo's frame: the field set in its left part, its top, bottom and left a few pixels
    away, and in the rest, no wider than about its height, a mark pointing down."""
    pad = max(TOUCH + 2, 0.15 * q.height)
    rest = Box(field.x1, q.y0, q.x1, q.y1)
    return (q.contains(field, slack=1) and field.x0 - q.x0 <= pad and field.y0 - q.y0 <= pad
            and q.y1 - field.y1 <= pad and 0.5 * q.height <= rest.width <= 1.5 * q.height and points_down(gray, rest))


def _arrow_of(field: Box, b: Element, gray: np.ndarray) -> bool:
    box = b.box
    return (b.role in ARROW_ROLES and -1 <= box.x0 - field.x1 <= TOUCH and abs(box.y0 - field.y0) <= TOUCH
            and abs(box.y1 - field.y1) <= TOUCH and box.width <= 1.5 * field.height and points_down(gray, box))


def points_down(gray: np.ndarray, box: Box) -> bool:
    """Whether the ink inside ``box`` (its border left out) is a mark pointing down: a filled or open triangle or
    a chevron, widest in its top rows and narrowest in its bottom rows, centred left to right."""
    inset = max(2, int(0.2 * min(box.width, box.height)))
    x0, y0, x1, y1 = int(box.x0) + inset, int(box.y0) + inset, int(box.x1) - inset, int(box.y1) - inset
    if x1 - x0 < 4 or y1 - y0 < 3:
        return False
    patch = gray[y0:y1, x0:x1].astype(np.int16)
    ink = np.abs(patch - np.median(patch)) > 60
    rows = np.flatnonzero(ink.any(axis=1))
    cols = np.flatnonzero(ink.any(axis=0))
    if rows.size < 2 or cols.size < 3 or rows[-1] - rows[0] + 1 > rows.size + 1:
        return False  # nothing, or two marks one over the other (a spin box's up and down arrows)
    mark = ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    widths = [np.ptp(np.flatnonzero(r)) + 1 if r.any() else 0 for r in mark]
    widest = int(np.argmax(widths))  # the first of the widest rows
    bottom = min(w for w in widths[-max(1, len(widths) // 3):] if w)
    centre = (cols[0] + cols[-1]) / 2 / max(1, ink.shape[1] - 1)
    return (widest <= 0.25 * (len(widths) - 1) and widths[widest] >= max(3, 2 * bottom)
            and 0.25 <= centre <= 0.75)
