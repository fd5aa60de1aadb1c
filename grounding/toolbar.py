"""Flat tool buttons: a row of four or more icons of one size, drawn without a frame (Qt's and GTK's toolbars
show only the picture until the pointer is over it). Each icon is an unnamed button; faint icons are disabled."""

from __future__ import annotations

import unicodedata

import cv2
import numpy as np

from grounding.box_arrays import areas, box_array, contains, intersections
from grounding.elements import Box, Element

MIN_ICONS = 4


def find_tool_buttons(image: np.ndarray, words: list[Element], controls: list[Box], frames: list[Box],
                      text_height: float, toggles: tuple[Box, ...] = (), parts: np.ndarray | None = None
                      ) -> tuple[list[Element], list[Element]]:
    """Unnamed buttons for the icons standing in toolbar rows, and the words left once OCR's readings of those
    icons as letters are dropped; ``controls`` and ``frames`` (drawn outlines) are what was read already.
    ``toggles`` are unlabelled checkboxes and radios found already: an icon with a ring or a filled disc in it
    (a green "up" arrow) passes for one, and in a row of icons it is one more tool button, kept at its box.
    ``parts``: edge_components(image), when known."""
    text = [w for w in words if not _pictured(w, text_height)]
    if parts is None:  # one edge map for the icons and, below, the smaller pictures ending their rows
        parts = edge_components(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY))
    blobs = _blobs(parts, text_height)
    icons = [b for b, covered in zip(blobs, _covered(blobs, text, [c for c in controls if c not in toggles], frames))
             if not covered and not any(t.intersection(b) > 0.3 * b.area for t in toggles)]
    out: list[Element] = []
    for row in _rows(icons + list(toggles), text_height):
        strongest = max(contrast(image, b) for b in row)
        out += [_button(image, b, text_height, strongest) if b not in toggles else
                _button(image, b, text_height, strongest).with_(box=b) for b in row]
    # framed pictures no control was made of (OCR read letters over them): each frame is a button's own edge,
    # so three alike in a row are enough
    boxed = [f for f, covered in zip(frames, _covered(frames, [], controls, [])) if not covered
             and _icon_frame(image, f, text_height) and not any(e.box.intersection(f) > 0.3 * f.area for e in out)]
    boxed = [f for f in boxed if not any(g is not f and g.contains(f, slack=2) for g in boxed)]  # traced twice
    # framed pictures read as buttons already count in a row, and a gap of one frame's width between two frames
    # that holds a picture is a frame the outlines did not trace
    known = [f for f in frames if _icon_frame(image, f, text_height) and any(c.iou(f) > 0.8 for c in controls)]
    known = [f for f in known if not any(g is not f and g.contains(f, slack=2) for g in known)]
    spread = [w for w in text if sum(w.box.intersection(f) > 0.3 * f.area for f in boxed + known) >= 2]
    # a word across two framed pictures is OCR's reading of them ("[A[]"); a caption stays in its own frame
    boxed = [f for f, covered in zip(boxed, _covered(boxed, [w for w in text if w not in spread], [], []))
             if not covered or any(f.contains(w.box, slack=2) and len(w.name) <= 3 for w in text)]
    captions, rows = {}, _rows(_untraced(image, boxed + known, text_height), text_height, least=3)
    for row in rows:
        strongest = max(contrast(image, b) for b in row)
        for b in row:
            if b in known:
                continue
            caption = next((w for w in text if w not in spread and b.contains(w.box, slack=2)), None)
            captions[id(caption)] = caption
            button = _button(image, b, text_height, strongest)
            out.append(button.with_(box=b, name=caption.name if caption else "",
                                    source="widget+ocr" if caption else "widget"))
    ends = out + [Element(b, "button") for row in rows for b in row if b in known]
    out += _flat_ends(image, parts, ends, text, controls, frames, text_height)
    misread = {id(w) for w in words if (_pictured(w, text_height) or w in spread or id(w) in captions)
               and any(w.box.intersection(e.box) > 0.3 * e.box.area for e in out)}
    return out, [w for w in words if id(w) not in misread]


def _untraced(image: np.ndarray, frames: list[Box], text_height: float) -> list[Box]:
    """``frames`` with a frame added in each gap between two like frames of a row that is about as wide as
    they are and holds a picture (an outline the edge tracing broke)."""
    out = list(frames)
    for row in _rows(frames, text_height, least=2):
        for a, b in zip(row, row[1:]):
            gap, width = b.x0 - a.x1, (a.width + b.width) / 2
            if width <= gap <= 1.4 * width and abs(a.height - b.height) <= 0.1 * a.height:
                pad = (gap - width) / 2
                middle = Box(a.x1 + pad, a.y0, b.x0 - pad, a.y1)
                inset = max(2, round(0.2 * middle.height))
                if contrast(image, Box(middle.x0 + inset, middle.y0 + inset, middle.x1 - inset,
                                        middle.y1 - inset)) >= 60:
                    out.append(middle)
    return out


def _pictured(w: Element, text_height: float) -> bool:
    """Whether a word may be OCR's reading of pictures: stretched, symbols only ("↑" over an up arrow), or
    ideographs much taller than the screen's text ("田 目" over two view icons); it hides no icon of a row."""
    chars = [c for c in w.name if not c.isspace()]
    if not chars:
        return False
    if all(unicodedata.category(c)[0] in "SP" for c in chars):
        return True
    return all(ord(c) >= 0x2E80 for c in chars) and w.box.height >= 1.4 * text_height or _stretched(w, text_height)


def _flat_ends(image: np.ndarray, parts: np.ndarray, buttons: list[Element], text: list[Element],
               controls: list[Box], frames: list[Box], text_height: float) -> list[Element]:
    """Smaller flat pictures continuing a row of tool buttons on its centre line, a button's spacing from it (a
    find bar's next and previous arrows, drawn smaller than its icons): more tool buttons."""
    blobs = _blobs(parts, text_height, least=0.5, most=1.1)
    pictures = [b for b, covered in zip(blobs, _covered(blobs, text, controls, frames))
                if not covered and not any(e.box.intersection(b) > 0 for e in buttons)]
    out: list[Element] = []
    grown = True
    while grown:
        grown = False
        for b in pictures:
            ends = [e.box for e in buttons + out]
            near = [e for e in ends if abs(e.center[1] - b.center[1]) <= 0.3 * text_height
                    and 0 <= max(e.x0 - b.x1, b.x0 - e.x1) <= 1.5 * text_height]
            if near and sum(abs(e.center[1] - near[0].center[1]) <= 0.3 * text_height for e in ends) >= 3:
                out.append(_button(image, b, text_height, 0.0))
                pictures = [p for p in pictures if p is not b]
                grown = True
                break
    return out


def _stretched(w: Element, text_height: float) -> bool:
    """Whether OCR's word spans far more width than its characters could: a row of pictures read as a letter
    or two."""
    return w.box.width > 2.2 * text_height * max(1, len(w.name))


def edge_components(gray: np.ndarray) -> np.ndarray:
    """The bounding boxes (x, y, w, h, area rows) of the grey screen's joined edges, where find_tool_buttons looks
    for pictures: a picture's strokes make one."""
    edges = cv2.dilate(cv2.Canny(gray, 20, 60), np.ones((3, 3), np.uint8))
    n, _, stats, _ = cv2.connectedComponentsWithStats(edges, connectivity=8)
    return stats[1:n]


def _blobs(parts: np.ndarray, text_height: float, least: float = 1.1, most: float = 3.2) -> list[Box]:
    """Boxes of compact drawings about an icon's size, ``least`` to ``most`` text heights tall, among the edge
    components ``parts``."""
    w, h = parts[:, 2], parts[:, 3]  # tested for all at once: a dense screen's edges make thousands
    aspect = w / np.maximum(h, 1)  # a component is a pixel tall at least
    keep = (least * text_height <= h) & (h <= most * text_height) & (0.6 * text_height <= w) \
        & (w <= 3.2 * text_height) & (0.45 <= aspect) & (aspect <= 2.2)
    return [Box(float(x), float(y), float(x + w), float(y + h)) for x, y, w, h, _ in parts[keep].tolist()]


def _covered(boxes: list[Box], words: list[Element], controls: list[Box], frames: list[Box]) -> list[bool]:
    """For each box, whether it is the glyphs of a word OCR read, part of a control, or the picture of a framed
    button (a frame a little larger than it; a toolbar's frame is far larger)."""
    if not boxes:
        return []
    b = box_array(boxes)
    area = areas(b)
    covered = np.zeros(len(boxes), bool)
    if words:
        w = box_array([e.box for e in words])
        covered |= (intersections(b, w) > 0.1 * np.minimum(area[:, None], areas(w)[None, :])).any(axis=1)
    if controls:
        covered |= (intersections(b, box_array(controls)) > 0.3 * area[:, None]).any(axis=1)
    if frames:
        f = box_array(frames)
        f_area, mine = areas(f)[None, :], area[:, None]
        covered |= (contains(f, b, slack=2).T & (1.3 * mine <= f_area) & (f_area < 8 * mine)).any(axis=1)
    return covered.tolist()


def _icon_frame(image: np.ndarray, f: Box, text_height: float) -> bool:
    """A small square frame with a picture in it (ink well inside its edge)."""
    if not (1.3 * text_height <= f.height <= 3.2 * text_height and 0.7 <= f.width / max(1.0, f.height) <= 1.4):
        return False
    inset = max(2, round(0.2 * f.height))
    return (contrast(image, Box(f.x0 + inset, f.y0 + inset, f.x1 - inset, f.y1 - inset)) >= 60
            and not _stroke_edge(image, f))


def _stroke_edge(image: np.ndarray, f: Box) -> bool:
    """Whether an outline is the edge of a dark stroke on a light page, not a frame round a face: just inside it
    lies ink as dark as text, just outside it the page. A large bold letter's ("B", "o" of a heading) traced
    edge passes for a framed picture by its size and its counters."""
    x0, y0, x1, y1 = (int(round(v)) for v in f.to_list())
    h, w = image.shape[:2]
    if x0 < 2 or y0 < 2 or x1 > w - 2 or y1 > h - 2 or x1 - x0 < 6 or y1 - y0 < 6:
        return False
    gray = image[y0 - 2:y1 + 2, x0 - 2:x1 + 2].mean(axis=2) if image.ndim == 3 else image[y0 - 2:y1 + 2, x0 - 2:x1 + 2]
    outside = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    if float(np.median(outside)) < 170:
        return False
    # 3 and 4 px inside the outline (a dilated trace lies a pixel or two off the ink): a frame's border of 1-2 px
    # is behind, a bold stroke of 5 px or more is not
    for depth in (5, 6):
        inner = gray[depth:-depth, depth:-depth]
        if inner.shape[0] < 2 or inner.shape[1] < 2:
            return False
        if float(np.median(np.concatenate([inner[0], inner[-1], inner[:, 0], inner[:, -1]]))) > 80:
            return False
    return True


def _rows(icons: list[Box], text_height: float, least: int = MIN_ICONS) -> list[list[Box]]:
    """Runs of like-sized icons on one row, a toolbar's spacing apart."""
    rows: list[list[Box]] = []
    for b in sorted(icons, key=lambda b: b.x0):
        row = next((r for r in rows if abs(r[-1].center[1] - b.center[1]) <= 0.3 * text_height
                    and b.x0 - r[-1].x1 <= 2.5 * text_height and 0.0 <= b.x0 - r[-1].x1
                    and 1 / 1.6 <= b.height / max(1.0, r[-1].height) <= 1.6), None)  # a small mark starts no row
        if row is None:
            rows.append([b])
        else:
            row.append(b)
    out = []
    for row in rows:
        heights = [b.height for b in row]
        if len(row) >= least and max(heights) <= 1.6 * min(heights):
            out.append(row)
    return out


def _button(image: np.ndarray, b: Box, text_height: float, strongest: float) -> Element:
    """The button of one icon; faint (greyed out), or far fainter than the row's strongest icon: disabled."""
    pad = 0.3 * text_height
    h, w = image.shape[:2]
    box = Box(max(0.0, b.x0 - pad), max(0.0, b.y0 - pad), min(float(w), b.x1 + pad), min(float(h), b.y1 + pad))
    ink = contrast(image, b)
    states = frozenset({"disabled"}) if ink < 90 or ink < 0.5 * strongest else frozenset()
    return Element(box, "button", states=states, source="widget", confidence=0.5)


def contrast(image: np.ndarray, b: Box) -> float:
    """How far the picture's strokes stand from its background, in any colour channel (a yellow folder is as
    light as the face in grey); the 97th percentile, not one dark pixel."""
    x0, y0, x1, y1 = (int(v) for v in b.to_list())
    patch = image[y0:y1, x0:x1].astype(np.int16)
    if not patch.size:
        return 0.0
    distance = np.abs(patch - np.median(patch.reshape(-1, patch.shape[2]), axis=0)).max(axis=2)
    return float(np.percentile(distance, 97))
