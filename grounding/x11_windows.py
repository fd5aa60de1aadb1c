"""The client windows on an X display, bottom to top: whose process drew each (_NET_WM_PID) and where it is.

The accessibility reader needs them twice: a toolkit that scales itself (GDK_SCALE, QT_SCALE_FACTOR) reports its
boxes in its own logical pixels, which only the X window's real size reveals; and windows stacked on top of the
tree's application hide what the tree says is under them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, kw_only=True)
class XWindow:
    """A mapped client window: its process id (0 when it does not say) and its box in X screen pixels."""

    pid: int
    box: tuple[int, int, int, int]


def client_windows(display: str) -> list[XWindow]:
    """Mapped client windows, bottom to top ([] when the display cannot be asked)."""
    try:
        from Xlib.display import Display

        x = Display(display) if display else Display()
    except Exception:  # no X server (Wayland, a headless run): nothing to correct with
        return []
    try:
        return _walk(x)
    except Exception:  # a window that vanished while we asked: this read goes without the correction
        return []
    finally:
        x.close()


def _walk(x: Any) -> list[XWindow]:
    root = x.screen().root
    atom = x.intern_atom("_NET_WM_PID")
    out = []
    for top in root.query_tree().children:  # bottom to top; with a window manager the clients sit in its frames
        if top.get_attributes().map_state != 2:
            continue
        for w in (top, *top.query_tree().children):
            prop = w.get_full_property(atom, 0)
            if prop is None or not prop.value:
                continue
            g = w.get_geometry()
            at = w.translate_coords(root, 0, 0)
            x0, y0 = -at.x, -at.y
            out.append(XWindow(pid=int(prop.value[0]), box=(x0, y0, x0 + g.width, y0 + g.height)))
            break
    return out
