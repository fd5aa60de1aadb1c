"""Turning what the engine reports into what the views show: step cards, the plan's rows, durations, money."""

from __future__ import annotations

from dataclasses import dataclass, field

from app.qt.views.plan import PlanRow
from app.qt.views.timeline import StepRow
from planner.check_lines import check_line, handed_back_line
from planner.trajectory import StepRecord


def step_row(record: StepRecord, text: str) -> StepRow:
    """A written step as a card: done, failed, stopped mid-way, or not let run (its note says how long it took)."""
    outcome = record.outcome or {}
    policy = record.policy or {}
    verdict = "ok" if record.ok else str(outcome.get("error") or "failed")
    mark = "stopped" if outcome.get("stopped") else "denied" if policy.get("verdict") == "deny" else ""
    notes = [record.took()] if record.timing_ms else []
    if policy.get("asked") and policy.get("verdict") == "allow":
        notes.append("you allowed it")
    elif policy.get("reason") and mark != "denied":
        notes.append(f"policy: {policy['reason']}")
    if record.usage is not None and record.usage.cost:
        notes.append(f"${record.usage.cost:.4f} so far")
    notes += [check_line(c) for c in record.info.get("checks", ())]  # the last intent's effect, seen here
    handed = handed_back_line(record.info)
    if handed:  # the programmer's result, not the short wait that carries it
        text, verdict = handed, "ok" if handed.startswith("programmer finished") else "failed"
    return StepRow(record.step, text, record.response, verdict, "   ·   ".join(notes), mark)


@dataclass
class PlanTracker:
    """The plan as the manager revises it: subtasks finished so far, the current one, the ones ahead."""

    done: list[str] = field(default_factory=list)
    current: str = ""
    ahead: tuple[str, ...] = ()

    def update(self, current: str, ahead: tuple[str, ...]) -> list[PlanRow]:
        """A new plan: a current subtask that changed counts as finished."""
        if self.current and self.current != current and self.current not in self.done:
            self.done.append(self.current)
        self.current, self.ahead = current, tuple(ahead)
        return self.rows()

    def rows(self) -> list[PlanRow]:
        rows = [PlanRow(t, "done") for t in self.done]
        if self.current:
            rows.append(PlanRow(self.current, "current"))
        return rows + [PlanRow(t, "next") for t in self.ahead if t != self.current]

    def clear(self) -> None:
        self.done, self.current, self.ahead = [], "", ()


def duration(seconds: float | None) -> str:
    """'8.2 s', '3 min 05 s', '1 h 02 min'; '' when unknown."""
    if seconds is None or seconds < 0:
        return ""
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def money(cost: float, tokens: int) -> str:
    """'$0.0042' for a run that used a model; '—' for one that did not."""
    return f"${cost:.4f}" if tokens or cost else "—"
