"""Doers that choose: checkboxes and radios by their labels, options of a list box (ctrl-click for more than one),
a dropdown's option (open it, then pick from what opened, else type its name)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from grounding.elements import Box, Element, Screen
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref
from grounding.textmatch import squash, text_score
from planner.actions import Key, Scroll, TypeText, Wait
from planner.doing.base import Plan, Situation, Step
from planner.language import intents as it

TOGGLES = ("checkbox", "radio")
OPENERS = ("dropdown",)
LIST_SCROLLS = 6  # notches down an opened list before typing the option's name (one at a time: an option half
# out of view at the bottom comes fully into view, not past the top)
SETTLE = 0.3  # seconds for a list's scroll (animated) to end before it is read again


@dataclass(frozen=True)
class PickOpened:
    """Follow-up: pick ``option`` from what clicking the dropdown at ``opener`` opened."""

    option: Ref
    opener: Box
    opener_id: int
    said: str
    scrolls: int = 0


def choose(intent: it.Choose, s: Situation) -> Plan:
    if not intent.options:
        return Plan()
    if intent.within is not None:
        return in_list(intent.options, s.ground(intent.within, "list"), intent.said, s)
    steps: list[Step] = []
    chosen: dict[int, int] = {}  # list box id -> options clicked in it so far
    for option in intent.options:
        m = s.ground(option, "choose")
        el = m.element
        if el.role in TOGGLES:
            steps += [] if el.checked else [s.click(m, intent.said)]
        elif el.role == "option" and el.parent:
            hold = ("ctrl",) if chosen.get(el.parent) else ()
            chosen[el.parent] = chosen.get(el.parent, 0) + 1
            steps += [] if el.selected and len(intent.options) == 1 else [s.click(m, intent.said, hold=hold)]
        elif el.role in OPENERS:
            raise NotFound(f"{option.describe()} is a dropdown; say which option to choose from it")
        else:
            steps.append(s.click(m, intent.said))
    return Plan(tuple(steps))


def in_list(options: tuple[Ref, ...], box: Match, said: str, s: Situation) -> Plan:
    """Choose ``options`` in the list or dropdown ``box``: a dropdown opens first; a list box keeps every option."""
    el = box.element
    if el.role != "list_box" or "collapsed" in el.states:  # a list that is not a list box opens when clicked
        if len(options) > 1:
            raise NotFound(f"the dropdown {el.name!r} holds one choice, and {len(options)} were said")
        if options[0].label and text_score(options[0].label, el.value) >= 0.95:
            return Plan()  # it already shows that choice
        return Plan((s.click(box, said),), then=(PickOpened(options[0], el.box, el.id, said),))
    inside = within(s, el)
    steps: list[Step] = []
    for n, option in enumerate(options):
        m = inside.ground(option, "choose")
        if m.element.selected and len(options) == 1:
            continue
        steps.append(s.click(m, said, hold=("ctrl",) if n else ()))
    return Plan(tuple(steps))


def pick_opened(follow: PickOpened, s: Situation) -> Plan:
    """The option among what opened below (or over) the dropdown; typed and confirmed when it cannot be seen."""
    opened = [e for e in s.screen.elements if e.parent == follow.opener_id and follow.opener_id] or [
        e for e in s.screen.elements
        if e.box.iou(follow.opener) < 0.5 and e.box.y0 >= follow.opener.y0 - 2 and e.id != follow.opener_id]
    sub = Situation(s.obs, _sub_screen(s.screen, opened), s.router, s.echo, s.memory, s.groundings)
    m = sub.find(follow.option)
    if m is not None and _a_word_of_a_longer_option(m.element, opened, follow.option):
        m = None  # "6 ft" is not the "6ft" of "6ft 1in": an option is its whole line
    if m is not None and m.score >= 0.75:
        return Plan((s.click(m, follow.said),))
    if opened and follow.scrolls < LIST_SCROLLS:  # a long list: the option may be further down it
        box = follow.opener
        x, y = s.logical(box.center[0], box.y1 + 1.5 * box.height)
        return Plan(((Scroll(x=x, y=y, dx=0, dy=-1), "look further down the list"),
                     (Wait(seconds=SETTLE), "let the list settle")),
                    then=(replace(follow, scrolls=follow.scrolls + 1),))
    text = follow.option.label or follow.option.said
    return Plan(((TypeText(text=text), "the option is not in view: type its name"), (Key(keys=("enter",)),
                                                                                       "confirm the option")))


def _a_word_of_a_longer_option(el: Element, opened: list[Element], option: Ref) -> bool:
    """A word found inside an opened option whose whole text says more than the option asked for."""
    if any(e is el for e in opened) or el.line < 0:
        return False
    line = next((e for e in opened if e.line == el.line), None)
    return line is not None and option.label != "" and squash(line.name) != squash(option.label) \
        and text_score(option.label, line.name) < 0.9


def within(s: Situation, container: Element) -> Situation:
    """The same situation looking only at what is inside ``container`` (its children or what its box holds)."""
    inside = [e for e in s.screen.elements if e.id != container.id and (
        e.parent == container.id or container.box.contains(e.box, slack=4))]
    words = tuple(w for w in s.screen.words if container.box.contains(w.box, slack=4))
    screen = _sub_screen(s.screen, inside, words)
    return Situation(s.obs, screen, s.router, s.echo, s.memory, s.groundings)


def _sub_screen(screen: Screen, elements: list[Element], words: tuple[Element, ...] | None = None) -> Screen:
    lines = {e.line for e in elements if e.line >= 0}
    kept = words if words is not None else tuple(w for w in screen.words if w.line in lines)
    return Screen(screen.width, screen.height, tuple(elements), kept, screen.image, screen.title, 0, screen.source)
