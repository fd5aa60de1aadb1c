"""Doers that choose: checkboxes and radios by their labels, options of a list box (ctrl-click for more than one),
a dropdown's option (open it, then pick from what opened, else type its name and look that the list took it), a
radio of the group a label names ("set the frequency to daily")."""

from __future__ import annotations

from dataclasses import dataclass, replace

from grounding.elements import Box, Element, Screen
from grounding.locate import Match, NotFound
from grounding.refs.grammar import Ref
from grounding.textmatch import shows, squash, text_score
from planner.actions import Key, Scroll, TypeText, Wait
from planner.doing.base import Absent, Plan, Situation, Step
from planner.language import intents as it

TOGGLES = ("checkbox", "radio")
OPENERS = ("dropdown",)
MENUS = ("menu", "menu_bar_item")
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
    menu: str = ""  # the menu's name, where the opener is a menu: its items all show once it is open


@dataclass(frozen=True)
class NotInMenu:
    """Follow-up: the menu was closed, as ``option`` is not among its items; say so."""

    option: Ref
    menu: str


@dataclass(frozen=True)
class CheckChosen:
    """Follow-up: the dropdown at ``opener`` should now show ``option``, which was typed as it could not be seen."""

    option: Ref
    opener: Box
    opener_id: int
    closed: bool = False  # the list was seen open after the typing and closed


def choose(intent: it.Choose, s: Situation) -> Plan:
    if not intent.options:
        return Plan()
    if intent.within is not None:
        return in_list(intent.options, s.ground(intent.within, "list"), intent.within.said or "the list", s)
    steps: list[Step] = []
    chosen: dict[int, int] = {}  # list box id -> options clicked in it so far
    for option in intent.options:
        try:
            m = s.ground(option, "choose")
        except NotFound:
            if (lists := _dropdowns(s)) and len(intent.options) == 1:
                return _in_the_one_list(option, lists, s)
            raise
        el = m.element
        what = option.said or option.describe()
        if el.role in TOGGLES:
            steps += [] if el.checked else [s.click(m, what)]
        elif el.role == "option" and el.parent:
            hold = ("ctrl",) if chosen.get(el.parent) else ()
            chosen[el.parent] = chosen.get(el.parent, 0) + 1
            steps += [] if el.selected and len(intent.options) == 1 else [s.click(m, what, hold=hold)]
        elif el.role in OPENERS:
            raise NotFound(f"{option.describe()} is a dropdown; say which option to choose from it")
        else:
            steps.append(s.click(m, what))
    return Plan(tuple(steps))


def _dropdowns(s: Situation) -> list[Element]:
    """The closed dropdowns on the screen, where an option that is not in view may be; none when the screen shows
    other sets of choices too (radios, a list box's options), among which it may still come into view."""
    if any(e.role in ("radio", "option", "list_box") for e in s.screen.elements):
        return []
    return [e for e in s.screen.elements if e.role == "dropdown" and "expanded" not in e.states]


def _in_the_one_list(option: Ref, lists: list[Element], s: Situation) -> Plan:
    """An option not in view, with no list named: chosen in the screen's only dropdown (opened, as a person would
    look there); with several, which one holds it is the person's to say."""
    if len(lists) > 1:
        names = ", ".join(repr(e.name) for e in lists if e.name) or f"{len(lists)} unnamed ones"
        raise NotFound(f"{option.describe()} is not in view; say which list holds it (the dropdowns here: {names})")
    said = repr(lists[0].name) if lists[0].name else "the dropdown"
    return in_list((option,), Match(lists[0], 1.0, f"the screen's only dropdown, {said}"), said, s)


def in_list(options: tuple[Ref, ...], box: Match, said: str, s: Situation) -> Plan:
    """Choose ``options`` in the list or dropdown ``box`` (``said``: what the command calls it): a dropdown opens
    first; a list box keeps every option."""
    el = box.element
    if el.role != "list_box" or "collapsed" in el.states:  # a list that is not a list box opens when clicked
        if len(options) > 1:
            raise NotFound(f"the dropdown {el.name!r} holds one choice, and {len(options)} were said")
        if options[0].label and text_score(options[0].label, el.value) >= 0.95:
            return Plan()  # it already shows that choice
        menu = el.name or said if el.role in MENUS else ""
        return Plan((s.click(box, said),), then=(PickOpened(options[0], el.box, el.id, _what(options[0]), menu=menu),))
    inside = within(s, el)
    steps: list[Step] = []
    for n, option in enumerate(options):
        m = inside.ground(option, "choose")
        if m.element.selected and len(options) == 1:
            continue
        steps.append(s.click(m, _what(option), hold=("ctrl",) if n else ()))
    return Plan(tuple(steps))


def _what(option: Ref) -> str:
    return option.said or option.describe()


def pick_opened(follow: PickOpened, s: Situation) -> Plan:
    """The option among what opened below (or over) the dropdown; typed and confirmed when it cannot be seen."""
    opened = _what_opened(s, follow.opener, follow.opener_id)
    sub = Situation(s.obs, _sub_screen(s.screen, opened), s.router, s.echo, s.memory, s.groundings)
    m = sub.find(follow.option)
    if m is not None and _a_word_of_a_longer_option(m.element, opened, follow.option):
        m = None  # "6 ft" is not the "6ft" of "6ft 1in": an option is its whole line
    if m is not None and m.score >= 0.75:
        return Plan((s.click(m, follow.said),))
    if follow.menu or _a_menu(opened):  # its items all show: one not among them is not there, and what is typed
        # into an open menu goes on to the application
        menu = follow.menu or next((e.name for e in s.screen.elements if e.id == follow.opener_id), "")
        return Plan(((Key(keys=("escape",)), "close the menu"),), then=(NotInMenu(follow.option, menu),))
    if opened and follow.scrolls < LIST_SCROLLS:  # a long list: the option may be further down it
        box = follow.opener
        x, y = s.logical(box.center[0], box.y1 + 1.5 * box.height)
        return Plan(((Scroll(x=x, y=y, dx=0, dy=-1), "look further down the list"),
                     (Wait(seconds=SETTLE), "let the list settle")),
                    then=(replace(follow, scrolls=follow.scrolls + 1),))
    text = follow.option.label or follow.option.said
    return Plan(((TypeText(text=text), "the option is not in view: type its name"), (Key(keys=("enter",)),
                                                                                       "confirm the option")),
                then=(CheckChosen(follow.option, follow.opener, follow.opener_id),))


def not_in_menu(follow: NotInMenu, s: Situation) -> Plan:
    """The sentence for an item a menu does not have (the menu is closed by now)."""
    menu = f"the {follow.menu} menu" if follow.menu else "the menu"
    raise Absent(f"{menu} has no item {follow.option.said or follow.option.label!r}")


def _a_menu(opened: list[Element]) -> bool:
    """What opened is a menu: menu items, no options of a list."""
    return any(e.role == "menu_item" for e in opened) and not any(e.role == "option" for e in opened)


def check_chosen(follow: CheckChosen, s: Situation) -> Plan:
    """After typing an option's name: close the list if it is still open, and fail when the dropdown shows another
    option (a list without that option jumps to the nearest name, so typing alone proves nothing)."""
    if not follow.closed and _opened(s, follow.opener, follow.opener_id):
        return Plan(((Key(keys=("escape",)), "close the list"),), then=(replace(follow, closed=True),))
    shown = [e for e in s.screen.elements if e.box.iou(follow.opener) > 0.5
             and e.role in ("dropdown", "button", "text_field", "list_box")]
    said = [t for e in shown[:1] for t in ((e.value,) if e.role == "dropdown" and e.value else (e.value, e.name)) if t]
    wanted = follow.option.label or follow.option.said
    if not said or not wanted or any(text_score(wanted, t) >= 0.6 or shows(t, wanted) for t in said):
        return Plan()  # it shows the option, or what it shows cannot be read
    raise NotFound(f"the list has no option {wanted!r}: typing it chose {said[0]!r}")


def _opened(s: Situation, opener: Box, opener_id: int) -> bool:
    """Whether options show under (or over) the dropdown at ``opener``: its list is open."""
    return any(e.role == "option" for e in _what_opened(s, opener, opener_id))


def _what_opened(s: Situation, opener: Box, opener_id: int) -> list[Element]:
    """What hangs from the dropdown at ``opener``: its children where the screen says so, else what lies below
    it (or over it, not on it)."""
    return [e for e in s.screen.elements if e.parent == opener_id and opener_id] or [
        e for e in s.screen.elements if e.box.iou(opener) < 0.5 and e.box.y0 >= opener.y0 - 2 and e.id != opener_id]


def in_group(group: Ref, value: str, s: Situation) -> Match | None:
    """ "set the frequency to daily": the radio ``value`` of the group whose label the words of ``group`` say, on
    the label's row after it or in a column under it; None when the screen shows no such group."""
    if not group.label:
        return None
    choice = s.find(Ref(label=value, role="radio", said=value))
    label = s.find(Ref(label=group.label, role="text", said=group.said or group.label))
    if choice is None or label is None or min(choice.score, label.score) < 0.85:
        return None
    lb, cb = label.element.box, choice.element.box
    h = max(lb.height, cb.height)
    row = abs(lb.center[1] - cb.center[1]) < 0.6 * h and lb.x1 <= cb.x0 + 2
    column = 0 <= cb.y0 - lb.y1 < 8 * h and cb.x0 >= lb.x0 - 2 * h
    return choice if row or column else None


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
