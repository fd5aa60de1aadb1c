"""Icon buttons named the way a person learns them: by pointing at each and reading its tooltip.

A toolbar's pictures often say nothing the parser can read ("Reload", "Side-Pane", "Jump to" in a Qt editor), and
without an accessibility tree nothing else does. When a click's target is on no control and looking further
found nothing, each icon button whose name is unknown or only guessed from its picture is pointed at in turn, in
reading order, and the next screen is read for its tooltip: named things that appeared beside the pointer,
outside the button. A tooltip that says the target is taken at once; otherwise, once every icon was pointed at,
the one that says it best (its words, or words that begin with them: "Replace" in "Show/hide replacement dock").
Before the click the pointer leaves the toolbar, so the screen the click is checked against shows no tooltip
(one vanishing under the click would pass for the click's effect). What the tooltips said is kept for the whole
command: a second target on the same toolbar is found without pointing again.
"""

from __future__ import annotations

from dataclasses import dataclass

from grounding.elements import Box, Element, Screen, reading_order
from grounding.refs.grammar import Ref
from grounding.textmatch import normalise, text_score
from grounding.theme_icons import LIKENESS, SOURCE
from planner.actions import Move, Wait
from planner.doing.base import Situation, Step

SHOW = 1.0  # seconds pointed at an icon before its tooltip is read (Qt shows one after 0.7 s, GTK after 0.5 s)
LEAVE = 0.5  # seconds for a tooltip to go once the pointer left its button
MOST = 24  # icon buttons pointed at for one target at most
SURE = 0.9  # a tooltip that says the target this surely is taken without pointing at the rest
LOOSE = 0.55  # the least a tooltip may say it and still be taken, once all were read
REACH = 4.0  # a tooltip lies within this many button heights of the pointer
GUESSED = (SOURCE, LIKENESS)  # names the parser gave from a picture's look: a guess a tooltip can correct


@dataclass(frozen=True)
class Pointed:
    """The icon button pointed at, where, and the named things the screen showed just before."""

    box: Box
    at: tuple[float, float]
    before: tuple[tuple[str, Box], ...]

    @staticmethod
    def on(box: Box, screen: Screen) -> Pointed:
        """Pointing at the middle of ``box``, the named things of ``screen`` (the one before) kept to compare."""
        return Pointed(box, box.center, tuple((o.name, o.box) for o in screen.elements if o.name))


def probing(s: Situation) -> bool:
    """Whether an icon button is pointed at, or was chosen by its tooltip: a tooltip on this screen is no target."""
    return s.memory.pointed is not None or bool(s.memory.chosen)


def read_tooltips(target: Ref, s: Situation) -> tuple[tuple[Step, ...], bool]:
    """The next steps toward clicking ``target`` by what the icons' tooltips say, and whether the click is still to
    come (False: the steps are the click); ((), False) when no tooltip says it."""
    if not _askable(target):
        return (), False
    memory = s.memory
    if memory.pointed is not None:
        memory.tooltips[_key(memory.pointed.box)] = tooltip(memory.pointed, s.screen)
        memory.pointed = None
    chosen = memory.chosen.pop(target.label, None)
    if chosen is not None:
        box, said = chosen
        el = _at(box, s) or Element(box, "button", name=said, source="tooltip")
        return (s.click(el, f"{target.said or target.label}: its tooltip says {said!r}"),), False
    if target.label not in memory.to_point:  # the buttons to point at, from the screen before any was
        memory.to_point[target.label] = _unread(icon_buttons(s), memory.tooltips)[:MOST]
    queue = memory.to_point[target.label]
    best = _best(target.label, memory.tooltips)
    if best is not None and (best[2] >= SURE or not queue or queue[0][1]):  # no guess is pointed at past a match
        memory.chosen[target.label] = (best[0], best[1])
        away = _away(s)
        return ((Move(x=away[0], y=away[1]), f"its tooltip says {best[1]!r}: move off the toolbar before clicking"),
                (Wait(seconds=LEAVE), "let the tooltip go")), True
    if not queue:
        return (), False
    box, _ = queue.pop(0)
    memory.pointed = Pointed.on(box, s.screen)
    x, y = s.point(box)
    return ((Move(x=x, y=y, target=target.said or target.label),
             f"point at the icon button at {box.to_list()} to read its tooltip"),
            (Wait(seconds=SHOW), "let its tooltip show")), True


def told(tooltips: dict[tuple[int, ...], str]) -> str:
    """What the tooltips read so far said, for a message: "'New tab', 'Open a file'"."""
    return ", ".join(repr(t) for t in tooltips.values() if t)


def icon_buttons(s: Situation) -> list[tuple[Box, bool]]:
    """The buttons that are pictures the parser could not name, in reading order, then those it named only by
    their look (True: more often right, so pointed at last, and only while no tooltip said the target)."""
    buttons = [e for e in s.screen.elements if e.role == "button"]
    unnamed = [e for e in buttons if not any(c.isalnum() for c in e.name)]
    guessed = [e for e in buttons if e.source in GUESSED and e not in unnamed]
    return [(e.box, False) for e in reading_order(unnamed)] + [(e.box, True) for e in reading_order(guessed)]


def _unread(boxes: list[tuple[Box, bool]], tooltips: dict[tuple[int, ...], str]) -> list[tuple[Box, bool]]:
    """The buttons whose tooltips were not read yet (the same button parsed again may be a pixel or two off)."""
    return [(b, g) for b, g in boxes if not any(Box(*key).iou(b) >= 0.5 for key in tooltips)]


def tooltip(pointed: Pointed, screen: Screen) -> str:
    """The tooltip ``screen`` shows for the button pointed at: the named things new since it was pointed at,
    near the pointer, above or below the button's row (a toolbar's neighbours change under a hover too), in
    reading order; "" when none appeared."""
    x, y = pointed.at
    reach = REACH * pointed.box.height
    new = [e for e in screen.elements if any(c.isalpha() for c in e.name)
           and _off_the_row(e.box, pointed.box) and _distance(e.box, x, y) <= reach
           and not any(name == e.name and box.iou(e.box) >= 0.5 for name, box in pointed.before)]
    return " ".join(e.name for e in reading_order(new))


def says(label: str, tip: str) -> float:
    """How surely a tooltip says ``label``: as any name says it, else 0.55 when each of its words of three or more
    letters begins a word of the tooltip ("Replace" in "Show/hide replacement dock")."""
    score = text_score(label, tip)
    if score:
        return score
    words = [w for w in normalise(label).split() if len(w) >= 3]
    seen = normalise(tip).replace("/", " ").replace("-", " ").split()
    return LOOSE if words and all(any(t.startswith(w) for t in seen) for w in words) else 0.0


def _best(label: str, tooltips: dict[tuple[int, ...], str]) -> tuple[Box, str, float] | None:
    """The button whose tooltip says ``label`` best, if one says it at least LOOSE and no other says it as well."""
    scored = sorted(((says(label, tip), key, tip) for key, tip in tooltips.items() if tip), reverse=True)
    if not scored or scored[0][0] < LOOSE or len(scored) > 1 and scored[1][0] == scored[0][0]:
        return None
    score, key, tip = scored[0]
    return Box(*key), tip, score


def _askable(target: Ref) -> bool:
    """A target a tooltip can name: a label alone, for a button or anything (not a field, not "the 2nd", not one
    inside something: those are found by what they belong to)."""
    return bool(target.label) and target.role in ("", "button", "icon") and not target.relations \
        and not target.ordinal and not target.every


def _at(box: Box, s: Situation) -> Element | None:
    """The button at ``box`` on this screen."""
    return next((e for e in s.screen.elements if e.is_control and e.box.iou(box) >= 0.5), None)


def _away(s: Situation) -> tuple[float, float]:
    """Where the pointer shows no tooltip: over the largest text area or document, else the screen's middle."""
    areas = [e for e in s.screen.elements if e.role in ("text_area", "document")]
    if areas:
        return s.point(max(areas, key=lambda e: e.box.area))
    return s.centre()


def _off_the_row(box: Box, row: Box) -> bool:
    """Whether ``box`` lies above or below ``row``, overlapping it by under a third of its own height."""
    return min(box.y1, row.y1) - max(box.y0, row.y0) < box.height / 3


def _distance(box: Box, x: float, y: float) -> float:
    dx = max(box.x0 - x, 0.0, x - box.x1)
    dy = max(box.y0 - y, 0.0, y - box.y1)
    return (dx * dx + dy * dy) ** 0.5


def _key(box: Box) -> tuple[int, ...]:
    return tuple(round(v) for v in box.to_list())
