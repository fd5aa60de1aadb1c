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


def client_windows(display: str) -> list[XWindow] | None:
    """Mapped client windows, bottom to top (None when the display cannot be asked)."""
    try:
        from Xlib.display import Display

        x = Display(display) if display else Display()
    except Exception:  # no X server (Wayland, a headless run): nothing to correct with
        return None
    try:
        return _walk(x)
    except Exception:  # a window that vanished while we asked: this read goes without the correction
        return None
    finally:
        x.close()


def _walk(x: Any) -> list[XWindow]:
    root = x.screen().root
    atom = x.intern_atom("_NET_WM_PID")
    out = []
    for top in root.query_tree().children:  # bottom to top; with a window manager the clients sit in its frames
        attrs = top.get_attributes()
        if attrs.map_state != 2 or attrs.win_class != 1:  # viewable InputOutput windows only
            continue
        g = top.get_geometry()
        if g.width <= 1 or g.height <= 1:
            continue
        pid = 0
        for w in (top, *top.query_tree().children):
            prop = w.get_full_property(atom, 0)
            if prop is not None and prop.value:
                pid = int(prop.value[0])
                break
        out.append(XWindow(pid=pid, box=(g.x, g.y, g.x + g.width, g.y + g.height)))  # pid 0: it does not say
    return out
