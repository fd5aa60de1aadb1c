"""ScreenParser: screenshot -> Screen, combining word-level OCR with widget proposals.

Parsing is incremental: given the previous frame, only regions whose pixels changed are read again; words in
unchanged regions are reused. Proposals are recomputed every frame (they cost a few milliseconds).
"""

from __future__ import annotations

import statistics
import time
from collections import OrderedDict
from dataclasses import dataclass, field

import cv2
import numpy as np

from grounding import ocr
from grounding.elements import Box, Element, Screen, reading_order
from grounding.proposals import Proposal, find_outlines
from models import ocr as ocr_model

CELL = 16
# how OCR reads an empty box or ring
BOX_GLYPHS = {"口", "□", "☐", "回", "○", "◯", "〇", "O", "o", "0", "D", "Q", "◎", "⊙", "●"}
DEFAULT_TEXT_HEIGHT = 18.0
NAMED = "widget+ocr"  # a control found by its shape and named by the words OCR read in or beside it


@dataclass
class ParseStats:
    """How the last parse went: time spent and how much of the frame was read again."""

    ocr_ms: float = 0.0
    proposals_ms: float = 0.0
    changed_fraction: float = 1.0
    regions: int = 0
    cache_hits: int = 0
    cache_misses: int = 0


@dataclass
class ScreenParser:
    """Turns screenshots into Screens; keeps the last frame to parse the next one incrementally."""

    incremental: bool = True
    full_parse_above: float = 0.4
    cache_size: int = 128
    stats: ParseStats = field(default_factory=ParseStats)
    _last_image: np.ndarray | None = None
    _last_words: list[Element] = field(default_factory=list)
    _cache: OrderedDict[bytes, list[Element]] = field(default_factory=OrderedDict)

    def parse(self, image: np.ndarray) -> Screen:
        """Parse an RGB image (H x W x 3, uint8) into a Screen."""
        self.stats = ParseStats()
        t0 = time.perf_counter()
        words = self._words(image)
        t1 = time.perf_counter()
        text_height = _text_height(words)
        outlines = find_outlines(image, text_height)
        self.stats.ocr_ms = (t1 - t0) * 1000
        self.stats.proposals_ms = (time.perf_counter() - t1) * 1000
        self._last_image, self._last_words = image, words
        h, w = image.shape[:2]
        controls, free = compose(image, words, outlines, text_height)
        return Screen(w, h, tuple(controls + lines(free, text_height)), tuple(as_words(free)), image)

    def reset(self) -> None:
        self._last_image, self._last_words = None, []

    def _words(self, image: np.ndarray) -> list[Element]:
        prev = self._last_image
        if not self.incremental or prev is None or prev.shape != image.shape:
            self.stats.regions = 1
            return ocr.read_words(image)
        regions, fraction = changed_regions(prev, image)
        self.stats.changed_fraction = fraction
        self.stats.regions = len(regions)
        if fraction > self.full_parse_above:
            return ocr.read_words(image)
        kept = list(self._last_words)
        line_base = max((w.line for w in kept), default=0) + 1
        for region in regions:
            region = _grow_over_words(region, kept, image.shape)
            kept = [w for w in kept if not region.intersection(w.box)]
            x0, y0, x1, y1 = (int(v) for v in region.to_list())
            fresh = self._read_region(image[y0:y1, x0:x1], (x0, y0), line_base)
            line_base += 1 + max((w.line for w in fresh), default=line_base) - line_base
            kept.extend(fresh)
        return kept

    def _read_region(self, crop: np.ndarray, offset: tuple[int, int], line_base: int) -> list[Element]:
        """OCR a changed region, or reuse what was read when the same pixels were seen before (a blinking
        cursor, a toggled checkbox, a tooltip coming and going)."""
        key = ocr_model.pixels_key(crop)
        words = self._cache.get(key)
        if words is None:
            words = ocr.read_words(crop)
            self._cache[key] = words
            if len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
            self.stats.cache_misses += 1
        else:
            self._cache.move_to_end(key)
            self.stats.cache_hits += 1
        return [w.with_(box=w.box.shifted(*offset), line=w.line + line_base) for w in words]


def changed_regions(prev: np.ndarray, cur: np.ndarray, cell: int = CELL) -> tuple[list[Box], float]:
    """Boxes (grown by one cell) around the grid cells whose pixels differ, and the changed fraction of cells."""
    diff = np.abs(prev.astype(np.int16) - cur.astype(np.int16)).max(axis=2) > 24
    h, w = diff.shape
    gh, gw = -(-h // cell), -(-w // cell)
    padded = np.zeros((gh * cell, gw * cell), bool)
    padded[:h, :w] = diff
    cells = padded.reshape(gh, cell, gw, cell).any(axis=(1, 3))
    fraction = float(cells.mean())
    if not cells.any():
        return [], 0.0
    grown = cv2.dilate(cells.astype(np.uint8), np.ones((3, 3), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(grown, connectivity=8)
    boxes = []
    for i in range(1, count):
        x, y, bw, bh = stats[i, :4]
        boxes.append(Box(x * cell, y * cell, min(w, (x + bw) * cell), min(h, (y + bh) * cell)))
    return boxes, fraction


def _grow_over_words(region: Box, words: list[Element], shape: tuple[int, ...]) -> Box:
    """Extend a region to whole lines of text it touches, so no word is read cut in half."""
    h, w = shape[:2]
    grown = region
    if grown.height < 40:  # OCR needs some height to detect lines in a crop
        grown = grown.expanded(0, (40 - grown.height) / 2)
    for _ in range(6):
        nxt = grown
        for b in (w.box for w in words if grown.intersection(w.box.expanded(4))):
            nxt = nxt.union(b.expanded(6))
        if nxt == grown:
            break
        grown = nxt
    return Box(max(0, grown.x0), max(0, grown.y0), min(w, grown.x1), min(h, grown.y1))


def _text_height(words: list[Element]) -> float:
    heights = [w.box.height for w in words if len(w.name) > 1]
    return statistics.median(heights) if heights else DEFAULT_TEXT_HEIGHT


def compose(image: np.ndarray, words: list[Element], outlines: list[Proposal],
            text_height: float) -> tuple[list[Element], list[Element]]:
    """Combine words and outlines into controls (captions join their buttons, labels name checkboxes and fields),
    and the words left free (not inside a control)."""
    free = list(words)
    widgets: list[Element] = []
    small: set[int] = set()  # ids of box-sized controls: checkboxes, radios, close and icon buttons
    boxes = [p for p in outlines if p.shape in ("square", "circle")]
    halos = {id(p) for p in boxes for q in boxes if q is not p and q.inked < 0.05 and p.box.contains(q.box, slack=1)
             and q.box.area >= 0.3 * p.box.area}  # an outline around a clean empty box or ring is its halo
    outlines = [p for p in outlines if id(p) not in halos]
    for p in sorted(outlines, key=lambda p: p.box.area):
        if any(id(w) in small and w.box.contains(p.box, slack=2) for w in widgets):
            continue  # a second, near-identical outline of a control already found
        if p.shape != "square" and any(p.box.contains(w.box, slack=2) and w.box.area < 0.8 * p.box.area
                                       for w in widgets):
            continue  # a container (a form, a toolbar, outlines merged by proximity), not a control
        if p.shape in ("square", "circle"):
            # OCR reads an empty box or ring as one symbol ("口", "O"): that word is the control itself
            glyphs = [w for w in free if w.name in BOX_GLYPHS and w.box.intersection(p.box) > 0.4 * p.box.area
                      and w.box.width < 2.2 * p.box.width]
            free = [_strip_glyph(w, p.box) for w in free if w not in glyphs]
        inside = [w for w in free if p.box.contains_point(*w.box.center)]  # captions may overflow a small button
        if p.shape in ("square", "circle") and not inside and any(w.box.intersection(p.box) > 0.5 * p.box.area
                                                                  for w in free):
            continue  # the bowl of a letter, not a control
        element = _classify(p, inside, text_height, image)
        if element is None:
            continue
        if element.role in ("button", "text_field", "dropdown", "tab"):
            free = [w for w in free if w not in inside]
        widgets.append(element)
        if p.shape in ("square", "circle") and element.source == "widget":
            small.add(id(element))
    widgets = [w for w in widgets if not (id(w) in small and any(
        o is not w and id(o) in small and o.box.area > w.box.area and o.box.contains(w.box, slack=2)
        for o in widgets))]
    widgets = [_attach_label(e, free, text_height) for e in widgets]
    return reading_order(widgets), free


def lines(words: list[Element], text_height: float) -> list[Element]:
    """Free words as text lines, and runs of link-coloured words as links (each keeps its OCR line index)."""
    out: list[Element] = []
    by_line: dict[int, list[Element]] = {}
    for w in words:
        by_line.setdefault(w.line, []).append(w)
    for words_of_line in by_line.values():
        run: list[Element] = []
        for w in sorted(words_of_line, key=lambda w: w.box.x0):
            if run and (w.role != run[-1].role or w.box.x0 - run[-1].box.x1 > 2.5 * text_height):
                out.append(_joined(run))
                run = []
            run.append(w)
        if run:
            out.append(_joined(run))
    return out


def _joined(run: list[Element]) -> Element:
    box = run[0].box
    for w in run[1:]:
        box = box.union(w.box)
    confidence = min(w.confidence for w in run)
    return Element(box, run[0].role, name=" ".join(w.name for w in run), source="ocr", confidence=confidence,
                   line=run[0].line)


def as_words(words: list[Element]) -> list[Element]:
    """The word index: every free word as plain text (a link's words too; the link itself is a control)."""
    return [w.with_(role="text") if w.role != "text" else w for w in words]


def _classify(p: Proposal, inside: list[Element], text_height: float, image: np.ndarray) -> Element | None:
    text = " ".join(w.name for w in reading_order(inside))
    if p.shape in ("square", "circle"):
        if inside and text.strip().lower() not in ("x", "×"):
            if p.box.height > 1.6 * text_height and p.fill < 250:
                return Element(p.box, "button", name=text, source=NAMED, confidence=0.7)
            return None  # a letter's bowl, not a control
        if p.x_shape > 0.6:
            return Element(p.box, "button", name="Close", source="widget", confidence=p.x_shape)
        if p.inked > 0.12 and p.fill > 200 and p.shape == "square" and p.box.height > 1.3 * text_height:
            return Element(p.box, "button", source="widget", confidence=0.5)  # an icon: no words to name it
        role = "radio" if p.shape == "circle" else "checkbox"
        states = frozenset({"checked"}) if _marked(image, p.box) else frozenset()
        return Element(p.box, role, source="widget", confidence=0.8, states=states)
    if p.shape == "bar":
        return _classify_bar(p, inside, text)
    if inside and len(inside) <= 4 and p.fill < 250 and _centred(p.box, inside, both_axes=True):
        return Element(p.box, "button", name=text, source=NAMED, confidence=0.75)
    return None


def _marked(image: np.ndarray, box: Box) -> bool:
    """Whether a checkbox or radio is ticked: its centre holds colour or a dot instead of the empty face."""
    cx, cy = box.center
    r = max(1, int(min(box.width, box.height) * 0.15))
    patch = image[int(cy) - r: int(cy) + r + 1, int(cx) - r: int(cx) + r + 1].reshape(-1, 3).astype(np.int16)
    if not len(patch):
        return False
    grey = patch.mean(axis=1)
    saturation = patch.max(axis=1) - patch.min(axis=1)
    return bool(np.median(grey) < 170 or np.median(saturation) > 60)


def _strip_glyph(word: Element, control: Box) -> Element:
    """OCR sometimes reads a ring or box as the first letter of its label ("OGS" for a radio and "GS")."""
    if (len(word.name) > 1 and word.name[0] in BOX_GLYPHS and word.box.x0 >= control.x0 - 0.5 * control.width
            and word.box.x0 < control.center[0] and word.box.intersection(control) > 0.5 * control.area):
        return word.with_(name=word.name[1:], box=Box(control.x1 + 1, word.box.y0, word.box.x1, word.box.y1))
    return word


def _rows(words: list[Element]) -> int:
    centres = sorted(w.box.center[1] for w in words)
    height = min(w.box.height for w in words)
    return 1 + sum(1 for a, b in zip(centres, centres[1:]) if b - a > 0.6 * height)


def _centred(box: Box, inside: list[Element], both_axes: bool = False) -> bool:
    span = inside[0].box
    for w in inside[1:]:
        span = span.union(w.box)
    ok_x = abs(span.center[0] - box.center[0]) < 0.12 * box.width
    ok_y = abs(span.center[1] - box.center[1]) < 0.15 * box.height
    return ok_x and (ok_y or not both_axes)


def _classify_bar(p: Proposal, inside: list[Element], text: str) -> Element | None:
    if inside:
        span = inside[0].box
        for w in inside[1:]:
            span = span.union(w.box)
        centred = _centred(p.box, inside)
        if _rows(inside) > 1 and not centred:
            return None  # several rows of text: an open list or a paragraph, whose words stay clickable
        if p.right_ink > 0.2 and not centred and span.x1 < p.box.x0 + 0.8 * p.box.width:
            return Element(p.box, "dropdown", value=text, source=NAMED, confidence=0.7)
        if centred and p.fill < 250:
            return Element(p.box, "button", name=text, source=NAMED, confidence=0.85)
        if centred:
            return Element(p.box, "button", name=text, source=NAMED, confidence=0.6)
        return Element(p.box, "text_field", value=text, source=NAMED, confidence=0.7)
    if p.fill >= 245 and p.right_ink > 0.2:
        return Element(p.box, "dropdown", source="widget", confidence=0.6)
    if p.fill >= 245:
        return Element(p.box, "text_field", source="widget", confidence=0.8)
    return Element(p.box, "button", source="widget", confidence=0.5)


def _attach_label(el: Element, words: list[Element], text_height: float) -> Element:
    """Name a checkbox or radio by the words right of it; a field by the words left of or above it."""
    if el.role in ("checkbox", "radio"):
        label = _words_beside(el.box, words, text_height, side="right")
    elif el.role in ("text_field", "dropdown"):
        label = _words_beside(el.box, words, text_height, side="left") or _words_above(el.box, words, text_height)
    else:
        return el
    return el.with_(name=label, source=NAMED) if label else el


def _words_beside(box: Box, words: list[Element], text_height: float, side: str) -> str:
    cy = box.center[1]
    row = [w for w in words if abs(w.box.center[1] - cy) < min(box.height, w.box.height) * 0.6]
    reach = 4 * text_height
    if side == "right":
        row = sorted((w for w in row if w.box.x0 >= box.x1 - 2), key=lambda w: w.box.x0)
        edge, picked = box.x1, []
        for w in row:
            if w.box.x0 - edge > (reach if not picked else 1.2 * text_height):
                break
            picked.append(w.name)
            edge = w.box.x1
        return " ".join(picked)
    row = sorted((w for w in row if w.box.x1 <= box.x0 + 2), key=lambda w: -w.box.x1)
    edge, picked = box.x0, []
    for w in row:
        if edge - w.box.x1 > (reach if not picked else 1.2 * text_height):
            break
        picked.insert(0, w.name)
        edge = w.box.x0
    return " ".join(picked).rstrip(":")


def _words_above(box: Box, words: list[Element], text_height: float) -> str:
    above = [w for w in words if 0 <= box.y0 - w.box.y1 < 1.5 * text_height
             and w.box.x0 < box.x1 and w.box.x1 > box.x0 - text_height]
    if not above:
        return ""
    line = max(above, key=lambda w: w.box.y1).line
    return " ".join(w.name for w in reading_order([w for w in above if w.line == line])).rstrip(":")
