"""Lists drawn without a frame of their own (a file chooser's places, a settings window's sidebar).

Nothing outlines their rows; what shows they are a list is the selection: one row lies on a band of the
selection colour (a saturated, solid band a line or two tall, much wider than tall) whose words start at its
left, not in its middle as a button's caption does, and the rows above and below it, at its pitch, start their
words where its words start. The band and those rows become a list box with one option per row, the band's
row selected; what the parse had made of them (a band read as a button, a row read as a field or a line) goes.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.elements import Box, Element, Screen
from grounding.lists import options

SATURATION = 70  # a selection band's channels differ by this much at least (GTK's and Qt's blues by 150+)
SOLID = 0.6  # the band's colour fills this much of its box at least (its words are holes in it)
ROW_TEXT = ("text", "heading", "button", "text_field", "link")  # what a row's words may have been read as


def unframed_lists(screen: Screen, text_height: float) -> Screen:
    """``screen`` with each selection band and the rows aligned with it made a list box of options."""
    if screen.image is None:
        return screen
    elements = list(screen.elements)
    changed = False
    for band in selection_bands(screen.image, text_height):
        rows = _column(band, elements, screen.image, text_height)
        if len(rows) < 2:
            continue
        box = Box(band.x0, min(r.box.y0 for r in rows), band.x1, max(r.box.y1 for r in rows))
        taken = [e for e in elements if _inside(e.box, box)]
        words = [Element(r.box, "text", name=r.name, line=k, source="ocr") for k, r in enumerate(rows)]
        listed = [o.with_(states=o.states | {"selected"}) if o.role == "option" and o.box.iou(band) >= 0.5 else o
                  for o in options(box, words, screen.image)]  # the band is the selection, whatever the rest
        pane = _pane(screen.image, box, band)
        listed = [o.with_(box=pane) if o.role == "list_box" else o for o in listed]
        elements = [_floating(e, pane, screen.image) for e in elements]
        elements = [e for e in elements if not any(e is t for t in taken)] + listed
        changed = True
    return screen.with_elements(elements) if changed else screen


def selection_bands(image: np.ndarray, text_height: float) -> list[Box]:
    """Solid bands of a saturated colour, one to four lines tall and at least three times as wide as tall."""
    r, g, b = cv2.split(np.ascontiguousarray(image))
    top, bottom = cv2.max(cv2.max(r, g), b), cv2.min(cv2.min(r, g), b)  # uint8 ops: a 1080p screen in a few ms
    mask = cv2.bitwise_and(cv2.compare(cv2.subtract(top, bottom), SATURATION, cv2.CMP_GE),
                           cv2.compare(top, 120, cv2.CMP_GE))
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)  # faster than labelling
    out = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if 1.5 * text_height <= h <= 4 * text_height and w >= 3 * h \
                and cv2.countNonZero(mask[y:y + h, x:x + w]) >= SOLID * w * h:
            out.append(Box(float(x), float(y), float(x + w), float(y + h)))
    return out


def _column(band: Box, elements: list[Element], image: np.ndarray, text_height: float) -> list[Element]:
    """The band's row and the rows stacked on it at its pitch whose pictures and words start where its own
    start, as elements named by their words (top to bottom); empty when the band's words are not set left."""
    def text(e: Element) -> str:
        return e.value if e.role == "text_field" and e.value else e.name

    def words_in(row: Box) -> Element | None:
        got = [e for e in elements if e.role in ROW_TEXT and text(e) and row.contains_point(*e.box.center)
               and e.box.height < 1.2 * row.height and abs(e.box.center[1] - row.center[1]) <= 0.2 * row.height]
        # a row's words stand in its middle (a notice's first line at the top of its band is no row)
        return got[0].with_(name=text(got[0]), box=row) if len(got) == 1 else None

    own = words_in(band)
    left = _content_start(image, band)
    if own is None or left is None or left - band.x0 > 0.35 * band.width \
            or not _picture_first(image, band, own, left, elements, text_height):
        return []
    rows = [own]
    for step in (-1, 1):
        at = band
        while True:
            found = None
            for shift in (0.0, 0.15, -0.15):  # rows may stand a few pixels apart
                dy = step * band.height * (1 + shift)
                row = Box(at.x0, at.y0 + dy, at.x1, at.y1 + dy)
                w = words_in(row) if _alone(row, elements, image) else None
                start = _content_start(image, row) if w is not None else None
                if start is not None and abs(start - left) <= 0.6 * text_height and not any(
                        r.box.iou(w.box) > 0.3 for r in rows):
                    found = w
                    break
            if found is None:
                break
            at = found.box
            rows.append(found)
    return sorted(rows, key=lambda r: r.box.y0)


def _alone(row: Box, elements: list[Element], image: np.ndarray) -> bool:
    """A list's row lies on the screen in a column of its own: no control reaches into it from outside (a
    label's row beside its field is no row of a list)."""
    h, w = image.shape[:2]
    if row.y0 < 0 or row.y1 > h or row.x0 < 0 or row.x1 > w:
        return False
    return not any(e.is_control and e.box.intersection(row) > 0 and not _inside(e.box, row)
                   and not e.box.contains(row, slack=2) for e in elements)


def _picture_first(image: np.ndarray, band: Box, own: Element, left: float, elements: list[Element],
                   text_height: float) -> bool:
    """Whether the band's row starts with a picture before its words, as a place or a settings page does (a
    header band or a mail list's title starts with its words)."""
    line = next((e for e in elements if e.role in ("text", "heading", "link") and e.name == own.name
                 and band.contains_point(*e.box.center)), None)
    if line is not None:
        return line.box.x0 - left >= text_height
    x0, y0, x1, y1 = (int(round(v)) for v in band.to_list())
    crop = image[max(0, y0):y1, max(0, x0):x1].astype(np.int16)
    ground = np.median(crop.reshape(-1, 3), axis=0)
    inked = (np.abs(crop - ground).max(axis=2) > 60).any(axis=0)
    start = int(left - x0)
    run = start
    while run < len(inked) and (inked[run] or inked[min(len(inked) - 1, run + 1)]):
        run += 1  # one picture: ink with at most one blank column inside
    gap = run
    while gap < len(inked) and not inked[gap]:
        gap += 1
    return run - start >= text_height and gap - run >= 0.25 * text_height  # a picture, then a space, then words


def _content_start(image: np.ndarray, row: Box) -> float | None:
    """Where a row's first picture or word starts: the first column holding a pixel unlike its background."""
    x0, y0, x1, y1 = (int(round(v)) for v in row.to_list())
    crop = image[max(0, y0):y1, max(0, x0):x1].astype(np.int16)
    if crop.size == 0:
        return None
    ground = np.median(crop.reshape(-1, 3), axis=0)
    columns = np.nonzero((np.abs(crop - ground).max(axis=2) > 60).any(axis=0))[0]
    return float(x0 + columns[0]) if len(columns) else None


def _pane(image: np.ndarray, rows: Box, band: Box) -> Box:
    """The list's box along the rule at its right edge (a sidebar's separator from the view beside it), from
    end to end of the rule when it runs on past the rows: the list fills its pane. Where something is drawn
    over both the rule and the face beside it (a tooltip), the rule runs on under it."""
    gray = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY).astype(np.int16)
    h, w = gray.shape
    y0, y1 = max(0, int(rows.y0)), min(h, int(rows.y1))
    for x in (int(rows.x1), int(rows.x1) - 1, int(rows.x1) + 1):
        if not 3 <= x < w or y1 <= y0:
            continue
        rule = np.abs(gray[:, x] - gray[:, x - 3]) >= 20  # the rule against the pane's face
        if rule[y0:y1].mean() < 0.9:
            continue
        plain = [y for y in range(y0, y1) if not band.y0 <= y < band.y1] or list(range(y0, y1))
        colour, face = np.median(gray[plain, x]), np.median(gray[plain, x - 3])  # off the selection band
        covered = (np.abs(gray[:, x] - colour) > 20) & (np.abs(gray[:, x - 3] - face) > 20)
        on = rule | covered
        top, bottom = y0, y1
        while top > 0 and on[top - 1]:
            top -= 1
        while bottom < h and on[bottom]:
            bottom += 1
        return Box(rows.x0, float(min(top, rows.y0)), rows.x1, float(max(bottom, rows.y1)))
    return rows


def _floating(e: Element, pane: Box, image: np.ndarray) -> Element:
    """A control lying across the pane's rule, which is not drawn under it, floats above both panes: a tooltip
    (GTK's under the pointer over its places), named by its words, not a control."""
    x = int(pane.x1)
    if not e.is_control or not e.box.x0 < x - 2 < x + 2 < e.box.x1 or not pane.y0 < e.box.center[1] < pane.y1 \
            or x - e.box.x0 < 0.6 * e.box.width:
        return e  # off the pane, or mostly beside it (a field of the view that starts under the list's edge)
    gray = cv2.cvtColor(np.ascontiguousarray(image), cv2.COLOR_RGB2GRAY).astype(np.int16)
    rows = np.arange(int(pane.y0), min(gray.shape[0], int(pane.y1)))
    under = (rows >= e.box.y0) & (rows < e.box.y1)
    if not under.any() or under.all() or x >= gray.shape[1]:
        return e
    colour = np.median(gray[rows[~under], x])
    if (np.abs(gray[rows[under], x] - colour) > 20).mean() < 0.8:
        return e  # the rule runs on under it: a control of one pane reaching to its edge
    return Element(e.box, "tooltip", name=e.name, source=e.source, confidence=e.confidence)


def _inside(b: Box, column: Box) -> bool:
    """Part of the column: lying within it (its words, icons, a row read as a field or a band as a button)."""
    cx, cy = b.center
    return column.contains_point(cx, cy) and b.x0 >= column.x0 - 3 and b.x1 <= column.x1 + 3 \
        and b.y0 >= column.y0 - 3 and b.y1 <= column.y1 + 3
