"""After each intent of a direct command: did it do what it says, seen on the next screen?

Typed text shows in the field it went into (found again by its label, as a replayed step's is: planner/checks.py),
a checkbox or radio is in the asked state, a dropdown shows the option chosen, a slider or spin box holds the
number, a click on a button or link changed the screen (lines appeared or went away, or a page-sized change:
planner/effects.py). Where nothing visible is expected (a key press, a scroll, a password's dots) the intent is
"not checked". A verdict that does not hold is retried once where redoing is safe (a type, a toggle, a choice),
then the run fails with one sentence. A click after which nothing changed is said in the summary ("no visible
effect"), never clicked again: a handler may have run without showing it, and a second Send or Delete is not safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from grounding.dates import format_of, keys_for
from grounding.dates import shows as date_shows
from grounding.elements import Element, Screen
from grounding.textmatch import shows, text_score
from planner.checks import Check, blank, check_effect, read_box
from planner.demos import DemoStep
from planner.doing.adjusting import MONTHS, STEPPED, number_in, parse_date, value_of
from planner.doing.base import Situation
from planner.doing.entering import ENTRIES, computed, shows_date_or_time, ways_to_type
from planner.effects import FOCUS_ONLY, Effect, changed_beside, screen_effect
from planner.language import intents as it
from planner.named_field import named_elsewhere
from planner.readings import fits, scrolled_to_its_end, under_the_pointer, without_caret
from planner.secrets import marked_secrets, typed_is_secret
from planner.targets import target_at

TOGGLES = ("checkbox", "radio")
CLICKS = (it.Click, it.Submit, it.Close, it.Expand)
DETAIL = 200  # characters of a click's seen effect in its check (the changes that fit, then how many more)
STILL = 0.0002  # share of the screen's pixels that changed: under it (a short word is more), nothing changed


@dataclass
class Doing:
    """The intent being carried out: the screen it was planned on, and what was clicked for it."""

    intent: object
    said: str
    before: Screen
    acted: list[tuple[Element, Screen]] = field(default_factory=list)
    looks: int = 0  # looks waited for an effect that did not show yet
    retried: bool = False
    failed: Verdict | None = None  # the check that made it be redone
    guess: str = ""  # what it picked among look-alikes nothing told apart, said in the summary


@dataclass(frozen=True, kw_only=True)
class Verdict:
    """One intent's check: ``held`` True (seen to work), False (seen not to), None (nothing to check)."""

    said: str
    held: bool | None
    detail: str
    retry: bool = False  # redoing the intent is safe
    retried: bool = False
    quiet: bool = False  # not checkable because nothing visibly changed (a click whose effect does not show)
    reading: str = ""  # what a "read" command read, said in the summary
    guess: str = ""  # the first of several look-alikes, taken since nothing said which (in the summary)

    def to_json(self) -> dict:
        """The check as the trajectory keeps it (each step's info: "checks")."""
        out = {"intent": self.said, "held": self.held, "detail": self.detail, "retried": self.retried}
        return {**out, "quiet": True} if self.quiet else out


def verify(doing: Doing, s: Situation) -> Verdict:
    """The verdict on ``doing``'s intent, read off the screen in ``s``."""
    intent = doing.intent
    if isinstance(intent, it.TypeInto):
        return _typed(doing, intent.text, s)
    if isinstance(intent, it.SetToggle):
        return _toggled(doing, intent.on, s)
    if isinstance(intent, it.Choose):
        return _chosen(doing, intent, s)
    if isinstance(intent, it.SetValue):
        return _valued(doing, intent, s)
    if isinstance(intent, it.Search):  # the field clicked is not what shows the search worked: the screen is
        return _clicked(doing, s, None)
    if isinstance(intent, CLICKS):
        return _clicked(doing, s)
    if isinstance(intent, it.WaitFor):
        return _verdict(doing, True, "it appeared")  # its doer finishes only once it shows
    if isinstance(intent, it.Find) and intent.report:
        return _read(doing, intent, s)
    if isinstance(intent, it.Find):
        found = s.find(intent.target)
        return _verdict(doing, True if found is not None else None, f"{intent.target.describe()} "
                        f"{'shows' if found is not None else 'is not in view'}")
    if isinstance(intent, it.Scroll | it.ScrollToEdge):
        return _scrolled(doing, s)
    return _verdict(doing, None, "nothing visible to check")


def _scrolled(doing: Doing, s: Situation) -> Verdict:
    """A scroll is seen when the page moved; one that moved nothing (already at its end) did no harm: quiet."""
    share = changed_beside(doing.before.image, s.screen.image, None)
    if share >= STILL:
        return _verdict(doing, True, f"the view moved ({share:.0%} of the screen changed)")
    return _verdict(doing, None, "the view did not move: it may already be at its end", quiet=True)


def summary(verdicts: list[Verdict]) -> str:
    """'3 commands: 1 seen to work, 1 with no visible effect (click Ping), 1 not checkable (press enter)'."""
    seen = sum(v.held is True for v in verdicts)
    quiet = [v.said for v in verdicts if v.held is None and v.quiet]
    unchecked = [v.said for v in verdicts if v.held is None and not v.quiet]
    n = len(verdicts)
    text = f"{n} command{'s' if n != 1 else ''}: {seen} seen to work"
    if quiet:
        text += f", {len(quiet)} with no visible effect ({'; '.join(quiet)})"
    if unchecked:
        text += f", {len(unchecked)} not checkable ({'; '.join(unchecked)})"
    return "; ".join([text] + [v.reading for v in verdicts if v.reading] + [v.guess for v in verdicts if v.guess])


def _read(doing: Doing, intent: it.Find, s: Situation) -> Verdict:
    """ "read the display": what it shows, in the summary (its value, else its name, else the words OCR reads)."""
    found = s.find(intent.target)
    if found is None:
        return _verdict(doing, None, f"{intent.target.describe()} is not in view")
    el = found.element
    shown = el.value or el.name or (read_box(s.screen.image, el.box) if s.screen.image is not None else "")
    what = intent.target.said or intent.target.describe()
    said = f"{what} shows {shown!r}"
    return replace(_verdict(doing, True if shown else None, said), reading=said if shown else "")


def _verdict(doing: Doing, held: bool | None, detail: str, retry: bool = False, quiet: bool = False) -> Verdict:
    return Verdict(said=doing.said, held=held, detail=detail, retry=retry and not doing.retried,
                   retried=doing.retried, quiet=quiet, guess=doing.guess)


def _distinct(doing: Doing, roles: tuple[str, ...]) -> list[tuple[Element, Screen]]:
    """The elements of ``roles`` clicked for the intent, each once (a field typed into twice is one field)."""
    out: list[tuple[Element, Screen]] = []
    for el, screen in doing.acted:
        if el.role in roles and not any(o.box.iou(el.box) > 0.5 for o, _ in out):
            out.append((el, screen))
    return out


def again(el: Element, screen: Screen, roles: tuple[str, ...] = ()) -> Element | None:
    """The control at ``el``'s place on ``screen`` (of one of ``roles`` when given)."""
    fits = [e for e in screen.controls() if e.box.iou(el.box) > 0.5 and (not roles or e.role in roles)]
    return max(fits, key=lambda e: e.box.iou(el.box), default=None)


def _name(el: Element, fallback: str) -> str:
    return el.name or fallback


def _held_on(el: Element, was: Screen, effect: Effect, s: Situation, before: Screen) -> Check:
    """planner/checks.py's check of a replayed step, for the element clicked on ``was``: found again by its
    label, else at its box."""
    x, y = el.box.center
    target, box = target_at(was, was.image, x, y) if was.image is not None else (None, el.box)
    step = DemoStep(kind="type" if effect.kind == "value" else "click", target=target, into=target, effect=effect)
    return check_effect(step, {}, s.screen, before.image, s.screen.image, box)


def _typed(doing: Doing, text: str, s: Situation) -> Verdict:
    fields = _distinct(doing, (*ENTRIES, "dropdown"))
    if not fields:
        return _verdict(doing, None, "typed where the focus was: no field to read it back from")
    marked = marked_secrets(s.echo) | s.memory.secrets
    for el, was in fields:
        name = _name(el, doing.said)
        if typed_is_secret(field=el, clause=doing.said, text=text, marked=marked):
            return _verdict(doing, None, f"a password field shows dots: {name!r} not read back")
        parts = _parts_held(doing, el, name, text, s)
        if parts is not None:
            if parts.held is not True:
                return parts
            continue
        if ways_to_type(text):  # a date or time field shows it in its own format: its digits are compared
            now = again(el, s.screen)
            seen = (now.value + " " + now.name).strip() if now is not None else ""
            if not seen and s.screen.image is not None:  # a focused field's ring can hide it: read its box
                seen = read_box(s.screen.image, el.box)
            if not seen and _shows_nothing(now, s):
                return _verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows nothing", retry=True)
            if not seen:
                return _verdict(doing, None, f"{name!r} could not be read back")
            day = parse_date(text)
            if day is not None:  # its numbers in the field's own order and format (OCR may split one)
                if not _date_shows(seen, day):
                    return _verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows {seen!r}",
                                    retry=True)
                continue
            if not shows_date_or_time(seen, text):
                shown = now.value if now is not None and now.value else seen
                return _verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows {shown!r}",
                                retry=True)
            continue
        effect = Effect(kind="value", text=text, whole=el.role != "text_area" and not getattr(doing.intent, "at", ""))
        there = again(el, s.screen, (*ENTRIES, "dropdown"))
        if there is not None and there.value and fits(there.value, text, effect.whole):
            continue  # the field where it was typed holds it (the screen did not move)
        result = computed(text)
        if result is not None and there is not None and there.value:  # a calculator shows what it computes
            shown = number_in(there.value)
            if shown is not None and abs(shown - result) < 1e-9 * max(1.0, abs(result)):
                continue
            return _verdict(doing, None, f"{name!r} computes what is typed: it shows {there.value!r}")
        check = _held_on(el, was, effect, s, doing.before)  # else found again by its label, as a replay's is
        if not check.held and "seen" not in check.evidence:  # not found again by its label: read where it was
            seen = read_box(s.screen.image, el.box) if s.screen.image is not None else ""
            if not seen and _shows_nothing(there, s):
                return _verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows nothing", retry=True)
            if not seen:
                return _verdict(doing, None, f"{name!r} could not be read back ({check.detail})")
            check = Check(fits(seen, text, effect.whole), "", {"seen": seen})
        seen = without_caret(str(check.evidence.get("seen", "")), text)
        if not check.held and under_the_pointer(el.box, s.memory.pointer, seen, text):
            return _verdict(doing, None, f"the pointer rests on {name!r} and covers part of what it shows "
                                         f"({seen!r}): not read back whole")
        if not check.held and not scrolled_to_its_end(seen, text):
            off = " is disabled and" if there is not None and "disabled" in there.states else ""
            return _verdict(doing, False, f"Typed {text!r} into {name!r}, but the field{off} shows {seen!r}",
                            retry=True)
    other = named_elsewhere(getattr(doing.intent, "into", None), fields[0][0], fields[0][1])
    if other is not None:  # redoing it would ground the same field again: the command is not done, and says why
        return _verdict(doing, False, f"Typed {text!r} into {_name(fields[0][0], 'a field')!r}, but the command "
                                      f"named {other[0]!r}, which is {_name(other[1], 'another field')!r}")
    return _verdict(doing, True, f"{text!r} shows in {_name(fields[0][0], 'the field')!r}")


def _shows_nothing(field: Element | None, s: Situation) -> bool:
    """An empty reading is what the field shows, not a reading that failed, where the field is still where it was
    acted on (the screen did not move it away) and nothing is drawn inside it; ink OCR could not read is not
    checkable."""
    return field is not None and s.screen.image is not None and blank(s.screen.image, field.box)


def _toggled(doing: Doing, on: bool, s: Situation) -> Verdict:
    toggles = _distinct(doing, TOGGLES)
    if not doing.acted:
        return _verdict(doing, True, f"already {'checked' if on else 'unchecked'}")
    for el, was in toggles:
        failed = _state_fails(doing, el, was, on, s)
        if failed is not None:
            return failed
    state = "checked" if on else "unchecked"
    return _verdict(doing, True, f"{', '.join(repr(_name(e, 'it')) for e, _ in toggles)} {state}") if toggles \
        else _clicked(doing, s)


def _state_fails(doing: Doing, el: Element, was: Screen, on: bool, s: Situation) -> Verdict | None:
    """None when ``el`` shows the state ``on``; else the verdict that it does not."""
    there = again(el, s.screen, TOGGLES)
    if there is not None and there.checked == on:
        return None  # where it was clicked (the screen did not move)
    check = _held_on(el, was, Effect(kind="state", checked=on), s, doing.before)  # else by its label
    if check.held:
        return None
    name = _name(el, doing.said)
    if "not on the screen" in check.detail:
        return _verdict(doing, None, f"{name!r} is not on the screen to read back")
    verb = "Checked" if on else "Unchecked"
    return _verdict(doing, False, f"{verb} {name!r}, but it shows {'unchecked' if on else 'checked'}", retry=True)


def _chosen(doing: Doing, intent: it.Choose, s: Situation) -> Verdict:
    if not doing.acted:
        return _verdict(doing, True, "already chosen")
    wanted = [o.label or o.said for o in intent.options]
    opener = next((el for el, _ in doing.acted if el.role == "dropdown"), None)
    if opener is not None and wanted:
        return _shows_choice(doing, opener, wanted[0], s)
    for el, was in doing.acted:
        if el.role in TOGGLES:
            failed = _state_fails(doing, el, was, True, s)
            if failed is not None:
                return failed
        elif el.role == "option":
            failed = _option_fails(doing, el, s)
            if failed is not None:
                return failed
        else:
            return _clicked(doing, s)
    return _verdict(doing, True, f"{', '.join(map(repr, wanted))} chosen")


def _option_fails(doing: Doing, el: Element, s: Situation) -> Verdict | None:
    """A list box's option clicked: failed only where the list shows another option selected instead."""
    now = again(el, s.screen, ("option",))
    if now is None or now.selected:
        return None
    others = [e for e in s.screen.elements if e.role == "option" and e.selected and e.parent == now.parent]
    if not others:
        return None
    return _verdict(doing, False, f"Chose {el.name!r}, but the list shows {others[0].name!r} selected", retry=True)


def _shows_choice(doing: Doing, opener: Element, wanted: str, s: Situation) -> Verdict:
    now = again(opener, s.screen, ("dropdown", "button", "text_field", "list_box"))
    seen = (now.value or now.name) if now is not None else ""
    name = _name(opener, "the dropdown")
    if not seen:
        return _verdict(doing, None, f"what {name!r} shows cannot be read")
    if text_score(wanted, seen) >= 0.6 or shows(seen, wanted):
        return _verdict(doing, True, f"{name!r} shows {seen!r}")
    return _verdict(doing, False, f"Chose {wanted!r} in {name!r}, but it shows {seen!r}", retry=True)


def _valued(doing: Doing, intent: it.SetValue, s: Situation) -> Verdict:
    if not doing.acted:
        return _verdict(doing, True, "it already held that value")
    el, was = doing.acted[0]
    name = _name(el, intent.target.said or doing.said)
    if el.role in STEPPED or intent.target.role in STEPPED:
        return _number_held(doing, el, name, intent.value, s)
    if el.role in ("dropdown", "list_box"):
        return _shows_choice(doing, el, intent.value, s)
    if el.role in TOGGLES:
        return _state_fails(doing, el, was, True, s) or _verdict(doing, True, f"{name!r} checked")
    day = parse_date(intent.value)
    if day is not None:
        return _date_held(doing, el, name, day, s)
    if el.role in ENTRIES:
        return _typed(doing, intent.value, s)
    return _verdict(doing, None, f"{name!r} is not a field whose value can be read back")


def _parts_held(doing: Doing, el: Element, name: str, text: str, s: Situation) -> Verdict | None:
    """A date or time field of parts: it holds the parts ``text`` gives, however either spells them; None for a
    field that is no such field, or a text that gives not all of its parts."""
    fmt = format_of(el.format, el.value)
    if not fmt or keys_for(fmt, text) is None:
        return None
    now = again(el, s.screen)
    seen = now.value if now is not None else ""
    if date_shows(fmt, seen, text):
        return _verdict(doing, True, f"{name!r} shows {seen!r}")
    return _verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows {seen!r}", retry=True)


def _date_held(doing: Doing, el: Element, name: str, day: date, s: Situation) -> Verdict:
    """A date field shows the date in its own format: its day, month (number or name) and year are among what it
    shows, in any order."""
    now = again(el, s.screen)
    seen = now.value if now is not None else ""
    if not seen and s.screen.image is not None:  # the parse lost its value (a focus ring): read its box
        seen = read_box(s.screen.image, el.box)
    if not seen and _shows_nothing(now, s):
        return _verdict(doing, False, f"Set {name!r} to {day:%m/%d/%Y}, but it shows nothing", retry=True)
    if not seen:
        return _verdict(doing, None, f"what {name!r} shows cannot be read")
    if _date_shows(seen, day):
        return _verdict(doing, True, f"{name!r} shows {seen!r}")
    return _verdict(doing, False, f"Set {name!r} to {day:%m/%d/%Y}, but it shows {seen!r}", retry=True)


def _date_shows(seen: str, day: date) -> bool:
    """Whether ``seen`` shows ``day``: its day, month (number or name) and year among its numbers, any order."""
    numbers = {int(n) for n in re.findall(r"\d+", seen)}
    month = day.month in numbers or MONTHS[day.month - 1][:3] in seen.lower()
    return day.day in numbers and month and (day.year in numbers or day.year % 100 in numbers)


def _number_held(doing: Doing, el: Element, name: str, value: str, s: Situation) -> Verdict:
    """A spin box is read inside itself (its own value, else OCR in its box: a number printed elsewhere on the
    screen is not its value); a slider by the number beside it its doer read after each move. Never redone: the
    arrow keys step from the number the doer read, and a second round from a misread one would step twice."""
    goal = number_in(value)
    if goal is None:
        return _verdict(doing, None, f"{value!r} is not a number to compare")
    now = again(el, s.screen)
    if el.role == "slider" or doing.intent.target.role == "slider":
        seen = value_of(now or el, s)
    else:
        seen = number_in(now.value) if now is not None and now.value else None
        if seen is None and s.screen.image is not None:
            seen = number_in(read_box(s.screen.image, el.box))
    if seen is None:
        return _verdict(doing, None, f"the value of {name!r} cannot be read")
    if abs(seen - goal) < 1e-9:
        return _verdict(doing, True, f"{name!r} holds {seen:g}")
    if abs(abs(seen) - abs(goal)) < 1e-9:  # a minus sign against the field's left edge is lost to its border
        return _verdict(doing, None, f"{name!r} reads {seen:g}: its sign cannot be told")
    return _verdict(doing, False, f"Set {name!r} to {goal:g}, but it shows {seen:g}")


def _clicked(doing: Doing, s: Situation, el: Element | None | bool = True) -> Verdict:
    """A click (or the key that stands for one) changed the screen: lines appeared or went away, or the page
    (``el``: the element clicked, by default the last one; None: judge the screen alone)."""
    if el is True:
        el = doing.acted[-1][0] if doing.acted else None
    assert el is None or isinstance(el, Element)
    name = _name(el, doing.said) if el is not None else doing.said
    if el is not None and el.role in FOCUS_ONLY:
        return _verdict(doing, None, f"a click into {name!r} moves only the focus")
    if el is not None and el.role in TOGGLES:
        on = el.role == "radio" or not el.checked  # a click checks a radio; it flips a checkbox
        return _state_fails(doing, el, doing.acted[-1][1], on, s) or _verdict(
            doing, True, f"{name!r} {'checked' if on else 'unchecked'}")
    effect = screen_effect(doing.before, s.screen, s.memory.secrets)
    if effect is not None:
        return _verdict(doing, True, effect.describe(limit=DETAIL))
    share = changed_beside(doing.before.image, s.screen.image, el.box if el is not None else None)
    if share >= STILL:  # something changed, too little to say what: the click may have done its part
        return _verdict(doing, None, f"only a small part of the screen changed ({share:.2%})")
    # its own look under the pointer (hover, pressed) is no effect. Not a failure either: a handler may have run
    # without showing it (a calculator's '+' shows nothing until the next digit), so it is said, never clicked
    # again (a second Send, a second Delete)
    verb = "clicked" if el is not None else "did"
    return _verdict(doing, None, f"{verb} {name!r}; the screen did not change", quiet=True)

