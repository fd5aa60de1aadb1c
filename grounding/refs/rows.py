"""A table's or list's rows, for "in the row for X" and "next to X" (grounding/refs/resolve.py): X a cell, what is
on X's row is across the horizontal band of X's box, in X's own table (not a panel beside it that the band
crosses), the nearest first."""

from __future__ import annotations

from grounding.elements import Box, Element
from grounding.refs.grammar import Relation
from grounding.refs.matches import Match, best_first, overlap

ROW_BAND = 0.5  # of the shorter of two boxes' heights shared: they sit on one row of a table or list
SAME_TABLE = 0.5  # of a button's column-mates whose rows have a cell in the anchor's column: one table


def said_row(rel: Relation) -> bool:
    """ "in the row for X", "in the X row": a row of a table or list named by what one of its cells says."""
    return rel.kind == "in" and rel.anchor.role == "item" and bool(rel.anchor.label)


def on_rows(found: list[Match], anchors: list[Element], elements: list[Element]) -> list[Match]:
    """The matches on the rows of anchors that say the same ("the Processing row" when two rows are processing:
    both rows' buttons, alike, for the caller to see it cannot tell them apart), each thing once; only those of
    the anchor's own table or list."""
    out: dict[Box, Match] = {}
    for anchor in anchors:
        for m in _on_row(found, anchor):
            if not _one_table(anchor, m.element, found, elements):
                continue
            if m.element.box not in out or out[m.element.box].score < m.score:
                out[m.element.box] = m
    return best_first(list(out.values()))


def _on_row(found: list[Match], anchor: Element) -> list[Match]:
    """The matches on ``anchor``'s row: across the horizontal band of its box, the nearest first and as sure as
    found, the farther ones a little less (a row of two tables side by side)."""
    a = anchor.box
    banded = [(m, _across(a, m.element.box)) for m in found if m.element.box != a and _level(a, m.element.box)]
    if not banded:
        return []
    near = min(d for _, d in banded)
    return best_first([Match(m.element, m.score / (1 + (d - near) / 200), f"{m.reason}, in the row of {anchor.name!r}")
                        for m, d in banded])


def _one_table(anchor: Element, el: Element, found: list[Match], elements: list[Element]) -> bool:
    """Whether ``el`` is in the anchor's table or list, not a panel beside it that a band crosses (a sidebar's
    link level with a row): where ``el``'s look-alikes stand in a column, most of their rows have a cell in the
    anchor's column too. With no look-alikes there is nothing else it could be."""
    mates = [m.element for m in found if m.element.box != el.box and _column(el.box, m.element.box)
             and not el.box.contains(m.element.box, slack=2) and not m.element.box.contains(el.box, slack=2)]
    if not mates:
        return True
    cells = [e for e in elements if e.box != anchor.box and _column(anchor.box, e.box)]
    met = sum(any(_level(m.box, c.box) for c in cells) for m in mates)
    return met >= SAME_TABLE * len(mates)


def _column(a: Box, b: Box) -> bool:
    """One above the other in a column: their spans across overlap, or their left edges line up."""
    return overlap(a.x0, a.x1, b.x0, b.x1) >= ROW_BAND or abs(a.x0 - b.x0) < max(a.height, b.height, 10)


def _level(a: Box, b: Box) -> bool:
    """Side by side on one row: they share the band of the shorter one's height."""
    return overlap(a.y0, a.y1, b.y0, b.y1) >= ROW_BAND


def _across(a: Box, b: Box) -> float:
    """Horizontal distance between two boxes (0 when they overlap across)."""
    return max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
