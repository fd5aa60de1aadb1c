"""Whether the accessibility tree describes the pixels it was read with, or a screen a moment older.

A toolkit paints first and tells the bus later: Chromium's boxes trail a scroll by a few hundred milliseconds,
so a parse right after the page came to rest read every field, label and button where they had been (a click
on a field's id then lands on whatever scrolled into its place). The pixels know better: a line of text the tree
places on the screen has ink in its box, and an element the tree named at the last parse looks the same where
the tree places it now (moved by a scroll or not). When many of the tree's lines lie on blank pixels, or many of
its elements are not drawn where it says, it is read again until it changes (it caught up) or a short wait is
over (then the tree was right: the page does hold such lines).
"""

from __future__ import annotations

from collections.abc import Iterable

import cv2
import numpy as np

from grounding.elements import VALUE_ROLES, Element

LINE_ROLES = ("text", "heading")
MIN_HEIGHT = 6  # px: a line lower than this is a screen reader's hidden text, not something drawn
INK = 32  # grey levels between a box's darkest and lightest pixel where a line is drawn (pale placeholder text
# on white is over 90)
FEW = 4  # with fewer lines than this on the screen, blank ones prove nothing
STALE_SHARE = 0.3  # this share of the lines (and at least 3) on blank pixels: the tree is older than the pixels
SAME = 0.8  # the share of the elements named now that were named at the last parse, for a tree that may trail it
UNLIKE = 16  # mean grey levels between an element's two crops that make them two different pictures


def _lines(elements: Iterable[Element]) -> list[Element]:
    return [e for e in elements if e.role in LINE_ROLES and e.name.strip() and e.box.height >= MIN_HEIGHT]


def blank_lines(image: np.ndarray, elements: Iterable[Element]) -> tuple[int, int]:
    """(lines on blank pixels, lines looked at): the named text lines and headings the tree places on ``image``."""
    grey = gray(image)
    h, w = grey.shape[:2]
    blank = looked = 0
    for e in _lines(elements):
        x0, y0 = max(0, int(e.box.x0)), max(0, int(e.box.y0))
        x1, y1 = min(w, int(np.ceil(e.box.x1))), min(h, int(np.ceil(e.box.y1)))
        if x1 - x0 < 2 or y1 - y0 < MIN_HEIGHT:
            continue
        low, high = cv2.minMaxLoc(grey[y0:y1, x0:x1])[:2]
        looked += 1
        blank += high - low < INK
    return blank, looked


def looks_stale(image: np.ndarray, elements: Iterable[Element]) -> str:
    """Why the tree's ``elements`` seem older than ``image`` ('' when they fit it): many lines on blank pixels."""
    blank, looked = blank_lines(image, elements)
    if looked >= FEW and blank >= max(3, STALE_SHARE * looked):
        return f"{blank} of the tree's {looked} lines of text lie on blank pixels"
    return ""


def unlike(before: np.ndarray, earlier: Iterable[Element], image: np.ndarray, elements: Iterable[Element]) -> str:
    """Why the tree's ``elements`` seem older than ``image`` ('' when they fit it), ``earlier`` being its elements
    on ``before``, the image of the last parse: an element the tree still names is drawn where the tree says now
    as it was drawn where the tree said then, whether it moved (a scroll) or not; many that are not were left
    where they were, or moved by less than the page did. Only a tree that names what it named then is judged:
    one that names much else (a menu opened over the form, another page) is no tree left behind."""
    if before.shape != image.shape:
        return ""
    then, now = gray(before), gray(image)
    was = dict(_keyed(earlier))
    looked = unlike = named = 0
    for key, e in _keyed(elements):
        named += 1
        old = was.get(key)
        if old is None:
            continue
        a, b = _crop(then, old), _crop(now, e)
        h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
        if h < MIN_HEIGHT or w < MIN_HEIGHT:
            continue
        looked += 1
        unlike += cv2.absdiff(a[:h, :w], b[:h, :w]).mean() > UNLIKE
    if looked < max(3, SAME * named):  # another screen (a page, a menu of its own items): not a tree left behind
        return ""
    if unlike >= max(3, STALE_SHARE * looked):
        return f"{unlike} of {looked} elements the tree still names are not drawn where it says"
    return ""


def _keyed(elements: Iterable[Element]) -> Iterable[tuple[tuple[str, str, int], Element]]:
    """Elements with a name that stays as they are used (not a field's), keyed by role, name and which of them."""
    seen: dict[tuple[str, str], int] = {}
    for e in elements:
        if not e.name.strip() or e.role in VALUE_ROLES:
            continue
        n = seen[e.role, e.name] = seen.get((e.role, e.name), -1) + 1
        yield (e.role, e.name, n), e


def gray(image: np.ndarray) -> np.ndarray:
    """The image in grey levels (a grey one as it is): what every judgement here looks at."""
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY) if image.ndim == 3 else image


def _crop(gray: np.ndarray, e: Element) -> np.ndarray:
    h, w = gray.shape[:2]
    x0, y0 = max(0, int(e.box.x0)), max(0, int(e.box.y0))
    return gray[y0:min(h, max(y0, int(e.box.y1))), x0:min(w, max(x0, int(e.box.x1)))]
