"""Controls from pixels: outlines (grounding/proposals.py) joined with the words OCR read in and beside them.

A control exists only on evidence of its shape: a drawn, straight-sided box (a field, a button), a ring or box
the size of a letter with a label beside it (a radio, a checkbox), a ticked box, an x in a box. Glyphs of text
(the bowl of an "o", a bold heading's letters), clusters of words whose edges happen to close, boxes holding
paragraphs and empty bars of colour are not controls. Sizes are in units of the screen's glyph height.
"""

from __future__ import annotations

import cv2
import numpy as np

from grounding.bars import holds_pictures
from grounding.box_arrays import areas, box_array, contains
from grounding.combos import join_combos
from grounding.elements import Box, Element, reading_order
from grounding.hulls import between_shapes, caption_glyphs, hugs_a_word
from grounding.lists import dropdown_atop, looks_like_list, open_lists, options
from grounding.outline_roles import ENTRY_FILL, MAX_CAPTION_WORDS, NAMED, classify
from grounding.proposals import Proposal
from grounding.selection import icon_of_a_button, selection_in_field
from grounding.text_areas import headed
from grounding.toggles import BOX_GLYPHS, X_GLYPHS, face_of, faint_ones_disabled, unlabelled_alone
from grounding.words import caption_close_above, label_beside, rows, words_above, words_beside


def compose(image: np.ndarray, words: list[Element], outlines: list[Proposal], text_height: float,
            canny: np.ndarray | None = None) -> tuple[list[Element], list[Element]]:
    """Controls (captions join their buttons, labels name checkboxes and fields) and the words left free."""
    free = list(words)
    widgets: list[Element] = []
    small: set[int] = set()  # ids of box-sized controls: checkboxes, radios, close and icon buttons
    outlines = _without_halos([p for p in outlines if p.shape in ("square", "circle") or p.drawn])
    lists = _lists(outlines, free, image)
    outlines = [p for p in outlines if not any(q is not p and q.box.contains(p.box, slack=2) for q in lists)]
    outlines += [q for q in lists if not any(q is p for p in outlines)]  # lists made of stacked pieces
    edges = (cv2.Canny(cv2.cvtColor(image, cv2.COLOR_RGB2GRAY), 30, 90) if canny is None else canny) > 0
    key_glyphs, spots = caption_glyphs(outlines, text_height), _Spots()
    for p in sorted(outlines, key=lambda p: p.box.area):
        if any(id(w) in small and w.box.contains(p.box, slack=2) for w in widgets):
            continue  # a second, near-identical outline of a control already found
        held = [w for w in widgets if p.box.contains(w.box, slack=2) and w.box.area < 0.8 * p.box.area
                and not _arrow_of(w, p, small)]
        if p.shape != "square" and held and icon_of_a_button(p, held, small, free, text_height):
            widgets = [w for w in widgets if w is not held[0]]  # the picture beside a button's caption
        elif p.shape != "square" and held:
            continue  # a container (a form, a toolbar, a dialog), not a control
        if hugs_a_word(p, free) or id(p) in key_glyphs:
            continue  # the edge traced around a word's glyphs, or a key's caption glyph: text, not a control
        if p.shape == "bar" and between_shapes(p, edges, text_height):
            continue  # background closed off by the shapes around it
        if selection_in_field(p, outlines, text_height):
            continue  # the highlight over a field's selected text: the field's value
        before = free
        if p.shape in ("square", "circle"):
            rows = spots.touching(p.box, free)  # only words that meet the box may be read from it
            if _in_a_word(p, rows, image, text_height):
                continue  # a letter's bowl or a bold glyph inside a line of text
            glyphs = [w for w in rows if _read_as_glyph(w, p, image)]
            free = _stripped(free, rows, glyphs, p.box)  # OCR read the box as a symbol
        inside = spots.centred_in(p.box, free)  # captions may overflow a small button
        if p.shape in ("square", "circle") and not inside and spots.meets(p.box, free, 0.5):
            continue
        if any(p is q for q in lists):
            widgets.extend(options(p.box, inside, image))  # a list box, or a dropdown's list opened
            free = [w for w in free if w not in inside]
            continue
        element = classify(p, inside, free, text_height, image)
        if element is None:
            free = before  # not a toggle after all: the word OCR read over it stays whole
            continue
        element = _by_ink(element, inside, image)
        if element.role == "text_area" and (_body_of(p.box, outlines) or _frames_text(p, outlines, inside)
                                            or headed(inside) or holds_pictures(image, p.box, inside, text_height)):
            continue  # a dialog's or card's body, a panel holding framed text or under a title, a post with its icons
        if element.role in ("button", "text_field", "dropdown", "text_area"):
            free = [w for w in free if w not in inside]
        widgets.append(element)
        if p.shape in ("square", "circle") and element.source == "widget":
            small.add(id(element))
    widgets = [w for w in widgets if not (id(w) in small and any(
        o is not w and id(o) in small and o.box.area > w.box.area and o.box.contains(w.box, slack=2)
        for o in widgets))]
    toggles = [w.box for w in widgets if w.role in ("checkbox", "radio")]
    widgets = [_attach_label(e, _before_next_toggle(e, toggles, free), text_height) for e in widgets]
    lone = {id(t) for t in unlabelled_alone([w for w in widgets if w.role in ("checkbox", "radio")])}
    widgets = faint_ones_disabled([w for w in widgets if id(w) not in lone], image, free, text_height)
    frames = tuple(p.box for p in outlines if p.shape == "bar" and p.drawn)
    return reading_order(open_lists(join_combos(widgets, image, frames), text_height)), free


def _before_next_toggle(el: Element, toggles: list[Box], words: list[Element]) -> list[Element]:
    """The words a toggle's label may take: none from the next checkbox or radio on its row on (a radio group
    laid out in one line, each label set close to its ring, reads as one run of words)."""
    if el.role not in ("checkbox", "radio"):
        return words
    b = el.box
    nxt = min((t.x0 for t in toggles if t.x0 > b.x1 and abs(t.center[1] - b.center[1]) < 0.5 * b.height),
              default=None)
    if nxt is None:
        return words
    return [w for w in words if w.box.x0 < nxt or abs(w.box.center[1] - b.center[1]) >= b.height]


def _arrow_of(w: Element, p: Proposal, small: set[int]) -> bool:
    """Whether a small unnamed box found inside a bar's right end is the bar's arrow (a dropdown's chevron)."""
    return id(w) in small and not w.name and p.shape == "bar" and w.box.x0 >= p.box.x0 + 0.8 * p.box.width \
        and w.box.height <= 0.45 * p.box.height  # an icon as tall as the face (a time field's clock) is no arrow


def _lists(outlines: list[Proposal], words: list[Element], image: np.ndarray) -> list[Proposal]:
    """Outlines framing a list (the outermost frame whose rows all read as items); what lies inside one (its
    selection band, a row's own box) is a part of it, not a control of its own."""
    found: list[Proposal] = []
    framed = [p for p in outlines if p.shape in ("bar", "panel")]
    spots = _Spots()
    for p in sorted(_stacks(framed) + framed, key=lambda p: -p.box.area):  # the whole list, not a piece of it
        if any(p.box.contains(q.box, slack=2) or q.box.contains(p.box, slack=2) for q in found):
            continue
        if dropdown_atop(p.box, [q.box for q in framed if q is not p and p.box.contains(q.box, slack=2)], words, image):
            continue  # a dropdown with its list opened right under it: two controls
        inside = spots.centred_in(p.box, words)
        # a field or button inside makes it a form, not a list; a row's tinted selection band is a part of a list
        parts = [q for q in framed if q is not p and p.box.contains(q.box, slack=2)
                 and q.box.width < p.box.width - 8 and not _band(q, spots.centred_in(q.box, words))]
        if inside and not parts and looks_like_list(p.box, inside, image):
            found.append(p)
    return found


def _band(q: Proposal, inside: list[Element]) -> bool:
    """Whether an outline is a list row's selection band: a tinted face holding one row of words (``inside``: the
    words centred in it)."""
    return q.fill < ENTRY_FILL and bool(inside) and rows(inside) == 1


def _stacks(boxes: list[Proposal]) -> list[Proposal]:
    """Boxes stacked edge to edge with the same sides, as one: a list whose selection band runs from side to side
    is traced as the pieces above, on and below the band."""
    out = []
    ordered = sorted(boxes, key=lambda p: p.box.y0)
    def joins(a: Box, b: Box) -> bool:
        return abs(b.x0 - a.x0) <= 3 and abs(b.x1 - a.x1) <= 3 and -2 <= b.y0 - a.y1 <= 1

    for i, top in enumerate(ordered):
        if any(joins(o.box, top.box) for o in ordered[:i]):
            continue  # not the top of its stack
        run = [top]
        for q in ordered[i + 1:]:
            last = run[-1].box
            if joins(last, q.box):
                run.append(q)
        if len(run) > 1:
            box = Box(min(p.box.x0 for p in run), run[0].box.y0, max(p.box.x1 for p in run), run[-1].box.y1)
            fill = float(np.median([p.fill for p in run]))
            out.append(Proposal(box, "panel", fill, 0.0, 0.0, 0.0))
    return out


def _without_halos(outlines: list[Proposal]) -> list[Proposal]:
    """A box or ring traced twice (its outer edge and its hole, or a focus ring around it) is one outline: the
    outer box with the inner one's face, which says whether it is empty."""
    boxes = [p for p in outlines if p.shape in ("square", "circle")]
    inner_of = {}
    for p, candidates in zip(boxes, _smaller_inside(boxes)):
        for q in candidates:
            tight = max(q.box.x0 - p.box.x0, q.box.y0 - p.box.y0, p.box.x1 - q.box.x1, p.box.y1 - q.box.y1) \
                <= max(3.0, 0.08 * min(p.box.width, p.box.height))  # a border's width grows with the box
            if tight or (q.inked < 0.05 and q.box.area >= 0.3 * p.box.area):
                inner_of[id(p)] = q
    outer_of: dict[int, Proposal] = {}  # the first box whose inner one each is
    for o in boxes:
        if id(o) in inner_of:
            outer_of.setdefault(id(inner_of[id(o)]), o)
    out = []
    for p in outlines:
        if id(p) in inner_of:
            continue
        outer = outer_of.get(id(p))
        out.append(p if outer is None else Proposal(outer.box, outer.shape, p.fill, p.inked, p.x_shape,
                                                    p.right_ink, outer.straight, outer.corners))
    return out


def _smaller_inside(boxes: list[Proposal]) -> list[list[Proposal]]:
    """For each box, the other boxes (not the same outline) it holds within a pixel and that are smaller than it,
    in their order: the pairs tested all at once (a dense screen has a couple of hundred boxes)."""
    a = box_array([p.box for p in boxes])
    ids = np.array([id(p) for p in boxes])
    held = contains(a, a, slack=1) & (areas(a)[None, :] < areas(a)[:, None]) & (ids[:, None] != ids[None, :])
    return [[boxes[j] for j in np.flatnonzero(row)] for row in held]


class _Spots:
    """The boxes of a list of words as an array, made again only when asked about another list (compose's free
    words change a few times in a pass over a couple of hundred outlines)."""

    def __init__(self) -> None:
        self.words: list[Element] | None = None
        self.boxes = box_array([])

    def _of(self, words: list[Element]) -> np.ndarray:
        if words is not self.words:
            self.words, self.boxes = words, box_array([w.box for w in words])
        return self.boxes

    def touching(self, b: Box, words: list[Element]) -> list[Element]:
        """The words whose rows overlap the rows of ``b`` (all of them for an empty ``b``: none would)."""
        if b.area <= 0:
            return words
        a = self._of(words)
        return [words[i] for i in np.flatnonzero((a[:, 1] < b.y1) & (a[:, 3] > b.y0))]

    def meets(self, b: Box, words: list[Element], share: float) -> bool:
        """Whether a word meets ``b`` in more than ``share`` of its area (Box.intersection)."""
        a = self._of(words)
        w = np.minimum(a[:, 2], b.x1) - np.maximum(a[:, 0], b.x0)
        h = np.minimum(a[:, 3], b.y1) - np.maximum(a[:, 1], b.y0)
        return bool((np.where((w > 0) & (h > 0), w * h, 0.0) > share * b.area).any())

    def centred_in(self, b: Box, words: list[Element]) -> list[Element]:
        """The words whose centre ``b`` holds (Box.contains_point of Box.center)."""
        a = self._of(words)
        x, y = (a[:, 0] + a[:, 2]) / 2, (a[:, 1] + a[:, 3]) / 2
        return [words[i] for i in np.flatnonzero((b.x0 <= x) & (x < b.x1) & (b.y0 <= y) & (y < b.y1))]


def _in_a_word(p: Proposal, rows: list[Element], image: np.ndarray, text_height: float) -> bool:
    """Whether a small outline is a glyph of a word OCR read (``rows``: the words in its rows). OCR reads an empty
    box or ring before a label as a letter ("OGS" for a radio and "GS"); such a box stands apart from the next
    letter, a letter does not."""
    b, area = p.box, p.box.area
    for w in rows:
        if w.box.intersection(b) < 0.6 * area or b.height > 1.6 * w.box.height:
            continue
        if len(w.name) == 1:  # a letter or digit on its own: a bold "0" is no close button, an "n" no radio
            if not _read_as_glyph(w, p, image):
                return True
            continue
        # a box read as the first letter of its label; never when a stop follows ("0.00" is a number)
        first = w.name[:1] in BOX_GLYPHS and p.box.x0 <= w.box.x0 + 0.6 * p.box.width and w.name[1] not in ".,:;"
        # a ring with a dot in it is no letter, however close its label stands: a letter's bowl is hollow
        if len(w.name) > 1 and not (first and (_apart(image, p.box, w.box, text_height) or _dotted(image, p)
                                               or _other_ink(image, p.box, w.box))):
            return True
    return False


def _other_ink(image: np.ndarray, box: Box, word: Box) -> bool:
    """Whether a box's darkest ink is far lighter than the darkest ink of the word after it: a control drawn in
    its theme's grey (Chromium's unstyled radio, a 1 px #767676 ring) before a black label set close to it. The
    letters of one word are inked alike, an "O" as dark as the "T" after it."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    rest = image[int(word.y0):int(np.ceil(word.y1)), x1 + 1:int(np.ceil(word.x1))]
    own = image[y0:y1, x0:x1]
    if not own.size or not rest.size:
        return False
    return float(own.mean(axis=2).min()) - float(rest.mean(axis=2).min()) > 60


def _dotted(image: np.ndarray, p: Proposal) -> bool:
    """Whether a ring holds a dot: a marked face whose middle is inked, unlike the corners outside the ring (the
    middle of an "O", a "D" or a "0" is the background showing through)."""
    if p.shape != "circle" or face_of(image, p.box) != "marked":
        return False
    x0, y0, x1, y1 = (int(v) for v in p.box.to_list())
    crop = image[y0:y1, x0:x1].astype(np.int16)
    h, w = crop.shape[:2]
    r = max(1, round(0.12 * min(h, w)))
    middle = crop[h // 2 - r:h // 2 + r + 1, w // 2 - r:w // 2 + r + 1].reshape(-1, 3).mean(axis=0)
    outside = np.median(np.stack([crop[0, 0], crop[0, -1], crop[-1, 0], crop[-1, -1]]), axis=0)
    return float(np.abs(middle - outside).max()) > 60


def _body_of(box: Box, outlines: list[Proposal]) -> bool:
    """Whether ``box`` is the inside of a larger outline: it shares two or more of that outline's sides (a
    text area stands inside its form with a border of its own on every side)."""
    for q in outlines:
        if q.box.area <= box.area * 1.05 or not q.box.contains(box, slack=3):
            continue
        shared = sum(abs(a - b) <= 4 for a, b in zip(box.to_list(), q.box.to_list()))
        if shared >= 2:
            return True
    return False


def _frames_text(p: Proposal, outlines: list[Proposal], inside: list[Element]) -> bool:
    """Whether a smaller outline inside ``p`` frames some of its words: a text area holds plain text, while a
    window or panel holds boxes of its own (a framed label, a button)."""
    return any(q is not p and p.box.contains(q.box, slack=2) and q.box.area < 0.8 * p.box.area
               and any(q.box.contains_point(*w.box.center) for w in inside) for q in outlines)


def _read_as_glyph(word: Element, p: Proposal, image: np.ndarray) -> bool:
    """Whether a one-character word is OCR's reading of the box or ring itself: a box glyph ("口", "O") over a
    ring or box, an "x" over a close box, or any character over a straight-sided empty box (OCR reads those
    as "J", "[" or "I" too)."""
    if len(word.name) != 1 or word.box.intersection(p.box) <= 0.4 * min(p.box.area, word.box.area) \
            or word.box.width >= 2.2 * p.box.width:
        return False
    if p.x_shape > 0.6:
        return word.name in X_GLYPHS
    if word.name in BOX_GLYPHS:
        return True
    return p.shape == "square" and min(p.straight) >= 0.9 and face_of(image, p.box) is not None


def _apart(image: np.ndarray, box: Box, word: Box, text_height: float) -> bool:
    """Whether blank columns a quarter of a glyph wide (3 px at least) stand between the box's own ink and the
    next ink inside ``word``: letters of one word stand a pixel or two apart, a ring or box and its label more.
    The gap is measured from the ink, not the outline, which a traced halo makes a pixel or two wider."""
    x0, x1 = int(box.x0), int(min(word.x1, box.x1 + text_height))
    y0, y1 = int(max(word.y0, box.y0)), int(min(word.y1, box.y1))
    inside = int(box.x1) - x0
    if x1 - x0 < inside + 2 or y1 <= y0:
        return True
    patch = image[y0:y1, x0:x1].astype(np.int16).mean(axis=2)
    background = np.median(image[y0:y1, int(word.x0):int(word.x1)].astype(np.int16).mean(axis=2))
    inked = (np.abs(patch - background) > 60).any(axis=0)
    own = np.flatnonzero(inked[:inside])
    end = own[-1] + 1 if own.size else inside
    after = np.flatnonzero(inked[inside:])
    gap = (inside + after[0] if after.size else x1 - x0) - end
    return gap >= max(3.0, 0.25 * text_height)


def _stripped(words: list[Element], rows: list[Element], glyphs: list[Element], control: Box) -> list[Element]:
    """``words`` without the ``glyphs`` read from ``control`` and with the box's glyph cut from those of ``rows``
    (the words meeting it) that begin with it; ``words`` itself when that changes none."""
    touched = {id(w) for w in rows}
    out = [_strip_glyph(w, control) if id(w) in touched else w for w in words if w not in glyphs]
    return words if len(out) == len(words) and all(a is b for a, b in zip(out, words)) else out


def _strip_glyph(word: Element, control: Box) -> Element:
    """OCR sometimes reads a ring or box as the first letter of its label ("OGS" for a radio and "GS")."""
    if (len(word.name) > 1 and word.name[0] in BOX_GLYPHS and word.box.x0 >= control.x0 - 0.5 * control.width
            and word.box.x0 < control.center[0] and control.y0 <= word.box.center[1] <= control.y1
            and word.box.intersection(control) > 0.25 * control.area
            and word.box.x1 > control.x1 + 2):  # the label runs on past the box; a caption inside stays whole
        return word.with_(name=word.name[1:], box=Box(control.x1 + 1, word.box.y0, word.box.x1, word.box.y1))
    return word


def _attach_label(el: Element, words: list[Element], text_height: float) -> Element:
    """Name a checkbox or radio by the words right of it; a field by the words left of it, else by its
    placeholder, else by the words above it."""
    if el.role in ("checkbox", "radio"):
        label = label_beside(el.box, words, text_height)
    elif el.role in ("text_field", "dropdown", "text_area", "list_box", "slider", "spin_box"):
        label = words_beside(el.box, words, text_height, side="left")
        hint = el.role == "text_field" and el.name and not el.value and caption_close_above(el.box, words, text_height)
        if not label and (not el.name or hint):  # a caption right above names a field before its placeholder
            label = words_above(el.box, words, text_height)
            if len(label.split()) > MAX_CAPTION_WORDS:
                label = ""  # a sentence above a field is a notice or an instruction, not its caption
    else:
        return el
    return el.with_(name=label, source=NAMED) if label else el


def _by_ink(el: Element, inside: list[Element], image: np.ndarray) -> Element:
    """What the shade of a control's words says: faint on its face, it is disabled; a field's mid-grey text is
    its placeholder (what it asks for: its name while no label says otherwise), not its value."""
    if not inside or el.role not in ("button", "text_field", "dropdown", "tab"):
        return el
    face, ink = _shades(image, el.box, inside)
    contrast = abs(face - ink)
    if contrast < 100:
        return el.with_(states=el.states | {"disabled"})
    if el.role == "text_field" and face >= ENTRY_FILL and contrast < 175:
        return el.with_(name=el.value, value="")
    return el


def _shades(image: np.ndarray, box: Box, inside: list[Element]) -> tuple[float, float]:
    """The grey of a control's face and of its words' ink (the most contrasting twentieth of their pixels)."""
    x0, y0, x1, y1 = (int(v) for v in box.to_list())
    inset = max(2, int(0.15 * min(x1 - x0, y1 - y0)))
    face = float(np.median(image[y0 + inset:y1 - inset, x0 + inset:x1 - inset].mean(axis=2)))
    pixels = np.concatenate([image[int(w.box.y0):int(np.ceil(w.box.y1)), int(w.box.x0):int(np.ceil(w.box.x1))]
                             .reshape(-1, 3) for w in inside]).mean(axis=1)
    if not len(pixels):
        return face, face
    far = np.abs(pixels - face)
    ink = pixels[far >= np.percentile(far, 95)]  # the strokes themselves: small text is mostly anti-aliased edges
    return face, float(np.median(ink))
