"""The tree's records as screen-model Elements on the captured image, and a word index for their text.

Records carry logical screen pixels; the capture ``Frame`` maps them onto the image (grounding/coords.py is the
one place that converts). Ids are 1..N in record order, ``parent`` pointing at the container's id; the Screen
renumbers both into its reading order. Words are laid out along each line in proportion to their characters:
enough to ground a phrase inside a line, never shown to a model.
"""

from __future__ import annotations

import numpy as np

from grounding.a11y_reader import TreeSnapshot
from grounding.coords import Frame, Point, Space, logical_to_image
from grounding.elements import ROLES, STATES, Box, Element
from grounding.ocr import ink_color

WORDED = ("text", "heading", "button", "link", "tab", "checkbox", "radio", "menu_item", "menu_bar_item", "option",
          "tree_item", "cell", "tooltip")


def image_box(box: list[int] | tuple[int, ...], frame: Frame) -> Box:
    """A logical screen box on the captured image."""
    a = logical_to_image(Point(box[0], box[1], Space.LOGICAL), frame)
    b = logical_to_image(Point(box[2], box[3], Space.LOGICAL), frame)
    return Box(a.x, a.y, b.x, b.y)


def tree_elements(tree: TreeSnapshot, frame: Frame, width: int, height: int) -> list[Element]:
    """Every record that shows on the image, as an element named by the tree (``source="a11y"``)."""
    out: list[Element] = []
    kept: dict[int, int] = {}  # record index -> element id
    for i, r in enumerate(tree.records):
        if r["role"] not in ROLES:
            continue
        box = image_box(r["box"], frame)
        clipped = Box(max(0.0, box.x0), max(0.0, box.y0), min(float(width), box.x1), min(float(height), box.y1))
        if clipped.width < 1 or clipped.height < 1:
            continue
        kept[i] = len(out) + 1
        states = frozenset(s for s in r["states"] if s in STATES)
        out.append(Element(clipped, r["role"], name=r["name"], value=r["value"], states=states, id=len(out) + 1,
                           source="a11y", confidence=0.98, parent=kept.get(r["parent"], 0),
                           format=r.get("format", ""), placeholder=r.get("placeholder", "")))
    return out


def tree_words(elements: list[Element]) -> list[Element]:
    """Word boxes along each named line or caption, spaced by character count (line index = element id)."""
    out = []
    for e in elements:
        if e.role not in WORDED or not e.name or e.box.height > 3 * max(1.0, e.box.width):
            continue
        text = e.name
        per_char = e.box.width / max(1, len(text))
        start = 0
        for word in text.split():
            at = text.index(word, start)
            start = at + len(word)
            box = Box(e.box.x0 + at * per_char, e.box.y0, e.box.x0 + start * per_char, e.box.y1)
            out.append(Element(box, "text", name=word, source="a11y", confidence=0.9, line=e.id))
    return out


def shift(e: Element, dx: float, dy: float, id_base: int) -> Element:
    """An element the pixel parser found in a crop, placed on the whole image with ids after the tree's."""
    moved = e.box.shifted(dx, dy)
    if not id_base:
        return e.with_(box=moved, id=0)
    return e.with_(box=moved, id=e.id + id_base if e.id else 0, parent=e.parent + id_base if e.parent else 0)


def coloured_links(tree: TreeSnapshot, frame: Frame, image: np.ndarray) -> list[Element]:
    """Inline runs drawn in a link colour as links: a page can make a <span> clickable with script and style alone,
    which the tree does not say; the pixels do (named by the tree, so the source is "a11y+widget")."""
    h, w = image.shape[:2]
    out = []
    for r in tree.records:
        if r["role"] != "inline":
            continue
        box = image_box(r["box"], frame)
        if box.x1 <= 0 or box.y1 <= 0 or box.x0 >= w or box.y0 >= h or not _link_coloured(image, box):
            continue
        out.append(Element(box, "link", name=r["name"], source="a11y+widget", confidence=0.9, id=0))
    return out


def _link_coloured(image: np.ndarray, box: Box) -> bool:
    colour = ink_color(image, box)
    if colour is None:
        return False
    r, g, b = colour
    return b > 140 and b - max(r, g) > 70  # the rule grounding/ocr.py applies to the words it reads
