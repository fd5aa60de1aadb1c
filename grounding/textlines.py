"""Text as a person reads it: the free words of each OCR line joined into lines, headings and links."""

from __future__ import annotations

import re
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
    glyphs = _Glyphs(words, text_height, image)
    for words_of_line in by_line.values():
        run: list[Element] = []
        for w in sorted(words_of_line, key=lambda w: w.box.x0):
            apart = (image is not None and w.role == "link" and run and run[-1].role == "link"
                     and not _underlined_across(image, run[-1].box, w.box))
            if run and (w.role != run[-1].role or w.box.x0 - run[-1].box.x1 > 4.0 * text_height or apart):
                out.append(_joined(run, text_height, glyphs))
                run = []
            run.append(w)
        if run:
            out.append(_joined(run, text_height, glyphs))
    return out


class _Glyphs:
    """How tall glyphs stand in ink: a word's OCR box may be taller than its letters (a caption read in one line
    with a field's text gets the field's height), so a heading is judged by the ink of its letters against the
    ink of the screen's ordinary words (measured once, when a tall run asks)."""

    def __init__(self, words: list[Element], text_height: float, image: np.ndarray | None) -> None:
        self.words, self.text_height, self.image = words, text_height, image
        self._ordinary: float | None = None

    def tall(self, run: list[Element]) -> bool:
        if statistics.median(w.box.height for w in run) < HEADING * self.text_height:
            return False
        if self.image is None:
            return True
        if self._ordinary is None:
            usual = [w for w in self.words if len(w.name) > 1 and abs(w.box.height - self.text_height)
                     <= 0.15 * self.text_height][:40]
            self._ordinary = statistics.median([self._ink(w.box) for w in usual] or [0.0])
        return self._ordinary == 0 or max(self._ink(w.box) for w in run) >= HEADING * self._ordinary

    def _ink(self, box: Box) -> float:
        """Rows of a word's box holding ink (glyph strokes, not the box's padding)."""
        x0, y0, x1, y1 = (int(v) for v in box.to_list())
        patch = self.image[max(0, y0):y1, max(0, x0):x1].astype(np.int16).mean(axis=2)
        if patch.size == 0:
            return 0.0
        rows = np.flatnonzero((np.abs(patch - np.median(patch)) > 60).mean(axis=1) > 0.02)
        return float(rows[-1] - rows[0] + 1) if rows.size else 0.0


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


def _joined(run: list[Element], text_height: float, glyphs: _Glyphs) -> Element:
    box = span(run)
    role = run[0].role
    if role == "text" and len(run) <= HEADING_WORDS and glyphs.tall(run):
        role = "heading"
    return Element(box, role, name=" ".join(w.name for w in run), source="ocr",
                   confidence=min(w.confidence for w in run), line=run[0].line)


def as_words(words: list[Element]) -> list[Element]:
    """The word index: every free word as plain text (a link's words too; the link itself is a control)."""
    return [w.with_(role="text") if w.role != "text" else w for w in words]


def underlined(image: np.ndarray, box: Box, text_height: float, ends: tuple[list[float], list[float]] = ([], [])) \
        -> bool:
    """Whether a rule runs under a word's glyphs across most of its width and stops near its ends (an underline;
    a heading's or a strip's border runs on far past its words), or runs on under the words beside it and stops
    at one of their ends (``ends``: the left and right edges of the words of its line; a link of several words)."""
    h, w = image.shape[:2]
    x0, x1 = max(0, int(box.x0)), min(w, int(box.x1))
    y0, y1 = max(0, int(box.y1) - 3), min(h, int(box.y1) + 4)
    if x1 - x0 < 4 or y1 - y0 < 2:
        return False
    ground = _ground(image[max(0, int(box.y0)):y1, x0:x1])
    reach = max(3, int(text_height))
    lo = max(0, x0 - reach - 2)  # the rows' ink is found beside the word first, across the screen only if needed
    # a pixel's mean level, its sum over 3 as .mean(axis=2) takes it, without that call's overhead
    ink = np.abs(_sums(image[y0:y1, lo:x1 + 2 + reach]) / 3 - ground) > 60
    under = np.count_nonzero(ink[:, x0 - lo:x1 - lo], axis=1) / (x1 - x0) >= 0.85  # each row's mean, at once
    for n in np.flatnonzero(under):
        row = ink[n]
        left, right = row[:max(0, x0 - 2) - lo], row[x1 + 2 - lo:x1 + 2 + reach - lo]
        runs_left, runs_right = left.size and left.mean() > 0.8, right.size and right.mean() > 0.8
        if not runs_left and not runs_right:
            return True
        whole = np.abs(image[y0 + n].astype(np.int16).mean(axis=1) - ground) > 60
        a, b = _run_ends(whole, x0, x1, max(2, int(0.35 * text_height)))
        near = 0.5 * text_height
        if any(abs(a - e) <= near for e in ends[0]) and any(abs(b - e) <= near for e in ends[1]):
            return True
    return False


def _ground(crop: np.ndarray) -> float:
    """np.median(crop.mean(axis=2)): the median of the pixels' mean levels, found on their whole sums (a pixel's
    mean is its sum over 3, so the two order alike) and only the middle ones divided, as numpy divides them."""
    sums = _sums(crop).ravel()
    mid = sums.size // 2
    if sums.size % 2:
        return float(np.partition(sums, mid)[mid]) / 3
    low, high = np.partition(sums, (mid - 1, mid))[mid - 1:mid + 1]
    return (float(low) / 3 + float(high) / 3) / 2


def _sums(crop: np.ndarray) -> np.ndarray:
    """Each pixel's three channels added, as int16: by the channel, which for a word's crop takes a third of the
    time numpy's sum over the last axis does."""
    c = crop.astype(np.int16)
    return c[..., 0] + c[..., 1] + c[..., 2]


def _run_ends(row: np.ndarray, x0: int, x1: int, gap: int) -> tuple[int, int]:
    """Where the run of ink in ``row`` through [x0, x1) begins and ends, across gaps of up to ``gap`` pixels (an
    underline skips the descenders it passes)."""
    a, b = x0, x1 - 1
    while a > 0 and row[max(0, a - 1 - gap):a].any():
        a -= 1
    while b < len(row) - 1 and row[b + 1:b + 2 + gap].any():
        b += 1
    return a, b + 1


def mark_links(words: list[Element], image: np.ndarray, text_height: float,
               controls: tuple[Box, ...] = ()) -> list[Element]:
    """Underlined words are links, whatever their colour (a link colour is found by OCR's reader). A rule that is
    the top edge of a control just under the word (a label 2-3 px above an unstyled field or select) is no
    underline: ``controls`` are their boxes."""
    labels = {id(w) for w in words if controls and _on_a_control(w.box, controls)}
    ends: dict[int, tuple[list[float], list[float]]] = {}
    for w in words:
        left, right = ends.setdefault(w.line, ([], []))
        left.append(w.box.x0)
        right.append(w.box.x1)
    # a word too short for its underline to be told from the tops of the line below is left as it is, unless
    # it stands between two words of a link with the underline running on under it ("Report a problem")
    out = [_link(w) if w.role == "link" or (w.role == "text" and id(w) not in labels and len(w.name) >= 2
                                            and w.box.width >= 2 * text_height
                                            and underlined(image, w.box, text_height, ends[w.line])) else w
           for w in words]
    links = [w for w in out if w.role == "link"]
    return [w.with_(role="link") if w.role == "text" and id(u) not in labels and _between_links(w, links, text_height)
            and underlined(image, w.box, text_height, ends[w.line]) else w for u, w in zip(words, out)]


def _on_a_control(box: Box, controls: tuple[Box, ...]) -> bool:
    """Whether a control's top edge runs in the rows an underline of ``box`` would take, under all of it."""
    return any(box.y1 - 3 <= c.y0 <= box.y1 + 4 and c.x0 <= box.x0 + 2 and c.x1 >= box.x1 - 2 for c in controls)


def _link(w: Element) -> Element:
    """An underlined word as a link; OCR reads the underline running under the space between two words as "_"."""
    name = re.sub(r"(?<=[^\W_])_(?=[^\W_])", " ", w.name)
    return w.with_(role="link", name=re.sub(r"(?<=[^\W_])_+$|^_+(?=[^\W_])", "", name))


def _between_links(w: Element, links: list[Element], text_height: float) -> bool:
    beside = [u for u in links if u.line == w.line and abs(u.box.center[1] - w.box.center[1]) < 0.5 * text_height]
    left = any(0 <= w.box.x0 - u.box.x1 <= text_height for u in beside)
    right = any(0 <= u.box.x0 - w.box.x1 <= text_height for u in beside)
    return left and right
