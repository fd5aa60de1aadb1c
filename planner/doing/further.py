"""Where a click's target is not in view yet: what it belongs to scrolled into view, then its overflow menu.

"For the user X, click Block": when X is not on the screen, the content is scrolled (over its lowest line of
text, where a list runs on past the bottom) until X shows; when X shows but Block does not, the overflow menu
beside X ("•••", "⋮", "More") is opened, once; an entry of that menu still out of sight is scrolled into view,
and an entry that says exactly the target's label is taken even when X has scrolled out of sight meanwhile.
"""

from __future__ import annotations

from collections import Counter

from grounding.locate import Match
from grounding.refs.grammar import Ref
from grounding.textmatch import icon_score, text_score
from planner.actions import Scroll, Wait
from planner.doing.base import Situation, Step

ANCHOR_SCROLLS = 8  # wheel notches down while looking for what the target belongs to
BELOW_SCROLLS = 2  # wheel notches down over what the target belongs to, its own controls out of sight below
MENU_SCROLLS = 3  # wheel notches down to bring an opened menu's lower entries into view
SURE = 0.9  # an entry found without its scope must say the label this surely
SETTLE = 0.4  # seconds for a scroll to finish (browsers animate it) before the screen is read again
JITTER = 4  # pixels a box of the same text may move between two reads of an unmoved screen


def look_further(target: Ref, s: Situation) -> tuple[tuple[Step, ...], bool]:
    """The next steps to bring ``target`` into view and whether the click is still to come (False: the steps
    are the click itself); ((), False) when nothing is left to try."""
    said = target.said or target.describe()
    seen = s.memory.tried.setdefault(f"further:{said}", set())
    scope = tuple(r for r in target.relations if r.kind in ("of", "in"))
    opened = next((k for k in seen if k[0] == "opened"), None)
    if scope and opened is None and any(s.find(r.anchor) is None for r in scope):
        return _scroll(seen, "anchor", ANCHOR_SCROLLS, _lowest_line(s), s, f"look further down for {said}")
    if opened is None:
        more = _overflow(scope, s)
        if more is None:  # what belongs to it may be further down, below the fold
            anchor = s.find(scope[0].anchor) if scope else None
            at = s.point(anchor.element) if anchor is not None else None
            return _scroll(seen, "below", BELOW_SCROLLS, at, s, f"look below {scope[0].anchor.describe()}"
                           if scope else "")
        seen.add(("opened", *s.point(more.element)))
        return (s.click(more, f"open {more.element.name!r} to look for {target.describe()}"),), True
    entry = s.find(target.with_(relations=())) if scope else None
    if entry is not None and text_score(target.label, entry.element.name) >= SURE:
        return (s.click(entry, f"{said}, in the menu opened for it"),), False
    return _scroll(seen, "menu", MENU_SCROLLS, (opened[1], opened[2]), s, "bring the menu's entries into view")


def stuck(target: Ref, s: Situation) -> str:
    """What a search by scrolling found when its last scroll changed nothing ("" when it did not end so)."""
    seen = s.memory.tried.get(f"further:{target.said or target.describe()}", set())
    return "scrolling does not move this screen, so it is not further down" if ("stuck",) in seen else ""


def _scroll(seen: set, kind: str, most: int, at: tuple[float, float] | None, s: Situation,
            why: str) -> tuple[tuple[Step, ...], bool]:
    done = sum(1 for k in seen if k[0] == kind)
    if at is None or done >= most:
        return (), False
    view = _view(s)
    if done and any(k[:3] == ("view", kind, done - 1) and _unmoved(k[3], view) for k in seen):
        seen.add(("stuck",))  # the last scroll changed nothing: the screen cannot scroll here, more will not help
        return (), False
    seen.add((kind, done))
    seen.add(("view", kind, done, view))
    return ((Scroll(x=at[0], y=at[1], dx=0, dy=-1), why), (Wait(seconds=SETTLE), "let the scroll settle")), True


def _view(s: Situation) -> tuple[tuple[str, str, float], ...]:
    """Where each thing the screen names once sits: a scroll moves them, a hover or a caret does not."""
    names = Counter((e.role, e.name) for e in s.screen.elements if e.name)
    return tuple((e.role, e.name, e.box.y0) for e in s.screen.elements if e.name and names[(e.role, e.name)] == 1)


def _unmoved(before: tuple, now: tuple) -> bool:
    """Whether a scroll left things where they were: of those named on both screens, hardly any moved up or down
    (a row the pointer now lights up may read a little differently, but a scroll moves a whole list)."""
    was = {(role, name): y for role, name, y in before}
    both = [(was[(role, name)], y) for role, name, y in now if (role, name) in was]
    moved = sum(abs(a - b) > JITTER for a, b in both)
    return len(both) >= 3 and moved <= max(1, len(both) // 20)


def _overflow(scope: tuple, s: Situation) -> Match | None:
    """The overflow menu ("…", "More") beside what the target belongs to."""
    more = s.find(Ref(label="more", relations=scope))
    if more is None:
        return None
    name = more.element.name
    return more if icon_score("more", name) or text_score("more", name) >= 0.9 else None


def _lowest_line(s: Situation) -> tuple[float, float] | None:
    """Over the lowest line of text: where content that runs on below the fold is."""
    lines = [e for e in s.screen.elements if e.role in ("text", "link", "heading") or e.role == "text_area"]
    if not lines:
        return None
    low = max(lines, key=lambda e: e.box.y1)
    return s.point(low)
