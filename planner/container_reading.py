"""Whether the thing typed into holds the named field inside it: a bordered box around a form, read as one text
area whose reading carries the label the command named ("Full name", "Delivery date") among its own words. Text
showing somewhere inside such a box is no proof that it went into the field the words named (a date typed over
the name shows there just as well), so the check reads only the part after the label: other text there fails,
and the text there is still not seen in the field's own box, so it is not checkable (planner/direct_checks.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from grounding.elements import Element, Screen
from grounding.refs.ref import Ref
from grounding.textmatch import ocr_fold, squash, text_score

SLACK = 3  # characters past the typed text's length still read as its field's (a caret, a bracket OCR reads)


@dataclass(frozen=True, kw_only=True)
class Inside:
    """The label the words named, found inside the reading of the element typed into, and what follows it."""

    label: str
    after: str  # the reading after the label: the named field's text first, then whatever the box holds next

    def head(self, text: str) -> str:
        """As much of what follows the label as the typed text would fill."""
        return self.after[:len(text) + SLACK].strip()

    def starts_with(self, text: str) -> bool:
        """Whether the part after the label begins with ``text`` (spaces and case aside)."""
        return bool(squash(text)) and squash(self.after).startswith(squash(text))


def named_label(ref: Ref | None) -> str:
    """The words the command named its field by ("Full name"); empty where it named none, or where an ordinal, a
    place or 'every' picked the field instead."""
    if ref is None or ref.ordinal or ref.every or ref.relations:
        return ""
    return ref.label or ref.noun


def inside(ref: Ref | None, el: Element, reading: str) -> Inside | None:
    """Where ``el`` is not the field ``ref`` names but holds that field's label in ``reading`` (what it shows):
    the label and what follows it; None where the words named no label, or ``el`` bears it as its own name."""
    label = named_label(ref)
    if not label or not reading or text_score(label, el.name) > 0:
        return None
    words = re.findall(r"\w+", label)
    if not words:
        return None
    found = re.search(r"(?<!\w)" + r"\W*".join(map(re.escape, words)) + r"(?!\w)\W*", reading, re.I)
    if found is None:
        return None
    return Inside(label=label, after=reading[found.end():])


def inside_by_words(ref: Ref | None, el: Element, screen: Screen) -> Inside | None:
    """The same, found in the screen's words where the box's own reading jumbles its columns: the label's words in
    a row inside ``el``'s box, and what follows them on that row."""
    label = named_label(ref)
    wanted = [ocr_fold(w) for w in re.findall(r"\w+", label)]
    if not wanted or text_score(label, el.name) > 0:
        return None
    words = sorted((w for w in screen.words if el.box.contains(w.box, slack=2) and w.name.strip()),
                   key=lambda w: (round(w.box.center[1] / max(w.box.height, 1.0)), w.box.x0))
    folded = [ocr_fold(re.sub(r"\W", "", w.name)) for w in words]
    for i in range(len(words) - len(wanted) + 1):
        if all(_alike(a, b) for a, b in zip(folded[i:i + len(wanted)], wanted)):
            last = words[i + len(wanted) - 1]
            row = [w for w in words if w.box.x0 >= last.box.x1 and _same_row(w, last)]
            return Inside(label=label, after=" ".join(w.name for w in sorted(row, key=lambda w: w.box.x0)))
    return None


def _same_row(a: Element, b: Element) -> bool:
    overlap = min(a.box.y1, b.box.y1) - max(a.box.y0, b.box.y0)
    return overlap > 0.5 * min(a.box.height, b.box.height)


def _alike(seen: str, wanted: str) -> bool:
    """One word of the label as OCR read it ('elivery' for 'Delivery': a first letter lost to a field's edge)."""
    return seen == wanted or len(wanted) > 3 and SequenceMatcher(None, seen, wanted).ratio() >= 0.85
