"""An editor's document area: a large plain light area inside a window, with its open tab or its text caret.

A text editor's page has no outline of its own: it is the large white area that the window's other parts (a tab
strip, a status line, the window's edge) leave, its text set at its top left. What tells a person it is an editor,
and not a page of text or a dialog's face, is what stands on it: the open tab of a tab strip, whose face runs on
into the page (a caption, and often a close box, in a bump on the page's top edge), or the text caret (a thin
dark upright stroke a line tall, taller than the letters, standing apart from every word). A page of plain text
has neither; an area holding controls is a panel, never a text area.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.runs import flag_runs, longest_flag_run

LIGHT = 250  # a page is white (the chrome around it, 235-248 in light themes, is not)
TAB_LIGHT = 245  # an open tab's face, shaded towards its top, is at least this light (Qt's strip: 239)
MIN_LINES = (25, 8)  # the area is at least this many text heights wide and tall
CLOSE_GLYPHS = ("x", "X", "×", "✕", "✖")  # OCR's reading of a tab's close box at the end of its caption


def find_documents(screen: Screen, glyphs: float, gray: np.ndarray | None = None,
                   light: tuple[int, np.ndarray, np.ndarray] | None = None) -> Screen:
    """``screen`` with each document area found made a text area (its lines its value) and its open tab a
    selected tab named by its caption (the caption's line taken out of the text); ``gray``: the grey screen, and
    ``light``: light_components(gray), if known."""
    if screen.image is None or any(e.role == "text_area" for e in screen.elements):
        return screen
    if gray is None:
        gray = cv2.cvtColor(np.asarray(screen.image), cv2.COLOR_RGB2GRAY)
    elements = list(screen.elements)
    added: list[Element] = []
    text = [e.box for e in elements if not e.is_control] + [w.box for w in screen.words]
    for body, tab in _areas(gray, glyphs, text, light):
        if any(c.is_control and body.intersection(c.box) > 0.3 * c.box.area for c in elements):
            continue  # a panel holding controls (a dialog's face, a form), or a control the parse knows
        caption = _caption(tab, elements) if tab is not None else None
        if caption is None and not _caret(gray, body, glyphs):
            continue  # a page of text: nothing on it says it is edited
        inside = sorted((e for e in elements if e.role == "text" and body.contains(e.box, slack=2)),
                        key=lambda e: (e.box.y0, e.box.x0))
        added.append(Element(body, "text_area", value=" ".join(e.name for e in inside), source="widget",
                             confidence=0.6))
        if caption is not None and tab is not None:
            elements = [e for e in elements if e is not caption]
            added.append(Element(tab, "tab", name=_without_close(caption.name), states=frozenset({"selected"}),
                                 source="widget+ocr", confidence=0.6))
    return screen.with_elements(elements + added) if added else screen


def light_components(gray: np.ndarray) -> tuple[int, np.ndarray, np.ndarray]:
    """The 4-connected areas of light grey levels: their count (the background's included), labels and stats."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats((gray >= LIGHT).astype(np.uint8), connectivity=4)
    return n, labels, stats


def _areas(gray: np.ndarray, glyphs: float, text: list[Box], light: tuple[int, np.ndarray, np.ndarray] | None = None
           ) -> list[tuple[Box, Box | None]]:
    """Large light areas bounded above and below inside the screen (the window's other parts), each with the
    open tab's bump on its top edge when it has one; ``light``: light_components(gray), if known."""
    h, w = gray.shape
    n, labels, stats = light_components(gray) if light is None else light
    words = np.zeros(gray.shape, np.uint8)
    for b in text:  # the text is on the face
        words[max(0, int(b.y0)):int(b.y1) + 1, max(0, int(b.x0)):int(b.x1) + 1] = 1
    out = []
    for i in range(1, n):
        x, y, bw, bh = (int(v) for v in stats[i, :4])
        if bw < MIN_LINES[0] * glyphs or bh < MIN_LINES[1] * glyphs:
            continue
        face = (labels[y:y + bh, x:x + bw] == i) | (words[y:y + bh, x:x + bw] > 0)
        cols = longest_flag_run(face.mean(axis=0) >= 0.5)
        if cols is None:
            continue
        x, face = x + cols[0], face[:, cols[0]:cols[1]]  # the columns the window spans
        rows = longest_flag_run(face.mean(axis=1) >= 0.97)
        if rows is None or rows[1] - rows[0] < MIN_LINES[1] * glyphs:
            continue
        cols = longest_flag_run(face[rows[0]:rows[1]].mean(axis=0) >= 0.9)  # a caret, a long line
        if cols is None or cols[1] - cols[0] < MIN_LINES[0] * glyphs:
            continue
        left, top, bottom = x + cols[0], y + rows[0], y + rows[1]
        if top < 2 or bottom > h - 2:
            continue  # the screen's own edge: a page filling it, not an area inside a window
        body = Box(left, top, left + cols[1] - cols[0], bottom)
        # the tab's face may shade off to the chrome's grey towards its top: light enough is its face there
        span = slice(left, left + cols[1] - cols[0])
        above = (gray[:top, span] >= TAB_LIGHT) | (words[:top, span] > 0)
        out.append((body, _tab(above, left, body, glyphs)))
    return out


def _tab(above: np.ndarray, x: int, body: Box, glyphs: float) -> Box | None:
    """The bump of the area's face above its top edge: the open tab, as wide as a caption and a line or three
    tall, narrower than the area."""
    if not len(above):
        return None
    runs = [r for r in flag_runs(above[-1] > 0) if r[1] - r[0] >= glyphs]  # not a light pixel of an edge
    if len(runs) != 1:
        return None
    a, b = runs[0]
    if not 3 * glyphs <= b - a <= 0.6 * body.width:
        return None
    column = above[:, a:b].mean(axis=1) >= 0.9
    height = 0
    while height < len(column) and column[len(column) - 1 - height]:
        height += 1
    if not 1.3 * glyphs <= height <= 4 * glyphs:
        return None
    return Box(x + a - 1, body.y0 - height - 1, x + b + 1, body.y0)


def _caption(tab: Box, elements: list[Element]) -> Element | None:
    """The one line of text inside the tab: its caption."""
    inside = [e for e in elements if e.role == "text" and e.name.strip() and tab.contains(e.box, slack=2)]
    return inside[0] if len(inside) == 1 else None


def _without_close(name: str) -> str:
    """The caption without OCR's reading of the close box after it."""
    words = name.split()
    return " ".join(words[:-1]) if len(words) > 1 and words[-1] in CLOSE_GLYPHS else name


def _caret(gray: np.ndarray, body: Box, glyphs: float) -> bool:
    """A text caret on the area: a dark upright stroke at most a few pixels wide with the face on both sides,
    running from the letters' tops to their tails (taller than every letter's ink, a thin "l" included)."""
    x0, y0, x1, y1 = (int(v) for v in body.to_list())
    dark = gray[y0:y1, x0:x1] < 100
    width = max(2, round(glyphs / 8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(dark.astype(np.uint8), connectivity=8)
    heights = stats[1:count, 3]
    for i in range(1, count):
        cx, cy, cw, ch = (int(v) for v in stats[i, :4])
        if cw > width or not 0.8 * glyphs <= ch <= 2.2 * glyphs or stats[i, 4] < 0.9 * cw * ch:
            continue
        left, right = max(0, cx - 2), min(dark.shape[1], cx + cw + 2)
        if dark[cy:cy + ch, left:cx].any() or dark[cy:cy + ch, cx + cw:right].any():
            continue
        letters = np.delete(heights, i - 1)
        letters = letters[(letters >= 0.4 * glyphs) & (letters <= 2.2 * glyphs)]
        if not len(letters) or ch >= 1.15 * float(np.percentile(letters, 95)):
            return True
    return False
