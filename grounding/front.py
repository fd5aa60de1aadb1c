"""Where a target is looked for first: inside the window in front, when the window system says which it is and the
words name no window of their own. Windows overlap, and the one behind shows through beside the front one ("the
display" of a calculator is not the warning bar of the editor behind it); what only the window behind shows is
still found there, since nothing in front matches it."""

from __future__ import annotations

from grounding.elements import Screen
from grounding.refs.ref import Ref

WINDOWS = ("dialog", "window_title")  # roles a description names a window by ("in the Mousepad window")


def in_front(screen: Screen, ref: Ref) -> Screen | None:
    """``screen`` with only what lies inside its front window (ids kept); None where no front is known, the words
    name a window, or nothing lies outside the front window."""
    box = screen.front
    if box is None or _names_a_window(ref):
        return None
    inside = [e for e in screen.elements if box.contains_point(*e.box.center)]
    if len(inside) == len(screen.elements) or not inside:
        return None
    ids = {e.id for e in inside}
    kept = tuple(e if not e.parent or e.parent in ids else e.with_(parent=0) for e in inside)
    words = tuple(w for w in screen.words if box.contains_point(*w.box.center))
    focused = screen.focused if screen.focused in ids else 0
    return Screen(screen.width, screen.height, kept, words, screen.image, screen.title, focused, screen.source, box)


def _names_a_window(ref: Ref) -> bool:
    return ref.role in WINDOWS or any(_names_a_window(r.anchor) for r in ref.relations)
