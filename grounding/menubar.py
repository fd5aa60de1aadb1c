"""Menu bars: a row of three or more one-word titles (File, Edit, View, Help) spaced wider than words of a
sentence, with nothing drawn above them - the top strip of a window. Each title is a menu bar item; its box is
its words with a margin (never past half the gap to a neighbour)."""

from __future__ import annotations

import bisect
import re

import numpy as np

from grounding.elements import Box, Element
from grounding.proposals import Proposal
from grounding.textlines import underlined

TITLE = re.compile(r"^[A-Z][a-z]{1,11}$")  # a menu's title: one capitalised word
MIN_ITEMS = 3


def find_menu_bar(words: list[Element], outlines: list[Proposal], image: np.ndarray,
                  text_height: float) -> tuple[list[Element], list[Element]]:
    """The menu bar items among the OCR words, and the words left (titles of a menu bar name no field or box)."""
    items: list[Element] = []
    used: set[int] = set()
    for run in _runs(words, text_height):
        if _is_menu_bar(run, outlines, image, text_height):
            items += _items(run, image, text_height)
            used |= {id(w) for w in run}
    return items, [w for w in words if id(w) not in used]


def word_rows(words: list[Element], text_height: float) -> list[list[Element]]:
    """The text words in rows (centres within a third of a glyph height of the row's first word), each row left
    to right."""
    rows: list[list[Element]] = []
    starts: list[float] = []  # the centre line of each row's first word, rising as the rows do
    for w in sorted((w for w in words if w.role == "text"), key=lambda w: (w.box.center[1], w.box.x0)):
        # the first row whose first word lies within reach above this one: those lower than that all do, the words
        # coming in order of their centres (a bisection, not a pass over every row for every word)
        cy = w.box.center[1]
        k = bisect.bisect_left(starts, True, key=lambda start: cy - start <= 0.35 * text_height)
        if k == len(rows):
            rows.append([w])
            starts.append(cy)
        else:
            rows[k].append(w)
    return [sorted(row, key=lambda w: w.box.x0) for row in rows]


def _runs(words: list[Element], text_height: float) -> list[list[Element]]:
    """Words side by side on one row, split where a gap is wider than a menu bar's."""
    rows = word_rows(words, text_height)
    runs: list[list[Element]] = []
    for row in rows:
        run = [row[0]]
        for w in row[1:]:
            if w.box.intersection(run[-1].box) > 0.5 * w.box.area:
                continue  # a piece of the word before, read twice by overlapping detections
            if w.box.x0 - run[-1].box.x1 > 4.0 * text_height:
                runs.append(run)
                run = []
            run.append(w)
        runs.append(run)
    return [r for r in runs if len(r) >= MIN_ITEMS]


def _is_menu_bar(run: list[Element], outlines: list[Proposal], image: np.ndarray, text_height: float) -> bool:
    if not all(TITLE.match(w.name) for w in run):
        return False
    gaps = [b.box.x0 - a.box.x1 for a, b in zip(run, run[1:])]
    if min(gaps) < 0.7 * text_height:
        return False  # words of a sentence or a title
    span = Box(run[0].box.x0, min(w.box.y0 for w in run), run[-1].box.x1, max(w.box.y1 for w in run))
    framed = [p.box for p in outlines if p.drawn and any(p.box.contains_point(*w.box.center)
                                                         and p.box.height > 1.2 * w.box.height for w in run)]
    if any(not b.contains(span, slack=2) for b in framed):
        return False  # captions of buttons or tabs in a row (a strip framing the whole row may be the bar)
    if any(underlined(image, w.box, text_height) for w in run):
        return False  # a row of links
    return _clear_above(image, span, text_height)


def _clear_above(image: np.ndarray, span: Box, text_height: float) -> bool:
    """Whether nothing is drawn in the band above the row (a window's top edge, or the screen's, may be). The band
    reaches a quarter glyph past the row's ends: a dialog over the main window may stand a glyph after the last
    title, its edge running down beside the row."""
    h, w = image.shape[:2]
    y1 = int(span.y0) - 2
    y0 = int(span.y0 - text_height)
    x0, x1 = max(0, int(span.x0 - text_height / 4)), min(w, int(span.x1 + text_height / 4))
    if y1 <= 0:
        return True
    band = image[max(0, y0):y1, x0:x1].astype(np.int16).mean(axis=2)
    if band.shape[0] < 2:
        return True
    # a title bar's or window's edge may run across the band (each row of it is even), a line of text may not
    return bool((np.abs(band - np.median(band, axis=1, keepdims=True)) <= 40).all())


def _items(run: list[Element], image: np.ndarray, text_height: float) -> list[Element]:
    """Each title as an item: its words with a margin, at most half the gap to each neighbour (a toolkit's item
    is a padded cell; a page's menu bar item may be just its words, spaced by margins)."""
    out = []
    h, w_img = image.shape[:2]
    pad = 0.4 * text_height
    for n, w in enumerate(run):
        left = max((run[n - 1].box.x1 + w.box.x0) / 2, w.box.x0 - pad) if n else w.box.x0 - pad
        right = min((w.box.x1 + run[n + 1].box.x0) / 2, w.box.x1 + pad) if n + 1 < len(run) else w.box.x1 + pad
        box = Box(max(0.0, left), max(0.0, w.box.y0 - 0.3 * text_height), min(float(w_img), right),
                  min(float(h), w.box.y1 + 0.3 * text_height))
        out.append(Element(box, "menu_bar_item", name=w.name, source="widget+ocr", confidence=0.6, line=w.line))
    return out
