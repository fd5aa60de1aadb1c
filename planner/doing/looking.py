"""Doers that look about: scroll, scroll to an end, wait, wait for something, find something.

Find brings its target into view: what ``explore`` names is opened one at a time (sections, tabs, tree folders),
an ordinal past what one page shows pages on ("the 5th result" on a page of three is the 2nd of the next page),
and otherwise the page is scrolled, a few times at most, before the target is reported missing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

from grounding.elements import Box, Element
from grounding.locate import NotFound
from grounding.refs.grammar import Ref
from grounding.refs.resolve import resolve
from planner.actions import Scroll, Wait
from planner.doing.base import Plan, Situation
from planner.language import intents as it
from planner.reading_target import line_noun, on_display

SETTLE = 0.4  # seconds for an opened section or tab to finish opening before the screen is read again
SCROLLS = 4  # scrolls down while looking for something no exploration names
NEXT_PAGE = ("Next", "next page", "›", ">", "»", "Older")
EXPLORE_ROLES = {"tab": "tab", "section": "section", "tree": "tree_item", "file": "tree_item", "list": "option",
                 "menu": "menu_item", "item": "tree_item"}


@dataclass(frozen=True)
class Looking:
    """Follow-up: keep looking for ``find.target`` (``scrolls`` so far)."""

    find: it.Find
    scrolls: int = 0


def scroll(intent: it.Scroll, s: Situation) -> Plan:
    x, y = s.point(s.ground(intent.within).element) if intent.within is not None else s.centre()
    n = intent.amount
    dx, dy = {"up": (0, n), "down": (0, -n), "left": (-n, 0), "right": (n, 0)}[intent.direction]
    return Plan(((Scroll(x=x, y=y, dx=dx, dy=dy), intent.said),))


def scroll_to_edge(intent: it.ScrollToEdge, s: Situation) -> Plan:
    """A long scroll over the area (or the page) toward the edge said, and time for it to get there: browsers
    scroll smoothly, and a click elsewhere while the area still moves stops it short of the edge."""
    x, y = s.point(s.ground(intent.within).element) if intent.within is not None else s.centre()
    far = 60
    dx, dy = {"top": (0, far), "bottom": (0, -far), "left": (-far, 0), "right": (far, 0)}[intent.edge]
    return Plan(((Scroll(x=x, y=y, dx=dx, dy=dy), intent.said), (Wait(seconds=SETTLE), "let it scroll there")))


def wait(intent: it.Wait, s: Situation) -> Plan:
    return Plan(((Wait(seconds=intent.seconds), intent.said or f"wait {intent.seconds:g} s"),))


def wait_for(intent: it.WaitFor, s: Situation) -> Plan:
    s.ground(intent.target)  # NotFound: the agent waits and looks again
    return Plan()


def find(intent: it.Find, s: Situation) -> Plan:
    if intent.report and (line_noun(intent.target) or on_display(intent.target)):
        return Plan()  # read off the screen as it is (planner/reading_target.py): nothing to bring into view
    return look(Looking(intent), s)


def look(follow: Looking, s: Situation) -> Plan:
    """Found: nothing to do. Else open the next thing to explore, page on, or scroll, and look again."""
    target = s.memory.on_this_page(follow.find.target)
    if s.find(follow.find.target) is not None:
        return Plan()
    step = _explore(follow.find, s)
    if step is not None:
        return Plan(_settle(step), then=(follow,))
    step = _next_page(follow.find.target, target, s)
    if step is not None:
        return Plan((step,), then=(follow,))
    if follow.scrolls < SCROLLS and follow.find.explore is None:
        x, y = _where_to_scroll(target, s)
        return Plan(((Scroll(x=x, y=y, dx=0, dy=-5), f"look further down for {target.describe()}"),),
                    then=(replace(follow, scrolls=follow.scrolls + 1),))
    raise NotFound(f"nothing on the screen matches {target.describe()}, after looking")


def _where_to_scroll(ref: Ref, s: Situation) -> tuple[float, float]:
    """Over the last of the things of the role looked for (the list they scroll in), else the screen's middle."""
    if ref.role:
        shown = resolve(ref.with_(ordinal=0, every=True, label=""), list(s.screen.elements))
        if shown:
            return s.point(max((m.element for m in shown), key=lambda e: e.box.y1))
    return s.centre()


def _leaf(el: Element) -> bool:
    """A tree item with no expander (a file): clicking it chooses it, it opens nothing to look in."""
    return el.role == "tree_item" and not {"expanded", "collapsed"} & el.states


def _explore(find: it.Find, s: Situation) -> tuple | None:
    """Open the first section, tab or folder of ``find.explore`` not opened yet."""
    if find.explore is None:
        return None
    tried = s.memory.tried.setdefault(find.said or find.target.describe(), set())
    role = EXPLORE_ROLES.get(find.explore.role, find.explore.role)
    ref = find.explore.with_(role=role, every=True, ordinal=0, count=0)
    try:
        items = s.ground_all(ref)
    except NotFound:
        return None
    alike = Counter(_key(m.element) for m in items)
    fresh = [m for m in items if not _tried(m.element, tried, alike[_key(m.element)] == 1) and not _leaf(m.element)]
    closed = [m for m in fresh if not {"expanded", "selected"} & m.element.states]
    if not fresh:
        return None
    m = (closed or fresh)[0]
    tried.add(_key(m.element))
    tried.add(("at", *m.element.box.to_list()))
    return s.click(m, f"open {m.element.name!r} to look for {find.target.describe()}")


def _settle(step: tuple) -> tuple:
    """The click that opens something, then time for it to open (sections and tabs animate)."""
    return step, (Wait(seconds=SETTLE), "let it open")


def _key(el: Element) -> tuple:
    return el.role, el.name


def _tried(el: Element, tried: set[tuple], unique: bool) -> bool:
    """Opened already: the same item (by its words, when no other item reads the same), or whatever is read now
    where it was clicked (an opened header read again as other words or another role stays where it was; the
    ones below it move)."""
    return unique and _key(el) in tried or any(k[0] == "at" and (el.box.contains_point(*Box(*k[1:]).center)
                                                      or Box(*k[1:]).contains_point(*el.box.center)) for k in tried)


def _next_page(said: Ref, ref: Ref, s: Situation) -> tuple | None:
    """Past the last item this page shows: remember how many it showed and go to the next page."""
    if ref.ordinal <= 0 or not ref.role:
        return None
    shown = resolve(ref.with_(ordinal=0, every=True), [e for e in s.screen.elements])
    if not shown or len(shown) >= ref.ordinal:
        return None
    for word in NEXT_PAGE:
        m = s.find(Ref(label=word))
        if m is not None and m.score >= 0.9 and m.element.is_control:
            s.memory.paged[said] = s.memory.paged.get(said, 0) + len(shown)
            return s.click(m, f"the page shows {len(shown)}: go to the next page")
    return None
