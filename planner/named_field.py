"""Whether a field typed into is the one the command's words named: "the email" is not 'Full name' where a field
labelled Email is there too (the check of a type, planner/direct_checks.py)."""

from __future__ import annotations

from grounding.elements import Element, Screen
from grounding.refs.grammar import Ref
from grounding.refs.resolve import pool, resolve
from grounding.textmatch import text_score
from planner.doing.entering import ENTRIES


def named_elsewhere(ref: Ref | None, el: Element, was: Screen) -> tuple[str, Element] | None:
    """The word the command named its field by and the other field that bears it, where the field typed into
    does not ("the email" typed into 'Full name'); None where the words said no label, or said more than one
    (an ordinal or a place decides then), or the field is the one they name."""
    said = ref.label or ref.noun if ref is not None and not (ref.ordinal or ref.every or ref.relations) else ""
    if not said or text_score(said, el.name) > 0:
        return None
    found = resolve(Ref(label=said, role="entry"), pool(was, Ref(label=said)))
    best = found[0].element if found else None
    if best is None or best.role not in ENTRIES or best.box.iou(el.box) > 0.5:
        return None
    return said, best
