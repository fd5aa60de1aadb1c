"""Progress lines for the terminal, from the loop's events."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Any

from planner.actions import Action, RunCode, describe
from planner.policy import Answer, FixedApprover, Ruling


def print_event(kind: str, data: dict[str, Any]) -> None:
    """One line per step: what was done, whether the screen changed, how long it took."""
    if kind == "step":
        timing = data["info"].get("timing_ms", {})
        changed = data["info"].get("screen_changed")
        note = "" if changed is not False else "  (the screen did not change)"
        print(f"  step {data['step']:>2}: {data['action']}{note}   [{sum(timing.values()):.0f} ms]", flush=True)
    elif kind == "decided" and data["response"] and data["info"].get("planner"):
        print(f"  thought: {data['response'][:200]}", flush=True)


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
