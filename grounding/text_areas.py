"""Text areas and fields the pixel parser missed: light boxes closed by a darker outline.

A `<textarea>` with text in it (an agreement to scroll, a passage to copy) shows as an outlined rectangle whose
face is white or nearly so, with lines of text inside and no control of its own; the lines are its value. A panel
that holds controls (a dialog, a form) is not one, nor a filled banner without an outline (the instruction's).
A box of a field's shape (wide, about a line or two tall) holding at most one line is a field; an icon at its right
end (a time field's clock, a date field's calendar) is part of it, not a control of its own.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element

MIN_SIZE = (60, 40)  # pixels: a text area is at least this wide and tall
FIELD_HEIGHT = (20, 80)  # pixels: how tall a field's box may be
HEADING = 1.4  # how much taller than the lines under it a heading's glyphs are
ENTRIES = ("text_field", "dropdown", "text_area", "spin_box")  # what a text area with a grip may have been taken for


def outlined_boxes(gray: np.ndarray) -> list[Box]:
    """The outlined light boxes find_text_areas and find_fields look among (found once for both: on a dense
    screen a tenth of the pixel parse outside OCR), smallest first."""
    return _outlined_boxes(gray, min(MIN_SIZE[1], FIELD_HEIGHT[0]))


def find_text_areas(gray: np.ndarray, elements: list[Element], outlined: list[Box] | None = None) -> list[Element]:
    """Text areas among ``elements`` (a parse of ``gray``) that the parse gave only as lines of text;
    ``outlined``: outlined_boxes(gray), when known."""
    lines = [e for e in elements if e.role == "text" and e.name.strip()]
    controls = [e for e in elements if e.is_control]
    found: list[Element] = []
    outlined_all = outlined_boxes(gray) if outlined is None else outlined
    for box in outlined_all:
        if box.height - 2 < MIN_SIZE[1]:  # the face inside the outline is too short for a text area
            continue
        inside = sorted((e for e in lines if box.contains(e.box, slack=1)), key=lambda e: (e.box.y0, e.box.x0))
        grip = has_grip(gray, box)
        if len(inside) < 2 and not grip:  # a box of one line is a text area by its resize grip
            continue
        if any(box.intersection(c.box) > 0.3 * c.box.area and not (grip and c.box.iou(box) > 0.7 and c.role in ENTRIES)
               for c in controls):
            continue  # a panel holding controls, or a control the parser knows already (a field, unless its grip
            # says it is a text area; a button's rounded corner may look like a grip)
        if not _light_face(gray, box, inside) or any(f.box.contains(box) or box.contains(f.box) for f in found):
            continue
        if headed(inside) or any(o.area < 0.5 * box.area and box.contains(o, slack=1) for o in outlined_all):
            continue  # a panel under its title, or one holding a field's box: a group, whose words stay text
        found.append(Element(box, "text_area", value=" ".join(e.name for e in inside), source="widget",
                             confidence=0.7))
    return found


def headed(lines: list[Element]) -> bool:
    """Whether the first of some lines of words is a heading over the rest: its glyphs half again as tall as
    theirs. A card, a dialog's body or a form's step has a title; what is typed into a text area has none."""
    by_line: dict[int, list[Element]] = {}
    for e in lines:
        by_line.setdefault(e.line, []).append(e)
    rows = sorted(by_line.values(), key=lambda ws: min(w.box.y0 for w in ws))
    if len(rows) < 3:
        return False
    rest = sorted(w.box.height for ws in rows[1:] for w in ws)
    return min(w.box.height for w in rows[0]) >= HEADING * rest[len(rest) // 2]


def has_grip(gray: np.ndarray, box: Box) -> bool:
    """A text area's resize grip in the bottom right corner: short parallel strokes running up to the right."""
    size = int(min(20, 0.45 * box.height))
    x1, y1 = int(box.x1) - 3, int(box.y1) - 3
    corner = gray[y1 - size:y1, x1 - size:x1].astype(np.int32)
    if corner.shape != (size, size) or size < 8:
        return False
    ys, xs = np.nonzero(corner < int(np.median(corner)) - 60)
    if len(xs) < 6 or np.ptp(xs) < 3:
        return False
    sums = np.bincount(xs + ys)
    top = np.sort(sums)[::-1]
    return float(top[:6].sum()) >= 0.85 * len(xs) and np.corrcoef(xs, ys)[0, 1] < -0.5 if np.ptp(ys) else False


def find_fields(gray: np.ndarray, elements: list[Element], outlined: list[Box] | None = None
                ) -> tuple[list[Element], list[Element]]:
    """(fields the parse missed, the phantoms to drop: icons inside them it took for controls)."""
    lines = [e for e in elements if e.role == "text" and e.name.strip()]
    controls = [e for e in elements if e.is_control]
    fields: list[Element] = []
    phantoms: list[Element] = []
    for box in outlined_boxes(gray) if outlined is None else outlined:
        if box.height - 2 < FIELD_HEIGHT[0] or not FIELD_HEIGHT[0] <= box.height <= FIELD_HEIGHT[1] \
                or box.width < 2.5 * box.height:
            continue
        inside = [e for e in lines if box.contains(e.box, slack=1)]
        hit = [c for c in controls if box.intersection(c.box) > 0.3 * c.box.area]
        icons = [c for c in hit if _icon_at_end(c.box, box)]
        if len(inside) > 1 or len(hit) > len(icons) or not _light_face(gray, box, inside):
            continue
        if any(f.box.iou(box) > 0.5 for f in fields):
            continue
        fields.append(Element(box, "text_field", value=inside[0].name if inside else "", source="widget",
                              confidence=0.6))
        phantoms += icons
    return fields, phantoms


def _icon_at_end(icon: Box, field: Box) -> bool:
    """A small mark inside a field's right end: its icon (a clock, a calendar, a clear button)."""
    small = icon.height <= 0.7 * field.height
    return field.contains(icon, slack=2) and small and icon.x0 >= field.x0 + 0.6 * field.width


def _outlined_boxes(gray: np.ndarray, min_height: int = MIN_SIZE[1]) -> list[Box]:
    """Light rectangles closed by a darker outline on all four sides (the faces of boxes), smallest first."""
    light = (gray >= 235).astype(np.uint8)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(light, connectivity=4)
    h, w = gray.shape
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = (int(v) for v in stats[i])
        if bw < MIN_SIZE[0] or bh < min_height or area < 0.5 * bw * bh:
            continue
        if x < 2 or y < 2 or x + bw > w - 2 or y + bh > h - 2:
            continue  # the page itself, or a box cut by the screen's edge
        sides = (gray[y - 2:y, x:x + bw], gray[y + bh:y + bh + 2, x:x + bw], gray[y:y + bh, x - 2:x],
                 gray[y:y + bh, x + bw:x + bw + 2])
        if all(float((side < 210).any(axis=0 if k < 2 else 1).mean()) >= 0.85 for k, side in enumerate(sides)):
            boxes.append(Box(x - 1, y - 1, x + bw + 1, y + bh + 1))
    return sorted(boxes, key=lambda b: b.area)


def _light_face(gray: np.ndarray, box: Box, lines: list[Element]) -> bool:
    """A white or light face, with an outline darker than it (a banner's fill has no outline of its own)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    face = gray[y0 + 3:y1 - 3, x0 + 3:x1 - 3].copy()
    for e in lines:  # the text is not the face
        face[max(0, int(e.box.y0) - y0 - 3):max(0, int(e.box.y1) - y0 - 3),
             max(0, int(e.box.x0) - x0 - 3):max(0, int(e.box.x1) - x0 - 3)] = 255
    if face.size == 0:
        return False
    level = float(np.median(face))
    rim = np.concatenate([gray[y0, x0:x1], gray[y1 - 1, x0:x1], gray[y0:y1, x0], gray[y0:y1, x1 - 1]])
    return level >= 235 and level - float(np.median(rim)) >= 25 and bool(face.size)
