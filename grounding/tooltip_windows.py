"""Tooltips the window system names: a pointed-at button's tooltip is a window of its own, of the tooltip type.

Drawn, a tooltip is a framed box with a line of text in it, which is what a button looks like too: pointed at,
FeatherPad's Replace icon made the pixel parser list a button "Show/hide replacement dock" that an agent could
click, and the tooltip lying over the toolbar garbled its neighbours. The window system knows better than the
pixels: GTK, Qt and Chromium show a tooltip in a window of its own, which X11 marks as one
(_NET_WM_WINDOW_TYPE_TOOLTIP, app/desktop/windows.py). Whatever the parse found inside such a window is the
tooltip's text: one element of role tooltip, never a control.
"""

from __future__ import annotations

from grounding.coords import Frame, Point, Space, logical_to_image
from grounding.elements import Box, Element, Screen, reading_order

SOURCE = "pixels+window"  # text read from the pixels, its role from the window system


def with_tooltips(screen: Screen, boxes: list[Box]) -> Screen:
    """``screen`` with what lies inside each tooltip window (``boxes``, image pixels) made one tooltip element,
    named by its text in reading order (the tree's own tooltip name where it gave one)."""
    if not boxes:
        return screen
    elements = list(screen.elements)
    for box in boxes:
        inside = [e for e in elements if box.contains_point(*e.box.center) and e.box.area <= 1.5 * box.area]
        if not inside:
            continue  # a tooltip not drawn yet, or one the capture does not show
        told = [e for e in inside if e.role == "tooltip" and e.name]
        named = told or [e for e in reading_order(inside) if any(c.isalnum() for c in e.name)]
        name = " ".join(e.name.strip() for e in named)
        source = told[0].source if told else SOURCE
        elements = [e for e in elements if not any(e is i for i in inside)]
        elements.append(Element(box, "tooltip", name=name, source=source, confidence=1.0))
    return screen.with_elements(elements)


def on_image(boxes: list[tuple[int, int, int, int]], frame: Frame) -> list[Box]:
    """Window boxes in logical desktop pixels as boxes on the captured image, those off it left out."""
    out = []
    for x0, y0, x1, y1 in boxes:
        a = logical_to_image(Point(x0, y0, Space.LOGICAL), frame)
        b = logical_to_image(Point(x1, y1, Space.LOGICAL), frame)
        box = Box(max(0.0, a.x), max(0.0, a.y), min(float(frame.width), b.x), min(float(frame.height), b.y))
        if box.x1 > box.x0 and box.y1 > box.y0:
            out.append(box)
    return out
