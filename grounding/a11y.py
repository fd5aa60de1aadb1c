"""Accessibility trees as grounding: AT-SPI on Linux gives each widget's role, name and screen box.

Elements read here carry ``source="a11y"``. ``merge`` joins them with what the pixels showed: a visual element
the tree also knows gets its accessible name as a label; a widget only the tree knows (an icon button with an
accessible name) is added. The AT-SPI bindings are Debian's (python3-gi, gir1.2-atspi-2.0), loaded lazily.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from grounding.coords import Frame, Point, Space, logical_to_image
from grounding.elements import Box, Element, Screen

ROLES = {"push button": "button", "toggle button": "button", "button": "button", "text": "text_field",
         "entry": "text_field", "password text": "text_field", "check box": "checkbox", "radio button": "radio",
         "combo box": "dropdown", "page tab": "tab", "link": "link", "menu item": "menu_item", "label": "text",
         "spin button": "spin_box"}
STATES = {"password text": frozenset({"password"})}
SYSTEM_PATHS = ("/usr/lib/python3/dist-packages",)


class A11yError(RuntimeError):
    """The accessibility tree cannot be read; the message says what to install or start."""


def _atspi() -> Any:
    for path in SYSTEM_PATHS:
        if path not in sys.path and os.path.isdir(path):
            sys.path.append(path)
    try:
        import gi

        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi
    except (ImportError, ValueError) as exc:
        raise A11yError("The AT-SPI bindings are missing: install python3-gi and gir1.2-atspi-2.0 "
                        "(`make install`).") from exc
    return Atspi


def read_nodes(max_nodes: int = 2000) -> list[dict[str, Any]]:
    """Every node with a known role and a real box, in logical screen pixels: {role, name, box}.

    Uses $DISPLAY and $DBUS_SESSION_BUS_ADDRESS of this process (AT-SPI connects once per process).
    """
    atspi = _atspi()
    desktop = atspi.get_desktop(0)
    out: list[dict[str, Any]] = []
    stack = [desktop.get_child_at_index(i) for i in range(desktop.get_child_count())]
    while stack and len(out) < max_nodes:
        node = stack.pop()
        if node is None:
            continue
        try:
            role, name = node.get_role_name(), node.get_name() or ""
            children = [node.get_child_at_index(i) for i in range(node.get_child_count())]
            ext = node.get_extents(atspi.CoordType.SCREEN)
        except Exception:  # a node that disappeared while we walked the tree (a closed window): skip it
            continue
        stack.extend(reversed(children))
        if role in ROLES and ext.width > 1 and ext.height > 1:
            out.append({"role": role, "name": name, "box": [ext.x, ext.y, ext.x + ext.width, ext.y + ext.height]})
    return out


def to_elements(nodes: list[dict[str, Any]], frame: Frame) -> list[Element]:
    """Tree nodes (logical pixels) as elements on the captured image."""
    out = []
    for node in nodes:
        kind = ROLES[node["role"]]
        x0, y0, x1, y1 = node["box"]
        a = logical_to_image(Point(x0, y0, Space.LOGICAL), frame)
        b = logical_to_image(Point(x1, y1, Space.LOGICAL), frame)
        box = Box(a.x, a.y, b.x, b.y)
        if box.x1 <= 0 or box.y1 <= 0 or box.x0 >= frame.width or box.y0 >= frame.height:
            continue
        out.append(Element(box, kind, name=node["name"], states=STATES.get(node["role"], frozenset()),
                           source="a11y", confidence=0.95))
    return out


def main() -> None:
    """A reader process: one line in, one JSON line of nodes out (AT-SPI stays bound to this bus)."""
    import json

    for _ in sys.stdin:
        try:
            print(json.dumps({"nodes": read_nodes()}), flush=True)
        except Exception as exc:  # report to the parent, which decides; the reader keeps serving
            print(json.dumps({"error": f"{type(exc).__name__}: {exc}"}), flush=True)


if __name__ == "__main__":
    main()


def merge(screen: Screen, tree: list[Element]) -> Screen:
    """The visual screen, with accessible names on the widgets the tree also knows and the tree's own
    interactive widgets added where the pixels found nothing."""
    elements = list(screen.elements)
    for node in tree:
        if node.role == "text":
            continue  # OCR already reads visible text, with word boxes
        twin = max((e for e in elements if e.is_control and e.role != "link"), default=None,
                   key=lambda e: e.box.iou(node.box))
        if twin is not None and twin.box.iou(node.box) > 0.4:
            i = elements.index(twin)
            # a caption OCR read stays; a field takes the tree's name over the words the pixels put beside it
            name = twin.name or node.name if twin.role in ("button", "link", "tab") else node.name or twin.name
            elements[i] = twin.with_(name=name, states=twin.states | node.states, source=f"{twin.source}+a11y")
        else:
            elements.append(node)
    return screen.with_elements(elements)
