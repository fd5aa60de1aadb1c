"""Geometry of OCR words: spans, rows, centring, and the words that name a control from beside or above it."""

from __future__ import annotations

import bisect
import statistics

from grounding.elements import Box, Element

DEFAULT_TEXT_HEIGHT = 11.0  # glyph height of a line of text at 100 %, for a screen with no text
HEADING, HEADING_WIDTH = 1.5, 1.4  # a heading's words are this many times the body's height and letter width


def span(words: list[Element]) -> Box:
    """The box around ``words`` (at least one)."""
    box = words[0].box
    for w in words[1:]:
        box = box.union(w.box)
    return box


def rows(words: list[Element]) -> int:
    """How many rows of text ``words`` make."""
    if not words:
        return 0
    centres = sorted(w.box.center[1] for w in words)
    height = min(w.box.height for w in words)
    return 1 + sum(1 for a, b in zip(centres, centres[1:]) if b - a > 0.6 * height)


def centred(box: Box, inside: list[Element], both_axes: bool = False) -> bool:
    """Whether the words sit in the middle of ``box`` (a caption), not at its left (a field's text)."""
    s = span(inside)
    ok_x = abs(s.center[0] - box.center[0]) < 0.12 * box.width
    ok_y = abs(s.center[1] - box.center[1]) < 0.15 * box.height
    return ok_x and (ok_y or not both_axes)


def words_beside(box: Box, words: list[Element], text_height: float, side: str, reach: float = 6.4) -> str:
    """The run of words on ``box``'s row just right (or left) of it, within ``reach`` glyph heights."""
    cy, height = box.center[1], box.height
    row = [w for w in words if abs(w.box.center[1] - cy) < max(height, w.box.height) * 0.6]
    limit, step = reach * text_height, 1.9 * text_height
    if side == "right":
        return " ".join(w.name for w in _run_right(box, row, limit, step))
    picked: list[str] = []
    edge = box.x0
    overlap = max(2.0, 0.3 * text_height)  # OCR's box of a label may run a few pixels into the field's outline
    for w in sorted((w for w in row if w.box.x1 <= box.x0 + overlap), key=lambda w: -w.box.x1):
        if edge - w.box.x1 > (limit if not picked else step):
            break
        picked.insert(0, w.name)
        edge = w.box.x0
    return " ".join(picked).rstrip(":")


def words_above(box: Box, words: list[Element], text_height: float) -> str:
    """The line of words just above ``box`` and over its left part (a caption set above a field), with the words
    running on from it on its line (so a sentence above reads whole, not as the part over the field)."""
    above = [w for w in words if 0 <= box.y0 - w.box.y1 < 2.6 * text_height
             and w.box.x0 < box.x1 and w.box.x1 > box.x0 - 1.6 * text_height]
    if not above:
        return ""
    line = max(above, key=lambda w: w.box.y1).line
    run = sorted((w for w in above if w.line == line), key=lambda w: w.box.x0)
    rest = sorted((w for w in words if w.line == line and all(w is not r for r in run)), key=lambda w: w.box.x0)
    for w in rest:
        if 0 <= w.box.x0 - run[-1].box.x1 <= 1.9 * text_height:
            run.append(w)
    for w in reversed(rest):
        if 0 <= run[0].box.x0 - w.box.x1 <= 1.9 * text_height:
            run.insert(0, w)
    return " ".join(w.name for w in run).rstrip(":")


def caption_close_above(box: Box, words: list[Element], text_height: float) -> bool:
    """A label ending in a colon right above a field's left part (within 1.2 text heights): a caption set on top
    of it ("Select a value:"), not a heading or a column's title over it."""
    near = [w for w in words if 0 <= box.y0 - w.box.y1 < 1.2 * text_height and w.box.x0 < box.x0 + 0.5 * box.width
            and w.box.x1 > box.x0 - text_height]
    if not near:
        return False
    line = max(near, key=lambda w: w.box.y1).line
    return max((w for w in words if w.line == line), key=lambda w: w.box.x1).name.endswith(":")


def without_echoes(words: list[Element]) -> list[Element]:
    """The words without pieces read twice: a word lying inside a word of another OCR line (two detections of
    one line overlapping) whose text is part of that word's."""
    band = 16.0  # words are compared with those in their own and the neighbouring bands of rows only
    bands: dict[int, list[Element]] = {}
    for w in words:
        bands.setdefault(int(w.box.center[1] // band), []).append(w)

    lowered = {id(w): w.name.lower() for w in words}  # once each, not once for every neighbour
    # each band's words longest name first, and minus their lengths (rising) to find where the longer names end
    longest = {k: sorted(ws, key=lambda o: -len(o.name)) for k, ws in bands.items()}
    lengths = {k: [-len(o.name) for o in ws] for k, ws in longest.items()}

    def echo(w: Element) -> bool:
        k, size = int(w.box.center[1] // band), len(w.name)
        # only a longer name can hold the word's (and a longer name is never the word's own)
        near = [o for j in (k - 1, k, k + 1)
                for o in longest.get(j, [])[:bisect.bisect_left(lengths.get(j, []), -size)]]
        name = lowered[id(w)]  # the text test first: it rules out nearly every neighbour, and costs less
        return any(o.line != w.line and name in lowered[id(o)] and w.box.intersection(o.box) >= 0.7 * w.box.area
                   for o in near)

    return [w for w in words if not echo(w)]


def _run_right(box: Box, row: list[Element], limit: float, step: float) -> list[Element]:
    """The words of ``row`` running on from ``box``'s right edge: the first within ``limit``, each next within
    ``step`` of the one before."""
    picked: list[Element] = []
    edge = box.x1
    for w in sorted((w for w in row if w.box.x0 >= box.x1 - 2), key=lambda w: w.box.x0):
        if w.box.x0 - edge > (limit if not picked else step):
            break
        picked.append(w)
        edge = w.box.x1
    return picked


def label_beside(box: Box, words: list[Element], text_height: float) -> str:
    """A checkbox's or radio's label: the words right of it, and the line below when the label wraps there (a
    label flowing round its toggle starts its next line under the toggle itself, not under the label's first
    word, as a description set below it does)."""
    cy, height = box.center[1], box.height  # once, not once for every word
    row = [w for w in words if abs(w.box.center[1] - cy) < max(height, w.box.height) * 0.6]
    run = _run_right(box, row, 6.4 * text_height, 1.9 * text_height)
    out = [w.name for w in run]
    for _ in range(2):  # a label of three lines at most
        if not run:
            break
        bottom, tall = max(w.box.y1 for w in run), max(w.box.height for w in run)
        middle = run[0].box.center[1]
        # the next line of the same text (a word without ascenders is shorter: "renderer" under "Experimental"), a
        # line's pitch below (1.2-1.5 of its words' height): a row of toggles is spaced wider, and the next row's
        # label may start under an indented toggle (FeatherPad's "Remember splitter position", 2.0 of it above)
        below = [w for w in words if w.box.y0 >= bottom and w.box.center[1] - middle <= 1.6 * tall
                 and 0.55 * tall <= w.box.height <= 1.3 * tall and w.box.x0 < run[0].box.x0]
        start = min(below, key=lambda w: w.box.x0, default=None)
        if start is None or abs(start.box.x0 - box.x0) > 0.5 * text_height:
            break
        line = [w for w in below if w.line == start.line]
        run = [start] + _run_right(start.box, line, 1.9 * text_height, 1.9 * text_height)
        out += [w.name for w in run]
    return " ".join(out)


def text_height(words: list[Element]) -> float:
    """The screen's glyph height: the median height of its words (of more than one letter), headings left out.

    A short form under a title and a heading has as many heading words as body words; counted in, they make the
    glyphs half again as tall as the body's, and its fields no taller than a line (so no fields). A heading's
    words stand well above the lower half of the words (the body's) both in height and in the width of their
    letters; descenders and ascenders make a body word taller, never its letters wider."""
    sized = sorted((w.box.height, w.box.width / len(w.name)) for w in words if len(w.name) > 1)
    if not sized:
        return DEFAULT_TEXT_HEIGHT
    body = sized[:(len(sized) + 1) // 2]  # the lower half: never a heading
    tall, wide = HEADING * statistics.median(h for h, _ in body), HEADING_WIDTH * statistics.median(c for _, c in body)
    return statistics.median([h for h, c in sized if h < tall or c < wide])
