"""The agent-computer interface (Agent S2's ACI): the worker names a target by its id in the legend ("#12"), by a
description ('the "Save" button'), or by a point {"x": .., "y": ..} in the pixels of the screenshot it was sent;
``Translator`` turns each worker action into the desktop actions that carry it out.

``aim`` is the one place a target becomes a logical screen point (grounding/coords.py with the capture frame). A
target that is not there (an unknown id, a point off the screenshot, a description nothing matches) raises
NotFound, and a key the keyboard lacks raises ActionError: both go back to the worker as observations.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from grounding.coords import Frame, Point, Space, contains, image_to_logical, logical_to_image
from grounding.dates import format_of
from grounding.elements import Element, Screen
from grounding.locate import NotFound
from grounding.refs import Ref, parse_ref
from grounding.router import Router
from planner.actions import (
    Action,
    ActionError,
    Click,
    Drag,
    Focus,
    Key,
    Move,
    Open,
    Scroll,
    TypeText,
    Wait,
    normalise_key,
)
from planner.date_fields import DateTyping, date_typing, first_part
from planner.replies import At, ClickA, DragA, HoverA, OpenA, PressA, ScrollA, SelectA, SetA, TypeA, WaitA
from planner.secrets import typed_is_secret

TOOLTIP_SHOWS = 1.0  # seconds a hover rests before the screen is read (Qt shows a tooltip after 0.7 s, GTK 0.5 s)
SCROLL = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0)}
_ID = re.compile(r"\s*(?:the\s+)?(?:#|(?:mark|element|id)\s*#?)\s*(\d+)\s*|\s*\[(\d+)\]\s*", re.I)


@dataclass(frozen=True)
class View:
    """A parsed screen, the capture frame of its screenshot, and the size of that screenshot as the worker got it."""

    screen: Screen
    frame: Frame
    sent: tuple[int, int]


@dataclass(frozen=True)
class Aim:
    """Where a target is: a logical screen point, the element there (when one is), and the target as the model said."""

    x: float
    y: float
    element: Element | None
    said: str

    @property
    def label(self) -> str:
        """The target for a desktop action's record: a point says nothing its own coordinates do not."""
        return "" if self.said.startswith("(") else self.said


@dataclass(frozen=True)
class Later:
    """Steps that can only be chosen on the screen as it is after the steps before them (an opened list's options)."""

    what: str
    run: Callable[[View], list[Any]]


Step = Action | Later


def element_id(target: str) -> int | None:
    """12 for "#12", "mark 12", "[12]"; None for a description."""
    m = _ID.fullmatch(target)
    return int(m.group(1) or m.group(2)) if m else None


def said(target: str | At | None) -> str:
    """The target as a short text for the trajectory and the worker's log."""
    if isinstance(target, At):
        return f"({target.x:g}, {target.y:g})"
    return target or ""


@dataclass(frozen=True)
class Typed:
    """Text typed into a field (``replace``: over what it held), for a look at what the field shows afterwards."""

    into: Element
    text: str
    replace: bool


@dataclass(frozen=True)
class Wanted:
    """What a `set` or `select` asked a control to show once it is done, for a look at it afterwards: a value (a
    spin box's number, a dropdown's choice) or, for a checkbox or radio button, a state (``on``)."""

    of: Element
    said: str  # the target as the worker named it ("#12")
    value: str = ""
    on: bool | None = None


@dataclass
class Translator:
    """Grounds worker actions on ``view`` (the screen now); ids and points refer to ``asked``, the screen the worker
    saw when it chose them. ``groundings`` keeps each choice for the trajectory."""

    router: Router
    view: View
    asked: View | None = None
    groundings: list[dict] = field(default_factory=list)
    marked: frozenset[str] = frozenset()  # values the task marks as secret (planner.secrets.marked_secrets)
    typed: Typed | None = None  # the last `type` into a field: what it should show afterwards
    wanted: Wanted | None = None  # the last `set` or `select`: what its control should show afterwards

    def aim(self, target: str | At, field_like: bool = False) -> Aim:
        """The one conversion of any target into a logical screen point."""
        asked = self.asked or self.view
        if isinstance(target, At):
            return self._point(target, asked)
        number = element_id(target)
        if number is not None:
            return self._by_id(number, asked)
        query: str | Ref = _field_query(target) if field_like else target
        # the description is read on the screen the worker saw, then found where that element is now; what that
        # screen did not show (a menu item an earlier click opened) or what moved is looked for on the screen now
        now = None
        if asked is not self.view:
            try:
                g = self.router.ground(query, asked.screen)
                now = self.same(g.match.element, self.view.screen)
            except NotFound:
                now = None
        if now is None:
            g = self.router.ground(query, self.view.screen)
            now = g.match.element
        self.groundings.append({"target": target, **g.to_json()})
        return self._centre(now, target)

    def same(self, el: Element, screen: Screen) -> Element | None:
        """``el`` (from another parse) on ``screen``: the element in its place (of its role first: a re-read may
        name a widget's role differently), else the only one of its role with its name."""
        if any(e is el for e in screen.elements):
            return el
        placed = [e for e in screen.elements if e.box.iou(el.box) > 0.5]
        if placed:
            return max(placed, key=lambda e: (e.role == el.role, e.box.iou(el.box)))
        named = [e for e in screen.elements if el.name and e.role == el.role and e.name == el.name]
        return named[0] if len(named) == 1 else None

    def point_of(self, el: Element, label: str) -> Aim:
        return self._centre(el, label)

    def _by_id(self, number: int, asked: View) -> Aim:
        try:
            el = asked.screen.get(number)
        except KeyError as exc:
            raise NotFound(str(exc).strip("'\"")) from None
        now = self.same(el, self.view.screen)
        if now is None:
            raise NotFound(f"#{number} ({_what(el)}) is no longer on the screen")
        self.groundings.append({"target": f"#{number}", "source": "id", "confidence": 1.0,
                                "why": f"#{number} is {_what(el)}", "box": now.box.to_list()})
        return self._centre(now, f"#{number}")

    def _point(self, at: At, asked: View) -> Aim:
        width, height = asked.sent
        if not (0 <= at.x < width and 0 <= at.y < height):
            raise NotFound(f"the point ({at.x:g}, {at.y:g}) is outside the screenshot, which is {width}x{height} "
                           "pixels (x from 0 to the width, y from 0 to the height)")
        p = image_to_logical(Point(at.x, at.y, Space.IMAGE), asked.frame.resized(width, height))
        if not contains(self.view.frame, p):
            raise NotFound(f"the point ({at.x:g}, {at.y:g}) is not on the screen")
        from grounding.template import element_at  # it brings OpenCV: loaded only when a point is given

        ix, iy = logical_to_image(p, self.view.frame).rounded()
        el = element_at(self.view.screen, ix, iy)
        self.groundings.append({"target": said(at), "source": "point", "confidence": 1.0, "sent": [width, height],
                                "why": f"a point on the {width}x{height} screenshot" + (f", on {_what(el)}" if el
                                                                                         else ""),
                                "box": el.box.to_list() if el else [ix, iy, ix + 1, iy + 1]})
        return Aim(round(p.x), round(p.y), el, said(at))

    def _centre(self, el: Element, label: str) -> Aim:
        p = image_to_logical(Point(*el.box.center, Space.IMAGE), self.view.frame)
        return Aim(round(p.x), round(p.y), el, label)

    # --- worker actions into desktop steps ----------------------------------------------------------------------

    def steps(self, act: Any) -> list[Step]:
        from planner import forms

        match act:
            case ClickA(target=t, button=b, count=c, hold=hold):
                a = self.aim(t)
                el = a.element  # its name tells the policy what the click does ("Delete account"); an unnamed
                # icon is judged by the worker's words for it ("the trash icon")
                return [Click(x=a.x, y=a.y, button=b, count=c, target=a.label, hold=tuple(hold),
                              name=el.name if el else "", role=el.role if el else "",
                              said="" if el and el.name else a.said)]
            case TypeA():
                return self._type(act)
            case PressA(keys=keys, count=n):
                return [Key(keys=chord(keys), repeat=n)]
            case SelectA():
                return forms.select_steps(self, act)
            case SetA():
                return forms.set_steps(self, act)
            case ScrollA(direction=d, amount=n, target=t):
                a = self.aim(t) if t is not None else self._middle()
                dx, dy = SCROLL[d]
                return [Scroll(x=a.x, y=a.y, dx=dx * n, dy=dy * n)]
            case DragA(source=src, to=dst):
                a, b = self.aim(src), self.aim(dst)
                return [Drag(x=a.x, y=a.y, to_x=b.x, to_y=b.y, target=f"{a.said} -> {b.said}")]
            case OpenA(app=app):
                return [Open(app=app), Wait(seconds=1.0)]
            case HoverA(target=t):
                a = self.aim(t)
                return [Move(x=a.x, y=a.y, target=a.label), Wait(seconds=TOOLTIP_SHOWS)]
            case WaitA(seconds=s):
                return [Wait(seconds=s)]
        raise TypeError(f"not a desktop action: {act!r}")

    def _type(self, act: TypeA) -> list[Step]:
        steps: list[Step] = [Focus(window=act.window)] if act.window.strip() else []
        replace = act.replace if act.replace is not None else act.into is not None
        secret = False
        if act.into is not None:
            a = self.aim(act.into, field_like=True)
            el = self._as_seen(a.element)
            dated = date_typing(el, act.text, replace) if el is not None else None
            if el is not None and act.text and not act.enter:  # Enter may send it on and empty the field (a chat)
                self.typed = Typed(el, act.text, replace)
            if dated is not None and act.text:
                return steps + self._date_steps(a, dated) + ([Key(keys=("enter",))] if act.enter else [])
            secret = typed_is_secret(field=a.element, label=said(act.into), text=act.text, marked=self.marked)
            if secret:
                self.typed = None  # what a password field shows is no text to compare or to repeat
            steps.append(Click(x=a.x, y=a.y, target=a.label))
            steps.append(Key(keys=("ctrl", "a")) if replace else Key(keys=("end",)))
        elif replace:
            steps.append(Key(keys=("ctrl", "a")))
        secret = secret or typed_is_secret(text=act.text, marked=self.marked)
        if act.text:
            steps.append(TypeText(text=act.text, secret=secret))
        elif replace:
            steps.append(Key(keys=("backspace",)))  # an empty text with replace clears the field
        if act.enter:
            steps.append(Key(keys=("enter",)))
        return steps

    def _as_seen(self, el: Element | None) -> Element | None:
        """The field aimed at, with the format it showed on the screen the worker saw (a focus ring, or a picker
        left open by the field before, may hide its placeholder now)."""
        if el is None or format_of(el.format, el.value) or self.asked is None:
            return el
        seen = self.same(el, self.asked.screen)
        fmt = format_of(seen.format, seen.value) if seen is not None else ""
        return el.with_(format=fmt) if fmt else el

    def _date_steps(self, a: Aim, dated: DateTyping) -> list[Step]:
        """Into a date or time field: its first part clicked, emptied part by part, clicked again, typed."""
        assert a.element is not None
        p = image_to_logical(Point(*first_part(a.element.box), Space.IMAGE), self.view.frame)
        start = Click(x=round(p.x), y=round(p.y), target=f"{a.label} (its first part)")
        return [start, *dated.clear, *([start] if dated.clear else []), *dated.keys]

    def _middle(self) -> Aim:
        f = self.view.frame
        p = image_to_logical(Point(f.width / 2, f.height / 2, Space.IMAGE), f)
        return Aim(round(p.x), round(p.y), None, "the middle of the screen")


def chord(keys: list[str] | str) -> tuple[str, ...]:
    """["ctrl", "s"] or "ctrl+s" as the key tuple of one chord; ActionError names a key the keyboard lacks."""
    parts = re.split(r"\s*\+\s*", keys.strip()) if isinstance(keys, str) else [k for k in keys]
    if isinstance(keys, list) and len(parts) == 1 and "+" in parts[0].strip("+"):
        parts = re.split(r"\s*\+\s*", parts[0])
    names = tuple(normalise_key(k) for k in parts if k.strip() or k == " ")
    try:
        return Key(keys=names).keys
    except ActionError as exc:
        raise ActionError(f"{'+'.join(parts)} is not a key combination this keyboard has ({exc})") from None


def _what(el: Element) -> str:
    role = el.role.replace("_", " ")
    return f'the {role} "{el.name}"' if el.name else f"a {role}"


def _field_query(target: str) -> str | Ref:
    """'the Name field' and plain 'Name' both mean the field labelled Name (one that takes text)."""
    ref = parse_ref(target)
    if ref.role or ref.relations:
        return target
    return ref.with_(role="entry")
