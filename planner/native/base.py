"""The native agent: one computer-use model, one call per step, screenshot in, actions out.

A protocol adapter (``Wire``) turns the model's answer into ``Call``s in DeskPilot's actions (coordinates already
converted with grounding/coords.py) and sends each call's ``Result`` back with the next screenshot. Everything
else stays DeskPilot's: the loop gates every action, records it, stops and pauses; a malformed or out-of-range
call, a failed action and a denied one all go back to the model, which carries on from there.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

import numpy as np

from grounding.coords import Point, Space, logical_to_image
from grounding.elements import Screen
from models.chat import Meter
from planner.actions import Action, Click, Drag, Fail, Move, Scroll, TypeText, describe
from planner.policy import Approver, FixedApprover, Ruling
from planner.prompting import screen_block
from planner.protocols import Decision, Observation, Outcome

SAID_CHARS = 600  # of the model's words kept on a click for the policy
PASSWORDISH = re.compile(r"\b(password|passcode|passphrase|pin)\b", re.I)


@dataclass
class Result:
    """What became of one call; the adapter sends it back to the model with the next screenshot."""

    call: Call
    ok: bool = True
    text: str = ""
    image: np.ndarray | None = None  # an answer that is a picture (a zoomed region)


@dataclass
class Call:
    """One action the model asked for, in its protocol's words, and what DeskPilot made of it."""

    id: str  # the protocol's handle for the reply (tool_use id, call_id); "" where the protocol has none
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    actions: list[Action] = field(default_factory=list)  # what runs on the desktop, in order
    error: str = ""  # malformed or out of range: nothing runs, the sentence goes back to the model
    answer: Result | None = None  # answered without touching the desktop (screenshot, zoom, cursor position)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "args": self.args}
        if self.error:
            out["error"] = self.error
        if self.actions:
            out["actions"] = [describe(a) for a in self.actions]
        return out


@dataclass
class Turn:
    """One answer of the model."""

    calls: list[Call] = field(default_factory=list)
    text: str = ""  # the model's own words: its thought, or its closing message
    raw: Any = None  # the reply as the server sent it, for the trajectory
    final: Action | None = None  # Done, Fail or AskUser when the model ends the task
    safety: list[dict[str, Any]] = field(default_factory=list)  # checks the person must acknowledge first


class Wire(Protocol):
    """One computer-use protocol: it owns the conversation and speaks to the server."""

    name: str
    meter: Meter

    def turn(self, obs: Observation, results: list[Result], note: str) -> Turn: ...

    def acknowledge(self, checks: list[dict[str, Any]]) -> None: ...


@dataclass
class Pointer:
    """Where the mouse is (logical desktop pixels), as far as this run moved it: for clicks without a point."""

    at: tuple[float, float] | None = None

    def after(self, action: Action) -> None:
        match action:
            case Click(x=x, y=y) | Move(x=x, y=y) | Scroll(x=x, y=y):
                self.at = (x, y)
            case Drag(to_x=x, to_y=y):
                self.at = (x, y)


def is_person(approver: Approver) -> bool:
    """A fixed answer (--yes, or nobody to ask) is not a person: safety checks are never acknowledged by one."""
    return not isinstance(approver, FixedApprover)


@dataclass
class NativeAgent:
    """An ``Agent`` for planner.loop.Loop that lets a native computer-use model choose every action."""

    wire: Wire
    task: str
    approver: Approver = field(default_factory=FixedApprover)  # hears the protocol's own safety checks
    legend: bool = False  # also show the model the parsed screen, fenced as data
    exchanges: int = 6  # model calls one step may make while the answers carry nothing to run
    _queue: deque[tuple[Call, Action]] = field(default_factory=deque)
    _current: tuple[Call, Action] | None = None
    _results: dict[int, Result] = field(default_factory=dict)  # by id(call), in the order the calls came
    _secrets: set[str] = field(default_factory=set)
    _last: Action | None = None
    _final: Action | None = None  # the model ended the task after the actions still queued

    @property
    def meter(self) -> Meter:
        return self.wire.meter

    @property
    def secrets(self) -> set[str]:
        """Text the model typed into password fields: masked wherever the trajectory would show it."""
        return self._secrets

    def wants_screen(self) -> bool:
        # the parse tells what a click focused, so typing into a password field is known to be secret
        head = self._queue[0][1] if self._queue else None
        return self.legend or isinstance(head, TypeText) or isinstance(self._last, Click)

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        if self._queue:
            return self._next(observation, screen, {"continued": True}, "")
        results = list(self._results.values())
        self._results.clear()
        final, self._final = self._final, None
        if final is not None and all(r.ok for r in results):  # "click ..., then finished()": all of it went through
            return Decision(final, "", {"agent": "native", "native": {"protocol": self.wire.name, "ended": True}})
        note = screen_block(screen) if self.legend and screen is not None else ""
        replies: list[Any] = []
        for _ in range(self.exchanges):
            turn = self.wire.turn(observation, results, note)
            replies.append(turn.raw)
            info = {"protocol": self.wire.name, "replies": replies, "calls": [c.to_json() for c in turn.calls]}
            # the trajectory keeps every raw reply of the step (the loop masks secrets in it when it writes)
            results = self._triage(turn, info)
            if self._queue:
                self._final = turn.final  # ends the task once the actions before it went through
                return self._next(observation, screen, info, turn.text)
            if turn.final is not None and all(r.ok for r in results):
                return Decision(turn.final, turn.text, {"agent": "native", "native": info})
        reason = f"The model answered {self.exchanges} times in a row without an action that could run."
        return Decision(Fail(reason=reason), "", {"agent": "native",
                                                   "native": {"protocol": self.wire.name, "replies": replies}})

    @property
    def answer(self) -> str:
        """What the model answered the person (Qwen's ``answer`` action), "" when it answered nothing."""
        return str(getattr(self.wire, "answer", ""))

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """Every outcome goes back to the model with the next screenshot: a failure never ends the run by itself."""
        if self._current is None:
            return True
        call, _ = self._current
        result = self._results.setdefault(id(call), Result(call))
        if outcome.output:
            result.text = (result.text + "\n" + outcome.output).strip()[-2000:]
        if not outcome.ok:
            result.ok, result.text = False, outcome.error
            while self._queue:  # the rest of the batch was planned on this action's effect
                later, _ = self._queue.popleft()
                skipped = self._results.setdefault(id(later), Result(later))
                if later is not call and skipped.ok:
                    skipped.ok, skipped.text = False, "Not run: an earlier action in this batch did not go through."
        return True

    def _triage(self, turn: Turn, info: dict[str, Any]) -> list[Result]:
        """Queue what can run; answer the rest at once (errors, screenshots, zooms). Returns what to send back
        now when nothing runs; otherwise the results wait, in the order the calls came, for the actions."""
        ordered: list[Result] = []
        runnable: list[Call] = []
        for call in turn.calls:
            if call.error:
                ordered.append(Result(call, False, call.error))
            elif any(not r.ok for r in ordered):  # planned on an action that will not happen
                ordered.append(Result(call, False, "Not run: an earlier action in this answer was invalid."))
            elif call.answer is not None:
                ordered.append(call.answer)
            else:
                runnable.append(call)
                ordered.append(Result(call))
        if runnable and turn.safety and not self._acknowledged(turn, runnable[0], info):
            reason = "; ".join(c.get("message") or c.get("code") or "flagged" for c in turn.safety)
            for r in ordered:
                if r.call in runnable:
                    r.ok, r.text = False, f"Not run: the person declined it after the safety check ({reason})."
            runnable = []
        for call in runnable:  # a bare point's click is judged by the model's own words when it lands on no name
            self._queue.extend((call, _with_words(a, turn.text)) for a in call.actions)
        if not self._queue:
            return ordered
        self._results = {id(r.call): r for r in ordered}
        return []

    def _acknowledged(self, turn: Turn, first: Call, info: dict[str, Any]) -> bool:
        """Ask the person about the protocol's safety checks; only a person's yes acknowledges them."""
        messages = "; ".join(f"{c.get('code') or 'check'}: {c.get('message') or 'no details'}" for c in turn.safety)
        ruling = Ruling("ask", f"the model's provider flagged it ({messages})")
        answer = self.approver.approve(first.actions[0], ruling) if is_person(self.approver) else "deny"
        info["safety_checks"] = {"checks": turn.safety, "answer": answer}
        if answer == "deny":
            return False
        self.wire.acknowledge(turn.safety)
        return True

    def _next(self, obs: Observation, screen: Screen | None, info: dict[str, Any], text: str) -> Decision:
        call, action = self._queue.popleft()
        if isinstance(action, TypeText) and not action.secret and _password_focused(screen, obs, self._last):
            action = TypeText(text=action.text, secret=True)
            self._secrets.add(action.text)
        self._current, self._last = (call, action), action
        return Decision(action, text, {"agent": "native", "native": info})


def _with_words(action: Action, text: str) -> Action:
    """A click told the model's words for this turn (its thought), for the policy to read when the point it clicks
    has no name (planner/risky.py); the first sentences are enough."""
    if isinstance(action, Click) and text and not action.said:
        return replace(action, said=text[:SAID_CHARS])
    return action


def _password_focused(screen: Screen | None, obs: Observation, last: Action | None) -> bool:
    """Whether the last click landed on a password field (its state, or a name that says so)."""
    if screen is None or not isinstance(last, Click):
        return False
    p = logical_to_image(Point(last.x, last.y, Space.LOGICAL), obs.frame)
    hits = [e for e in screen.elements if e.box.contains_point(p.x, p.y)]
    for el in sorted(hits, key=lambda e: e.box.area):
        if "password" in getattr(el, "states", ()) or getattr(el, "state", "") == "password":
            return True
        words = " ".join(str(getattr(el, name, "")) for name in ("name", "label", "text"))
        if el.role == "text_field" and PASSWORDISH.search(words):
            return True
    return False
