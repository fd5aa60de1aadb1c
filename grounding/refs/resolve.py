"""Grounding a referring expression on a Screen: which elements one reading of a Ref picks, scored.

A label is matched against names and values (fuzzy, OCR-folded) and against runs of words on one line; a role
keeps the elements of its family, the exact role first; a widget named from outside (a checkbox, a field) is
also found through the words beside it. Ordinals count only the exact role's elements, in reading order.
Relations re-score what the head found by where it is from the anchor; "in the row for X" and "next to X", X a
cell of a table or list, keep what is on X's row (the band of X's box), never another row's; a relation the
screen cannot meet fails rather than fall back to the first of several matches. Several readings: the one whose
best match scores highest wins, alternatives a little lower, and a thing picked by role and place alone scores
below an exact label, so "press Two" is the button that says Two when there is one.
"""

from __future__ import annotations

from dataclasses import replace

from grounding.elements import NAMED_FROM_OUTSIDE, Box, Element, Screen, reading_order
from grounding.icons import is_icon
from grounding.refs.grammar import Ref, Relation
from grounding.refs.items import in_item, next_items
from grounding.refs.matches import Match, best_first, overlap
from grounding.refs.rows import on_rows, said_row
from grounding.refs.words import family
from grounding.textmatch import ICON_GLYPHS, icon_score, is_close_word, normalise, ocr_fold, text_score

ALTERNATIVE = 0.97  # an alternative reading's score is scaled by this, once per step down the list
BY_PLACE = 0.9  # a thing picked by its role and place alone, below an exact label (1.0)
TEXTUAL = frozenset({"text", "heading", "link", "window_title", "tooltip"})
LISTED = frozenset({"result", "item"})  # role words for the items of a list, counted down the list
HANDLE_MARKS = "@©®"  # '@' and what OCR reads it as
SAME_ANCHOR = 0.995  # of the best anchor's score: an anchor scored this high is as likely the one meant
PICKED_BY_ROLE = "an icon no other icon's glyph names"  # the reason of an icon taken for its role alone: a guess


def searchable(screen: Screen) -> list[Element]:
    """What a description is matched against: controls and other elements, with text as words where the
    screen keeps a word index (a phrase inside a line is then found by its own box)."""
    if not screen.words:
        return list(screen.elements)
    links = [e.box for e in screen.elements if e.role == "link"]
    words = [w.with_(role="link") if any(b.contains(w.box, slack=2) for b in links) else w for w in screen.words]
    return [e for e in screen.elements if e.is_control or e.line < 0] + words  # a word of a link is a link


def echo_lines(screen: Screen, instruction: str, keep: str | set[str] = "") -> set[int]:
    """OCR lines whose text is part of ``instruction`` (spaces ignored, as OCR drops them): two or more words, or
    one long one, or any part of a block of such lines (the command shown on the screen over several lines). A
    line on its own that says exactly one of the labels in ``keep`` stays a target."""
    kept = {_folded(k) for k in ([keep] if isinstance(keep, str) else keep) if k}
    spoken = _folded(instruction)
    lines: dict[int, list[Element]] = {}
    for el in searchable(screen):
        if el.role in ("text", "link") and el.line >= 0:
            lines.setdefault(el.line, []).append(el)
    said: dict[int, tuple[str, Box, int]] = {}
    for line, words in lines.items():
        flat = _folded(" ".join(w.name for w in sorted(words, key=lambda w: w.box.x0)))
        if len(flat) >= 3 and flat in spoken:
            box = words[0].box
            for w in words[1:]:
                box = box.union(w.box)
            said[line] = (flat, box, len(words))
    out = set()
    for line, (flat, box, n) in said.items():
        block = any(o != line and _stacked(box, b) for o, (_, b, _) in said.items())
        if block or (n >= 2 or len(flat) >= 12) and flat not in kept:
            out.add(line)
    return out


def _folded(text: str) -> str:
    return ocr_fold(text).replace(" ", "")


def _stacked(a: Box, b: Box) -> bool:
    """Two lines of one paragraph: left edges together, one right under the other."""
    h = max(a.height, b.height)
    return abs(a.x0 - b.x0) < h and -0.5 * h <= max(a.y0, b.y0) - min(a.y1, b.y1) < 0.8 * h


def pool(screen: Screen, ref: Ref, exclude: tuple[Box, ...] = (), echo: str = "") -> list[Element]:
    """The elements a reading is matched against: searchable, not excluded, not a line repeating the command."""
    elements = [e for e in searchable(screen) if not any(b.iou(e.box) > 0.5 for b in exclude)]
    if echo:
        skip = echo_lines(screen, echo, keep=_labels(ref))
        elements = [e for e in elements if e.line not in skip]
    return elements


def _labels(ref: Ref) -> set[str]:
    """Every label a reading says, its anchors' too: lines saying exactly one of them are targets, not echoes."""
    return {ref.label} | {label for rel in ref.relations for label in _labels(rel.anchor)}


def best_reading(ref: Ref, screen: Screen, exclude: tuple[Box, ...] = (), echo: str = "") -> tuple[Ref, list[Match]]:
    """The reading the screen supports best and its matches, best first (the first reading when none fits)."""
    readings = ref.readings()
    chosen: tuple[Ref, list[Match]] = (readings[0], [])
    top = 0.0
    for step, reading in enumerate(readings):
        found = resolve(reading, pool(screen, reading, exclude, echo))
        score = found[0].score * ALTERNATIVE ** step if found else 0.0
        if score > top:
            chosen, top = (reading, [replace(m, score=m.score * ALTERNATIVE ** step) for m in found]), score
    return chosen


def resolve(ref: Ref, elements: list[Element]) -> list[Match]:
    """What one reading picks among ``elements``: best first, or in reading order for an ordinal or "all"."""
    roles = family(ref.role)
    if ref.label:
        found = _by_label(ref.label, roles, elements)
    elif ref.noun and not ref.relations:  # "the email": the thing of the role the word names (the field labelled
        # Email; never the label's own words), else one by role
        named = [m for m in _by_label(ref.noun, roles, elements) if not roles or m.element.role in roles]
        found = named or _by_role(ref.role, roles, elements)
    elif ref.noun and not roles and ref.relations:
        found = resolve(ref.relations[0].anchor, elements)  # "the email by Bob": where Bob is
        return _pick(found, ref, roles)
    else:
        found = _by_role(ref.role, roles, elements)
    for rel in ref.relations:
        found = _related(found, rel, elements)
    return _pick(found, ref, roles)


def _pick(found: list[Match], ref: Ref, roles: tuple[str, ...]) -> list[Match]:
    if not found or not (ref.ordinal or ref.every):
        return found
    top = found[0].score
    if roles:
        exact = next((r for r in roles if any(m.element.role == r for m in found)), None)
        found = [m for m in found if m.element.role == exact]
        if not ref.label and any(not is_close_word(m.element.name) for m in found):
            found = [m for m in found if not is_close_word(m.element.name)]
    found = [m for m in found if m.score >= 0.85 * top]
    ordered = _in_order(found)
    if ref.every:
        return ordered
    index = ref.ordinal - 1 if ref.ordinal > 0 else len(ordered) + ref.ordinal
    return [ordered[index]] if 0 <= index < len(ordered) else []


def _in_order(found: list[Match]) -> list[Match]:
    order = {id(e): i for i, e in enumerate(reading_order([m.element for m in found]))}
    return sorted(found, key=lambda m: order[id(m.element)])


def _by_role(role: str, roles: tuple[str, ...], elements: list[Element]) -> list[Match]:
    """Elements of the role's family in reading order, the exact role first; no role: every control."""
    if role in LISTED:
        elements = _without_nav_rows(elements)
    if not roles:
        return _in_order([Match(e, BY_PLACE * e.confidence, f"a {e.role}") for e in elements if e.is_control])
    out: list[Match] = []
    for rank, r in enumerate(roles):
        mine = _once([e for e in elements if e.role == r and _fits(role, e)])
        factor = BY_PLACE if rank == 0 else BY_PLACE * 0.85
        out += _in_order([Match(e, factor * e.confidence, f"a {r.replace('_', ' ')}"
                                + (f" taken for a {role.replace('_', ' ')}" if rank else "")) for e in mine
                          if not is_close_word(e.name)])
    # a window's or dialog's x is chrome: "the button", "the first button" mean the others, when there are any
    out += [Match(e, 0.7 * BY_PLACE * e.confidence, f"the close button as a {e.role}") for e in elements
            if e.role in roles and is_close_word(e.name) and _fits(role, e)]
    return out


def _once(elements: list[Element]) -> list[Element]:
    """Each thing once: a word of a link read as a link too is the link, not a second one to count."""
    kept: list[Element] = []
    for e in elements:
        if not any(k.box.contains(e.box, slack=2) or k.box.iou(e.box) > 0.7 for k in kept):
            kept.append(e)
    return kept


def _without_nav_rows(elements: list[Element]) -> list[Element]:
    """Links three or more to a row (pagination, a menu bar) are navigation; the items of a list stand alone."""
    links = [e for e in elements if e.role == "link"]
    crowded = {id(e) for e in links if sum(1 for o in links if abs(o.box.center[1] - e.box.center[1])
                                             < max(e.box.height, o.box.height) / 2) >= 3}
    return [e for e in elements if id(e) not in crowded]


def _fits(role: str, e: Element) -> bool:
    """Role words no element role has exactly: an icon is a button without a name, or an image."""
    if role == "icon":
        return is_icon(e) or not e.name
    return True


def _by_label(label: str, roles: tuple[str, ...], elements: list[Element]) -> list[Match]:
    """Elements whose name or value says ``label``, the role's family preferred; widgets named by the words."""
    matches: list[Match] = []
    for el in elements:
        outside = 0.96 if el.role in NAMED_FROM_OUTSIDE else 1.0  # a label beside it names it a little less surely
        own = max(outside * text_score(label, el.name), 0.9 * text_score(label, el.value), icon_score(label, el.name))
        if is_close_word(label) and is_close_word(el.name):
            own = max(own, 0.95)
        if own and _handle_unsaid(label, el):
            continue
        if own:
            matches.append(Match(el, own * _role_fit(roles, el), f"{el.role} reading {el.name or el.value!r}"))
    matches += _phrases(label, roles, elements)
    if not matches and roles == family("icon"):  # "the trash icon": a picture read as no glyph of another icon
        matches = [Match(e, 0.5 * e.confidence, f"{PICKED_BY_ROLE}, for {label!r}")
                   for e in elements if e.role in roles and e.box.height <= 60 and _unread_picture(e.name)]
    if roles and not set(roles) & TEXTUAL:
        named = [m for m in matches if m.element.role in roles or _pictured(label, m.element)]
        texts = [m for m in best_first(matches) if m.element.role in TEXTUAL]
        if named:
            matches = named
        elif set(roles) & set(NAMED_FROM_OUTSIDE):
            matches = _widgets_named_by(roles, [m.element for m in texts[:3]], elements) or texts
        else:
            matches = texts  # "the link 'abc'" may be words OCR read, never a field that happens to say abc
    elif roles:  # a textual role: words may stand for it, other controls may not (but "the text 'X'" is any
        # element that shows X as its own words: an option, a menu item; not a checkbox its label names)
        shown = roles[0] == "text"
        matches = [m for m in matches if m.element.role in roles or m.element.role in TEXTUAL
                   or shown and m.element.role not in NAMED_FROM_OUTSIDE or _pictured(label, m.element)]
    return best_first(matches)


def _handle_unsaid(label: str, el: Element) -> bool:
    """A handle ('@bob') is said only with its mark (or a glyph OCR reads for it): 'Bob.' in a post is a word."""
    return len(label) > 1 and label[0] == "@" and not any(c in el.name + el.value for c in HANDLE_MARKS)


def _pictured(label: str, el: Element) -> bool:
    """A picture showing what ``label`` names (a heart for "Like"): an icon-only control of any role."""
    return is_icon(el) and icon_score(label, el.name) > 0


def _unread_picture(name: str) -> bool:
    """An icon's name that says nothing of what it shows: none, or a stray glyph no icon word stands for."""
    t = name.strip()
    return not t or len(t) <= 2 and not any(c.isalnum() and c.isascii() for c in t) and not any(
        t in glyphs for glyphs in ICON_GLYPHS.values())


def _role_fit(roles: tuple[str, ...], el: Element) -> float:
    if roles and el.role in roles:
        return 1.0 if el.role == roles[0] else 0.96
    if el.is_control:
        return 0.95 if not roles else 0.8
    return 0.9 if not roles else 0.75


def _phrases(label: str, roles: tuple[str, ...], elements: list[Element]) -> list[Match]:
    """Multi-word labels: runs of neighbouring words on one OCR line ("Tab #2", "Save as")."""
    wanted = normalise(label).split()
    if len(wanted) < 2:
        return []
    by_line: dict[int, list[Element]] = {}
    for el in elements:
        if el.role in ("text", "link") and el.line >= 0:
            by_line.setdefault(el.line, []).append(el)
    out = []
    for words in by_line.values():
        words.sort(key=lambda e: e.box.x0)
        for i in range(len(words)):
            for j in range(i + 2, min(len(words), i + len(wanted) + 1) + 1):
                run = words[i:j]
                score = text_score(label, " ".join(w.name for w in run))
                if score:
                    box = run[0].box
                    for w in run[1:]:
                        box = box.union(w.box)
                    el = Element(box, run[0].role, name=" ".join(w.name for w in run), line=run[0].line)
                    out.append(Match(el, score * _role_fit(roles, el), f"words {el.name!r}"))
    return out


def _widgets_named_by(roles: tuple[str, ...], anchors: list[Element], elements: list[Element]) -> list[Match]:
    """Widgets of the role nearest to text that names them (right of a checkbox, left of or above a field); far
    below it in its column, much less surely (a table's header names its column: "the quantity of Apples")."""
    widgets = [e for e in elements if e.role in roles]
    out = []
    for anchor in anchors:
        for w in widgets:
            d = gap(anchor.box, w.box)
            if d < 6 * max(anchor.box.height, 10):
                out.append(Match(w, 0.9 / (1 + d / 100), f"{w.role} next to {anchor.name!r}"))
    return best_first(out)


def _in_row_of(found: list[Match], anchor: Element, elements: list[Element]) -> list[Match]:
    """A table's cell: "the quantity of Apples" found the field under the Quantity header, in the first row; the
    field (a widget named from outside) of the same role in that column and in Apples' row is it, as surely."""
    out = []
    for m in found:
        e = m.element
        if e.role not in NAMED_FROM_OUTSIDE:
            continue  # a button or an icon says what it is itself: its column-mates need not say the same
        for w in elements:
            if w.role == e.role and w is not e and overlap(e.box.x0, e.box.x1, w.box.x0, w.box.x1) > 0.5 \
                    and overlap(anchor.box.y0, anchor.box.y1, w.box.y0, w.box.y1) > 0.5:
                out.append(Match(w, m.score, f"{w.role} in {anchor.name!r}'s row, in the column of {m.reason}"))
    return out


def _related(found: list[Match], rel: Relation, elements: list[Element]) -> list[Match]:
    """Re-score ``found`` by where each is from the relation's anchor; drop what is on the wrong side. A relation
    the screen cannot meet never falls back to the first of several things that match."""
    anchors = resolve(rel.anchor, elements)
    if not anchors:  # a container the pixels cannot see ("the dialog") is no filter; a row named must be met, and
        # a title one of several things is under ("in 'Options'")
        unmet = said_row(rel) or rel.anchor.label and len(_things(found)) > 1
        return found if rel.kind == "in" and not unmet else []
    said = [a for a in anchors if a.element.role in TEXTUAL and a.score >= 0.8 * anchors[0].score]
    anchor = (said or anchors)[0].element  # "next to kT2ho": the words, though the checkbox is named by them too
    rows = [a.element for a in said or anchors if a.score >= SAME_ANCHOR * (said or anchors)[0].score]
    if said_row(rel) and not any(_fit("in", m.element, anchor, rel.anchor) for m in found):
        return on_rows(found, rows, elements)  # "Cancel in the row for Desk lamp": that row's, never another row's
    row = on_rows(found, rows, elements) if rel.kind == "next_to" else []
    if row:
        return row  # "Cancel next to Desk lamp", cells away on its row: that row's, before any near in another
    if rel.kind == "of":  # what belongs to one item of a list: not past where the next item starts
        later = next_items(anchor, elements)
        found = [m for m in found + _in_row_of(found, anchor, elements) if in_item(m.element, anchor, later)]
    out = []
    for m in found:
        if m.element.box == anchor.box and rel.kind not in ("next_to", "of"):
            continue
        fit = _fit(rel.kind, m.element, anchor, rel.anchor)
        if fit > 0:
            out.append(Match(m.element, m.score * fit, f"{m.reason}, {rel.kind.replace('_', ' ')} {anchor.name!r}"))
    if rel.kind == "in" and not out and anchor.role in TEXTUAL and len(_things(found)) == 1:
        return found  # "in 'Options'": a title, not a box to look inside (the one thing there is)
    return best_first(out)


def _things(found: list[Match]) -> list[Element]:
    """The distinct things among matches: a word inside a control found too is that control."""
    kept: list[Element] = []
    for m in sorted(found, key=lambda m: -m.element.box.area):
        if not any(k.box.contains(m.element.box, slack=2) for k in kept):
            kept.append(m.element)
    return kept


def _fit(kind: str, el: Element, anchor: Element, said: Ref) -> float:
    """How well ``el`` stands in relation ``kind`` to ``anchor``: 1 right there, falling off with distance, 0 not."""
    a, b = anchor.box, el.box
    size = max(a.height, 10)
    if kind == "in":
        inside = a.contains(b, slack=4) or el.parent and el.parent == anchor.id
        return 1.0 if inside else 0.0
    if kind in ("next_to", "of"):
        named = said.label and text_score(said.label, el.name) >= 0.9
        d = 0.0 if named else gap(a, b)
        if kind == "of" and b.y1 < a.y0 - size:
            return 0.0  # what belongs to a row or a post is beside it or below it, not above: that is another's
        return 1 / (1 + d / 100) if d < (6 if kind == "next_to" else 30) * size else 0.0
    overlap_y = min(a.y1, b.y1) - max(a.y0, b.y0) > -size / 2
    overlap_x = min(a.x1, b.x1) - max(a.x0, b.x0) > -size / 2
    side = {"left_of": b.x1 <= a.x0 + size / 2 and overlap_y, "right_of": b.x0 >= a.x1 - size / 2 and overlap_y,
            "below": b.y0 >= a.y1 - size / 2, "above": b.y1 <= a.y0 + size / 2}[kind]
    if not side:
        return 0.0
    aligned = overlap_x if kind in ("below", "above") else overlap_y
    return (1 if aligned else 0.8) / (1 + gap(a, b) / 200)


def gap(a: Box, b: Box) -> float:
    """Distance between two boxes, vertical distance counting double (a label is beside its widget)."""
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    return (dx * dx + 4 * dy * dy) ** 0.5

