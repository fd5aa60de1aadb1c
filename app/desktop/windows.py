"""Window titles on an X display: the active window's and the one under a point (what a recorded step was in).

With a window manager the active window is ``_NET_ACTIVE_WINDOW``; on a bare Xvfb there is none, so the
window holding the input focus, or else the one under the pointer, stands in for it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class WindowTitles:
    """One X connection to ``display`` (python-xlib), opened on first use."""

    display: str | None = None
    _x: Any = field(default=None, repr=False)

    def _conn(self) -> Any:
        if self._x is None:
            from Xlib.display import Display

            self._x = Display(self.display) if self.display else Display()
        return self._x

    def active(self) -> str:
        """The title of the active window ('' when no window can be named)."""
        return self.active_window()[0]

    def active_window(self) -> tuple[str, int]:
        """The active window's title and the id of its top-level window, ('', 0) when no window can be named: the
        id tells a window that changed its title from another window come to the front."""
        try:
            root = self._conn().screen().root.id
            for window in self._candidates():
                title = self._title_near(window)
                if title:
                    return title, self._lineage(window, root)[-1].id
        except Exception:  # a window that closed while we asked: no title this time, never a crash
            return "", 0
        return "", 0

    def _candidates(self) -> Any:
        """The window in front: the active one; with no window manager to say it, the one the keys go to if
        nothing stands above it, else the topmost (a program just mapped over it), then the one the keys go to."""
        x = self._conn()
        root = x.screen().root
        keyed = list(self._keyed())
        top = self._topmost() if not self._wm_active() else None
        if top is not None and (not keyed or self._lineage(keyed[0], root.id)[-1].id != top.id):
            yield top
        yield from keyed

    def _wm_active(self) -> Any:
        x = self._conn()
        prop = x.screen().root.get_full_property(x.intern_atom("_NET_ACTIVE_WINDOW"), 0)
        return x.create_resource_object("window", prop.value[0]) if prop is not None and prop.value and \
            prop.value[0] else None

    def _keyed(self) -> Any:
        """The window the keys go to: the active window, else the one with the input focus, else (the focus
        following the pointer) the one under the pointer."""
        x = self._conn()
        root = x.screen().root
        active = self._wm_active()
        if active is not None:
            yield active
        focus = x.get_input_focus().focus
        if hasattr(focus, "id") and focus.id not in (0, 1, root.id):
            yield focus
        child = root.query_pointer().child
        if child:
            yield child

    def _topmost(self) -> Any:
        """The highest viewable top-level window with a title, popups (menus, tooltips) aside; None when none."""
        x = self._conn()
        for w in reversed(x.screen().root.query_tree().children):
            attrs = w.get_attributes()
            if attrs.map_state == 2 and not attrs.override_redirect and self._title_near(w):
                return w
        return None

    def front(self) -> tuple[int, int, int, int] | None:
        """The box (x0, y0, x1, y1, desktop pixels) of the window in front: the active one where a window manager
        names it, else the top-most mapped window (with no window manager the last one raised is on top, and
        the focus says nothing); None when X cannot say."""
        try:
            window = self._wm_active() or self._topmost()  # the latter: the window the window: line names
            return _box(window, self._conn().screen().root) if window is not None else None
        except Exception:  # a window that closed while we asked: no front this time, never a crash
            return None

    def tooltips(self) -> list[tuple[int, int, int, int]]:
        """The boxes (x0, y0, x1, y1, desktop pixels) of the tooltip windows shown now: toolkits show a tooltip in
        an override-redirect window of type _NET_WM_WINDOW_TYPE_TOOLTIP ([] when none, or when X cannot say)."""
        try:
            x = self._conn()
            kind, tooltip = x.intern_atom("_NET_WM_WINDOW_TYPE"), x.intern_atom("_NET_WM_WINDOW_TYPE_TOOLTIP")
            out = []
            for w in x.screen().root.query_tree().children:
                attrs = w.get_attributes()
                if attrs.map_state != 2 or not attrs.override_redirect:  # viewable popups only
                    continue
                prop = w.get_full_property(kind, 0)
                if prop is not None and tooltip in prop.value:
                    g = w.get_geometry()
                    out.append((g.x, g.y, g.x + g.width, g.y + g.height))
            return out
        except Exception:  # a tooltip that closed while we asked: none this time, never a crash
            return []

    def active_class(self) -> str:
        """The active window's class names (WM_CLASS instance and class, lower case, space-separated), or ''."""
        try:
            root = self._conn().screen().root
            for window in self._keyed():  # where typing goes: a terminal is judged by it
                for w in (*self._lineage(window, root.id), *window.query_tree().children):
                    names = w.get_wm_class()
                    if names:
                        return " ".join(n.lower() for n in names if n)
        except Exception:  # as in active(): a window that closed meanwhile has no class
            return ""
        return ""

    @staticmethod
    def _lineage(window: Any, root: int) -> list[Any]:
        """The window and its parents below the root (a focused sub-window's class is on its top-level parent)."""
        out = [window]
        for _ in range(8):
            parent = out[-1].query_tree().parent
            if not parent or parent.id == root:
                break
            out.append(parent)
        return out

    def at(self, x: int, y: int) -> str:
        """The title of the topmost window holding the screen point (x, y) ('' over the bare desktop)."""
        try:
            x_conn = self._conn()
            for w in reversed(x_conn.screen().root.query_tree().children):
                if w.get_attributes().map_state != 2:  # not IsViewable
                    continue
                g = w.get_geometry()
                if g.x <= x < g.x + g.width and g.y <= y < g.y + g.height:
                    return self._title_near(w)
        except Exception:  # as in active(): a window that vanished meanwhile gives no title
            return ""
        return ""

    def _title_near(self, window: Any) -> str:
        """The window's own name, else its parents', else its first named child's (a frame's client)."""
        x = self._conn()
        w = window
        for _ in range(8):
            name = _name(x, w)
            if name:
                return name
            parent = w.query_tree().parent
            if not parent or parent.id == x.screen().root.id:
                break
            w = parent
        for child in window.query_tree().children:
            name = _name(x, child)
            if name:
                return name
        return ""

    def close(self) -> None:
        if self._x is not None:
            self._x.close()
            self._x = None


def _name(x: Any, window: Any) -> str:
    prop = window.get_full_property(x.intern_atom("_NET_WM_NAME"), 0)
    if prop is not None and prop.value:
        value = prop.value
        return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    name = window.get_wm_name()
    if isinstance(name, bytes):
        return name.decode("latin-1")
    return name or ""


def _box(window: Any, root: Any) -> tuple[int, int, int, int]:
    """``window``'s box on the root window (a client inside a manager's frame is placed by translating)."""
    g = window.get_geometry()
    at = window.translate_coords(root, 0, 0)
    x, y = -at.x, -at.y
    return x, y, x + g.width, y + g.height
