"""Ticks the tree does not tell: GTK 3's menu items built from a menu model (mousepad's View menu) draw their
check box or radio themselves and say neither that they can be ticked nor that they are ("menu item", no
CHECKED state). The pixels do: a box or ring at the item's left, in front of its label, with a tick or dot in it.
An icon there (Qt's menus put one in front of most items) is no indicator: a tick counts only where the same menu
draws a bare box or ring in the same column and of the same size, the way it draws the ones not ticked, and only
on a face of the item's own background (an icon's is its own colour; a highlighted item's indicator takes the
highlight).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from grounding.elements import Box, Element
from grounding.proposals import Proposal, find_outlines

MARKED_INK = 0.1  # share of an indicator's face a tick or dot covers; a bare face has a few anti-aliased pixels
ALIKE = 0.2  # how far (a share of the item's height) two indicators of one column may differ in place and size:
# one outline traced tight or through its dilation differs by two pixels a side
SAME_FACE = 24  # grey levels a face may differ from its item's background by (a thin tick leaves its median)


@dataclass(frozen=True)
class Face:
    """The box or ring drawn at an item's left, on the whole image, and the share of its face that is inked."""

    box: Box
    inked: float


def ticked_items(elements: list[Element], image: np.ndarray) -> list[Element]:
    """The tree's menu items, checked where their indicator is drawn ticked."""
    faces = {e.id: face for e in elements if e.role == "menu_item" and e.source == "a11y" and not e.checked
             and (face := _indicator(e, image)) is not None}
    bare = [(e.parent, faces[e.id]) for e in elements if e.id in faces and faces[e.id].inked < MARKED_INK]
    ticked = {e.id for e in elements if e.id in faces and faces[e.id].inked >= MARKED_INK
              and any(menu == e.parent and _alike(faces[e.id], face, e.box.height) for menu, face in bare)}
    return [e.with_(states=e.states | {"checked"}) if e.id in ticked else e for e in elements]


def _indicator(item: Element, image: np.ndarray) -> Face | None:
    x0, y0, x1, y1 = (int(v) for v in item.box.to_list())
    side = y1 - y0
    crop = np.ascontiguousarray(image[max(0, y0):y1, max(0, x0):min(x1, x0 + round(1.5 * side))])
    if side < 8 or crop.size == 0:
        return None
    found = [p for p in find_outlines(crop, 0.6 * side) if _indicator_shaped(p, side)]
    if not found:
        return None
    best = max(found, key=lambda p: p.box.area)
    background = float(np.median(image[max(0, y0):y1, max(0, x0):x1].mean(axis=2)))
    if abs(best.fill - background) > SAME_FACE:
        return None  # an icon: a face of its own
    return Face(best.box.shifted(max(0, x0), max(0, y0)), best.inked)


def _indicator_shaped(p: Proposal, side: int) -> bool:
    """A drawn box or ring about as tall as the item's text and more (a letter of the label is narrower)."""
    return p.shape in ("square", "circle") and p.drawn and min(p.box.width, p.box.height) >= 0.55 * side \
        and max(p.box.width, p.box.height) <= 0.95 * side and p.box.x0 < side


def _alike(a: Face, b: Face, side: float) -> bool:
    """Two indicators of one column: in the same place and of one size."""
    return abs(a.box.x0 - b.box.x0) <= ALIKE * side and abs(a.box.width - b.box.width) <= ALIKE * side \
        and abs(a.box.height - b.box.height) <= ALIKE * side
