"""One intent's check as data: what is being done (the screen it was planned on, what was clicked for it) and the
verdict on it, and how the verdicts of a command are said in its summary (planner/direct_checks.py makes them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from grounding.elements import VALUE_ROLES, Element, Screen
from planner.checks import blank
from planner.doing.base import Situation


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
    earlier: Screen | None = None  # the screen the intent before it was done on: "the result" is what appeared since


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


def verdict(doing: Doing, held: bool | None, detail: str, retry: bool = False, quiet: bool = False) -> Verdict:
    """The verdict on ``doing``: retried only where redoing is safe and it was not redone already."""
    return Verdict(said=doing.said, held=held, detail=detail, retry=retry and not doing.retried,
                   retried=doing.retried, quiet=quiet, guess=doing.guess)


def distinct(doing: Doing, roles: tuple[str, ...]) -> list[tuple[Element, Screen]]:
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


def name_of(el: Element, fallback: str) -> str:
    """What a message calls ``el``: its name, else ``fallback``."""
    return el.name or fallback


def shows_nothing(field: Element | None, s: Situation) -> bool:
    """An empty reading is what the field shows, not a reading that failed, where the field is still where it was
    acted on (the screen did not move it away) and nothing is drawn inside it; ink OCR could not read is not
    checkable."""
    return field is not None and s.screen.image is not None and blank(s.screen.image, field.box)




def value_changed(before: Screen, after: Screen) -> str:
    """A field or readout at the same place that shows another value than before ("'15' shows now, it showed
    '8'": a calculator's display after a key), said; "" where none does."""
    for now in after.elements:
        if now.role not in VALUE_ROLES or not now.value:
            continue
        was = again(now, before, (now.role,))
        if was is not None and was.value and was.value.strip() != now.value.strip():
            name = name_of(now, "the " + now.role.replace("_", " "))
            return f"{name!r} shows {now.value!r} (it showed {was.value!r})"
    return ""
