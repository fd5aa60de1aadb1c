"""Text as a person reads it: the free words of each OCR line joined into lines, headings and links."""

from __future__ import annotations

import statistics

import numpy as np

from grounding.elements import Box, Element
from grounding.words import span

HEADING = 1.35  # a line whose glyphs stand this much taller than the screen's text is a heading
HEADING_WORDS = 12


def lines(words: list[Element], text_height: float, image: np.ndarray | None = None) -> list[Element]:
    """Free words as text lines (or headings), and runs of link-coloured words as links (two links side by side
    are told apart where their underline breaks); each keeps its OCR line index, so the word index can find a
    phrase inside it."""
    out: list[Element] = []
    by_line: dict[int, list[Element]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    for words_of_line in by_line.values():
        run: list[Element] = []
        for w in sorted(words_of_line, key=lambda w: w.box.x0):
            apart = (image is not None and w.role == "link" and run and run[-1].role == "link"
                     and not _underlined_across(image, run[-1].box, w.box))
            if run and (w.role != run[-1].role or w.box.x0 - run[-1].box.x1 > 4.0 * text_height or apart):
                out.append(_joined(run, text_height))
                run = []
            run.append(w)
        if run:
            out.append(_joined(run, text_height))
    return out


def _underlined_across(image: np.ndarray, a: Box, b: Box) -> bool:
    """Whether the underline under word ``a`` runs on through the gap to word ``b`` (one link), or no underline
    shows at all; False when it breaks (two links)."""
    h, w = image.shape[:2]
    y0, y1 = max(0, int(min(a.y1, b.y1)) - 4), min(h, int(max(a.y1, b.y1)) + 3)
    x0, x1 = max(0, int(a.x0)), min(w, int(b.x1))
    if y1 - y0 < 2 or x1 - x0 < 4:
        return True
    gray = image[y0:y1, x0:x1].astype(np.int16).mean(axis=2)
    ink = np.abs(gray - np.median(gray)) > 60
    word = ink[:, : int(a.x1) - x0]
    rows = np.flatnonzero(word.mean(axis=1) >= 0.8) if word.size else np.array([], int)
    if not rows.size:
        return True
    gap = ink[rows, int(a.x1) - x0 + 1: max(int(a.x1) - x0 + 2, int(b.x0) - x0 - 1)]
    return bool(gap.size == 0 or gap.any(axis=0).mean() >= 0.6)


def _joined(run: list[Element], text_height: float) -> Element:
    box = span(run)
    role = run[0].role
    tall = statistics.median(w.box.height for w in run) >= HEADING * text_height
    if role == "text" and tall and len(run) <= HEADING_WORDS:
        role = "heading"
    return Element(box, role, name=" ".join(w.name for w in run), source="ocr",
                   confidence=min(w.confidence for w in run), line=run[0].line)


def as_words(words: list[Element]) -> list[Element]:
    """The word index: every free word as plain text (a link's words too; the link itself is a control)."""
    return [w.with_(role="text") if w.role != "text" else w for w in words]


def underlined(image: np.ndarray, box: Box, text_height: float) -> bool:
    """Whether a rule runs under a word's glyphs across most of its width and stops near its ends (an underline;
    a heading's or a strip's border runs on far past its words)."""
    h, w = image.shape[:2]
    x0, x1 = max(0, int(box.x0)), min(w, int(box.x1))
    y0, y1 = max(0, int(box.y1) - 3), min(h, int(box.y1) + 4)
    if x1 - x0 < 4 or y1 - y0 < 2:
        return False
    ground = float(np.median(image[max(0, int(box.y0)):y1, x0:x1].mean(axis=2)))
    ink = np.abs(image[y0:y1].astype(np.int16).mean(axis=2) - ground) > 60
    reach = max(3, int(text_height))
    for row in ink:
        if row[x0:x1].mean() >= 0.85:
            left, right = row[max(0, x0 - reach - 2):max(0, x0 - 2)], row[x1 + 2:x1 + 2 + reach]
            if not (left.size and left.mean() > 0.8) and not (right.size and right.mean() > 0.8):
                return True
    return False


def mark_links(words: list[Element], image: np.ndarray, text_height: float) -> list[Element]:
    """Underlined words are links, whatever their colour (a link colour is found by OCR's reader)."""
    # a word too short for its underline to be told from the tops of the line below is left as it is
    return [w.with_(role="link") if w.role == "text" and len(w.name) >= 2 and w.box.width >= 2 * text_height
            and underlined(image, w.box, text_height) else w for w in words]
