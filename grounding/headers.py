"""Column headers: the row of titled cells over a table or file list ("Name", "Size", "Type", "Modified").

A person reads them as the columns' titles, not as tabs, fields or dropdowns, although each cell is a closed box
with words (and sometimes a sort arrow) in it. A header row is three or more cells side by side with no gap
between them (they share their separators), of one height, each holding one short title set at its left end,
and at least one of them much wider than its title (a column is as wide as what it lists). Tabs fit their
captions and centre them; buttons in a row stand apart. The cells become their titles again, as text.
"""

from __future__ import annotations

from grounding.elements import Box, Element

CELL_ROLES = ("tab", "button", "text_field", "dropdown")
MAX_TITLE_WORDS = 3


def column_headers(controls: list[Element], free: list[Element],
                   words: list[Element]) -> tuple[list[Element], list[Element]]:
    """``controls`` without the cells of header rows, and ``free`` with those cells' titles back among the words
    (``words``: every word read, the titles the cells took among them)."""
    cells = sorted((c for c in controls if c.role in CELL_ROLES), key=lambda c: c.box.x0)
    rows: list[list[tuple[Element, list[Element]]]] = []
    for c in cells:
        title = [w for w in words if c.box.contains_point(*w.box.center)]
        row = next((r for r in rows if _follows(r[-1][0].box, c.box)), None)
        if row is None:
            rows.append([(c, title)])
        else:
            row.append((c, title))
    dropped: set[int] = set()
    back: list[Element] = []
    for row in rows:
        if _is_header(row):
            dropped |= {id(c) for c, _ in row}
            back += [w for _, title in row for w in title]
    have = {id(w) for w in free}
    return [c for c in controls if id(c) not in dropped], free + [w for w in back if id(w) not in have]


def _follows(a: Box, b: Box) -> bool:
    """Whether ``b`` starts where ``a`` ends (one separator line between them, no margin: buttons set side by side
    keep a gap of a pixel or two) on the same band."""
    return -2 <= b.x0 - a.x1 <= 1 and abs(a.y0 - b.y0) <= 1 and abs(a.y1 - b.y1) <= 1


def _is_header(row: list[tuple[Element, list[Element]]]) -> bool:
    if len(row) < 3:
        return False
    spans = []
    for cell, title in row:
        if not title or len(title) > MAX_TITLE_WORDS or _rows(title) > 1:
            return False
        spans.append((cell.box, Box(min(w.box.x0 for w in title), cell.box.y0, max(w.box.x1 for w in title),
                                    cell.box.y1)))
    left = [t.x0 - c.x0 for c, t in spans]
    right = [c.x1 - t.x1 for c, t in spans]
    at_left = sum(lf <= max(8.0, 0.6 * c.height) and r >= lf for (c, _), lf, r in zip(spans, left, right,
                                                                                       strict=True))
    wide = any(r >= 2 * t.width and r >= 4 * max(1.0, lf) for (_, t), lf, r in zip(spans, left, right, strict=True))
    return at_left >= len(row) - 1 and wide  # the last column may be cut off by the window's edge


def _rows(words: list[Element]) -> int:
    return len({round(w.box.center[1] / max(1.0, w.box.height)) for w in words})
