"""Doers that point at one thing: click, hover, focus, set a toggle, expand or collapse, close, drag, submit, press.

Toggles and sections read their state, however they were found: "uncheck" never checks, "expand" never closes
what is open; "all" means every one the screen shows.
"""

from __future__ import annotations

from grounding.elements import Element
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref, Relation
from grounding.textmatch import icon_score, is_close_word, text_score
from planner.actions import Drag, Key, Move
from planner.doing.base import Plan, Situation
from planner.language import intents as it

SUBMIT_WORDS = ("Submit", "OK", "Send", "Save", "Done", "Continue", "Apply", "Sign in", "Log in", "Search", "Go",
                "Next", "Finish", "Confirm")
TOGGLES = ("checkbox", "radio")


def click(intent: it.Click, s: Situation) -> Plan:
    said = intent.target.said or intent.said
    try:
        found = s.ground_all(intent.target, "click")
    except NotFound:
        more = _overflow(intent.target, s)
        if more is None:
            raise
        return Plan((more,), then=(intent,))
    return Plan(tuple(s.click(m, said, intent.button, intent.count) for m in found))


def _overflow(target: Ref, s: Situation) -> tuple | None:
    """What is not in view may be in an overflow menu ("…", "More"): the one beside what the target belongs to
    ("For the user X, click Block"), opened once; None when there is none or it was opened already."""
    scope = tuple(r for r in target.relations if r.kind in ("of", "in"))
    more = s.find(Ref(label="more", relations=scope))
    tried = s.memory.tried.setdefault("overflow", set())
    says_more = more is not None and (icon_score("more", more.element.name) or text_score("more", more.element.name)
                                      >= 0.9)
    if not says_more or tuple(more.element.box.to_list()) in tried:
        return None
    tried.add(tuple(more.element.box.to_list()))
    return s.click(more, f"open {more.element.name!r} to look for {target.describe()}")


def hover(intent: it.Hover, s: Situation) -> Plan:
    m = s.ground(intent.target, "hover")
    x, y = s.point(m.element)
    return Plan(((Move(x=x, y=y, target=intent.said), m.reason),))


def focus(intent: it.Focus, s: Situation) -> Plan:
    return Plan((s.click(s.ground(intent.target, "type"), intent.target.said or intent.said),))


def toggle(intent: it.SetToggle, s: Situation) -> Plan:
    """Check or uncheck: click only the toggles whose state differs (a radio cannot be unchecked by a click)."""
    steps = []
    for m in s.ground_all(intent.target, "toggle"):
        el = toggle_of(m, s)
        if el.role in TOGGLES and el.checked == intent.on:
            continue
        if el.role == "radio" and not intent.on:
            raise NotFound(f"the radio button {el.name!r} cannot be unchecked by clicking it; choose another option")
        steps.append(s.click(Match(el, m.score, m.reason), intent.target.said or intent.said))
    return Plan(tuple(steps))


def toggle_of(m: Match, s: Situation) -> Element:
    """The checkbox or radio a match stands for: itself, or the toggle its words name."""
    el = m.element
    if el.role in TOGGLES:
        return el
    near = s.find(Ref(role="toggle", relations=(Relation(kind="next_to", anchor=Ref(label=el.name)),)))
    return near.element if near is not None else el


def expand(intent: it.Expand, s: Situation) -> Plan:
    """Open (or close) sections: one whose state already says so is left alone."""
    steps = []
    for m in s.ground_all(intent.target, "expand"):
        states = m.element.states
        if intent.open and "expanded" in states or not intent.open and "collapsed" in states:
            continue
        steps.append(s.click(m, intent.said))
    return Plan(tuple(steps))


def close(intent: it.Close, s: Situation) -> Plan:
    """The close button of the dialog (or the one in front); Escape when none shows."""
    wanted = Ref(label="Close", role="button")
    if intent.target is not None:
        wanted = wanted.with_(relations=(Relation(kind="in", anchor=intent.target),))
    m = s.find(wanted)
    if m is not None and is_close_word(m.element.name):
        return Plan((s.click(m, intent.said or "close"),))
    return Plan(((Key(keys=("escape",)), "no close button shows: Escape"),))


def drag(intent: it.Drag, s: Situation) -> Plan:
    a, b = s.ground(intent.source), s.ground(intent.to)
    (x, y), (tx, ty) = s.point(a.element), s.point(b.element)
    return Plan(((Drag(x=x, y=y, to_x=tx, to_y=ty, target=intent.said), f"{a.reason} -> {b.reason}"),))


def submit(intent: it.Submit, s: Situation) -> Plan:
    """The form's submit button by the words such buttons say; Enter when there is none."""
    for word in SUBMIT_WORDS:
        m = s.find(Ref(label=word, role="button"))
        if m is not None and m.score >= 0.9:
            return Plan((s.click(m, intent.said or "submit"),))
    return Plan(((Key(keys=("enter",)), "no submit button shows: Enter"),))


def press(intent: it.Press, s: Situation) -> Plan:
    return Plan(((Key(keys=intent.keys, repeat=intent.times), f"press {'+'.join(intent.keys)}"),))
