"""ScreenParser: screenshot -> Screen, combining word-level OCR with widget proposals (grounding/widgets.py).

Parsing is incremental: given the previous frame, only regions whose pixels changed are read again; words in
unchanged regions are reused. Proposals are recomputed every frame (they cost a few milliseconds).
"""

from __future__ import annotations

import time
from collections import OrderedDict
from dataclasses import dataclass, field

import cv2
import numpy as np

from grounding import ocr, pixel_maps
from grounding.captions import missed_captions
from grounding.documents import find_documents
from grounding.elements import NAMED_FROM_OUTSIDE, Box, Element, Screen
from grounding.frame_diff import changed_cells
from grounding.grids import find_grids, in_cells, lines_by_cell, of_the_grid
from grounding.headers import column_headers
from grounding.keys import keys_in_rows
from grounding.menubar import find_menu_bar
from grounding.more_widgets import augment
from grounding.outline_roles import MAX_CAPTION_WORDS
from grounding.proposals import find_outlines
from grounding.rows import list_rows
from grounding.segments import end_buttons
from grounding.selected_text import unselected
from grounding.sidebars import unframed_lists
from grounding.spin_boxes import find_spin_boxes
from grounding.tabs import find_tabs, underlined_tabs
from grounding.textlines import as_words, lines, mark_links
from grounding.theme_icons import named_by_theme
from grounding.toolbar import find_tool_buttons
from grounding.trees import tree_rows
from grounding.widgets import compose
from grounding.words import text_height, without_echoes, words_above, words_beside
from models import ocr as ocr_model

CELL = 16


@dataclass
class ParseStats:
    """How the last parse went: time spent and how much of the frame was read again."""

    ocr_ms: float = 0.0  # reading the words: the two models below, splitting lines into words, link colours
    detect_ms: float = 0.0  # of which the text detector (finding the lines)
    read_ms: float = 0.0  # and the recogniser (reading them)
    proposals_ms: float = 0.0
    total_ms: float = 0.0  # the whole parse; what is not OCR is shapes, widgets, captions and lines
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
        t0, spent = time.perf_counter(), dict(ocr_model.SPENT_MS)
        image = unselected(image)  # a page selected all over (Ctrl+A) reads as it did before
        pending = pixel_maps.start(image)  # what needs the pixels only is found while OCR reads
        words = without_echoes(self._words(image))
        t1 = time.perf_counter()
        self.stats.detect_ms = ocr_model.SPENT_MS["detect"] - spent["detect"]
        self.stats.read_ms = ocr_model.SPENT_MS["read"] - spent["read"]
        glyphs, maps = text_height(words), pending.result()
        late = pixel_maps.start_late(maps.gray, glyphs)
        outlines = find_outlines(image, glyphs, (maps.gray, maps.edges, maps.contours))
        self.stats.ocr_ms = (t1 - t0) * 1000
        self.stats.proposals_ms = (time.perf_counter() - t1) * 1000
        self._last_image, self._last_words = image, words
        h, w = image.shape[:2]
        words = words + missed_captions(image, words, outlines, glyphs, max((w.line for w in words), default=0) + 1)
        strips, words = underlined_tabs(words, image, glyphs)  # before the menu bar: a dialog's tabs are no menus
        bar, words = find_menu_bar(words, outlines, image, glyphs)  # before labels are given: titles name nothing
        bar += strips
        outlines = [p for p in outlines if not any(b.box.contains(p.box, slack=2) for b in bar)]  # their glyphs
        outlines, grids = find_grids(outlines, glyphs, maps.gray)  # a table's cells hold text, not controls
        words = lines_by_cell(words, grids)
        controls, free = compose(image, words, outlines, glyphs, maps.edges)
        controls, free = find_spin_boxes(controls, free, outlines, image, glyphs)  # before its parts pass for tabs
        controls, free = find_tabs(controls, free, image, glyphs)
        controls, free = column_headers(controls, free, words)
        loose = tuple(c.box for c in controls if c.role in ("checkbox", "radio") and _no_label(c.name))
        tools, free = find_tool_buttons(image, free, [c.box for c in bar + controls],
                                        [p.box for p in outlines if p.drawn], glyphs, loose, maps.icon_parts)
        taken = {t.box for t in tools}  # unlabelled toggles that are icons of a toolbar row
        controls = [c for c in controls if c.box not in taken] + tools
        controls += end_buttons(image, outlines, controls, free)
        free = mark_links(free, image, glyphs, tuple(c.box for c in controls))
        screen = Screen(w, h, tuple(bar + controls + lines(free, glyphs, image)), tuple(as_words(free)), image)
        gray, late = maps.gray, late.result()
        outlined = [b for b in maps.outlined if not of_the_grid(b, grids)]
        screen = augment(screen, (gray, maps.edges, outlined, maps.squares), late.ink, glyphs)
        screen = _labelled(tree_rows(list_rows(screen, gray, glyphs, late.rules), gray, glyphs), free, glyphs)
        screen = find_documents(named_by_theme(keys_in_rows(unframed_lists(screen, glyphs))), glyphs, gray, late.light)
        # an edited area found by its caret takes the label above it, as a field does; a tab's caption names
        # only its tab, not the page under it
        tabs = [e.box for e in screen.elements if e.role == "tab"]
        screen = _labelled(screen, [w for w in free if not any(t.contains(w.box, slack=2) for t in tabs)], glyphs,
                           roles=("text_area",))
        screen = screen.with_elements(in_cells(list(screen.elements), grids, words)) if grids else screen
        self.stats.total_ms = (time.perf_counter() - t0) * 1000
        return screen

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
    h, w = cur.shape[:2]
    cells = changed_cells(prev, cur, cell)
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


def _labelled(screen: Screen, free: list[Element], glyphs: float,
              roles: tuple[str, ...] = NAMED_FROM_OUTSIDE) -> Screen:
    """Name the sliders, text areas and fields (of ``roles``) found by their shape alone (grounding/more_widgets.py)
    by the label left of them (on a tall one's first row; a form's column of labels may stand further off than a
    caption does), else above them."""
    def named(e: Element) -> Element:
        if e.role not in roles or e.name:
            return e
        row = Box(e.box.x0, e.box.y0, e.box.x1, min(e.box.y1, e.box.y0 + 2.4 * glyphs))
        label = words_beside(row, free, glyphs, side="left", reach=9.0) or words_above(e.box, free, glyphs)
        if not label or len(label.split()) > MAX_CAPTION_WORDS:
            return e  # a sentence beside or above is a notice or an instruction, not its caption
        return e.with_(name=label, source=e.source + "+ocr")

    elements = [named(e) for e in screen.elements]
    if all(a is b for a, b in zip(elements, screen.elements)):
        return screen
    return screen.with_elements(elements)


def _no_label(name: str) -> bool:
    """No name, or a glyph or two that are no letters or digits: OCR's reading of a picture beside it ("田",
    "口|")."""
    glyphs = name.replace(" ", "")
    return not glyphs or (len(glyphs) <= 2 and not any(c.isascii() and c.isalnum() for c in glyphs))
