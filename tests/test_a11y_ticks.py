"""Menu items whose ticks only the pixels show (GTK 3 menus built from a menu model), and icons that are no tick."""

import cv2
import numpy as np

from grounding.a11y_ticks import ticked_items
from grounding.elements import Box, Element

ROW = 25


def _menu(kinds: list[str], highlighted: int = -1) -> tuple[np.ndarray, list[Element]]:
    """A white menu with one row per kind: "box" (bare), "ticked", "icon" (a dark glyph of its own) or "plain"."""
    image = np.full((ROW * len(kinds) + 10, 240, 3), 255, np.uint8)
    items = []
    for i, kind in enumerate(kinds):
        y = 5 + i * ROW
        if i == highlighted:  # the indicator's face is clear: it takes the highlight too
            image[y:y + ROW] = (53, 132, 228)
        if kind in ("box", "ticked"):
            cv2.rectangle(image, (9, y + 5), (24, y + 20), (140, 140, 140), 1)
        if kind == "ticked":
            cv2.polylines(image, [np.array([(12, y + 12), (15, y + 16), (21, y + 8)])], False, (40, 40, 40), 2)
        if kind == "icon":
            cv2.rectangle(image, (9, y + 5), (24, y + 20), (30, 30, 30), -1)
            cv2.rectangle(image, (12, y + 8), (21, y + 12), (220, 220, 220), -1)
        cv2.putText(image, f"Item {i}", (36, y + 18), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
        items.append(Element(Box(0, y, 240, y + ROW), "menu_item", name=f"Item {i}", id=i + 2, parent=1,
                             source="a11y"))
    return image, items


def _checked(image: np.ndarray, items: list[Element]) -> list[bool]:
    return [e.checked for e in ticked_items(items, image)]


def test_a_tick_drawn_in_a_menus_column_of_boxes_is_checked_highlighted_or_not():
    image, items = _menu(["plain", "box", "ticked", "box"])
    assert _checked(image, items) == [False, False, True, False]
    image, items = _menu(["plain", "box", "ticked", "box"], highlighted=2)
    assert _checked(image, items) == [False, False, True, False]


def test_icons_in_front_of_items_are_no_ticks():
    image, items = _menu(["icon", "box", "icon", "plain"])  # a column of bare boxes beside icons of their own
    assert _checked(image, items) == [False, False, False, False]
    image, items = _menu(["ticked", "plain"])  # no bare box in the column to say it is an indicator
    assert _checked(image, items) == [False, False]
