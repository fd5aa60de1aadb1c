"""What a dimming overlay hides: a modal dialog (a browser's "This page says", a toolkit's confirmation) greys the
page behind it, and OCR reads the greyed lines differently ("alice@example.com" as "al ice@exa mple.com"), so the
page's own lines seem to go away and come back. A line or control whose pixels are the same picture as before,
only darker, is behind the overlay: it neither appeared nor went away, and it is no answer to a question the
dialog asks (planner/questions.py, planner/direct_checks.py)."""

from __future__ import annotations

import numpy as np

from grounding.elements import Box, Element, Screen

DARKER = 0.8  # the overlay leaves at most this share of the brightness behind it
ALIKE = 0.9  # the correlation of a box's pixels before and after that makes it the same picture, dimmed


def undimmed(before: Screen, after: Screen) -> tuple[Screen, Screen]:
    """Both screens without the elements that lie behind a dimming overlay ``after`` shows; the screens as they
    are where nothing was dimmed (or the pixels are not kept)."""
    a, b = before.image, after.image
    if a is None or b is None or a.shape != b.shape or not _darker(a, b):
        return before, after
    keep_before = [e for e in before.elements if not dimmed(a, b, e.box)]
    keep_after = [e for e in after.elements if not dimmed(a, b, e.box)]
    if len(keep_before) == len(before.elements) and len(keep_after) == len(after.elements):
        return before, after
    return before.with_elements(_ids(keep_before)), after.with_elements(_ids(keep_after))


def dimmed(a: np.ndarray, b: np.ndarray, box: Box) -> bool:
    """Whether ``box`` shows on ``b`` the picture it showed on ``a``, only darker."""
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(a.shape[1], int(box.x1)), min(a.shape[0], int(box.y1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return False
    p = a[y0:y1, x0:x1].astype(np.float32).mean(axis=2).ravel()
    q = b[y0:y1, x0:x1].astype(np.float32).mean(axis=2).ravel()
    behind = q <= p + 2  # a dialog's bright panel over part of the box is not the overlay: left out
    if behind.mean() < 0.5:
        return False
    p, q = p[behind], q[behind]
    if q.mean() > DARKER * p.mean() or p.std() < 1.0 or q.std() < 1.0:
        return False
    return float(np.corrcoef(p, q)[0, 1]) >= ALIKE


def _darker(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether most of ``b`` is darker than ``a``: an overlay covers the screen, not one dark patch."""
    pa, pb = a[::8, ::8].mean(axis=2), b[::8, ::8].mean(axis=2)
    return float((pb < DARKER * pa + 1).mean()) >= 0.5


def _ids(elements: list[Element]) -> list[Element]:
    """Kept with their ids: a parent gone behind the overlay leaves its child unparented."""
    ids = {e.id for e in elements}
    return [e if not e.parent or e.parent in ids else e.with_(parent=0) for e in elements]
