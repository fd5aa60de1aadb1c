"""Icons the pixel parser does not report: small pictures of ink standing alone beside text (a star, a trash can).

An icon is a blob of ink about a line tall, roughly as wide as it is tall, that no word of text covers (OCR reads
some icons as a stray glyph, "☆" or "高": a word of one character that is no letter or digit counts as no word).
Ink is anything clearly darker than white, so the light grey icons of a toolbar or a post's row count too; parts
a few pixels apart (the two arrows of a loop) are one picture, and a row of three dots is a "•••" menu.
It is named by the glyph OCR read for it, when that glyph is its alone; else by its shape
(grounding/icon_shapes.py), when that is surely known; else it has no name.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from grounding.bar_icons import bars, dark_bars, light_parts, role_on
from grounding.box_arrays import areas, box_array, meets_over
from grounding.elements import Box, Element
from grounding.icon_shapes import dot_rows, shape_name

SIZE = (10, 48)  # pixels: an icon's height and width lie between these
INK = 225  # grey levels below this are ink: light grey icons (#ccc) are, a box's pale border (#e1e8ed) is not
SOLID = 0.6  # a dot's ink fills this much of its box at least (a disc fills 0.79)
JOIN = 0.35  # parts of one picture lie closer than this fraction of its height
WORDS = ("text", "heading", "link")  # a line OCR read as a stray glyph ("☆", even as a bold heading) is no control
CONTAINERS = ("dialog", "list_box", "list", "group", "section", "window_title", "tree", "text_area",
              "option")  # may hold icons
LISTS = ("list_box", "list", "tree", "tree_item", "option", "menu")  # a selected row's icon on its dark bar: no button


@dataclass(frozen=True, kw_only=True)
class InkMaps:
    """What find_icons needs of the grey screen alone: its blobs of ink (solid ones, and strokes joined) and its
    dark bars with their lighter masks (grounding/bar_icons.py)."""

    solid: list[Box]
    joined: list[Box]
    bars: list[tuple[Box, np.ndarray]]


def ink_maps(gray: np.ndarray) -> InkMaps:
    """The InkMaps of ``gray``: whatever the parse found, so they can be computed beside it."""
    ink = (gray < INK).astype(np.uint8)
    return InkMaps(solid=_parts(ink, solid=True), joined=_parts(cv2.dilate(ink, np.ones((3, 3), np.uint8))),
                   bars=dark_bars(gray))


def find_icons(gray: np.ndarray, elements: list[Element], words: list[Element], maps: InkMaps | None = None
               ) -> list[Element]:
    """Icons in ``gray`` that no element of ``elements`` is (a control, a line of real text); ``maps``:
    ink_maps(gray), if known."""
    maps = ink_maps(gray) if maps is None else maps
    texts = [w for w in words if not _glyph(w.name)]
    glyphs = [w for w in words if _glyph(w.name)]
    taken = [e.box for e in elements if e.role not in CONTAINERS and not (e.role in WORDS and _glyph(e.name))]
    # an option row's words start at its left and the parse keeps none of them: blobs there are its letters
    taken += [Box(e.box.x0, e.box.y0, e.box.center[0], e.box.y1) for e in elements if e.role == "option" and e.name]
    cover = [t.box for t in texts], taken
    dotted = dot_rows(_uncovered(maps.solid, *cover))  # before they join
    free = _uncovered(maps.joined, *cover)  # a picture's strokes join
    out = [Element(box, "image", name=name, source="widget", confidence=0.5) for box, name in dotted]
    free = [b for b in free if not any(d.intersection(b) > 0 for d, _ in dotted)]
    for box in _pictures(_unread_lines(free)):
        if _covered(box, texts, taken):
            continue
        out.append(Element(box, "image", name=shape_name(gray[int(box.y0):int(box.y1), int(box.x0):int(box.x1)]
                                                          < INK), source="widget", confidence=0.5))
    out += _on_bars(bars(maps.bars, [e.box for e in elements if e.role in LISTS]), texts, taken, [o.box for o in out])
    return _in_rows(_named(out, glyphs))


def _on_bars(on_bars: list[tuple[Box, np.ndarray]], texts: list[Element], taken: list[Box],
             found: list[Box]) -> list[Element]:
    """Light pictures on dark bars (grounding/bar_icons.py: ``on_bars``, each with its lighter mask), those at a
    bar's ends its buttons."""
    out = []
    words = [t.box for t in texts]
    for bar, light in on_bars:
        dotted = dot_rows(_uncovered(light_parts(bar, light, joined=False), words, taken))
        boxes = dotted + [
            (box, "") for box in _pictures(_uncovered(light_parts(bar, light), words, taken))
            if not any(d.intersection(box) > 0 for d, _ in dotted)]
        for box, name in boxes:
            if _covered(box, texts, taken) or any(b.intersection(box) > 0 for b in found):
                continue
            mask = light[int(box.y0 - bar.y0):int(box.y1 - bar.y0), int(box.x0 - bar.x0):int(box.x1 - bar.x0)]
            out.append(Element(box, role_on(bar, box, words), name=name or shape_name(mask), source="widget",
                               confidence=0.5))
    return out


def is_icon(e: Element) -> bool:
    """A picture, or a button that is only a picture: no name, or the glyph of the picture it shows."""
    return e.role == "image" or e.role == "button" and (not e.name.strip() or _glyph(e.name) or set(e.name) == {"•"})


def _in_rows(icons: list[Element]) -> list[Element]:
    """Icons three or more to a row, alike in size and evenly spaced, are a toolbar's buttons (a post's reply,
    share and like; an editor's tools): a row of pictures is there to be clicked. A picture alone stays one."""
    row_of: dict[int, list[int]] = {}
    order = sorted(range(len(icons)), key=lambda i: icons[i].box.x0)
    for i in order:
        a = icons[i].box
        row = next((r for r in row_of.values() if _next_in_row(icons[r[-1]].box, a)), None)
        if row is None:
            row_of[i] = [i]
        else:
            row.append(i)
    buttons = set()
    for row in row_of.values():
        gaps = [icons[k].box.x0 - icons[j].box.x1 for j, k in zip(row, row[1:], strict=False)]
        if len(row) >= 3 and max(gaps) <= 2.5 * max(1.0, min(gaps)):
            buttons.update(row)
    return [e.with_(role="button") if i in buttons else e for i, e in enumerate(icons)]


def _next_in_row(a: Box, b: Box) -> bool:
    """``b`` follows ``a`` on one row of like-sized icons (a "•••" is as wide as the rest), a few widths on."""
    size_a, size_b = max(a.width, a.height), max(b.width, b.height)
    h = max(size_a, size_b)
    return abs(a.center[1] - b.center[1]) <= 0.3 * h and 0 < b.x0 - a.x1 <= 4 * h \
        and 1 / 1.6 <= size_b / max(1.0, size_a) <= 1.6


def _parts(ink: np.ndarray, solid: bool = False) -> list[Box]:
    """The boxes of the blobs of ink; ``solid``: only those that fill most of their box (a dot, not a letter)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    stats = stats[1:n].astype(np.int64)
    kept = np.arange(1, n)
    if solid:
        x, y, w, h, area = stats.T
        kept = kept[(area >= SOLID * w * h) & _filled(labels, kept, x, y, w, h)]
    return [Box(int(x), int(y), int(x + w), int(y + h)) for x, y, w, h, _ in stats[kept - 1].tolist()]


def _filled(labels: np.ndarray, blobs: np.ndarray, x: np.ndarray, y: np.ndarray, w: np.ndarray, h: np.ndarray
            ) -> np.ndarray:
    """For each blob (its label, box): ink at the middle and a quarter in from each side: a dot, not a bold letter
    with a hole (e, o, a)."""
    points = ((h // 2, w // 2), (h // 4, w // 2), (h - 1 - h // 4, w // 2), (h // 2, w // 4), (h // 2, w - 1 - w // 4))
    return np.logical_and.reduce([labels[y + dy, x + dx] == blobs for dy, dx in points])


def _covered(box: Box, texts: list[Element], taken: list[Box]) -> bool:
    """Part of a line of text, or of a control (its caption's letters)."""
    return any(t.box.intersection(box) > 0.2 * box.area for t in texts) or any(
        b.intersection(box) > 0.3 * box.area for b in taken)


def _uncovered(boxes: list[Box], texts: list[Box], taken: list[Box]) -> list[Box]:
    """``boxes`` less those _covered says are covered, tested all at once (a dense screen has a thousand blobs
    and as many words: pair by pair in Python that was half its parse outside OCR)."""
    if not boxes:
        return []
    b = box_array(boxes)
    area = areas(b)
    covered = np.zeros(len(boxes), bool)
    for others, share in ((texts, 0.2), (taken, 0.3)):
        if others:
            covered |= meets_over(b, box_array(others), share * area)
    return [box for box, c in zip(boxes, covered) if not c]


def _unread_lines(parts: list[Box]) -> list[Box]:
    """``parts`` less those in a run of three or more close together on one line: words OCR did not give (the
    lines of a box the parse took whole), not pictures; a row of icons stands further apart."""
    link: dict[int, set[int]] = {i: set() for i in range(len(parts))}
    for i, a in enumerate(parts):
        for j in range(i + 1, len(parts)):
            b = parts[j]
            h = max(a.height, b.height)
            overlap = min(a.y1, b.y1) - max(a.y0, b.y0)
            dx = max(a.x0, b.x0) - min(a.x1, b.x1)
            if overlap >= 0.5 * min(a.height, b.height) and dx <= 0.5 * h and max(a.height, b.height) <= SIZE[1]:
                link[i].add(j)
                link[j].add(i)
    text: set[int] = set()
    for i in link:
        run, todo = {i}, [i]
        while todo:
            for j in link[todo.pop()] - run:
                run.add(j)
                todo.append(j)
        if len(run) >= 3:
            text |= run
    return [b for i, b in enumerate(parts) if i not in text]


def _pictures(parts: list[Box]) -> list[Box]:
    """Parts joined into pictures (those a few pixels apart, still icon-sized together), kept when icon-sized."""
    parts = [b for b in parts if b.width <= SIZE[1] and b.height <= SIZE[1]]
    merged = True
    while merged:
        merged = False
        for i, a in enumerate(parts):
            for j in range(i + 1, len(parts)):
                b = parts[j]
                u = a.union(b)
                if _near(a, b) and _icon_sized(u):
                    parts[i], merged = u, True
                    del parts[j]
                    break
            if merged:
                break
    return [b for b in parts if _icon_sized(b)]


def _near(a: Box, b: Box) -> bool:
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    return max(dx, dy) <= JOIN * max(a.height, b.height, SIZE[0]) and min(a.height, b.height) >= SIZE[0] / 2


def _icon_sized(b: Box) -> bool:
    w, h = b.width, b.height
    return SIZE[0] <= h <= SIZE[1] and SIZE[0] <= w <= SIZE[1] and max(w, h) <= 1.8 * min(w, h)


def _named(icons: list[Element], glyphs: list[Element]) -> list[Element]:
    """Each icon named by the glyph OCR read over it: a word of k glyphs over k icons names them left to right."""
    names: dict[int, str] = {}
    for g in glyphs:
        under = sorted((i for i, e in enumerate(icons) if g.box.intersection(e.box) > 0.5 * e.box.area),
                       key=lambda i: icons[i].box.x0)
        chars = g.name.strip()
        if under and len(under) == len(chars):
            names.update(zip(under, chars))
    return [e.with_(name=names.get(i, e.name)) for i, e in enumerate(icons)]


def _glyph(text: str) -> bool:
    """A stray glyph OCR read for a picture: short, with no letter of a Latin script and no digit."""
    t = text.strip()
    return 0 < len(t) <= 2 and not any(c.isascii() and c.isalnum() for c in t)
