"""Text as a person reads it: the free words of each OCR line joined into lines, headings and links."""

from __future__ import annotations

import statistics

from grounding.elements import Element
from grounding.words import span

HEADING = 1.35  # a line whose glyphs stand this much taller than the screen's text is a heading
HEADING_WORDS = 12


def lines(words: list[Element], text_height: float) -> list[Element]:
    """Free words as text lines (or headings), and runs of link-coloured words as links; each keeps its OCR line
    index, so the word index can find a phrase inside it."""
    out: list[Element] = []
    by_line: dict[int, list[Element]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    for words_of_line in by_line.values():
        run: list[Element] = []
        for w in sorted(words_of_line, key=lambda w: w.box.x0):
            if run and (w.role != run[-1].role or w.box.x0 - run[-1].box.x1 > 4.0 * text_height):
                out.append(_joined(run, text_height))
                run = []
            run.append(w)
        if run:
            out.append(_joined(run, text_height))
    return out


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
