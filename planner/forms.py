"""What a form needs in one worker action: ``select`` chooses options in a dropdown or a list (several in a
multi-select list: the first clicked, the rest ctrl-clicked), ``set`` puts a checkbox or radio button on or off and
a slider or spin box at a value. Both read the state on the screen first and do only what is left to do, and say
what the control should show afterwards (``Wanted``: planner/set_check.py looks once the screen settled).

A spin box is typed into through its value's cell, never at the centre of its whole box: GTK puts its - and +
buttons there (a click on the edge of the - left the focus elsewhere, and the value went into a search field), and
Tab commits what was typed (Enter may press a dialog's default button: Qt lets it through). A dropdown whose list
does not show after the click is chosen in by typing alone: Enter opens a collapsed list (Chromium's <select>).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound, Ref, locate_all, normalise, squash, text_score
from planner.aci import Aim, Later, Step, View, Wanted
from planner.actions import ActionError, Click, Key, TypeText
from planner.replies import SelectA, SetA

if TYPE_CHECKING:
    from planner.aci import Translator

TOGGLES = ("checkbox", "radio", "option", "menu_item", "tree_item")
OPTION_ROLES = ("option", "menu_item", "tree_item", "cell")
ON = {"on", "true", "yes", "checked", "ticked", "selected"}
OFF = {"off", "false", "no", "unchecked", "unticked", "cleared"}
SLIDER_ROUNDS = 3  # reads of a slider's value while moving it by keys
LISTS = ("list", "list_box", "menu")  # what an opened dropdown's list may be read as


def select_steps(tr: Translator, act: SelectA) -> list[Step]:
    options = act.options
    aim = tr.aim(act.target) if act.target is not None else None
    box = aim.element if aim is not None else None
    if box is not None and box.role == "dropdown" and len(options) == 1:
        tr.wanted = Wanted(box, aim.said if aim is not None else "", value=options[0])
        if _says(box.value, options[0]):
            return []  # it already shows that choice
    if box is not None and box.role == "dropdown" and (box.expanded or tr.view.screen.children(box.id)):
        found = _find(tr.view.screen, options, box, exclude=box)  # it is open: choose in its list
        if all(found):
            return _clicks(tr, found, options)
        if len(options) == 1:  # a click on it would close its list: the open list jumps to what is typed
            return [TypeText(text=options[0]), Key(keys=("enter",))]
    if box is None or box.role != "dropdown":
        found = _find(tr.view.screen, options, box)
        if all(found):
            return _clicks(tr, found, options)
        if aim is None or (box is not None and box.role == "list_box"):
            missing = [o for o, f in zip(options, found, strict=True) if f is None]
            raise NotFound(f"the option {missing[0]!r} is not in view" + (" in the list: scroll it first"
                                                                         if box is not None else ""))
    assert aim is not None
    before = tr.view.screen
    return [Click(x=aim.x, y=aim.y, target=aim.label),
            Later(f"choose {', '.join(options)}", lambda view: _choose(tr, view, options, box, aim.said, before))]


def _choose(tr: Translator, view: View, options: list[str], opened: Element | None, said: str,
            before: Screen) -> list[Step]:
    """On the screen after the click: click the options in the list it opened; an option the screen does not show
    is typed, and where the list is open (the list jumps to it) confirmed with Enter. Where no list shows, the
    click left the dropdown closed and focused (or closed the list it had open): typing alone chooses there, and
    Enter would open the list instead."""
    tr.view = view
    anchor = tr.same(opened, view.screen) if opened is not None else None
    found = _find(view.screen, options, anchor or opened, exclude=opened)
    if all(found):
        return _clicks(tr, found, options)
    if len(options) == 1:
        if anchor is not None and not _list_open(view.screen, anchor, before):
            return [TypeText(text=options[0])]
        return [TypeText(text=options[0]), Key(keys=("enter",))]
    missing = [o for o, f in zip(options, found, strict=True) if f is None]
    raise NotFound(f"after a click on {said}, the option {missing[0]!r} is not in view")


def _list_open(screen: Screen, box: Element, before: Screen) -> bool:
    """Whether ``box``'s list shows: it says it is expanded, it has options, or what the screen before the click did
    not have appeared: options or a list anywhere, or lines of text in its column (rows a pixel parse read as text)."""
    if box.expanded or screen.children(box.id):
        return True
    if "collapsed" in box.states:
        return False

    def new(e: Element) -> bool:
        return e is not box and not any(o.role == e.role and o.box.iou(e.box) > 0.5 for o in before.elements)

    def in_column(e: Element) -> bool:
        return min(e.box.x1, box.box.x1) - max(e.box.x0, box.box.x0) > 0.5 * min(e.box.width, box.box.width)

    return any(new(e) and (e.role in OPTION_ROLES + LISTS or (e.role == "text" and in_column(e)))
               for e in screen.elements)


def _clicks(tr: Translator, found: list[Element | None], options: list[str]) -> list[Step]:
    steps: list[Step] = []
    for i, (el, option) in enumerate(zip(found, options, strict=True)):
        assert el is not None
        a = tr.point_of(el, repr(option))
        steps.append(Click(x=a.x, y=a.y, target=a.said, hold=("ctrl",) if i else ()))
    return steps


def _find(screen: Screen, options: list[str], near: Element | None,
          exclude: Element | None = None) -> list[Element | None]:
    """Each option's element: an option of ``near`` (its child, or inside its box) first, then the closest match."""
    skip = (exclude.box,) if exclude is not None else ()
    out: list[Element | None] = []
    for option in options:
        matches = [m for m in locate_all(Ref(label=option, said=option), screen, exclude=skip)
                   if (m.score >= 0.85 or squash(m.element.name) == squash(option))  # OCR drops spaces
                   and m.element is not exclude and not (near is not None and m.element is near)]
        if not matches:
            out.append(None)
            continue
        out.append(min(matches, key=lambda m: _rank(m.element, m.score, near)).element)
    return out


def _rank(el: Element, score: float, near: Element | None) -> tuple[float, ...]:
    inside = near is not None and (el.parent == near.id and near.id != 0 or near.box.contains(el.box, slack=2))
    distance = 0.0 if near is None else abs(el.box.center[1] - near.box.center[1]) + abs(el.box.x0 - near.box.x0)
    return (0 if inside else 1, 0 if el.role in OPTION_ROLES else 1, -round(score, 2), distance)


def _says(shown: str, wanted: str) -> bool:
    return bool(shown) and text_score(wanted, shown) >= 0.93


def set_steps(tr: Translator, act: SetA) -> list[Step]:
    aim = tr.aim(act.target)
    el = aim.element
    if el is None:
        raise NotFound(f"there is no checkbox, radio button, slider or spin box at {aim.said}")
    if el.role == "dropdown" and not isinstance(act.value, bool):  # set to a choice: what select does
        option = act.value if isinstance(act.value, str) else _fmt(act.value)
        return select_steps(tr, SelectA(type="select", target=act.target, option=option))
    if el.role in TOGGLES or isinstance(act.value, bool) or _word(act.value) in ON | OFF:
        steps = _toggle(el, aim, act.value)
        tr.wanted = Wanted(el, aim.said, on=_on(act.value))
        return steps
    number = _number(act.value)
    if el.role == "slider":
        return _slide(tr, el, aim, number)
    if el.role in ("spin_box", "text_field"):
        tr.wanted = Wanted(el, aim.said, value=_fmt(number))
        if _number_or_none(el.value) == number:
            return []
        at = tr.point_of(el.with_(box=value_cell(el, tr.view.screen)), aim.label) if el.role == "spin_box" else aim
        return [Click(x=at.x, y=at.y, target=aim.label), Key(keys=("ctrl", "a")), TypeText(text=_fmt(number)),
                Key(keys=("tab",))]
    raise NotFound(f"{aim.said} is a {el.role.replace('_', ' ')}, which set cannot change: click it or type into it")


def value_cell(el: Element, screen: Screen) -> Box:
    """The part of a spin box that holds its value: its box left of its buttons, which are the controls the screen
    shows in its right half, else the right end as GTK draws them (two squares as tall as the box, - then +) and Qt
    within it (a narrow column of arrows). A box taller than wide (GTK's vertical spin button: + over the value over
    -) has its value in the middle."""
    box = el.box
    if box.height > 1.5 * box.width:
        return Box(box.x0, box.y0 + box.height / 3, box.x1, box.y1 - box.height / 3)
    buttons = [e for e in screen.elements if e is not el and e.is_control and box.contains(e.box, slack=3)
               and e.box.center[0] > box.center[0]]
    end = min((b.box.x0 for b in buttons), default=box.x1 - min(2 * box.height, box.width / 2))
    return Box(box.x0, box.y0, max(end, box.x0 + 2), box.y1)


def _toggle(el: Element, aim: Aim, value: bool | float | str) -> list[Step]:
    want = _on(value)
    if el.role not in TOGGLES:
        raise NotFound(f"{aim.said} is a {el.role.replace('_', ' ')}, not a checkbox or radio button")
    now = el.checked or (el.role != "checkbox" and el.selected)
    if now == want:
        return []  # already in that state: clicking would undo it
    if el.role == "radio" and not want:
        raise NotFound(f"{aim.said} is a radio button: it goes off when another one in its group is chosen")
    return [Click(x=aim.x, y=aim.y, target=aim.label)]


def _slide(tr: Translator, el: Element, aim: Aim, target: float) -> list[Step]:
    """Focus the slider, then move it by arrow keys, reading its value after each round to learn the key's step."""
    if _number_or_none(el.value) == target:
        return []
    steps: list[Step] = [] if el.focused else [Click(x=aim.x, y=aim.y, target=aim.label)]
    return steps + [Later(f"move {aim.said} to {_fmt(target)}", lambda view: _nudge(tr, view, el, target, None, 0))]


def _nudge(tr: Translator, view: View, was: Element, target: float, last: tuple[float, int] | None,
           rounds: int) -> list[Step]:
    tr.view = view
    el = tr.same(was, view.screen)
    value = _number_or_none(el.value) if el is not None else None
    if value is None:
        raise NotFound("the slider's value cannot be read on the screen: drag it or press arrow keys instead")
    if value == target:
        return []
    step = 1.0
    if last is not None and last[1] and value != last[0]:
        step = abs(value - last[0]) / last[1]
    if rounds >= SLIDER_ROUNDS:
        raise NotFound(f"the slider stopped at {_fmt(value)}, not {_fmt(target)}: it may not reach that value")
    presses = max(1, min(200, round(abs(target - value) / step)))
    key = "right" if target > value else "left"
    return [Key(keys=(key,), repeat=presses),
            Later("read the slider", lambda v: _nudge(tr, v, el, target, (value, presses), rounds + 1))]


def _word(value: bool | float | str) -> str:
    return normalise(value) if isinstance(value, str) else ""


def _on(value: bool | float | str) -> bool:
    if isinstance(value, bool):
        return value
    word = _word(value) if isinstance(value, str) else ""
    if word in ON or (not word and value == 1):
        return True
    if word in OFF or (not word and value == 0):
        return False
    raise ActionError(f"value: a checkbox or radio button is set to true or false, got {value!r}")


def _number(value: bool | float | str) -> float:
    n = _number_or_none(value) if not isinstance(value, bool) else None
    if n is None:
        raise ActionError(f"value: a slider or spin box is set to a number, got {value!r}")
    return n


def _number_or_none(value: object) -> float | None:
    try:
        return float(str(value).replace(",", "").strip().rstrip("%"))
    except ValueError:
        return None


def _fmt(number: float) -> str:
    return f"{number:g}"
