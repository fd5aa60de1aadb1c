"""Progress lines for the terminal, from the loop's events."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from planner.actions import Action, RunCode, describe
from planner.events import Decided, Event, Planned, Stepped
from planner.policy import Answer, FixedApprover, Ruling


def print_event(event: Event) -> None:
    """One line per step: what was done, whether the screen changed, how long it took; the model's thought once."""
    match event:
        case Decided(thought=thought, agent=agent) if thought and agent:
            print(f"  thought: {thought[:200]}", flush=True)
        case Stepped(record=r, text=text):
            note = "" if r.screen_changed is not False else "  (the screen did not change)"
            if r.policy and r.policy.get("verdict") == "deny":
                note += f"  (denied: {r.policy.get('reason', '')})"
            elif not r.ok and r.outcome:
                note += f"  (failed: {r.outcome.get('error', '')})"
            print(f"  step {r.step:>2}: {text}{note}   [{sum(r.timing_ms.values()):.0f} ms]", flush=True)
        case Planned(subtasks=subtasks, current=current):
            print(f"  plan: {current}" + (f" (then {len(subtasks)} more)" if subtasks else ""), flush=True)


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
            return FixedApprover("once", person=person)
        return person or FixedApprover("deny")
