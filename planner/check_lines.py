"""A direct command's effect checks (planner/direct_checks.py), as the terminal and the app show them: one line each,
from the step info the trajectory keeps (light: no screen code)."""

from __future__ import annotations


def check_line(check: dict) -> str:
    """A check from a step's info as one line: "checked 'type Ada into Name': seen to work ('Ada' shows in ...)"."""
    held = check.get("held")
    if check.get("looking_again"):
        return f"checked {check.get('intent', '')!r}: not seen yet, looking again ({check.get('detail', '')})"
    if check.get("redo"):
        return f"checked {check.get('intent', '')!r}: NOT seen to work, doing it once more ({check.get('detail', '')})"
    how = "seen to work" if held is True else "NOT seen to work" if held is False else \
        "no visible effect" if check.get("quiet") else "not checkable"
    again = ", after one retry" if check.get("retried") else ""
    return f"checked {check.get('intent', '')!r}: {how}{again} ({check.get('detail', '')})"
