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
from dataclasses import replace
from datetime import date

from grounding.dates import format_of, keys_for
from grounding.dates import shows as date_shows
from grounding.elements import Element, Screen
from grounding.front import in_front
from grounding.textmatch import shows, text_score
from planner import reading_target as rt
from planner.checks import Check, check_effect, read_box
from planner.container_reading import inside, inside_by_words
from planner.demos import DemoStep
from planner.dimming import undimmed
from planner.doing.adjusting import MONTHS, STEPPED, number_in, parse_date, value_of
from planner.doing.base import Situation
from planner.doing.entering import ENTRIES, computed, shows_date_or_time, ways_to_type
from planner.effects import FOCUS_ONLY, Effect, changed_beside, screen_effect
from planner.language import intents as it
from planner.named_field import named_elsewhere
from planner.readings import fits, scrolled_to_its_end, under_the_pointer, without_caret
from planner.secrets import marked_secrets, typed_is_secret
from planner.targets import target_at
from planner.verdicts import Doing, Verdict, again, distinct, name_of, shows_nothing, value_changed, verdict

TOGGLES = ("checkbox", "radio")
CLICKS = (it.Click, it.Submit, it.Close, it.Expand)
DETAIL = 200  # characters of a click's seen effect in its check (the changes that fit, then how many more)
STILL = 0.0002  # share of the screen's pixels that changed: under it (a short word is more), nothing changed


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
        return verdict(doing, True, "it appeared")  # its doer finishes only once it shows
    if isinstance(intent, it.Find) and intent.report:
        return _read(doing, intent, s)
    if isinstance(intent, it.Find):
        found = s.find(intent.target)
        return verdict(doing, True if found is not None else None, f"{intent.target.describe()} "
                        f"{'shows' if found is not None else 'is not in view'}")
    if isinstance(intent, it.Scroll | it.ScrollToEdge):
        return _scrolled(doing, s)
    return verdict(doing, None, "nothing visible to check")


def _scrolled(doing: Doing, s: Situation) -> Verdict:
    """A scroll is seen when the page moved; one that moved nothing (already at its end) did no harm: quiet."""
    share = changed_beside(doing.before.image, s.screen.image, None)
    if share >= STILL:
        return verdict(doing, True, f"the view moved ({share:.0%} of the screen changed)")
    return verdict(doing, None, "the view did not move: it may already be at its end", quiet=True)


def _read(doing: Doing, intent: it.Find, s: Situation) -> Verdict:
    """ "read the display": what the element the noun names shows, in the summary; a reading that is not sure
    (planner/reading_target.py) is said with why, and not counted as seen."""
    ref = intent.target
    found = None if rt.line_noun(ref) else s.find(ref)
    if rt.line_noun(ref):
        got = rt.new_line(s.screen, doing.earlier)
    elif rt.on_display(ref):
        got = rt.display(in_front(s.screen, ref) or s.screen, found.element if found is not None else None)
    elif found is None:
        return verdict(doing, None, f"{ref.describe()} is not in view")
    else:
        el = found.element
        shown = el.value or el.name or (read_box(s.screen.image, el.box) if s.screen.image is not None else "")
        got = rt.Reading(shown=shown, element=el)
    what = ref.said or ref.describe()
    said = f"{what} shows {got.shown!r}" + (f" (not sure: {got.why})" if got.why and got.shown else "")
    if not got.shown:
        return verdict(doing, None, f"{what} cannot be read: {got.why or 'it shows nothing'}")
    return replace(verdict(doing, None if got.why else True, said), reading=said)


def _held_on(el: Element, was: Screen, effect: Effect, s: Situation, before: Screen) -> Check:
    """planner/checks.py's check of a replayed step, for the element clicked on ``was``: found again by its
    label, else at its box."""
    x, y = el.box.center
    target, box = target_at(was, was.image, x, y) if was.image is not None else (None, el.box)
    step = DemoStep(kind="type" if effect.kind == "value" else "click", target=target, into=target, effect=effect)
    return check_effect(step, {}, s.screen, before.image, s.screen.image, box)


def _typed(doing: Doing, text: str, s: Situation) -> Verdict:
    fields = distinct(doing, (*ENTRIES, "dropdown"))
    if not fields:
        return verdict(doing, None, "typed where the focus was: no field to read it back from")
    marked = marked_secrets(s.echo) | s.memory.secrets
    for el, was in fields:
        name = name_of(el, doing.said)
        if typed_is_secret(field=el, clause=doing.said, text=text, marked=marked):
            return verdict(doing, None, f"a password field shows dots: {name!r} not read back")
        parts = _parts_held(doing, el, name, text, s)
        if parts is not None:
            if parts.held is not True:
                return parts
            continue
        held_inside = _in_container(doing, el, name, text, s)
        if held_inside is not None:
            return held_inside
        if ways_to_type(text):  # a date or time field shows it in its own format: its digits are compared
            now = again(el, s.screen)
            seen = (now.value + " " + now.name).strip() if now is not None else ""
            if not seen and s.screen.image is not None:  # a focused field's ring can hide it: read its box
                seen = read_box(s.screen.image, el.box)
            if not seen and shows_nothing(now, s):
                return verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows nothing", retry=True)
            if not seen:
                return verdict(doing, None, f"{name!r} could not be read back")
            day = parse_date(text)
            if day is not None:  # its numbers in the field's own order and format (OCR may split one)
                if not _date_shows(seen, day):
                    return verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows {seen!r}",
                                    retry=True)
                continue
            if not shows_date_or_time(seen, text):
                shown = now.value if now is not None and now.value else seen
                return verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows {shown!r}",
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
            return verdict(doing, None, f"{name!r} computes what is typed: it shows {there.value!r}")
        check = _held_on(el, was, effect, s, doing.before)  # else found again by its label, as a replay's is
        if not check.held and "seen" not in check.evidence:  # not found again by its label: read where it was
            seen = read_box(s.screen.image, el.box) if s.screen.image is not None else ""
            if not seen and shows_nothing(there, s):
                return verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows nothing", retry=True)
            if not seen:
                return verdict(doing, None, f"{name!r} could not be read back ({check.detail})")
            check = Check(fits(seen, text, effect.whole), "", {"seen": seen})
        seen = without_caret(str(check.evidence.get("seen", "")), text)
        if not check.held and under_the_pointer(el.box, s.memory.pointer, seen, text):
            return verdict(doing, None, f"the pointer rests on {name!r} and covers part of what it shows "
                                         f"({seen!r}): not read back whole")
        if not check.held and not scrolled_to_its_end(seen, text):
            off = " is disabled and" if there is not None and "disabled" in there.states else ""
            return verdict(doing, False, f"Typed {text!r} into {name!r}, but the field{off} shows {seen!r}",
                            retry=True)
    other = named_elsewhere(getattr(doing.intent, "into", None), fields[0][0], fields[0][1])
    if other is not None:  # redoing it would ground the same field again: the command is not done, and says why
        return verdict(doing, False, f"Typed {text!r} into {name_of(fields[0][0], 'a field')!r}, but the command "
                                      f"named {other[0]!r}, which is {name_of(other[1], 'another field')!r}")
    return verdict(doing, True, f"{text!r} shows in {name_of(fields[0][0], 'the field')!r}")


def _in_container(doing: Doing, el: Element, name: str, text: str, s: Situation) -> Verdict | None:
    """Where ``el`` holds the field the words named inside it (a box around a form read as one field): failed when
    the part after that field's label shows other text, else not checkable (never seen in the field's own box);
    None where ``el`` is not such a box."""
    now = again(el, s.screen)
    reading = now.value if now is not None and now.value else ""
    if not reading and s.screen.image is not None:
        reading = read_box(s.screen.image, el.box)
    ref = getattr(doing.intent, "into", None) or getattr(doing.intent, "target", None)
    part = inside(ref, el, reading) or inside_by_words(ref, el, s.screen)
    if part is None:
        held = inside_by_words(ref, el, doing.before)  # it held the label when it was typed into: still a box
        return None if held is None else verdict(doing, None, f"{name!r} holds {held.label!r} among other words: "
                                                              f"what its field shows cannot be told apart")
    day = parse_date(text)
    if not (_date_shows(part.head(text), day) if day is not None else part.starts_with(text)):
        return verdict(doing, False, f"Typed {text!r} into {name!r}, but {part.label!r} there shows "
                                      f"{part.head(text)!r}", retry=True)
    return verdict(doing, None, f"{name!r} holds {part.label!r} among other words: {text!r} shows after it, not "
                                 f"read from the field's own box")


def _toggled(doing: Doing, on: bool, s: Situation) -> Verdict:
    toggles = distinct(doing, TOGGLES)
    if not doing.acted:
        return verdict(doing, True, f"already {'checked' if on else 'unchecked'}")
    for el, was in toggles:
        failed = _state_fails(doing, el, was, on, s)
        if failed is not None:
            return failed
    state = "checked" if on else "unchecked"
    return verdict(doing, True, f"{', '.join(repr(name_of(e, 'it')) for e, _ in toggles)} {state}") if toggles \
        else _clicked(doing, s)


def _state_fails(doing: Doing, el: Element, was: Screen, on: bool, s: Situation) -> Verdict | None:
    """None when ``el`` shows the state ``on``; else the verdict that it does not."""
    there = again(el, s.screen, TOGGLES)
    if there is not None and there.checked == on:
        return None  # where it was clicked (the screen did not move)
    check = _held_on(el, was, Effect(kind="state", checked=on), s, doing.before)  # else by its label
    if check.held:
        return None
    name = name_of(el, doing.said)
    if "not on the screen" in check.detail:
        return verdict(doing, None, f"{name!r} is not on the screen to read back")
    verb = "Checked" if on else "Unchecked"
    return verdict(doing, False, f"{verb} {name!r}, but it shows {'unchecked' if on else 'checked'}", retry=True)


def _chosen(doing: Doing, intent: it.Choose, s: Situation) -> Verdict:
    if not doing.acted:
        return verdict(doing, True, "already chosen")
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
    return verdict(doing, True, f"{', '.join(map(repr, wanted))} chosen")


def _option_fails(doing: Doing, el: Element, s: Situation) -> Verdict | None:
    """A list box's option clicked: failed only where the list shows another option selected instead."""
    now = again(el, s.screen, ("option",))
    if now is None or now.selected:
        return None
    others = [e for e in s.screen.elements if e.role == "option" and e.selected and e.parent == now.parent]
    if not others:
        return None
    return verdict(doing, False, f"Chose {el.name!r}, but the list shows {others[0].name!r} selected", retry=True)


def _shows_choice(doing: Doing, opener: Element, wanted: str, s: Situation) -> Verdict:
    now = again(opener, s.screen, ("dropdown", "button", "text_field", "list_box"))
    seen = now.value if now is not None else ""
    if not seen and s.screen.image is not None:  # the parse read no value there: what its own box shows
        seen = read_box(s.screen.image, (now or opener).box)
    seen = seen or (now.name if now is not None else "")  # a button's caption shows its choice
    name = name_of(opener, "the dropdown")
    if not seen:
        return verdict(doing, None, f"what {name!r} shows cannot be read")
    if text_score(wanted, seen) >= 0.6 or shows(seen, wanted):
        return verdict(doing, True, f"{name!r} shows {seen!r}")
    return verdict(doing, False, f"Chose {wanted!r} in {name!r}, but it shows {seen!r}", retry=True)


def _valued(doing: Doing, intent: it.SetValue, s: Situation) -> Verdict:
    if not doing.acted:
        return verdict(doing, True, "it already held that value")
    el, was = doing.acted[0]
    name = name_of(el, intent.target.said or doing.said)
    if el.role in STEPPED or intent.target.role in STEPPED:
        return _number_held(doing, el, name, intent.value, s)
    if el.role in ("dropdown", "list_box"):
        return _shows_choice(doing, el, intent.value, s)
    if el.role in TOGGLES:
        return _state_fails(doing, el, was, True, s) or verdict(doing, True, f"{name!r} checked")
    day = parse_date(intent.value)
    if day is not None:
        return _date_held(doing, el, name, day, s)
    if el.role in ENTRIES:
        return _typed(doing, intent.value, s)
    return verdict(doing, None, f"{name!r} is not a field whose value can be read back")


def _parts_held(doing: Doing, el: Element, name: str, text: str, s: Situation) -> Verdict | None:
    """A date or time field of parts: it holds the parts ``text`` gives, however either spells them; None for a
    field that is no such field, or a text that gives not all of its parts."""
    fmt = format_of(el.format, el.value)
    if not fmt or keys_for(fmt, text) is None:
        return None
    now = again(el, s.screen)
    seen = now.value if now is not None else ""
    if date_shows(fmt, seen, text):
        return verdict(doing, True, f"{name!r} shows {seen!r}")
    return verdict(doing, False, f"Typed {text!r} into {name!r}, but the field shows {seen!r}", retry=True)


def _date_held(doing: Doing, el: Element, name: str, day: date, s: Situation) -> Verdict:
    """A date field shows the date in its own format: its day, month (number or name) and year are among what it
    shows, in any order."""
    held_inside = _in_container(doing, el, name, doing.intent.value, s)
    if held_inside is not None:
        return held_inside
    now = again(el, s.screen)
    seen = now.value if now is not None else ""
    if not seen and s.screen.image is not None:  # the parse lost its value (a focus ring): read its box
        seen = read_box(s.screen.image, el.box)
    if not seen and shows_nothing(now, s):
        return verdict(doing, False, f"Set {name!r} to {day:%m/%d/%Y}, but it shows nothing", retry=True)
    if not seen:
        return verdict(doing, None, f"what {name!r} shows cannot be read")
    if _date_shows(seen, day):
        return verdict(doing, True, f"{name!r} shows {seen!r}")
    return verdict(doing, False, f"Set {name!r} to {day:%m/%d/%Y}, but it shows {seen!r}", retry=True)


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
        return verdict(doing, None, f"{value!r} is not a number to compare")
    now = again(el, s.screen)
    if el.role == "slider" or doing.intent.target.role == "slider":
        seen = value_of(now or el, s)
    else:
        seen = number_in(now.value) if now is not None and now.value else None
        if seen is None and s.screen.image is not None:
            seen = number_in(read_box(s.screen.image, el.box))
    if seen is None:
        return verdict(doing, None, f"the value of {name!r} cannot be read")
    if abs(seen - goal) < 1e-9:
        return verdict(doing, True, f"{name!r} holds {seen:g}")
    if abs(abs(seen) - abs(goal)) < 1e-9:  # a minus sign against the field's left edge is lost to its border
        return verdict(doing, None, f"{name!r} reads {seen:g}: its sign cannot be told")
    return verdict(doing, False, f"Set {name!r} to {goal:g}, but it shows {seen:g}")


def _clicked(doing: Doing, s: Situation, el: Element | None | bool = True) -> Verdict:
    """A click (or the key that stands for one) changed the screen: lines appeared or went away, or the page
    (``el``: the element clicked, by default the last one; None: judge the screen alone)."""
    if el is True:
        el = doing.acted[-1][0] if doing.acted else None
    assert el is None or isinstance(el, Element)
    name = name_of(el, doing.said) if el is not None else doing.said
    if el is not None and el.role in FOCUS_ONLY:
        return verdict(doing, None, f"a click into {name!r} moves only the focus")
    if el is not None and el.role in TOGGLES:
        on = el.role == "radio" or not el.checked  # a click checks a radio; it flips a checkbox
        return _state_fails(doing, el, doing.acted[-1][1], on, s) or verdict(
            doing, True, f"{name!r} {'checked' if on else 'unchecked'}")
    effect = screen_effect(*undimmed(doing.before, s.screen), s.memory.secrets)  # the page behind a dialog stays
    if effect is not None:
        return verdict(doing, True, effect.describe(limit=DETAIL))
    shown = value_changed(doing.before, s.screen)
    if shown:  # a key of a calculator changes only its display: small, and what the key is for
        return verdict(doing, True, shown)
    share = changed_beside(doing.before.image, s.screen.image, el.box if el is not None else None)
    if share >= STILL:  # something changed, too little to say what: the click may have done its part
        return verdict(doing, None, f"only a small part of the screen changed ({share:.2%})")
    # its own look under the pointer (hover, pressed) is no effect. Not a failure either: a handler may have run
    # without showing it (a calculator's '+' shows nothing until the next digit), so it is said, never clicked
    # again (a second Send, a second Delete)
    verb = "clicked" if el is not None else "did"
    return verdict(doing, None, f"{verb} {name!r}; the screen did not change", quiet=True)

