"""Doers that point at one thing: click, hover, focus, set a toggle, expand or collapse, close, drag, submit, press.

Toggles and sections read their state, however they were found: "uncheck" never checks, "expand" never closes
what is open; "all" means every one the screen shows.
"""

from __future__ import annotations

from grounding.elements import Element
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref, Relation
from grounding.refs.resolve import PICKED_BY_ROLE
from grounding.textmatch import is_close_word
from planner.actions import Drag, Key, Move, Open, Wait
from planner.doing.base import Absent, Plan, Situation
from planner.doing.further import look_further, stuck
from planner.doing.launch import launchable
from planner.doing.tooltips import probing, read_tooltips, told
from planner.language import intents as it

SUBMIT_WORDS = ("Submit", "OK", "Send", "Save", "Done", "Continue", "Apply", "Sign in", "Log in", "Search", "Go",
                "Next", "Finish", "Confirm")
TOGGLES = ("checkbox", "radio")
HOVER = 0.3  # seconds a picture is pointed at before it is clicked
LAUNCH = 2.0  # seconds for a started program's window to show


def click(intent: it.Click, s: Situation) -> Plan:
    said = intent.target.said or intent.said
    if probing(s):  # the screen shows the tooltip of an icon pointed at: read on (a tooltip is no target)
        steps, again = read_tooltips(intent.target, s)
        if steps:
            return Plan(steps, then=(intent,) if again else ())
    try:
        found = s.ground_all(intent.target, "click")
    except NotFound as exc:
        steps, again = look_further(intent.target, s)
        if not steps and intent.app:  # nothing on the screen is called so: a program, an entry or a file to open
            command = launchable(intent.app)
            if not command:
                raise Absent(f"there is no application or file called {intent.app!r}") from None
            return _start(command)
        if not steps and stuck(intent.target, s):
            raise Absent(f"{exc}; {stuck(intent.target, s)}") from None
        if not steps:
            steps, again = read_tooltips(intent.target, s)
        if not steps:
            if s.memory.tooltips:
                raise NotFound(f"{exc}; the icon buttons' tooltips say {told(s.memory.tooltips)}") from None
            raise
        return Plan(steps, then=(intent,) if again else ())
    if _a_guess(found, s):  # one picture of several taken for its role alone: their tooltips may tell which
        steps, again = read_tooltips(intent.target, s)
        if steps:
            return Plan(steps, then=(intent,) if again else ())
    steps: list = []
    for m in found:
        if m.element.role == "image":  # a picture often changes under the pointer: point, let it, then click
            x, y = s.point(m.element)
            steps += [(Move(x=x, y=y, target=said), f"point at {m.element.name or 'the picture'!r}"),
                      (Wait(seconds=HOVER), "let it show its hover state")]
        steps.append(s.click(m, said, intent.button, intent.count))
    return Plan(tuple(steps))


def _a_guess(found: list[Match], s: Situation) -> bool:
    """Whether the one match is an unnamed picture picked for its role alone while others like it show."""
    if len(found) != 1 or not found[0].reason.startswith(PICKED_BY_ROLE):
        return False
    role = found[0].element.role
    return sum(e.role == role and not any(c.isalnum() for c in e.name) for e in s.screen.elements) > 1


def _start(command: str) -> Plan:
    return Plan(((Open(app=command), f"start {command}: nothing on the screen is called so"),
                 (Wait(seconds=LAUNCH), "let its window appear")))


def hover(intent: it.Hover, s: Situation) -> Plan:
    m = s.ground(intent.target, "hover")
    x, y = s.point(m.element)
    return Plan(((Move(x=x, y=y, target=intent.target.said or intent.said), m.reason),))


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
        steps.append(s.click(m, intent.target.said or intent.said))
    return Plan(tuple(steps))


def close(intent: it.Close, s: Situation) -> Plan:
    """The close button of the dialog (or the one in front); Escape when none shows."""
    wanted = Ref(label="Close", role="button")
    if intent.target is not None:
        wanted = wanted.with_(relations=(Relation(kind="in", anchor=intent.target),))
    m = s.find(wanted)
    if m is not None and is_close_word(m.element.name):
        return Plan((s.click(m, m.element.name or "close"),))
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
            return Plan((s.click(m, m.element.name or "submit"),))
    return Plan(((Key(keys=("enter",)), "no submit button shows: Enter"),))


def press(intent: it.Press, s: Situation) -> Plan:
    return Plan(((Key(keys=intent.keys, repeat=intent.times), f"press {'+'.join(intent.keys)}"),))
