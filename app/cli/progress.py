"""Progress lines for the terminal, from the loop's events."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from planner.actions import Action, RunCode, describe
from planner.check_lines import check_line, handed_back_line
from planner.context import clip
from planner.events import Decided, Event, Planned, Stepped
from planner.policy import Answer, FixedApprover, Ruling
from planner.trajectory import StepRecord


def print_event(event: Event) -> None:
    """One line per step: what was done, whether the screen changed, how long it took; the model's thought once."""
    match event:
        case Decided(thought=thought, agent=agent) if thought and agent:
            print(f"  thought: {clip(thought, 600)}", flush=True)  # whole sentences; the record keeps all of it
        case Stepped(record=r, text=text):
            for check in r.info.get("checks", ()):  # the last intent's effect, looked at on this step's screen
                print(f"  {check_line(check)}", flush=True)
            handed = handed_back_line(r.info)
            if handed:
                print(f"  {handed}   [{r.took()}]", flush=True)
            else:
                print(f"  step {r.step:>2}: {text}{step_note(r)}   [{r.took()}]", flush=True)
        case Planned(subtasks=subtasks, current=current):
            print(f"  plan: {current}" + (f" (then {len(subtasks)} more)" if subtasks else ""), flush=True)


def step_note(r: StepRecord) -> str:
    """How a step went, when that is not simply "it ran": denied, asked, stopped, failed, no visible change."""
    policy, outcome = r.policy or {}, r.outcome or {}
    if policy.get("verdict") == "deny":
        return f"  -> DENIED, not run: {policy.get('reason', '')}"
    if outcome.get("stopped"):
        return f"  -> STOPPED: {outcome.get('error', '')}"
    asked = "  (asked: you allowed it)" if policy.get("asked") else ""
    if not r.ok:
        return f"{asked}  -> FAILED: {outcome.get('error', '')}"
    return asked + ("  (the screen did not change)" if r.screen_changed is False else "")


@dataclass
class TerminalApprover:
    """Asks at the terminal: shows exactly what would run and waits for y (once), a (always this run) or n."""

    def approve(self, action: Action, ruling: Ruling) -> Answer:
        body = action.code if isinstance(action, RunCode) else describe(action)
        print(f"\n  The agent wants to {describe(action).split(':')[0]} ({ruling.reason}):", flush=True)
        for line in body.splitlines()[:40]:
            print(f"    | {line}")
        if isinstance(action, RunCode):
            print(f"  may write: {', '.join(['the work folder', *action.writes])}; network: "
                  f"{'on' if action.network else 'off'}")
        while True:
            try:
                answer = input("  Allow? [y]es once / [a]lways this run / [n]o: ").strip().lower()
            except EOFError:
                return "deny"
            if answer in ("y", "yes", "a", "always", "n", "no", ""):
                return {"y": "once", "yes": "once", "a": "always", "always": "always"}.get(answer, "deny")

    @staticmethod
    def for_run(yes: bool) -> Any:
        """--yes allows, except what only a person may allow (code with no sandbox), which a terminal asks; with
        no terminal to ask, ask-first actions are denied."""
        person = TerminalApprover() if sys.stdin.isatty() else None
        if yes:
            return FixedApprover("once", person=person, why="allowed by --yes")
        return person or FixedApprover("deny", why="there is no terminal to ask (run it from a terminal, or pass "
                                                   "--yes)")
