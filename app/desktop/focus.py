"""Give a window the keyboard by its title: raise it and set the input focus (and ask the window manager, if any).

On a bare X server nobody hands out the focus, so typing goes nowhere until a window is clicked or focused; the
planner's `type ... window` and the executor's Focus action come here.
"""

from __future__ import annotations

from typing import Any

from planner.protocols import Outcome


def focus_window(display: str | None, title: str) -> Outcome:
    """Focus the viewable window whose title is ``title`` (or contains it); an Outcome saying which windows exist
    when none matches."""
    from Xlib import X
    from Xlib.display import Display
    from Xlib.protocol import event

    x = Display(display) if display else Display()
    try:
        windows = _named_windows(x)
        window, name = _best(windows, title)
        if window is None:
            names = ", ".join(repr(n) for _, n in windows[:8]) or "none"
            return Outcome(ok=False, error=f"There is no window titled {title!r}; the open windows are: {names}.")
        root = x.screen().root
        active = x.intern_atom("_NET_ACTIVE_WINDOW")
        root.send_event(event.ClientMessage(window=window, client_type=active, data=(32, [2, X.CurrentTime, 0, 0, 0])),
                        event_mask=X.SubstructureRedirectMask | X.SubstructureNotifyMask)
        window.configure(stack_mode=X.Above)
        window.set_input_focus(X.RevertToParent, X.CurrentTime)
        x.sync()
        return Outcome(ok=True, output=f"focused the window {name!r}")
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
