"""locate(description, screen): read a person's description of a target and find it on a parsed Screen.

Understands quoted labels ('the "Submit" button'), fuzzy and normalised text, role words (button, link, text
field, checkbox, tab, list ...), ordinals ("the 2nd text field", "the last link") and labels that name a widget
from beside it ("the checkbox next to kT2ho", "the Name field").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

from grounding.elements import NAMED_FROM_OUTSIDE, Box, Element, Screen, reading_order

ROLE_WORDS: dict[str, str] = {
    "button": "button", "btn": "button",
    "link": "link", "hyperlink": "link",
    "text field": "text_field", "textfield": "text_field", "text box": "text_field", "textbox": "text_field",
    "input field": "text_field", "input box": "text_field", "input": "text_field", "field": "text_field",
    "search box": "text_field", "entry": "text_field", "box": "text_field",
    "checkbox": "checkbox", "check box": "checkbox", "tickbox": "checkbox",
    "radio button": "radio", "radio": "radio", "option": "radio",
    "dropdown": "dropdown", "drop-down": "dropdown", "drop down": "dropdown", "select box": "dropdown",
    "combo box": "dropdown", "combobox": "dropdown", "list": "dropdown", "menu": "dropdown",
    "list box": "list_box", "listbox": "list_box", "text area": "text_area", "textarea": "text_area",
    "slider": "slider", "spin box": "spin_box", "spinbox": "spin_box", "spin button": "spin_box",
    "menu item": "menu_item",
    "tab": "tab", "icon": "icon", "close button": "close", "x button": "close",
    "section": "section", "header": "section", "heading": "section", "text": "text", "label": "text",
    "word": "text",
}
ROLE_ALIASES: dict[str, tuple[str, ...]] = {  # the element roles a role word may mean, the closest first
    "button": ("button",),
    "link": ("link",),
    "text_field": ("text_field", "text_area", "spin_box"),
    "text_area": ("text_area", "text_field"),
    "checkbox": ("checkbox",),
    "radio": ("radio", "checkbox", "option"),
    "dropdown": ("dropdown", "list_box", "menu_bar_item"),
    "list_box": ("list_box", "dropdown"),
    "menu_item": ("menu_item", "option", "menu_bar_item"),
    "slider": ("slider",),
    "spin_box": ("spin_box", "text_field"),
    "tab": ("tab", "button", "text"),
    "icon": ("button", "image"),
    "close": ("button",),
    "section": (),
    "text": ("text", "link", "heading"),
}
QUERY_ONLY = {"icon": lambda e: not e.name or e.role == "image",  # role words no element role has
              "close": lambda e: normalise(e.name) in CLOSE_WORDS}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "last": -1}
FILLER = {"the", "a", "an", "on", "in", "into", "onto", "at", "of", "to", "that", "which", "says", "saying",
          "labeled", "labelled", "named", "called", "titled", "with", "text", "below", "above", "here", "there",
          "this", "it", "one", "please", "dialog", "box", "window", "page", "form", "area", "field"}
CLOSE_WORDS = {"x", "×", "✕", "✖", "close"}


@dataclass(frozen=True)
class Query:
    """A description, read: what it says (label), what it is (role), which one (ordinal), what names it (near)."""

    label: str = ""
    role: str = ""
    ordinal: int = 0
    near: str = ""
    every: bool = False


@dataclass(frozen=True)
class Match:
    element: Element
    score: float
    reason: str


class NotFound(LookupError):
    """No element on the screen fits the description (a model- or user-caused error, reported back)."""


@lru_cache(maxsize=16384)
def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("×", "x").replace("’", "'")
    text = re.sub(r"[^\w#@.+\-' ]+", " ", text.lower())
    return re.sub(r"\s+", " ", text).strip(" .'")


def squash(text: str) -> str:
    """Normalised and without spaces: OCR drops spaces in small text, so text is compared this way."""
    return normalise(text).replace(" ", "")


def shows(seen: str, wanted: str) -> bool:
    """Whether text read off a screen contains ``wanted``."""
    return squash(wanted) in squash(seen)


def parse_description(description: str) -> Query:
    """Read a description into a Query."""
    text = description.strip()
    quoted = re.findall(r"[\"“”'‘]([^\"“”’]+)[\"“”'’]", text)
    rest = re.sub(r"[\"“”'‘][^\"“”’]+[\"“”'’]", " ", text)
    rest_l = f" {rest.lower()} "
    every = bool(re.search(r"\b(both|all|every|each)\b", rest_l))
    near = ""
    m = re.search(r"\b(?:next to|beside|near|by|for|labell?ed|named|called)\s+(.+)$", rest, re.I)
    if m and not quoted:
        near = _strip_filler(m.group(1))
        rest_l = f" {rest[:m.start()].lower()} "
    elif m and quoted and re.search(r"\b(next to|beside|near|for)\b", m.group(0), re.I):
        near, quoted = quoted[0], quoted[1:]
        rest_l = f" {rest[:m.start()].lower()} "
    ordinal = 0
    om = re.search(r"\b(\d+)(?:st|nd|rd|th)\b|\b(" + "|".join(ORDINALS) + r")\b", rest_l)
    if om:
        ordinal = int(om.group(1)) if om.group(1) else ORDINALS[om.group(2)]
        rest_l = rest_l[:om.start()] + " " + rest_l[om.end():]
    role = ""
    for word in sorted(ROLE_WORDS, key=len, reverse=True):
        rm = re.search(rf"\b{re.escape(word)}(?:e?s)?\b", rest_l)
        if rm:
            role = ROLE_WORDS[word]
            rest_l = rest_l[:rm.start()] + " " + rest_l[rm.end():]
            break
    label = quoted[0] if quoted else _strip_filler(_original_case(rest, rest_l))
    return Query(label=label, role=role, ordinal=ordinal, near=near, every=every)


def _original_case(original: str, lowered_rest: str) -> str:
    """Recover the original capitalisation of the words left in ``lowered_rest``."""
    words = original.split()
    keep = set(lowered_rest.split())
    return " ".join(w for w in words if w.lower() in keep)


def _strip_filler(text: str) -> str:
    words = [w for w in re.split(r"\s+", text.strip(" .,:;")) if w]
    while words and words[0].lower() in FILLER | {"both", "all", "every", "each"}:
        words.pop(0)
    while words and words[-1].lower() in FILLER:
        words.pop()
    return " ".join(words).strip(" .,:;\"'")


OCR_CONFUSABLE = str.maketrans({"I": "l", "1": "l", "|": "l", "!": "l", "0": "O"})


@lru_cache(maxsize=16384)
def ocr_fold(text: str) -> str:
    """Fold characters OCR mixes up (l/I/1, O/0) so 'ldB' and 'IdB' compare equal."""
    return normalise(text.translate(OCR_CONFUSABLE).replace("rn", "m"))


def text_score(wanted: str, seen: str) -> float:
    """1.0 for an exact match, a little less when only case or OCR-confusable letters differ, the fuzzy ratio
    above 0.75, 0.6 when every wanted word is among the words seen, else 0."""
    if not wanted or not seen:
        return 0.0
    if wanted == seen:
        return 1.0
    a, b = normalise(wanted), normalise(seen)
    if not a or not b:
        return 0.0
    if a == b:
        return 0.97
    if ocr_fold(wanted) == ocr_fold(seen):
        return 0.93
    if 2 * min(len(a), len(b)) >= 0.75 * (len(a) + len(b)):  # ratio() can reach 0.75 only with similar lengths
        matcher = SequenceMatcher(None, a, b)
        if matcher.quick_ratio() >= 0.75:  # a cheap upper bound of ratio()
            ratio = matcher.ratio()
            if ratio >= 0.75:
                return ratio * 0.9
    if set(a.split()) <= set(b.split()):
        return 0.6  # every word asked for is there, among others ("section" in "Section #17")
    return 0.0


def locate(description: str | Query, screen: Screen, exclude: tuple[Box, ...] = (), echo: str = "") -> Match:
    """The best element for a description; raises NotFound with a sentence saying what was missing."""
    matches = locate_all(description, screen, exclude, echo)
    if not matches:
        q = description if isinstance(description, Query) else parse_description(description)
        raise NotFound(f"nothing on the screen matches {_describe(q)}")
    return matches[0]


def locate_all(description: str | Query, screen: Screen, exclude: tuple[Box, ...] = (), echo: str = "") -> list[Match]:
    """Every element that fits, best first; with an ordinal, only the one it picks.

    ``echo`` is the task's own wording: lines of text on the screen that repeat it (the task shown in a
    window, a test harness's banner) are not targets, unless the line says exactly what is looked for.
    """
    q = description if isinstance(description, Query) else parse_description(description)
    elements = [e for e in searchable(screen) if not any(b.iou(e.box) > 0.5 for b in exclude)]
    if echo:
        skip = echo_lines(screen, echo, keep=q.label or q.near)
        elements = [e for e in elements if e.line not in skip]
    if q.near:
        found = _by_neighbour(q, elements)
    elif q.label:
        found = _by_label(q, elements)
    else:
        found = _by_role(q.role, elements)
        if not found and q.role:
            found = _in_order(_by_label(Query(label=q.role, ordinal=q.ordinal), elements))
    return _pick(found, q)


def searchable(screen: Screen) -> list[Element]:
    """What a description is matched against: controls and other elements, with text as words where the
    screen keeps a word index (a phrase inside a line is then found by its own box)."""
    if not screen.words:
        return list(screen.elements)
    return [e for e in screen.elements if e.is_control or e.line < 0] + list(screen.words)


def echo_lines(screen: Screen, instruction: str, keep: str = "") -> set[int]:
    """OCR lines of two or more words whose text is part of ``instruction`` (spaces ignored, as OCR drops them)."""
    spoken = squash(instruction)
    lines: dict[int, list[Element]] = {}
    for el in searchable(screen):
        if el.role in ("text", "link") and el.line >= 0:
            lines.setdefault(el.line, []).append(el)
    out = set()
    for line, words in lines.items():
        text = " ".join(w.name for w in sorted(words, key=lambda w: w.box.x0))
        flat = squash(text)
        if len(flat) >= 4 and flat in spoken and (len(words) >= 2 or len(flat) >= 12):
            if not keep or squash(keep) != flat:
                out.add(line)
    return out


def _pick(found: list[Match], q: Query) -> list[Match]:
    if not q.ordinal or not found:
        return found
    ordered = _in_order(found)
    index = q.ordinal - 1 if q.ordinal > 0 else len(ordered) + q.ordinal
    return [ordered[index]] if 0 <= index < len(ordered) else []


def _in_order(found: list[Match]) -> list[Match]:
    order = {id(e): i for i, e in enumerate(reading_order([m.element for m in found]))}
    return sorted(found, key=lambda m: order[id(m.element)])


def _by_role(role: str, elements: list[Element]) -> list[Match]:
    """Elements of the role in reading order, those of exactly that role before its looser aliases."""
    exact = [e for e in _with_role(role, elements) if e.role == ROLE_ALIASES.get(role, (role,))[0]] if role else []
    exact_ids = {id(e) for e in exact}
    loose = _in_order([Match(e, e.confidence * 0.8, f"a {e.role} taken for a {role}")
                       for e in _with_role(role, elements) if id(e) not in exact_ids])
    exact = _in_order([Match(e, e.confidence, f"a {role or 'element'}") for e in exact])
    return exact + loose


def _with_role(role: str, elements: list[Element]) -> list[Element]:
    if not role:
        return elements
    return [e for e in elements if _is_a(e, role)]


def _is_a(e: Element, role: str) -> bool:
    """Whether ``e`` is what the role word ``role`` asks for."""
    extra = QUERY_ONLY.get(role)
    return e.role in ROLE_ALIASES.get(role, (role,)) and (extra is None or extra(e))


def _by_label(q: Query, elements: list[Element]) -> list[Match]:
    """Elements whose own text or attached label says ``q.label``, preferring the asked-for role."""
    matches: list[Match] = []
    for el in elements:
        outside = 0.96 if el.role in NAMED_FROM_OUTSIDE else 1.0  # a label beside it names it a little less surely
        own = max(outside * text_score(q.label, el.name), text_score(q.label, el.value))
        if normalise(q.label) in CLOSE_WORDS and _is_a(el, "close"):
            own = max(own, 0.95)
        if own:
            matches.append(Match(el, own * _role_fit(q.role, el), f"{el.role} reading {el.name or el.value!r}"))
    matches.extend(_phrases(q, elements))
    if q.role and q.role not in ("text", "section"):
        named = [m for m in matches if _is_a(m.element, q.role)]
        if named:
            matches = named
        elif q.role in NAMED_FROM_OUTSIDE:
            matches = _widgets_named_by(q, [m.element for m in matches], elements) or matches
    return _best_first(matches)


def _role_fit(role: str, el: Element) -> float:
    if role and _is_a(el, role):
        return 1.0
    if el.is_control:
        return 0.95 if not role else 0.8
    return 0.9 if not role else 0.75


def _phrases(q: Query, elements: list[Element]) -> list[Match]:
    """Multi-word labels: runs of neighbouring words on one OCR line ("Tab #2", "Save as")."""
    wanted = normalise(q.label).split()
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
            for j in range(i + 1, min(len(words), i + len(wanted) + 1) + 1):
                run = words[i:j]
                score = text_score(q.label, " ".join(w.name for w in run))
                if score:
                    box = run[0].box
                    for w in run[1:]:
                        box = box.union(w.box)
                    el = Element(box, run[0].role, name=" ".join(w.name for w in run), line=run[0].line)
                    out.append(Match(el, score * _role_fit(q.role, el), f"words {el.name!r}"))
    return out


def _by_neighbour(q: Query, elements: list[Element]) -> list[Match]:
    """"the checkbox next to X": a widget already labelled X by the parser, else the one nearest the text X."""
    labelled = [Match(e, 0.96 * text_score(q.near, e.name), f"{e.role} labelled {e.name!r}")
                for e in _with_role(q.role, elements)
                if e.role in NAMED_FROM_OUTSIDE and e.name and text_score(q.near, e.name)]
    if labelled:
        return _best_first(labelled)
    anchors = [m for m in _by_label(Query(label=q.near), elements) if m.element.role in ("text", "link")]
    if not anchors:
        return []
    return _widgets_named_by(Query(label=q.near, role=q.role), [anchors[0].element], elements)


def _widgets_named_by(q: Query, anchors: list[Element], elements: list[Element]) -> list[Match]:
    """Widgets of the asked role nearest to text that names them (right of a checkbox, left of/above a field)."""
    widgets = _with_role(q.role, elements) if q.role else [e for e in elements if e.is_control and e.role != "link"]
    out = []
    for anchor in anchors:
        for w in widgets:
            if w is anchor:
                continue
            d = _gap(anchor.box, w.box)
            if d < 6 * max(anchor.box.height, 10):
                out.append(Match(w, 0.9 / (1 + d / 100), f"{w.role} next to {anchor.name!r}"))
    return _best_first(out)


def _gap(a: Box, b: Box) -> float:
    dx = max(0.0, max(a.x0, b.x0) - min(a.x1, b.x1))
    dy = max(0.0, max(a.y0, b.y0) - min(a.y1, b.y1))
    return (dx * dx + 4 * dy * dy) ** 0.5


def _best_first(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.element.box.y0, m.element.box.x0))


def _describe(q: Query) -> str:
    parts = []
    if q.ordinal:
        parts.append("the last" if q.ordinal == -1 else f"the #{q.ordinal}")
    if q.label:
        parts.append(f'"{q.label}"')
    if q.role:
        parts.append(q.role.replace("_", " "))
    if q.near:
        parts.append(f'next to "{q.near}"')
    return " ".join(parts) or "an empty description"
