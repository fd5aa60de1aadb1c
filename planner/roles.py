"""What each role is shown: the manager's, the worker's and the programmer's messages, built from the ledger, the
current subtask and the worker's last turn. The instructions are template files (planner/prompts/*.j2); what is
built here is data: the task, facts, finished subtasks, measurements, the screen legend."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from grounding.elements import Screen
from models.chat import Message
from planner import prompting as P
from planner.context import Ledger, TurnLog, clip_lines
from planner.protocols import Observation
from planner.replies import Evidence, Subtask

OUTPUT_CAP = 2000  # characters of a program's output the programmer sees (its tail), stated in its prompt
CODE_CAP = 4000  # characters of an earlier program shown back to the programmer, line breaks kept
RUNS_SHOWN = 3


@dataclass(frozen=True)
class Brief:
    """What every role starts from."""

    task: str
    examples: str
    ledger: Ledger
    config: Any  # planner.hierarchy.PlannerConfig
    previous: str = ""  # the subtask finished just before this one with its summary, when no manager came between


@dataclass(frozen=True)
class LastTurn:
    """The worker's last turn as it will read it: each action and how it went, what we measured, the reflector's
    advice (when one was asked), and the screen before it."""

    report: str
    measured: str
    advice: str
    before: np.ndarray | None


def manager_messages(brief: Brief, event: str, upcoming: list[Subtask], obs: Observation,
                     screen: Screen | None) -> list[Message]:
    planned = "\n".join(f"- [{s.kind}] {s.title}" for s in upcoming) or "- (none)"
    text = (f"{P.task_block(brief.task)}\n{_examples(brief)}{brief.ledger.render()}\nWhat just happened: {event}\n"
            f"Subtasks still planned:\n{planned}\n{P.screen_block(screen, limit=40)}\n"
            "The image is the screen now. Plan what is left.")
    system = P.render("manager", workdir=brief.config.workdir, no_code=brief.config.no_code)
    return [Message("system", system), Message("user", text, (P.png(obs.image, brief.config.image_width),))]


def worker_messages(brief: Brief, current: Subtask, upcoming: list[Subtask], turns: TurnLog, last: LastTurn | None,
                    obs: Observation, screen: Screen, marks: Any, sent: tuple[int, int]) -> list[Message]:
    width = brief.config.image_width
    after = "; ".join(s.title for s in upcoming) or "(none)"
    before = last.before if last is not None else None
    if before is not None:
        images = (P.png(before, width), P.png(marks.image if marks is not None else obs.image, width))
        seen = ("Image 1 is the screen before your last turn's actions; image 2, the last one, is the screen now "
                f"({sent[0]}x{sent[1]} pixels).")
    else:
        images = (P.png(marks.image if marks is not None else obs.image, width),)
        seen = f"The image is the screen now ({sent[0]}x{sent[1]} pixels)."
    text = (f"{P.task_block(brief.task)}\n{_examples(brief)}{brief.ledger.render_facts()}\n"
            f"{_previous(brief)}Current subtask: {current.title}\nAfter it: {after}\n"
            f"{_earlier_turns(turns, last)}\n{_last_turn(last)}{seen}\n"
            f"{P.screen_block(screen)}")
    system = P.render("worker", marks=marks is not None, width=sent[0], height=sent[1],
                      max_batch=brief.config.max_batch, no_code=brief.config.no_code)
    return [Message("system", system), Message("user", text, images)]


def _previous(brief: Brief) -> str:
    return f"The subtask before yours:\n{brief.previous}\n" if brief.previous else ""


def _earlier_turns(turns: TurnLog, last: LastTurn | None) -> str:
    """The subtask's turns so far; the last one is left to "Your last turn", which shows it in full."""
    if last is None:
        return f"Your actions on this subtask so far:\n{turns.render()}"
    return f"Your turns on this subtask before the last one:\n{turns.render(but_last=True)}"


def _last_turn(last: LastTurn | None) -> str:
    if last is None:
        return ""
    out = f"Your last turn:\n{last.report}\nWhat we measured once the screen settled: {last.measured}\n"
    if last.advice:
        out += f"The reflector's view: {last.advice}\n"
    return out


def programmer_messages(brief: Brief, prog: dict[str, Any]) -> list[Message]:
    runs = prog["runs"][-RUNS_SHOWN:]
    earlier = len(prog["runs"]) - len(runs)
    shown = "\n\n".join(_run(r) for r in runs) or "(no runs yet)"
    budget = brief.config.programmer_budget
    text = (f"{P.task_block(brief.task)}\n{brief.ledger.render()}\nYour instruction: {prog['instruction']}\n"
            f"{f'({earlier} earlier runs not shown)' + chr(10) if earlier else ''}{shown}\n"
            f"Runs left: {budget - len(prog['runs'])}")
    system = P.render("programmer", workdir=brief.config.workdir, budget=budget, output_cap=OUTPUT_CAP)
    return [Message("system", system), Message("user", text)]


def _run(r: dict[str, Any]) -> str:
    result = "ok" if r["ok"] else "FAILED: " + r["error"]
    output = clip_lines(r["output"], OUTPUT_CAP, keep="tail") or "(no output)"
    return (f"Run ({r['language']}):\n```\n{clip_lines(r['code'], CODE_CAP)}\n```\nResult: {result}\n"
            f"Output:\n```\n{output}\n```")


def evidence(e: Evidence | None) -> str:
    """The programmer's evidence-first summary, one line per part, whole (the ledger bounds it at a word)."""
    if e is None:
        return "done"
    parts = [f"commands: {'; '.join(e.commands)}" if e.commands else "",
             f"outputs: {'; '.join(e.outputs)}" if e.outputs else "",
             f"side effects: {'; '.join(e.side_effects)}" if e.side_effects else "",
             f"verified: {e.verification}" if e.verification else ""]
    return "\n".join(p for p in parts if p) or "done"


def _examples(brief: Brief) -> str:
    if not brief.examples:
        return ""
    return f"Examples of similar tasks done before (for guidance only):\n{brief.examples}\n"
