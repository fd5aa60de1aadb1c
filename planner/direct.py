"""CommandAgent: carries out a direct command, the offline default when no language model is configured.

The command is read once by the grammar (planner/language) into typed intents; each is grounded on the live
screen only when its turn comes (planner/doing), and what it cannot find yet is waited for a few frames.
Follow-ups (an opened dropdown, a slider still moving, something still being looked for) run after the next look.
Once an intent's steps and follow-ups are done, the next screen is checked for its effect (planner/direct_checks.py):
the run ends Done only when every effect that can be seen was seen, and its summary says which could not be checked.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field, replace

from grounding.elements import Screen
from grounding.locate import NotFound
from grounding.more_widgets import augment
from grounding.router import Router
from grounding.table_refs import AmbiguousRows
from planner.actions import Action, Click, Done, Fail, Key, Wait
from planner.direct_checks import verify
from planner.doing import Memory, Situation, Step, plan
from planner.doing.base import Absent
from planner.language import intents as it
from planner.language import parse
from planner.protocols import Decision, Observation, Outcome
from planner.questions import open_question
from planner.secrets import marked_secrets, typed_is_secret
from planner.verdicts import Doing, Verdict, summary


@dataclass
class CommandAgent:
    """Turns intents into actions one step at a time; waits a few frames for targets that are not there yet."""

    todo: deque
    instruction: str = ""
    patience: int = 8
    retry_wait: float = 0.25
    router: Router = field(default_factory=Router)
    memory: Memory = field(default_factory=Memory)
    looks_for_effect: int = 2  # looks again before an effect that does not show counts as missing
    _pending: deque[Step] = field(default_factory=deque)
    _misses: int = 0
    verdicts: list[Verdict] = field(default_factory=list)  # each intent's check, in order
    _doing: Doing | None = None
    _intents: set[int] = field(default_factory=set)  # the command's own intents (the rest are follow-ups)
    _kept: tuple = ()  # and the intents themselves, so that no follow-up made later can take one's id
    _first: Screen | None = None  # the screen the command began on
    _acted_on: Screen | None = None  # the screen the last act (not a read) was done on

    def __post_init__(self) -> None:
        self._kept = tuple(self.todo)
        self._intents = {id(i) for i in self._kept}

    @property
    def secrets(self) -> set[str]:
        """Secret text (planner.secrets' rule): what the task marks or a clause calls a password, known from the
        start, and what went into password fields; the trajectory and the events mask it wherever it would appear."""
        marked = marked_secrets(self.instruction)
        said = {i.text for i in self.todo if isinstance(i, it.TypeInto) and typed_is_secret(
            label=i.into.label if i.into else i.hint, clause=i.said, text=i.text, marked=marked)}
        return said | marked | self.memory.secrets

    @property
    def meter(self) -> None:
        """The interpreter uses no model."""
        return None

    @property
    def answer(self) -> str:
        return ""

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """A direct command that could not be carried out ends the run with the executor's sentence."""
        return False

    @classmethod
    def from_instruction(cls, instruction: str, **kwargs: object) -> CommandAgent:
        """An agent for ``instruction``; LanguageError (one sentence) when it cannot be read."""
        return cls(deque(parse(instruction)), instruction, **kwargs)

    def wants_screen(self) -> bool:
        return not self._pending

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        if self._pending:
            action, why = self._pending.popleft()
            return Decision(action, why)
        if screen is not None:
            screen = augment(screen)  # sliders and tree items the pixel parser does not report yet
            self._first = self._first or screen
        checks: list[dict] = []  # the checks made on this screen, for the step's info
        while True:
            if self._doing is not None and (not self.todo or not self._follows(self.todo[0])):
                assert screen is not None
                verdict = verify(self._doing, Situation(observation, screen, self.router, self.instruction,
                                                        self.memory))
                checks.append(verdict.to_json())
                outcome = self._judged(verdict, checks)  # marks the check when it looks again or redoes
                if outcome is not None:
                    return outcome
                continue
            if not self.todo:
                break
            item = self.todo[0]
            assert screen is not None
            situation = Situation(observation, screen, self.router, self.instruction, self.memory)
            try:
                planned = plan(item, situation)
            except NotFound as exc:
                if self._doing is not None and self._doing.failed is not None and item is self._doing.intent:
                    return self._unredone(self._doing, str(exc), checks)
                return self._missed(item, str(exc), checks, settled=isinstance(exc, (Absent, AmbiguousRows)))
            self._misses = 0
            self.todo.popleft()
            self.todo.extendleft(reversed(planned.then))
            self._track(item, screen, situation)
            info: dict = {"intent": _said(item), **({"checks": checks} if checks else {})}
            if situation.groundings:
                info["grounding"] = situation.groundings[-1]
                if len(situation.groundings) > 1:
                    info["groundings"] = situation.groundings
            if planned.steps:
                (first, why), *rest = self._in_words(planned.steps)
                self._pending.extend(rest)
                return Decision(first, why, info)
            if planned.then:
                return Decision(Wait(seconds=self.retry_wait), "look again", {**info, "automatic": True})
        said = summary(self.verdicts)
        asked = open_question(self._first, screen) if self._first is not None and screen is not None else ""
        if asked:
            said += f"; the screen now asks {asked}, which is left for you to answer"
        return Decision(Done(summary=said), "nothing left to do",
                        {"checks": checks, "all_checks": [v.to_json() for v in self.verdicts],
                         **({"open_question": asked} if asked else {})})

    def _in_words(self, steps: tuple[Step, ...]) -> list[Step]:
        """The steps, each click told the clause of the person's command it carries out: a click the person asked
        for by the name of its act ("click Delete account") needs no second yes (planner/policy.py)."""
        clause = self._doing.said if self._doing is not None else ""
        return [(replace(a, command=clause) if isinstance(a, (Click, Key)) and clause else a, why) for a, why in steps]

    def _follows(self, item: object) -> bool:
        """Whether ``item`` still belongs to the intent being carried out (a follow-up, or that intent again)."""
        return id(item) not in self._intents or (self._doing is not None and item is self._doing.intent)

    def _track(self, item: object, screen: Screen, situation: Situation) -> None:
        """Start following a new intent, or note what a follow-up of the current one clicked."""
        if id(item) in self._intents:
            if self._doing is None or item is not self._doing.intent:
                self._doing = Doing(item, _said(item), screen, earlier=self._acted_on)
            else:  # the same intent planned again (it looked further, or it is redone): judged from here, on what
                # it acts on now; a redo keeps what the first try acted on too (it may click nothing, the field
                # being focused, or ground something else where the parse lost the field)
                self._doing.before = screen
                self._doing.acted = self._doing.acted if self._doing.failed is not None else []
        if self._doing is not None:
            self._doing.acted.extend(situation.acted)
            self._doing.guess = next((_guessed(g) for g in situation.groundings if g.get("alike")), self._doing.guess)

    def _judged(self, verdict: Verdict, checks: list[dict]) -> Decision | None:
        """What a verdict leads to: on with the next intent (None), a look again, a retry (None), or the end."""
        doing = self._doing
        assert doing is not None
        if (verdict.held is False or verdict.quiet and not doing.looks) and doing.looks < self.looks_for_effect:
            doing.looks += 1  # an effect may take a moment to show (an animation, a page loading)
            checks[-1]["looking_again"] = True
            return Decision(Wait(seconds=self.retry_wait), f"waiting for the effect: {verdict.detail}",
                            {"intent": doing.said, "checks": checks, "automatic": True})
        if verdict.held is False and verdict.retry:
            doing.retried, doing.looks, doing.failed = True, 0, verdict
            checks[-1]["redo"] = True
            self.todo.appendleft(doing.intent)
            return None
        self._doing = None
        self.verdicts.append(verdict)
        if not (isinstance(doing.intent, it.Find) and doing.intent.report):
            self._acted_on = doing.before  # what "read the result" compares with: the screen before this act
        if verdict.held is not False:
            return None
        earlier = f" Before it, {summary(self.verdicts[:-1])}." if len(self.verdicts) > 1 else ""
        reason = verdict.detail + (" (after one retry)" if verdict.retried else "") + "." + earlier
        return Decision(Fail(reason=reason), verdict.detail, {"intent": doing.said, "checks": checks,
                                                               "all_checks": [v.to_json() for v in self.verdicts]})

    def _unredone(self, doing: Doing, reason: str, checks: list[dict]) -> Decision:
        """The intent to redo is no longer where it was: the check that failed is the run's end, not a wait."""
        failed = doing.failed
        assert failed is not None
        self._doing = None
        self.verdicts.append(failed)
        why = f"{failed.detail}, and it could not be done again: {reason}."
        return Decision(Fail(reason=why), why, {"intent": doing.said, "checks": checks,
                                                "all_checks": [v.to_json() for v in self.verdicts]})

    def _missed(self, item: object, reason: str, checks: list[dict], settled: bool = False) -> Decision:
        self._misses += 1 if not settled else self.patience + 1  # settled: looking again shows the same
        patience = self.patience * 5 if isinstance(item, it.WaitFor) else self.patience
        follow_up = self._doing is not None and id(item) not in self._intents
        said = self._doing.said if follow_up else _said(item)  # a follow-up is said as the command it is part of
        if self._misses > patience:
            return Decision(Fail(reason=f"{reason[0].upper()}{reason[1:]} (while doing {said!r})."), reason,
                            {"intent": said, **({"checks": checks} if checks else {})})
        return Decision(Wait(seconds=self.retry_wait), f"waiting for the screen: {reason}",
                        {"intent": said, "retry": self._misses, "automatic": True,
                         **({"checks": checks} if checks else {})})


def _said(item: object) -> str:
    said = getattr(item, "said", "")
    if not said and hasattr(item, "find"):
        said = item.find.said
    return said or (item.brief() if hasattr(item, "brief") else type(item).__name__)


def _guessed(grounding: dict) -> str:
    """How the summary says a pick among look-alikes: which it took and that it could not tell the rest apart."""
    n = grounding["alike"]
    others = ", ".join(str(a["box"]) for a in grounding["alternatives"][:n - 1])
    return f"{grounding['target']}: took the first of {n} alike at {grounding['box']}, could not tell it from {others}"
