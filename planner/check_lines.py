"""A direct command's effect checks (planner/direct_checks.py), and the programmer's result as the planner hands it
back, as the terminal and the app show them: one line each, from the step info the trajectory keeps (light: no
screen code)."""

from __future__ import annotations

from planner.context import clip


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


def handed_back_line(info: dict) -> str:
    """For the quiet step that hands the programmer's result back (the record keeps it as a short wait): "programmer
    FAILED after 2 runs: ..."; '' for any other step."""
    planner = info.get("planner") or {}
    result = planner.get("programmer_result") if planner.get("action") == "hand back" else None
    if not isinstance(result, dict):
        return ""
    runs = int(result.get("runs") or 0)
    summary = clip(str(result.get("summary", "")), 300)
    return f"programmer {'finished' if result.get('ok') else 'FAILED'} after {runs} run{'s' * (runs != 1)}: {summary}"
