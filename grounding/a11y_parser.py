"""Accessibility first: the tree is the skeleton of the Screen, pixels read only what the tree does not cover.

Where an AT-SPI bus answers, the focused application's tree names the controls and text lines of its windows;
the pixel parser (OCR and widget shapes) runs only over the rest of the screen and over holes the tree cannot
describe (a canvas, an image, an embedded view). Each element's ``source`` says who named it. With no bus, or
a read that fails, the whole screen is parsed from pixels and ``stats.fallback`` says why.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np

from grounding.a11y_fresh import gray, looks_stale, unlike
from grounding.a11y_reader import TreeSnapshot
from grounding.a11y_regions import uncovered_regions
from grounding.a11y_screen import coloured_links, image_box, shift, tree_elements, tree_words
from grounding.a11y_ticks import ticked_items
from grounding.atspi_wire import BusError
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen

CATCH_UP = 1.5  # seconds a tree that trails the pixels is given to catch up (Chromium's trails a scroll by ~0.3)
AGAIN = 0.1  # seconds between its reads meanwhile
HELD = 0.3  # seconds a tree that caught up must hold still (its boxes come in batches)
PUBLISH = ("Qt applications publish their trees when started with QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1, "
           "Chromium and Electron with QT_ACCESSIBILITY=1 and --force-renderer-accessibility, GTK unless "
           "NO_AT_BRIDGE=1 is set")


class PixelParser(Protocol):
    def parse(self, image: np.ndarray) -> Screen: ...


@dataclass
class A11yStats:
    """How the last parse went: who named what, where OCR ran, and the time each part took."""

    source: str = "pixels"
    fallback: str = ""  # why the tree was not used, when it was not
    stale: str = ""  # why the first read seemed older than the pixels, when it did (it was read again)
    tree_ms: float = 0.0
    pixels_ms: float = 0.0
    tree_elements: int = 0
    pixel_elements: int = 0
    ocr_regions: list[tuple[int, int, int, int]] = field(default_factory=list)  # image pixels
    ocr_fraction: float = 1.0  # share of the screen the pixel parser read

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "fallback": self.fallback, **({"stale": self.stale} if self.stale else {}),
                "tree_ms": round(self.tree_ms, 1),
                "pixels_ms": round(self.pixels_ms, 1), "tree_elements": self.tree_elements,
                "pixel_elements": self.pixel_elements, "ocr_regions": len(self.ocr_regions),
                "ocr_fraction": round(self.ocr_fraction, 3)}


@dataclass
class A11yParser:
    """``read`` returns the tree now (logical screen pixels, inside ``frame``); ``frame`` maps it onto the
    captured image; ``pixels`` parses whatever the tree does not cover."""

    read: Callable[[], TreeSnapshot]
    frame: Frame
    pixels: PixelParser
    on_close: Callable[[], None] = lambda: None  # stops whatever reads the tree (closes its bus connection)
    stats: A11yStats = field(default_factory=A11yStats)
    catch_up: float = CATCH_UP
    _last: tuple[np.ndarray, list[Element]] | None = field(default=None, init=False, repr=False)  # the last parse:
    # its image in grey and the tree's elements on it

    def parse(self, image: np.ndarray) -> Screen:
        """The Screen: the tree's elements, and the pixel parser's for the parts the tree leaves uncovered."""
        self.stats = A11yStats()
        t0 = time.perf_counter()
        try:
            tree = self.read()
        except (BusError, OSError, TimeoutError) as exc:
            self.stats.fallback = f"the accessibility tree could not be read ({exc}); parsed from pixels"
            return self._pixels_only(image)
        self.stats.tree_ms = (time.perf_counter() - t0) * 1000
        if not tree.windows:
            self.stats.fallback = ("no application on the accessibility bus shows a window; parsed from pixels "
                                   f"({PUBLISH})")
            return self._pixels_only(image, title=tree.title)
        return self._compose(image, *self._caught_up(image, tree))

    def _caught_up(self, image: np.ndarray, tree: TreeSnapshot) -> tuple[TreeSnapshot, list[Element]]:
        """The tree and its elements on ``image``, read again while they seem older than the pixels
        (grounding/a11y_fresh.py) until they change or ``catch_up`` seconds pass (the screen does hold such lines)."""
        h, w = image.shape[:2]
        elements = tree_elements(tree, self.frame, w, h)
        last, self._last, grey = self._last, None, gray(image)  # the image in grey once, for every look below

        def stale() -> str:
            return looks_stale(grey, elements) or (unlike(*last, grey, elements) if last is not None else "")

        why = stale()
        if why:
            self.stats.stale = why
            # a toolkit catching up sends its boxes in batches (Chromium: most lines moved, the button not yet): a
            # read is taken once the tree has changed, then held still for HELD seconds, and fits the pixels
            changed, deadline = None, time.monotonic() + self.catch_up
            while time.monotonic() < deadline:
                time.sleep(AGAIN)
                try:
                    newer = self.read()
                except (BusError, OSError, TimeoutError):
                    break  # the last read stands
                again = tree_elements(newer, self.frame, w, h)
                if not newer.windows:
                    continue
                if _seen(again) != _seen(elements):
                    tree, elements, changed = newer, again, time.monotonic()
                elif changed is not None and time.monotonic() - changed >= HELD and not stale():
                    break
        self._last = grey, elements
        return tree, elements

    def _pixels_only(self, image: np.ndarray, title: str = "") -> Screen:
        t0 = time.perf_counter()
        screen = self.pixels.parse(image)
        self.stats.pixels_ms = (time.perf_counter() - t0) * 1000
        self.stats.pixel_elements = len(screen.elements)
        h, w = image.shape[:2]
        self.stats.ocr_regions = [(0, 0, w, h)]
        return Screen(screen.width, screen.height, screen.elements, words=screen.words, image=image,
                      title=title or screen.title, focused=screen.focused, source="pixels")

    def _compose(self, image: np.ndarray, tree: TreeSnapshot, elements: list[Element]) -> Screen:
        """The Screen from the tree's ``elements`` and the pixel parser's reading of what they leave uncovered."""
        h, w = image.shape[:2]
        elements = ticked_items(elements, image)
        elements += [e.with_(id=len(elements) + n) for n, e in enumerate(coloured_links(tree, self.frame, image), 1)]
        words = tree_words(elements)
        regions, fraction = uncovered_regions(image, tree, self.frame)
        self.stats.tree_elements, self.stats.ocr_regions, self.stats.ocr_fraction = len(elements), regions, fraction
        t0 = time.perf_counter()
        pictures = [image_box(b, self.frame) for b in tree.pictures]
        for x0, y0, x1, y1 in regions:
            part = self.pixels.parse(np.ascontiguousarray(image[y0:y1, x0:x1]))
            base = len(elements)
            found = [shift(e, x0, y0, base) for e in part.elements]
            # a shape drawn in a picture (an avatar, a screenshot) is not a control; its words still count
            found = [e for e in found if not (e.is_control and any(p.contains_point(*e.box.center) for p in pictures))]
            self.stats.pixel_elements += len(found)
            elements += found
            words += [shift(e, x0, y0, 0) for e in part.words]
        self.stats.pixels_ms = (time.perf_counter() - t0) * 1000
        self.stats.source = "accessibility"
        # toolkits leave "focused" on more than one node (Qt on the current tab besides the editor): the place
        # keys go to is the editable one, else the deepest (last read)
        focus = [e for e in elements if e.focused and e.is_control]
        focused = max(focus, key=lambda e: ("editable" in e.states, e.id)).id if focus else 0
        screen = Screen(w, h, (), words=tuple(words), image=image, title=tree.title, focused=focused,
                        source="accessibility")
        return screen.with_elements(elements)  # ids in the screen's order: controls first, each in reading order

    def close(self) -> None:
        self.on_close()


def _seen(elements: list[Element]) -> list[tuple[str, str, Box]]:
    return [(e.role, e.name, e.box) for e in elements]

