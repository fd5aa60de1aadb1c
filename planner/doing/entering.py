"""Doers that put text somewhere: type into fields, clear them, search, copy and paste, set a field's value."""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass, replace

from grounding.dates import format_of
from grounding.elements import Element
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref
from planner.actions import Key, TypeText
from planner.date_fields import date_typing
from planner.doing.base import Plan, Situation, Step
from planner.language import intents as it
from planner.secrets import marked_secrets, typed_is_secret

ENTRIES = ("text_field", "text_area", "spin_box")
HOLD_NO_TEXT = ("menu_bar_item", "menu", "menu_item", "button", "link", "tab", "window_title", "dialog", "heading",
                "text", "image")  # what a description found that no text is typed into: words OCR read, a menu
CLEAR_BUTTONS = ("AC", "All clear", "Clear all", "CA", "Clear", "C", "CE", "Reset")  # the fullest clear first
SELECT_ALL = (Key(keys=("ctrl", "a")), "select what the field holds, to replace it")
SELECTABLE = (*ENTRIES, "dropdown")  # where Ctrl+A selects the text it holds (a date field may look like a dropdown)
TIME = re.compile(r"^\s*\d{1,2}:\d{2}(?::\d{2})?\s*([AaPp]\.?[Mm]\.?)?\s*$")
DATE = re.compile(r"^\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}\s*$")


@dataclass(frozen=True)
class CheckTyped:
    """Follow-up: a date or time typed into ``field`` shows; if not, type it the next way in ``others``."""

    field: Element
    text: str
    others: tuple[str, ...]
    target: str
    said: str


def ways_to_type(text: str) -> tuple[str, ...]:
    """Other spellings a date or time field may need ("10:39 PM" -> "10:39PM", "1039PM"); none for other text."""
    if TIME.match(text):
        compact = re.sub(r"\s+|\.", "", text)
        return tuple(dict.fromkeys(w for w in (compact, compact.replace(":", "")) if w != text))
    if DATE.match(text):
        return (re.sub(r"\D", "", text),)
    return ()


def type_into(intent: it.TypeInto, s: Situation) -> Plan:
    """Into the field said; else one the text's own word names ("the name 'Ann'"), the focused one, the only one;
    else where the focus is."""
    if intent.into is not None:
        fields = entries(intent.into, s)
    elif intent.at:
        implied = _implied_field(intent.hint, s)
        return Plan(tuple(added(implied, intent, intent.said, s)))
    else:
        implied = _implied_field(intent.hint, s)
        if implied is None:
            secret = typed_is_secret(label=intent.hint, clause=intent.said, text=intent.text,
                                     marked=s.memory.secrets | marked_secrets(s.echo))
            s.memory.secrets |= {intent.text} if secret else set()
            return Plan(((TypeText(text=intent.text, secret=secret), "type where the focus is"),))
        if implied.element.focused:
            return Plan(tuple(_typed(implied.element, intent.text, intent.said, s)))
        fields = [implied]
    target = intent.into.said if intent.into else intent.said
    if intent.at:
        return Plan(tuple(st for m in fields for st in added(m, intent, target, s)))
    plans = [fill_checked(m, intent.text, target, s, intent.said) for m in fields]
    return Plan(tuple(st for p in plans for st in p.steps), then=tuple(c for p in plans for c in p.then))


def added(m: Match | None, intent: it.TypeInto, target: str, s: Situation) -> list[Step]:
    """Type at the end (or the start) of what the field holds, not over it: click it, go there, type."""
    edge = (Key(keys=("ctrl", "end" if intent.at == "end" else "home")), f"go to the {intent.at} of its text")
    if m is None:
        return [edge, (TypeText(text=intent.text), "type where the focus is")]
    return [s.click(m, target), edge, *_typed(m.element, intent.text, f"{target} {intent.said}", s)]


def fill_checked(m: Match, text: str, target: str, s: Situation, said: str = "") -> Plan:
    """`fill`, then, for a date or time, a look that it shows (a field may need it spelt another way)."""
    others = ways_to_type(text)
    return Plan(tuple(fill(m, text, target, s, said)), then=(CheckTyped(m.element, text, others, target, said),)
                if others else ())


def check_typed(follow: CheckTyped, s: Situation) -> Plan:
    """The field shows the digits typed: done; else type the next spelling (a field not found again: done)."""
    field = next((e for e in s.screen.controls() if e.box.iou(follow.field.box) > 0.5), None)
    fmt = format_of(field.format, follow.field.value) if field is not None else ""
    if fmt:  # typed in its own order: another spelling is no help (the direct check says what it shows)
        return Plan()
    if field is None or shows_date_or_time(field.value + " " + field.name, follow.text) or not follow.others:
        return Plan()
    again = Match(field, 1.0, f"the field at {field.box.to_list()} does not show {follow.text!r}")
    nxt = CheckTyped(field, follow.text, follow.others[1:], follow.target, follow.said)
    return Plan(tuple(fill(again, follow.others[0], follow.target, s, follow.said)), then=(nxt,))


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def shows_date_or_time(seen: str, typed: str) -> bool:
    """Whether a field shows the date or time typed: its digits, and a time's AM or PM (a field that kept the
    digits may still show "--" where the half of the day goes)."""
    meridiem = TIME.match(typed)
    half = meridiem.group(1)[0].lower() if meridiem and meridiem.group(1) else ""
    said_half = not half or re.search(rf"(?<![a-z]){half}\.?m\b", seen, re.I) is not None
    return _digits(typed) in _digits(seen) and said_half


def entries(ref: Ref, s: Situation) -> list[Match]:
    """The fields ``ref`` means; a bare word that names no field ("as the date") means the only field there is."""
    try:
        return s.ground_all(ref, "type")
    except NotFound:
        if ref.role or ref.relations or ref.every or ref.ordinal:
            raise
        for roles in (ENTRIES, ("dropdown",)):  # a date or time field may look like a dropdown
            fields = [e for e in s.screen.controls() if e.role in roles and "disabled" not in e.states]
            if len(fields) == 1 and not fields[0].name:
                return [Match(fields[0], 0.8, f"the only field, for {ref.describe()}")]
        raise


def _implied_field(hint: str, s: Situation) -> Match | None:
    if hint:
        named = s.find(Ref(label=hint), "type")
        if named is not None and named.score >= 0.85 and named.element.role in ENTRIES:
            return named
    focused = [e for e in s.screen.controls() if e.focused and e.role in ENTRIES]
    if focused:
        return Match(focused[0], 1.0, f"the focused {focused[0].role.replace('_', ' ')}")
    entries = [e for e in s.screen.controls() if e.role in ENTRIES and "disabled" not in e.states]
    if len(entries) == 1:
        return Match(entries[0], 0.9, f"the only {entries[0].role.replace('_', ' ')}")
    return None


def fill(m: Match, text: str, target: str, s: Situation, said: str = "") -> list[Step]:
    """Click the field, select what it holds and type ``text`` over it (masked when it is a password: by the
    field's state or name, or by what the command ``said``)."""
    # near the left end: a date or time field starts with its first part there; any field takes the click
    el = m.element
    # a text field or area seen empty has nothing to replace, and Ctrl+A is no key to press for nothing: an
    # editor or terminal binds it to something else (the start of the line); a spin box or date field shows a
    # value the reading may have missed, so it is selected anyway; anything else (words, a cell, a button the
    # description found) is no field, and Ctrl+A there selects the whole page, as it does in a date field, which
    # is typed part by part
    dated = date_typing(el, text)
    if dated is not None:
        start = s.click(m, target, at_start=True)
        again = [start] if dated.clear else []
        why = f"type {text!r} into {el.name or 'the date field'!r} as {dated.text!r}, its format being " \
              f"{format_of(el.format, el.value)!r}"
        return [start, *((k, "empty one part of the date") for k in dated.clear), *again,
                *((k, why if isinstance(k, TypeText) else "on to the next part") for k in dated.keys)]
    select = [SELECT_ALL] if el.role in SELECTABLE and (el.value or el.role not in ("text_field", "text_area")) else []
    return [s.click(m, target, at_start=el.role != "text_area"), *select, *_typed(el, text, f"{target} {said}", s)]


def _typed(el: Element, text: str, said: str, s: Situation) -> list[Step]:
    secret = typed_is_secret(field=el, clause=said, text=text, marked=marked_secrets(s.echo))
    if secret:
        s.memory.secrets.add(text)
    return [(TypeText(text=text, secret=secret), f"type into the {el.role.replace('_', ' ')} {el.name!r}")]


def clear(intent: it.Clear, s: Situation) -> Plan:
    """Empty fields; uncheck checkboxes (a cleared checkbox is an unchecked one). What holds no text (a window, a
    calculator, the menu a like name found) is cleared with its own clear button ("AC", "Clear")."""
    try:
        found = s.ground_all(intent.target, "clear")
    except NotFound:
        found = []
    held = [m for m in found if m.element.role not in HOLD_NO_TEXT]
    if not held:
        button = next((m for name in CLEAR_BUTTONS if (m := s.find(Ref(label=name, exact=True, role="button")))
                       is not None and m.score >= 0.9 and m.element.role == "button"), None)
        if button is not None:
            return Plan((s.click(button, intent.target.said or intent.said),))
        if not found:
            raise NotFound(f"nothing on the screen matches {intent.target.describe()}")
        raise NotFound(f"{intent.target.describe()} holds no text to clear, and nothing on the screen clears it")
    steps: list[Step] = []
    for m in held:
        el = m.element
        if el.role == "checkbox":
            steps += [s.click(m, intent.target.said or intent.said)] if el.checked else []
        elif el.role in SELECTABLE and (el.value or el.role not in ENTRIES):  # Ctrl+A off a field selects the page
            steps += [s.click(m, intent.target.said or intent.said), SELECT_ALL,
                      (Key(keys=("delete",)), "delete what it held")]
    return Plan(tuple(steps))


def search(intent: it.Search, s: Situation) -> Plan:
    """Type the query into the search box (the one said, one named Search, or the only field) and press Enter."""
    box = s.ground(intent.within, "search") if intent.within is not None else _search_box(s)
    return Plan((*fill(box, intent.query, intent.said, s), (Key(keys=("enter",)), "start the search")))


def _search_box(s: Situation) -> Match:
    named = s.find(Ref(label="Search", role="text_field"))
    if named is not None and named.score >= 0.85:
        return named
    implied = _implied_field("", s)
    return implied if implied is not None else s.ground(Ref(role="text_field"))


def copy(intent: it.Copy, s: Situation) -> Plan:
    """Select all of the field's or text area's text and copy it; without a source, copy what is selected."""
    if intent.source is None:
        return Plan(((Key(keys=("ctrl", "c")), "copy what is selected"),))
    m = s.ground(intent.source, "type")
    s.memory.copied_from = m.element.box
    return Plan((s.click(m, intent.source.said or intent.said), SELECT_ALL, (Key(keys=("ctrl", "c")), "copy it")))


def paste(intent: it.Paste, s: Situation) -> Plan:
    if intent.into is None:
        return Plan(((Key(keys=("ctrl", "v")), "paste where the focus is"),))
    m = _elsewhere(s).find(intent.into, "type") if s.memory.copied_from is not None else None
    m = m or s.ground(intent.into, "type")  # not where the text was copied from, unless that is all there is
    return Plan((s.click(m, intent.into.said or intent.said), SELECT_ALL,
                 (Key(keys=("ctrl", "v")), "paste over what it held")))


def _elsewhere(s: Situation) -> Situation:
    """The situation without what lies where the text was copied from (a selected text area may be misread as a
    field inside it)."""
    box = s.memory.copied_from
    assert box is not None
    kept = [e for e in s.screen.elements if not (box.contains(e.box, slack=4) or e.box.iou(box) > 0.5)]
    return replace(s, screen=s.screen.with_elements(kept))


ARITHMETIC = re.compile(r"^[\d.\s()+\-*/×÷]+=?$")
OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def computed(text: str) -> float | None:
    """What an arithmetic expression typed into a calculator comes to ("12*3=" -> 36); None for other text."""
    t = text.strip().replace("×", "*").replace("÷", "/").rstrip("=")
    if not ARITHMETIC.match(text.strip()) or not any(op in t.lstrip("-") for op in "+-*/"):
        return None
    try:
        return _value(ast.parse(t, mode="eval").body)
    except (SyntaxError, ValueError, ZeroDivisionError):
        return None


def _value(node: ast.expr) -> float:
    match node:
        case ast.Constant(value=int() | float() as n):
            return float(n)
        case ast.UnaryOp(op=ast.USub(), operand=x):
            return -_value(x)
        case ast.BinOp(left=a, op=op, right=b) if type(op) in OPERATORS:
            return OPERATORS[type(op)](_value(a), _value(b))
    raise ValueError("not arithmetic")
