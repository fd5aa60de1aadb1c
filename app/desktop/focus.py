"""Give a window the keyboard by its title: raise it and set the input focus (and ask the window manager, if any).

On a bare X server nobody hands out the focus, so typing goes nowhere until a window is clicked or focused; the
planner's `type ... window` and the executor's Focus action come here. Under a window manager the focus is asked of
it (_NET_ACTIVE_WINDOW); without one the keyboard follows the pointer, so the pointer is moved into the window.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from planner.protocols import Outcome

NEW_WINDOW_WAIT = 5.0  # seconds an opened program has to show its window


def focus_window(display: str | None, title: str) -> Outcome:
    """Focus the viewable window whose title is ``title`` (or contains it); an Outcome saying which windows exist
    when none matches."""
    from Xlib.display import Display

    try:
        x = Display(display) if display else Display()
    except Exception as exc:  # no X server to talk to: the worker hears it as the action's failure
        return Outcome(ok=False, error=f"Cannot reach the display to focus a window ({exc}).")
    try:
        windows = _named_windows(x)
        window, name = _best(windows, title)
        if window is None:
            names = ", ".join(repr(n) for _, n in windows[:8]) or "none"
            return Outcome(ok=False, error=f"There is no window titled {title!r}; the open windows are: {names}.")
        _give_focus(x, window)
        return Outcome(ok=True, output=f"focused the window {name!r}")
    finally:
        x.close()


def focus_new_window(display: str | None, before: set[int], wait: Callable[[float], None],
                     timeout: float = NEW_WINDOW_WAIT) -> str:
    """Raise and focus the newest viewable window not among ``before`` once it shows (a program just opened), so
    the keys typed next go to it even with no window manager; its title, or "" when none showed in time."""
    from Xlib.display import Display

    try:
        x = Display(display) if display else Display()
    except Exception:  # no X server to ask (Wayland): the compositor hands the new window the focus itself
        return ""
    try:
        deadline = time.monotonic() + timeout
        while True:
            new = [(w, n) for w, n in _named_windows(x) if w.id not in before]
            if new or time.monotonic() >= deadline:
                break
            wait(0.1)
        if not new:
            return ""
        window, name = new[-1]  # the top of the stacking order: the main window above any splash mapped first
        _give_focus(x, window)
        return name
    except Exception:  # the window closed while we looked: nothing to focus
        return ""
    finally:
        x.close()


def _give_focus(x: Any, window: Any) -> None:
    """Raise ``window`` and give it the keyboard: ask the window manager, or without one set the focus itself."""
    from Xlib import X
    from Xlib.protocol import event

    root = x.screen().root
    window.configure(stack_mode=X.Above)
    if root.get_full_property(x.intern_atom("_NET_SUPPORTING_WM_CHECK"), X.AnyPropertyType):
        active = x.intern_atom("_NET_ACTIVE_WINDOW")  # a window manager hands out the focus: ask it
        root.send_event(event.ClientMessage(window=window, client_type=active,
                                            data=(32, [2, X.CurrentTime, 0, 0, 0])),
                        event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
    else:
        # no window manager: the keyboard follows the pointer (PointerRoot), which also lets a dialog the
        # window opens over the pointer take the keys, as it would under a window manager. The pointer rests in
        # the window's bottom-left corner, a margin: at its centre it rests on a control, whose hover look and
        # tooltip then cover others in the first screenshot (galculator's MS tooltip hid the 8, 9 and / keys)
        g = window.get_geometry()
        inside = window.query_pointer()
        if not (0 <= inside.win_x < g.width and 0 <= inside.win_y < g.height):
            window.warp_pointer(min(1, g.width - 1), max(0, g.height - 2))
        x.set_input_focus(X.PointerRoot, X.RevertToPointerRoot, X.CurrentTime)
    x.sync()


def viewable_windows(display: str | None) -> set[int] | None:
    """The ids of the viewable windows with a title on the X display ``display``; None where it cannot be asked
    (Wayland, no X server)."""
    from Xlib.display import Display

    from app.desktop.display_env import is_wayland

    if display is not None and is_wayland(display):
        return None
    try:
        x = Display(display) if display else Display()
    except Exception:  # no X server to ask: the caller does without
        return None
    try:
        return {window.id for window, _ in _named_windows(x)}
    finally:
        x.close()


def _named_windows(x: Any) -> list[tuple[Any, str]]:
    """Viewable windows with a title: top-level ones and, under a window manager's frames, their clients."""
    from app.desktop.windows import _name

    out: list[tuple[Any, str]] = []
    for top in x.screen().root.query_tree().children:
        try:
            if top.get_attributes().map_state != 2:  # not IsViewable
                continue
            name = _name(x, top)
            if name:
                out.append((top, name))
                continue
            for child in top.query_tree().children:
                name = _name(x, child)
                if name:
                    out.append((child, name))
                    break
        except Exception:  # a window that closed while we looked is simply not a candidate
            continue
    return out


def _best(windows: list[tuple[Any, str]], title: str) -> tuple[Any, str]:
    """The exact title first, then the last-mapped window whose title contains it (case is ignored)."""
    want = title.strip().lower()
    for window, name in reversed(windows):
        if name.strip().lower() == want:
            return window, name
    for window, name in reversed(windows):
        if want in name.lower():
            return window, name
    return None, ""
