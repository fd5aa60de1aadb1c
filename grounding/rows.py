"""Rows of a list drawn as uniform bands between rules (a mail list, a list of files or results): each band is a
row a person clicks to open it, a `button` named by its first line.

The evidence is the drawing, not the words: three or more bands of one height, stacked without gaps, each closed
above and below by a horizontal line (a rule, or the edge of a coloured band) of one and the same width, each
holding a left-aligned column of text whose lines start at one x in every band, its first line a name (a few
words, no sentence: a run of one-line paragraphs between rules is text). A band holding any control but a
picture (a field, a checkbox, a link, a captioned button) is a form's or a settings list's row, and a band whose
lines stand in columns (three side by side, or two on every line) is a table's row: either breaks the run (a mail
row's date beside its sender, above its subject, does not).
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.outline_roles import MAX_CAPTION_WORDS
from grounding.runs import flag_runs

MIN_BANDS = 3
PITCH_TOLERANCE = 0.08  # the bands' heights agree within this share of the pitch
RULE_LENGTH = 10  # a rule runs at least this many text heights
EDGE_STEP = 24  # grey levels between a rule (or a band's edge) and what lies above or below it


def list_rows(screen: Screen, gray: np.ndarray, glyphs: float, edges: list[tuple[float, int, int]] | None = None
              ) -> Screen:
    """``screen`` with the rows of uniform lists added as buttons named by their first lines (the lines stay: they
    are what the row shows); ``edges``: horizontal_edges(gray, glyphs), if known."""
    lines = [e for e in screen.elements if e.role in ("text", "heading") and _words(e.name)]
    if len(lines) < MIN_BANDS:
        return screen
    # icons may sit in a row; a framed band of lines read as a text area is what a row looks like: the run decides
    blocking = [c for c in screen.controls() if c.role != "text_area" and (c.role != "button" or c.name.strip())]
    rows: list[tuple[Element, Element]] = []
    for ruled in _rule_sets(horizontal_edges(gray, glyphs) if edges is None else edges, glyphs):
        rows += _rows_between(ruled, lines, blocking, glyphs)
    if not rows:
        return screen
    boxes = [row.box for row, _ in rows]
    kept = [e for e in screen.elements if e.role != "text_area" or not any(b.iou(e.box) >= 0.5 for b in boxes)]
    return screen.with_elements(kept + [row for row, _ in rows])


def horizontal_edges(gray: np.ndarray, glyphs: float) -> list[tuple[float, int, int]]:
    """Long horizontal lines (y, x0, x1): rules, and edges between bands of different shade. The two edges of a
    thin rule are one line."""
    length = max(40, int(RULE_LENGTH * glyphs))
    if gray.shape[1] < length or gray.shape[0] < 3:
        return []
    step = np.abs(np.diff(gray.astype(np.int16), axis=0)) > EDGE_STEP
    runs = cv2.morphologyEx(step.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    found: list[tuple[float, int, int]] = []
    for y in np.flatnonzero(runs.any(axis=1)):
        for a, b in flag_runs(runs[y].astype(bool)):
            found.append((float(y) + 0.5, a, b))
    merged: list[tuple[float, int, int]] = []
    for y, a, b in sorted(found):
        last = merged[-1] if merged else None
        if last and y - last[0] <= max(2.0, 0.3 * glyphs) and abs(a - last[1]) <= glyphs and abs(b - last[2]) <= glyphs:
            merged[-1] = ((last[0] + y) / 2, min(a, last[1]), max(b, last[2]))
        else:
            merged.append((y, a, b))
    return merged


def _rule_sets(edges: list[tuple[float, int, int]], glyphs: float) -> list[list[tuple[float, int, int]]]:
    """Lines (horizontal_edges) grouped by their span (the same x0 and x1 within a text height), top down."""
    groups: list[list[tuple[float, int, int]]] = []
    for y, a, b in edges:
        group = next((g for g in groups if abs(g[-1][1] - a) <= glyphs and abs(g[-1][2] - b) <= glyphs), None)
        if group is None:
            groups.append([(y, a, b)])
        else:
            group.append((y, a, b))
    return [g for g in groups if len(g) > MIN_BANDS]


def _rows_between(edges: list[tuple[float, int, int]], lines: list[Element], blocking: list[Element],
                  glyphs: float) -> list[tuple[Element, Element]]:
    """The bands between consecutive lines that form a run of MIN_BANDS or more uniform rows: (row, first line).
    A band spans what both its lines span."""
    bands = [(Box(max(a[1], b[1]), a[0], min(a[2], b[2]), b[0]), _band(Box(max(a[1], b[1]), a[0], min(a[2], b[2]),
              b[0]), lines, blocking, glyphs)) for a, b in zip(edges, edges[1:])]
    out: list[tuple[Element, Element]] = []
    run: list[tuple[Box, list[Element]]] = []
    for box, held in bands + [(Box(0, 0, 0, 0), None)]:
        fits = held is not None and bool(run) and abs(box.height - run[0][0].height) <= PITCH_TOLERANCE * box.height \
            and run[-1][0].y1 == box.y0 and abs(_left(held) - _left(run[0][1])) <= glyphs
        if fits:
            run.append((box, held))
            continue
        if len(run) >= MIN_BANDS:
            for rbox, rheld in run:
                first = _first(rheld, glyphs)
                out.append((Element(rbox, "button", name=first.name, source="widget+ocr", confidence=0.8), first))
        run = [(box, held)] if held is not None else []
    return out


def _first(held: list[Element], glyphs: float) -> Element:
    """A row's first line: the top one of those starting at its left (a date set at its right is no name)."""
    left = _left(held)
    return min((e for e in held if e.box.x0 <= left + glyphs), key=lambda e: e.box.y0)


def _left(held: list[Element]) -> float:
    return min(e.box.x0 for e in held)


def _band(box: Box, lines: list[Element], blocking: list[Element], glyphs: float) -> list[Element] | None:
    """The lines of a band that could be a list's row (a left-aligned column of text, nothing to fill in or
    tick), else None."""
    if not 1.5 * glyphs <= box.height <= 10 * glyphs:
        return None
    inside = [e for e in lines if box.contains(e.box, slack=2)]
    if not inside or any(box.contains_point(*c.box.center) for c in blocking):
        return None
    first = _first(inside, glyphs)
    if len(first.name.split()) > MAX_CAPTION_WORDS or first.name.rstrip().endswith((".", "!", "?", ":")):
        return None  # a sentence names no row
    counts = [len(level) for level in _levels(inside)]
    if max(counts) >= 3 or min(counts) >= 2:
        return None  # lines in columns: a table's row (a mail row's date beside its sender, above its subject, is not)
    return inside


def _levels(lines: list[Element]) -> list[list[Element]]:
    """Lines side by side (overlapping by half a line's height), grouped, top down."""
    out: list[list[Element]] = []
    for e in sorted(lines, key=lambda e: e.box.y0):
        level = next((g for g in out if any(min(e.box.y1, o.box.y1) - max(e.box.y0, o.box.y0)
                                            > 0.5 * min(e.box.height, o.box.height) for o in g)), None)
        if level is None:
            out.append([e])
        else:
            level.append(e)
    return out


def _words(text: str) -> bool:
    """Text with a letter or digit in it; OCR's reading of a picture ("☆ 高" for a star and a bin) has none."""
    return any(ch.isascii() and ch.isalnum() for ch in text)
