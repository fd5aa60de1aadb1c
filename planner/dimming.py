"""What a dimming overlay hides: a modal dialog (a browser's "This page says", a toolkit's confirmation) greys the
page behind it, and OCR reads the greyed lines differently ("alice@example.com" as "al ice@exa mple.com"), so the
page's own lines seem to go away and come back. A line or control whose pixels are mostly what they were, times
the overlay's factor, is behind the overlay: it neither appeared nor went away, and it is no answer to a question
the dialog asks (planner/questions.py, planner/direct_checks.py)."""

from __future__ import annotations

import numpy as np

from grounding.elements import Box, Element, Screen

DARKER = 0.8  # the overlay leaves at most this share of the brightness behind it
FIT = 14.0  # grey levels a dimmed pixel may differ from the overlay's factor times what it was
MOSTLY = 0.6  # the share of a box's pixels (and of its ink) that fit the dimming for it to lie behind the overlay
INK = 8.0  # grey levels of spread that make a box show something (letters, lines) before


def undimmed(before: Screen, after: Screen) -> tuple[Screen, Screen]:
    """Both screens without the elements that lie behind a dimming overlay ``after`` shows; the screens as they
    are where nothing was dimmed (or the pixels are not kept)."""
    a, b = before.image, after.image
    if a is None or b is None or a.shape != b.shape:
        return before, after
    ga, gb = np.asarray(a, np.float32).mean(axis=2), np.asarray(b, np.float32).mean(axis=2)
    k = _dimming(ga, gb)
    if k is None:
        return before, after
    keep_before = [e for e in before.elements if not dimmed(ga, gb, e.box, k)]
    keep_after = [e for e in after.elements if not dimmed(ga, gb, e.box, k)]
    if len(keep_before) == len(before.elements) and len(keep_after) == len(after.elements):
        return before, after
    return before.with_elements(_ids(keep_before)), after.with_elements(_ids(keep_after))


def dimmed(ga: np.ndarray, gb: np.ndarray, box: Box, k: float) -> bool:
    """Whether most of ``box`` shows on ``gb`` (grey levels) what it showed on ``ga`` times the overlay's factor
    ``k``: a part a dialog covers does not fit, and a box mostly covered is the dialog's, not behind it."""
    x0, y0 = max(0, int(box.x0)), max(0, int(box.y0))
    x1, y1 = min(ga.shape[1], int(box.x1)), min(ga.shape[0], int(box.y1))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return False
    p, q = ga[y0:y1, x0:x1], gb[y0:y1, x0:x1]
    if p.std() < INK:  # a plain patch before: a dialog's button drawn there may be the overlay's grey by chance
        return False
    fits = np.abs(q - k * p) <= FIT
    ink = p <= p.mean() - p.std()  # its letters and lines, dimmed too
    return float(fits.mean()) >= MOSTLY and (not ink.any() or float(fits[ink].mean()) >= MOSTLY)


def _dimming(ga: np.ndarray, gb: np.ndarray) -> float | None:
    """The share of brightness an overlay over most of the screen leaves (its factor); None where none does."""
    p, q = ga[::4, ::4], gb[::4, ::4]
    lit = p > 60  # black stays black under any overlay: only lit pixels tell the factor
    if lit.mean() < 0.3:
        return None
    ratio = q[lit] / p[lit]
    darker = ratio < DARKER
    if darker.mean() < 0.5:
        return None
    return float(np.median(ratio[darker]))


def _ids(elements: list[Element]) -> list[Element]:
    """Kept with their ids: a parent gone behind the overlay leaves its child unparented."""
    ids = {e.id for e in elements}
    return [e if not e.parent or e.parent in ids else e.with_(parent=0) for e in elements]
