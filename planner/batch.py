"""One worker turn carried out: its actions in order, each turned into desktop steps on the screen as it is when
the action starts. The batch stops at the first action that fails, is denied, or meets a screen that no longer fits
the rest (another window in front, a dialog, a target gone); afterwards it says what it measured, for the worker's
next look and for the reflector."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grounding.elements import Box, Screen
from grounding.legend import quote
from grounding.locate import NotFound
from grounding.router import Router
from planner.aci import Later, Step, Translator, Typed, View, Wanted, said
from planner.actions import Action, ActionError, Wait
from planner.doing.tooltips import Pointed, tooltip
from planner.protocols import Observation, Outcome
from planner.replies import ClickA, DragA, HoverA, OpenA, PressA, ScrollA, SelectA, SetA, TypeA, WaitA
from planner.set_check import unset
from planner.typed_check import unshown

POINTED = 24  # image pixels: the spot a hover on a bare point rests on, for where its tooltip may show


@dataclass
class Result:
    """How one worker action went."""

    line: str
    kind: str
    ok: bool = True
    error: str = ""
    why: str = ""  # "" | "denied" | "target" (not found, not run) | "failed" (the desktop said no)
    changed: bool | None = None  # whether the screen changed after it (None: nothing it did expects a change)
    ran: int = 0  # desktop steps carried out
    late: bool = False  # the change showed only after waiting for the screen
    tooltip: str | None = None  # a hover's: what appeared beside the pointer ("" nothing)
    shows: str | None = None  # a `type` into a field: what the field shows afterwards, when not what was typed

    @property
    def verdict(self) -> str:
        if not self.ok:
            if self.why == "denied":
                return f"refused by the policy: {self.error.removeprefix('Not run: ')}"
            return f"not run: {self.error}" if self.why == "target" and not self.ran else f"FAILED: {self.error}"
        if not self.ran:
            return "nothing to do (it was already so)"
        if self.tooltip is not None:
            return f"done: its tooltip says {quote(self.tooltip)}" if self.tooltip else \
                "done: no tooltip showed beside the pointer"
        if self.shows is not None:
            return f"done, but the field shows {quote(self.shows)} after typing"
        if self.changed is False:
            return "done, but the screen did not change"
        return "done" + (", the screen changed after a moment" if self.late else "")

    @property
    def troubled(self) -> bool:
        """An action the reflector should look at: the desktop refused it, or it changed nothing."""
        return (not self.ok and self.why == "failed") or (self.ok and self.ran > 0 and self.changed is False) \
            or self.shows is not None


@dataclass
class Batch:
    """The worker actions of one turn, the screen they were chosen on, and how each went."""

    acts: deque[Any]
    asked: View
    before: np.ndarray
    done: str | None = None  # the subtask summary the last action carried
    steps: deque[Step] = field(default_factory=deque)
    current: Result | None = None
    results: list[Result] = field(default_factory=list)
    stopped: str = ""
    groundings: list[dict] = field(default_factory=list)
    settle_wait: float = 1.0  # seconds to look once more after an action that changed nothing yet
    marked: frozenset[str] = frozenset()  # values the task marks as secret
    dropped: int = 0  # actions past the turn's cap, never run
    _wait_from: np.ndarray | None = None
    _waited_for: Result | None = None
    _title: str = ""  # the window in front as last seen (a parse may not know it at first)
    _first_title: str = ""
    _window: int = 0  # its id, where the window system says (0: unknown)
    _first_window: int = 0
    _refocused: bool = False  # the last action brought a window to the front itself
    _over: bool = False  # finished or stopped; only its last look at a new window was left
    _pointed: Pointed | None = None  # where the hover under way points, and what the screen showed before it
    _typed: Typed | None = None  # the `type` under way: the field and the text it should show
    _wanted: Wanted | None = None  # the `set` or `select` under way: what its control should show

    @property
    def failed(self) -> bool:
        return self.current is not None and not self.current.ok

    @property
    def complete(self) -> bool:
        """Every action ran and none failed."""
        return not self.acts and not self.stopped and all(r.ok for r in self.results)

    def needs_screen(self) -> bool:
        """Whether the next step needs a fresh parse (a new action, a step chosen on the screen, or the end)."""
        return self.failed or not self.steps or isinstance(self.steps[0], Later)

    @property
    def waiting(self) -> bool:
        return self._wait_from is not None

    def start(self, act: Any, tr: Translator) -> None:
        """Turn ``act`` into steps; NotFound or ActionError (the model's target or keys) propagate."""
        self._seen(tr.view.screen)
        self._refocused = bool(getattr(act, "window", ""))
        self.current = Result(_line(act), act.type)
        self.steps = deque(tr.steps(act))
        self.groundings = tr.groundings
        self._typed = tr.typed if isinstance(act, TypeA) else None
        self._wanted = tr.wanted if isinstance(act, (SetA, SelectA)) else None
        self._pointed = Pointed.on(_spot(Box(*tr.groundings[-1]["box"])), tr.view.screen) \
            if isinstance(act, HoverA) and tr.groundings else None

    def next(self, obs: Observation, screen: Screen | None, router: Router) -> Action | None:
        """The next desktop action, or None when the batch is over."""
        if self._wait_from is not None:
            self._late(obs.image)
        if self._over:
            return None
        while True:
            if self.failed:
                self._close()
                self.stopped = self.stopped or "an action before it did not work"
                return None
            if self.steps:
                step = self.steps.popleft()
                if isinstance(step, Later):
                    self._expand(step, obs, screen, router)
                    continue
                assert self.current is not None
                self.current.ran += 1
                return step
            if self._pointed is not None and self.current is not None and self.current.ok and screen is not None:
                self.current.tooltip = tooltip(self._pointed, screen)  # the screen after the hover rested
            self._pointed = None
            if self._typed is not None and self.current is not None and self.current.ok and screen is not None:
                self.current.shows = unshown(self._typed, screen)
            self._typed = None
            wanted, self._wanted = self._wanted, None
            if wanted is not None and self.current is not None and self.current.ok and self.current.ran \
                    and screen is not None:
                missed = unset(wanted, screen)  # the control does not show what was asked: the action failed
                if missed:
                    self.current.ok, self.current.error, self.current.why = False, missed, "failed"
                    continue
            self._close()
            last = self.results[-1] if self.results else None
            if last is not None and last is not self._waited_for and last.ok and last.ran and last.changed is False \
                    and self.settle_wait > 0:
                # nothing changed yet: look once more after a moment before going on (a dialog may be on its way)
                self._waited_for, self._wait_from = last, obs.image
                return Wait(seconds=self.settle_wait)
            if not self.acts or not self._begin(obs, screen, router):
                return self._last_look(obs, screen)

    def heard(self, action: Action, outcome: Outcome, changed: bool | None) -> None:
        r = self.current
        if r is None:
            return
        if not outcome.ok:
            denied = outcome.error.startswith("Not run:")
            r.ok, r.error, r.why = False, outcome.error, "denied" if denied else "failed"
            self.steps.clear()
        if changed is not None:
            r.changed = bool(r.changed) or changed

    def _seen(self, screen: Screen) -> None:
        if screen.title:
            self._title, self._window = screen.title, screen.window
            if not self._first_title:
                self._first_title, self._first_window = screen.title, screen.window

    def _last_look(self, obs: Observation, screen: Screen | None) -> Action | None:
        """A window that has just come to the front is often still drawing: one look more before the worker's."""
        self._over = True
        if screen is not None and other_window(self._title, self._window, screen) and self.settle_wait > 0:
            self._wait_from = obs.image
            return Wait(seconds=self.settle_wait)
        return None

    def _late(self, image: np.ndarray) -> None:
        """After the wait: a change since then is the waited-for action's, only slower."""
        assert self._wait_from is not None
        if self._waited_for is not None and not same_pixels(self._wait_from, image):
            self._waited_for.changed, self._waited_for.late = True, True
        self._wait_from, self._waited_for = None, None if self._over else self._waited_for

    def trouble(self) -> bool:
        return any(r.troubled for r in self.results)

    def report(self) -> str:
        lines = [f"{i}. {r.line} -> {r.verdict}" for i, r in enumerate(self.results, 1)]
        n = len(self.results)
        lines += [f"{n + i}. {_line(a)} -> not run: {self.stopped}" for i, a in enumerate(self.acts, 1)]
        if self.dropped:
            lines.append(f"({self.dropped} more actions were not run: at most {n + len(self.acts)} run in one turn)")
        if self.done is not None and not (self.complete and not self.trouble()):
            lines.append("Your \"done\" was not taken, since not every action worked: look at the screen now.")
        return "\n".join(lines)

    def measured(self, obs: Observation, screen: Screen | None) -> str:
        """What we measured once the screen settled (pixels, window, focus): facts, not the model's guess."""
        share = changed_share(self.before, obs.image)
        parts = ["the screen did not change" if share == 0 else f"pixels changed: {share:.1%} of the screen"]
        was, now = self._first_title, screen.title if screen is not None else ""
        if now and was and now != was and screen is not None and not other_window(was, self._first_window, screen):
            marked = unsaved(now) or unsaved(was)
            parts.append(f"the window's title is now {quote(now)} (it was {quote(was)}): the same window"
                         + (f", {'with' if unsaved(now) else 'without'} unsaved changes" if marked else ""))
        elif now and was and now != was:
            parts.append(f"the window in front is now {quote(now)} (it was {quote(was)}): a new window or dialog")
        elif now:
            parts.append(f"window: {quote(now)}")
        if screen is not None and screen.focused:
            try:
                el = screen.get(screen.focused)
                said = [f"focused: #{el.id} {el.role.replace('_', ' ')}", quote(el.name) if el.name else "",
                        f"= {quote(el.value)}" if el.value else ""]
                parts.append(" ".join(p for p in said if p))
            except KeyError:
                pass
        return "; ".join(p.strip() for p in parts)

    # --- inside -------------------------------------------------------------------------------------------------

    def _begin(self, obs: Observation, screen: Screen | None, router: Router) -> bool:
        """Start the next action if the screen still fits it; False (the batch stops) when it does not."""
        assert screen is not None
        reason = _invalidated(self.asked.screen, screen, "" if self._refocused else self._title, self._window,
                              self.acts[0])
        if reason:
            self.stopped = reason
            return False
        act = self.acts.popleft()
        now = View(screen, obs.frame, self.asked.sent)
        try:
            self.start(act, Translator(router, now, self.asked, marked=self.marked))
        except (NotFound, ActionError) as exc:
            assert self.current is not None
            self.current.ok, self.current.error, self.current.why = False, str(exc), "target"
            self.stopped = "an action before it did not work"
        return True

    def _expand(self, step: Later, obs: Observation, screen: Screen | None, router: Router) -> None:
        assert self.current is not None and screen is not None
        try:
            more = step.run(View(screen, obs.frame, self.asked.sent))
        except (NotFound, ActionError) as exc:
            self.current.ok, self.current.error, self.current.why = False, str(exc), "target"
            return
        self.steps.extendleft(reversed(more))

    def _close(self) -> None:
        if self.current is not None:
            self.results.append(self.current)
            self.current = None


def _spot(box: Box) -> Box:
    """Where a hover rests: the element pointed at, or a spot around a bare point (a grounding's 1-pixel box)."""
    if box.height >= POINTED / 2:
        return box
    x, y = box.center
    return Box(x - POINTED / 2, y - POINTED / 2, x + POINTED / 2, y + POINTED / 2)


def _invalidated(asked: Screen, now: Screen, title: str, window: int, following: Any) -> str:
    """Why the screen no longer fits the rest of the batch, starting with ``following``: another window in front
    than the one seen before the last action (``title``, ``window``: its id or 0) which ``following`` does not
    name, or a new dialog."""
    if other_window(title, window, now):
        # the next action naming the window that came to the front: the batch still fits it
        return "" if _aims_at(following, now.title) else f"the window changed to {quote(now.title)}"
    before = {e.name for e in asked.by_role("dialog")}
    opened = [e for e in now.by_role("dialog") if e.name not in before]
    if opened:
        return f"a dialog opened{' (' + quote(opened[0].name) + ')' if opened[0].name else ''}"
    return ""


def _aims_at(act: Any, title: str) -> bool:
    """Whether ``act`` names the window titled ``title`` ({"window": "Mousepad"} for "Untitled 1 - Mousepad")."""
    window = str(getattr(act, "window", "") or "").strip().lower()
    return bool(window) and window in title.lower()


UNSAVED = re.compile(r"^\s*[*•●]\s*|\s*\*\s*$|\s*[(\[]modified[)\]]\s*$", re.I)


def unsaved(title: str) -> bool:
    """Whether a window title carries an unsaved-changes mark: "*Untitled 1", "● notes.md", "notes.txt*",
    "notes (modified)"."""
    return bool(UNSAVED.search(title))


def other_window(title: str, window: int, now: Screen) -> bool:
    """Whether ``now`` shows another window in front than the one titled ``title`` with id ``window``: by the
    ids where the window system gives both (a page or an app that retitles itself stays the same window), else by
    the titles. False when either title is unknown."""
    if not (title and now.title):
        return False
    if window and now.window:
        return window != now.window
    return not same_window(title, now.title)


def same_window(a: str, b: str) -> bool:
    """Whether two titles name the same window, one perhaps marked as having unsaved changes (typing into an
    editor marks its title; that is no new window, and the rest of a batch still fits)."""
    return a == b or UNSAVED.sub("", a) == UNSAVED.sub("", b)


def changed_share(before: np.ndarray, after: np.ndarray) -> float:
    """The share of pixels that differ (1.0 when the sizes differ): exact about whether anything changed, measured
    on every 4th pixel of every 4th row for how much (a full compare of two screenshots costs tens of ms)."""
    if before.shape != after.shape:
        return 1.0
    if same_pixels(before, after):
        return 0.0
    a, b = before[::4, ::4], after[::4, ::4]
    share = float(np.any(a != b, axis=-1).mean()) if a.ndim == 3 else float((a != b).mean())
    return max(share, 0.001)  # something changed, if less than the grid can see


def same_pixels(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two images are identical, compared eight bytes at a time where the buffers allow it."""
    if a.shape != b.shape or a.dtype != b.dtype:
        return False
    if a.flags.c_contiguous and b.flags.c_contiguous and a.nbytes % 8 == 0:
        return bool(np.array_equal(a.reshape(-1).view(np.uint64), b.reshape(-1).view(np.uint64)))
    return bool(np.array_equal(a, b))


def _line(act: Any) -> str:
    """A worker action as one short line for its log: what it was asked to do, targets as it named them."""
    match act:
        case TypeA(text=t, into=into, replace=r, enter=e, window=w):
            where = f" into {said(into)}" if into is not None else ""
            return (f"type {t!r}{where}" + (" (appended)" if r is False else "") + (" + Enter" if e else "")
                    + (f" in the window {w!r}" if w else ""))
        case PressA(keys=keys, count=n):
            return f"press {keys if isinstance(keys, str) else '+'.join(keys)}" + (f" x{n}" if n > 1 else "")
        case SelectA(target=t):
            return f"select {', '.join(repr(o) for o in act.options)}" + (f" in {said(t)}" if t is not None else "")
        case SetA(target=t, value=v):
            return f"set {said(t)} to {v!r}"
        case ClickA(target=t, button=b, count=n, hold=hold):
            what = {1: "click", 2: "double-click", 3: "triple-click"}[n]
            return "+".join((*hold, what if b == "left" else f"{b}-{what}")) + f" {said(t)}"
        case DragA(source=src, to=dst):
            return f"drag {said(src)} to {said(dst)}"
        case ScrollA(direction=d, amount=n, target=t):
            return f"scroll {d} {n}" + (f" in {said(t)}" if t is not None else "")
        case OpenA(app=app):
            return f"open {app}"
        case HoverA(target=t):
            return f"hover over {said(t)}"
        case WaitA(seconds=sec):
            return f"wait {sec:g}s"
    return act.type
