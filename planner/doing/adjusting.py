"""SetValue: give a slider, spin box, dropdown, date field or text field a value, looking again after each move.

Sliders and spin boxes are moved with the arrow keys by the difference between the value asked for and the value
read off the screen (the control's own value, else the number printed beside it), then read again, until they
agree. A read-only date field opens a calendar: the month heading says which way to page, the day is clicked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime

import cv2
import numpy as np

from grounding.dates import format_of
from grounding.elements import Box, Element
from grounding.locate import Match, NotFound
from grounding.ocr import read_words
from grounding.refs.grammar import Ref
from grounding.textmatch import text_score
from planner.actions import Key
from planner.doing import choosing
from planner.doing.base import Plan, Situation
from planner.doing.entering import fill, fill_checked
from planner.doing.month_grid import day_cell, read_days
from planner.language import intents as it

NUMBER = re.compile(r"[-+−]?(?:\d+(?:\.\d+)?|\.\d+)")
ROUNDS = 8  # looks at a slider or spin box before giving up
STEPPED = ("slider", "spin_box")
MONTHS = ("january february march april may june july august september october november december").split()


@dataclass(frozen=True)
class Adjust:
    """Follow-up: move the slider or spin box ``target`` to ``value`` (``rounds`` looks so far)."""

    target: Ref
    value: float
    said: str
    rounds: int = 0
    by_buttons: bool = False  # the keys did not move it: click its up and down arrows instead
    last: float | None = None
    seen: Element | None = None  # the control as last found
    label: Box | None = None  # where its number was read


@dataclass(frozen=True)
class PickDate:
    """Follow-up: pick ``day`` in the calendar that opened from the date field at ``field``."""

    day: date
    field: Element
    said: str
    rounds: int = 0


def set_value(intent: it.SetValue, s: Situation) -> Plan:
    found = s.find(intent.target, "set")
    choice = choosing.in_group(intent.target, intent.value, s)
    if choice is not None and (found is None or text_score(intent.target.label, found.element.name) < 0.75):
        return Plan(() if choice.element.checked else (s.click(choice, intent.value),))  # a radio group's label
    m = found or s.ground(intent.target, "set")
    el = m.element
    if el.role in STEPPED or intent.target.role in STEPPED:  # "the spinner" may look like a plain field
        number = number_in(intent.value)
        if number is None:
            raise NotFound(f"{intent.value!r} is not a number a {el.role.replace('_', ' ')} can hold")
        start = value_of(el, s)
        if start is not None and el.role != "slider" and intent.target.role != "slider":
            # a spin box shows its number inside itself, read cleanly before the caret sits next to it
            return Plan((s.click(m, _what(intent)), *_steps(start, number, "up", "down")))
        return Plan((s.click(m, _what(intent)),), then=(Adjust(intent.target, number, _what(intent)),))
    if format_of(el.format, el.value):  # a date or time field of parts (the pixels may see a dropdown): typed
        day = parse_date(intent.value)  # in their order, no list or picker; a date as ISO, which is unambiguous
        return fill_checked(m, day.isoformat() if day else intent.value, _what(intent), s, intent.said)
    if el.role in ("dropdown", "list_box"):
        return choosing.in_list((Ref(label=intent.value, said=intent.value),), m, _what(intent), s)
    if el.role in ("checkbox", "radio"):
        on = intent.value.lower() in ("on", "yes", "true", "checked", "1")
        return Plan(() if el.checked == on else (s.click(m, _what(intent)),))
    day = parse_date(intent.value)
    if day is not None:  # a date picker may open when the field is clicked; if none does, the date is typed
        return Plan((s.click(m, _what(intent)),), then=(PickDate(day, el, _what(intent)),))
    return fill_checked(m, intent.value, _what(intent), s, intent.said)


def _what(intent: it.SetValue) -> str:
    """How a step names what it acts on: the target's own words, never the clause with its verb."""
    return intent.target.said or intent.said


def adjust(follow: Adjust, s: Situation) -> Plan:
    """One round: read the value, press the arrow keys (or click the arrows) by the difference, look again."""
    el = _again(follow, s)
    reading = read_value(el, s, follow.label)
    if reading is None:
        raise NotFound(f"the value of the {el.role.replace('_', ' ')} cannot be read off the screen")
    current, label = reading
    diff = follow.value - current
    if abs(diff) < 1e-9:
        return Plan()
    if follow.rounds >= ROUNDS:
        raise NotFound(f"the {el.role.replace('_', ' ')} stays at {current:g}, not {follow.value:g}")
    stuck = follow.last is not None and abs(follow.last - current) < 1e-9
    if stuck and el.role == "slider" and follow.rounds > 1:
        raise NotFound(f"the number {current:g} beside the slider does not follow it")
    by_buttons = follow.by_buttons or stuck and el.role != "slider" and follow.target.role != "slider"
    n = max(1, min(200, round(abs(diff))))
    up = diff > 0
    if by_buttons:
        box = el.box
        x = box.x1 - max(4.0, box.height / 4)
        y = box.y0 + box.height * (0.25 if up else 0.75)
        steps = (s.click(el.with_(box=replace(box, x0=x - 2, x1=x + 2, y0=y - 2, y1=y + 2)), follow.said),) * n
    else:
        key = "right" if el.role == "slider" or follow.target.role == "slider" else "up"
        key = key if up else {"right": "left", "up": "down"}[key]
        steps = ((Key(keys=(key,), repeat=n), f"{key} x{n}: {current:g} -> {follow.value:g}"),)
    return Plan(steps, then=(replace(follow, rounds=follow.rounds + 1, by_buttons=by_buttons, last=current,
                                     seen=el, label=label),))


def _again(follow: Adjust, s: Situation) -> Element:
    """The control being moved, found again; where it was when this look cannot pick it out (it does not move)."""
    m = s.find(follow.target, "set")
    if m is not None and (follow.seen is None or m.element.box.iou(follow.seen.box) > 0.3):
        return m.element
    if follow.seen is not None:
        return follow.seen
    return s.ground(follow.target, "set").element


def _steps(start: float, goal: float, more: str, less: str) -> tuple:
    n = max(0, min(200, round(abs(goal - start))))
    key = more if goal > start else less
    return ((Key(keys=(key,), repeat=n), f"{key} x{n}: {start:g} -> {goal:g}"),) if n else ()


def value_of(el: Element, s: Situation) -> float | None:
    """A slider's or spin box's number: its own value, else the number written next to it."""
    reading = read_value(el, s)
    return reading[0] if reading is not None else None


def read_value(el: Element, s: Situation, label: Box | None = None) -> tuple[float, Box | None] | None:
    """The number and where it was read: the control's own value, the number at ``label`` (where it was read
    before), else the number written nearest beside the control (right of it or below it, close)."""
    own = number_in(el.value)
    if own is not None:
        return own, None
    numbers = [e for e in s.screen.elements if e.role == "text" and _just_a_number(e.name)
               and e.box.intersection(el.box) < 0.2 * e.box.area]  # its thumb may read as an "O"
    if label is not None:
        there = [e for e in numbers if e.box.iou(label) > 0.2 or label.expanded(4).contains_point(*e.box.center)]
        if there:
            return number_in(there[0].name), there[0].box
    size = max(min(el.box.height, el.box.width), 12)  # a vertical slider is tall but as thin as a flat one
    near = []
    if s.screen.image is not None and not any(_beside(el, n, size) for n in numbers):
        numbers = numbers + _read_closer(el, s.screen.image, size)  # a lone small digit OCR skipped at first
    for line in numbers:
        dx = max(0.0, line.box.x0 - el.box.x1, el.box.x0 - line.box.x1)
        dy = max(0.0, line.box.y0 - el.box.y1, el.box.y0 - line.box.y1)
        if dx < 3 * size and dy < 1.5 * size:
            near.append((dx + 3 * dy, line))
    if not near:
        return None
    best = min(near, key=lambda t: t[0])[1]
    return number_in(best.name), best.box


def _beside(el: Element, line: Element, size: float) -> bool:
    dx = max(0.0, line.box.x0 - el.box.x1, el.box.x0 - line.box.x1)
    dy = max(0.0, line.box.y0 - el.box.y1, el.box.y0 - line.box.y1)
    return dx < 3 * size and dy < 1.5 * size


def _read_closer(el: Element, image: np.ndarray, size: float) -> list[Element]:
    """Numbers read again beside ``el`` (right of it, below it), magnified three times: OCR finds a small lone
    digit in a small crop that it skips in a whole screen."""
    b = el.box
    strips = (Box(b.x1, b.y0 - size / 2, b.x1 + 3 * size, b.y1 + size / 2),
              Box(b.x0 - size, b.y1, b.x1 + 3 * size, b.y1 + 1.5 * size))
    h, w = image.shape[:2]
    out = []
    for strip in strips:
        x0, y0, x1, y1 = max(0, int(strip.x0)), max(0, int(strip.y0)), min(w, int(strip.x1)), min(h, int(strip.y1))
        if x1 - x0 < 4 or y1 - y0 < 4:
            continue
        crop = cv2.resize(np.ascontiguousarray(image[y0:y1, x0:x1]), None, fx=3, fy=3, interpolation=cv2.INTER_CUBIC)
        for word in read_words(crop):
            if _just_a_number(word.name):
                c = word.box
                out.append(word.with_(box=Box(x0 + c.x0 / 3, y0 + c.y0 / 3, x0 + c.x1 / 3, y0 + c.y1 / 3)))
    return out


def _just_a_number(text: str) -> bool:
    t = text.strip()
    return 0 < len(t) <= 8 and all(c in "-+−.0123456789Oo" for c in t) and number_in(t) is not None


def number_in(text: str) -> float | None:
    """The number ``text`` says ('−3' with a minus sign, 'O' for a lone zero), or None."""
    t = text.strip().replace("−", "-")
    t = {"O": "0", "o": "0", "-O": "-0"}.get(t, t)  # OCR reads a lone zero as the letter O
    m = NUMBER.search(t)
    return float(m.group(0)) if m else None


def parse_date(text: str) -> date | None:
    """'12/05/2016' (month first), '2016-12-05', 'December 5, 2016', '5 December 2016'."""
    t = text.strip().lower().replace(",", "")
    for fmt in ("%m/%d/%Y", "%Y-%m-%d", "%m-%d-%Y", "%B %d %Y", "%d %B %Y", "%b %d %Y", "%d %b %Y"):
        try:
            return datetime.strptime(t, fmt).date()
        except ValueError:
            continue
    return None


def pick_date(follow: PickDate, s: Situation) -> Plan:
    """Page the calendar to the month, then click the day; the field is typed into when no calendar shows."""
    shown = _shown_month(s)
    if shown is None:
        if follow.rounds:
            field = Match(follow.field, 1.0, f"the date field at {follow.field.box.to_list()}")
            spelt = follow.day.isoformat() if format_of(follow.field.format, follow.field.value) else \
                follow.day.strftime("%m/%d/%Y")  # a field of parts is typed in its own order; ISO is unambiguous
            return Plan(tuple(fill(field, spelt, follow.said, s)))
        return Plan(then=(replace(follow, rounds=1),))
    months = (follow.day.year - shown[0].year) * 12 + follow.day.month - shown[0].month
    if months:
        if follow.rounds > 24:
            raise NotFound(f"the calendar does not reach {follow.day:%B %Y}")
        word = "Next" if months > 0 else "Prev"
        button = s.find(Ref(label=word)) or s.ground(Ref(label="next" if months > 0 else "previous"))
        return Plan((s.click(button, f"{word.lower()} month"),), then=(replace(follow, rounds=follow.rounds + 1),))
    heading = shown[1].box
    reach = max(heading.width, 60)
    days = [e for e in s.screen.elements + s.screen.words if e.name.strip() == str(follow.day.day)
            and e.role in ("text", "link", "button", "cell") and 0 <= e.box.y0 - heading.y1 + 2 < 12 * heading.height
            and abs(e.box.center[0] - heading.center[0]) < 3 * reach and not _in_a_sentence(e, s)]
    if days:
        return Plan((s.click(min(days, key=lambda e: (e.box.y0, e.box.x0)), follow.said),))
    known = [(int(e.name), e.box) for e in _under(heading, reach, s) if e.name.isdigit() and 1 <= int(e.name) <= 31]
    cell = day_cell(follow.day.day, known, heading.center[0])
    if cell is None and s.screen.image is not None:  # the grid's digits read again, on their own
        half = max(0.6 * reach, 8 * heading.height)  # a month's name is narrower than its grid, a title bar not
        region = Box(heading.center[0] - half, heading.y1, heading.center[0] + half, heading.y1 + 10 * heading.height)
        again = read_days(np.asarray(s.screen.image), region)
        exact = [b for d, b in again if d == follow.day.day]
        cell = exact[0] if len(exact) == 1 else day_cell(follow.day.day, again, heading.center[0])
    if cell is None:
        raise NotFound(f"day {follow.day.day} does not show in the {follow.day:%B %Y} calendar")
    return Plan((s.click(Element(cell, "cell", name=str(follow.day.day)), f"{follow.said} (day {follow.day.day} "
                         "where the calendar's grid puts it)"),))


def _under(heading: Box, reach: float, s: Situation) -> list[Element]:
    """The words read under a calendar's month heading, within its width: its day numbers."""
    words = s.screen.words or tuple(e for e in s.screen.elements if e.role == "text")
    return [w for w in words if 0 <= w.box.y0 - heading.y1 + 2 < 12 * heading.height
            and abs(w.box.center[0] - heading.center[0]) < 3 * reach and not _in_a_sentence(w, s)]


def _in_a_sentence(word: Element, s: Situation) -> bool:
    """A number read among words on its line ('Episodes done: 9' beside the calendar) is no day of the grid: a
    grid's row holds numbers only."""
    return word.line >= 0 and any(sum(c.isalpha() for c in w.name) >= 3 for w in s.screen.words if w.line == word.line)


def _shown_month(s: Situation) -> tuple[date, Element] | None:
    for el in s.screen.elements:
        m = re.fullmatch(r"\s*([A-Za-z]+)\s+(\d{4})\s*", el.name)
        if m and m.group(1).lower() in MONTHS:
            return date(int(m.group(2)), MONTHS.index(m.group(1).lower()) + 1, 1), el
    return None
