"""The hierarchical planner (Agent S2 shape, CoAct-1's programmer): a manager plans subtasks and re-plans after
each one; a worker acts one step at a time through the agent-computer interface; a reflector compares the screens
around each worker action with what it was meant to do; a programmer does file and data work in code.

It is an ``Agent`` for ``planner.loop.Loop``: every action, code runs included, passes the loop's policy gate and
lands in the trajectory. Model answers are parsed against schemas (planner.replies), never executed.
"""

from __future__ import annotations

import tempfile
from collections import deque
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from grounding.elements import Screen
from grounding.locate import NotFound
from grounding.marks import mark
from grounding.router import Router
from models.chat import ChatModel, Message
from planner import prompting as P
from planner.aci import BadKeys, Translator
from planner.actions import Action, AskUser, Done, Fail, RunCode, TypeText, Wait, describe
from planner.context import Ledger, Screens, TurnLog, clip
from planner.protocols import Decision, Observation, Outcome
from planner.replies import (
    AskA,
    CodeA,
    DoneA,
    Evidence,
    FailA,
    Plan,
    Program,
    Reflection,
    Subtask,
    Turn,
    WorkerAction,
    ask,
)

MAX_PLAN = 10


@dataclass
class PlannerConfig:
    """How the planner works; the defaults suit a capable multimodal model."""

    marks: bool = False  # show numbered boxes so the model can answer "#12"
    repairs: int = 2  # malformed answers sent back before the run fails
    grounding_retries: int = 2  # worker targets not found, sent back before the subtask counts as failed
    max_replans: int = 20
    programmer_budget: int = 6  # code runs per programmer call
    code_timeout: float = 60.0
    image_width: int = 1280
    reflect: bool = True
    workdir: str = ""


@dataclass
class _Pending:
    """A worker action being carried out: its low-level actions left, and what reflection needs afterwards."""

    line: str
    kind: str
    before: np.ndarray
    actions: deque[Action]
    ok: bool = True
    error: str = ""
    changed: bool | None = None


@dataclass
class HierarchicalAgent:
    model: ChatModel
    task: str
    config: PlannerConfig = field(default_factory=PlannerConfig)
    router: Router = field(default_factory=Router)
    examples: str = ""  # grounded steps of similar demonstrations, shown to manager and worker
    ledger: Ledger = field(default_factory=Ledger)
    turns: TurnLog = field(default_factory=TurnLog)
    screens: Screens = field(default_factory=Screens)
    plan: deque[Subtask] = field(default_factory=deque)
    current: Subtask | None = None
    reflection: str = ""
    _pending: _Pending | None = None
    _event: str = "The task has just started."
    _program: dict[str, Any] | None = None
    _replans: int = 0
    _info: dict[str, Any] = field(default_factory=dict)
    _secrets: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        if not self.config.workdir:
            self.config.workdir = tempfile.mkdtemp(prefix="deskpilot-work-")

    @property
    def meter(self) -> Any:
        return getattr(self.model, "meter", None)

    @property
    def secrets(self) -> set[str]:
        """Text the worker typed into password fields: masked wherever the trajectory would show it."""
        return self._secrets

    def wants_screen(self) -> bool:
        return self._program is None and not (self._pending and self._pending.actions)

    # --- the Agent protocol -------------------------------------------------------------------------------------

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        self._info = {}
        self.screens.push(observation.image)
        pending = self._pending
        if pending and pending.actions and pending.ok:
            return Decision(pending.actions.popleft(), pending.line, {"planner": {"role": "worker", "continued": True}})
        if pending:
            self._reflect(pending, observation)
        decision = self._next(observation, screen)
        decision.info.setdefault("planner", {}).update(self._info)
        return decision

    def feedback(self, action: Action, outcome: Outcome, info: dict[str, Any]) -> None:
        if self._program is not None and isinstance(action, RunCode):
            self._program["runs"].append({"language": action.language, "code": action.code, "ok": outcome.ok,
                                          "output": outcome.output[-1500:], "error": outcome.error})
            return
        if self._pending is not None:
            if not outcome.ok:
                self._pending.ok, self._pending.error = False, outcome.error
                self._pending.actions.clear()
            if "screen_changed" in info:
                self._pending.changed = bool(self._pending.changed) or info["screen_changed"]

    # --- routing between roles ----------------------------------------------------------------------------------

    def _next(self, obs: Observation, screen: Screen | None) -> Decision:
        for _ in range(self.config.max_replans + 1):
            if self._program is not None:
                return self._program_step()
            if self.current is None:
                final = self._replan(obs, screen)
                if final is not None:
                    return final
                continue
            decision = self._work(obs, screen)
            if decision is not None:
                return decision
        return Decision(Fail(reason=f"The plan changed {self.config.max_replans} times without finishing the task."))

    def _replan(self, obs: Observation, screen: Screen | None) -> Decision | None:
        self._replans += 1
        if self._replans > self.config.max_replans:
            return Decision(Fail(reason=f"Re-planned {self.config.max_replans} times without finishing the task."))
        plan, exchange = ask(self.model, self._manager_messages(obs, screen), Plan, self.config.repairs)
        self._info.setdefault("manager", []).append({"thought": plan.thought, "replies": exchange.replies,
                                                     "subtasks": [s.title for s in plan.subtasks]})
        self.ledger.learn(plan.facts)
        if plan.done:
            return Decision(Done(summary=plan.summary or "Task finished."), plan.thought)
        if plan.impossible:
            return Decision(Fail(reason=plan.impossible), plan.thought)
        if not plan.subtasks:
            self._event = "Your last answer had no subtasks and did not say the task is done: plan what is left."
            return None
        self.plan = deque(plan.subtasks[:MAX_PLAN])
        self.current = self.plan.popleft()
        self.turns.clear()
        self.reflection = ""
        if self.current.kind == "code":
            self._start_program(self.current.title)
        return None

    def _finish_subtask(self, ok: bool, summary: str) -> None:
        assert self.current is not None
        verdict = "finished" if ok else "failed"
        self.ledger.note(f"{verdict}: {self.current.title} - {summary}")
        self._event = f"The subtask {self.current.title!r} {verdict}: {clip(summary, 600)}"
        self.current = None

    # --- the worker ---------------------------------------------------------------------------------------------

    def _work(self, obs: Observation, screen: Screen | None) -> Decision | None:
        assert self.current is not None and screen is not None
        marks = mark(obs.image, screen) if self.config.marks else None
        router = Router(self.router.grounders, marks)
        messages = self._worker_messages(obs, screen, marks)
        for attempt in range(self.config.grounding_retries + 1):
            turn, exchange = ask(self.model, messages, Turn, self.config.repairs)
            self._info.setdefault("worker", []).append({"thought": turn.thought, "replies": exchange.replies,
                                                        "subtask": self.current.title})
            translator = Translator(router, obs, screen)
            try:
                return self._act(turn, translator, obs)
            except (NotFound, BadKeys) as exc:
                problem = f"{exc}" if attempt < self.config.grounding_retries else ""
                self._info["worker"][-1]["error"] = str(exc)
                if not problem:
                    self._finish_subtask(False, f"the worker's target could not be found: {exc}")
                    return None
                messages = messages + [Message("assistant", exchange.replies[-1]),
                                       Message("user", f"That action could not be carried out: {problem}. Look at "
                                                       "the screen list again and choose another action.")]
        return None

    def _act(self, turn: Turn, translator: Translator, obs: Observation) -> Decision | None:
        act: WorkerAction = turn.action
        match act:
            case DoneA(summary=s):
                self._finish_subtask(True, s or "done")
                return None
            case FailA(reason=r):
                self._finish_subtask(False, r)
                return None
            case CodeA(instruction=instruction):
                self.turns.add(f"handed to the programmer: {instruction}", "code", True)
                self._start_program(instruction)
                return None
            case AskA(question=q):
                return Decision(AskUser(question=q), turn.thought)
        actions = deque(translator.actions(act))
        self._secrets |= {a.text for a in actions if isinstance(a, TypeText) and a.secret and a.text}
        line = f"{act.type}: " + "; ".join(describe(a) for a in actions)
        self._pending = _Pending(line, act.type, obs.image, actions)
        if translator.groundings:
            self._info["grounding"] = translator.groundings
        return Decision(actions.popleft(), turn.thought, {"grounding": translator.groundings[0]}
                        if translator.groundings else {})

    def _reflect(self, pending: _Pending, obs: Observation) -> None:
        """Tell the worker what its last action did; a change seen in the pixels is ours to state, not the model's."""
        self._pending = None
        fact = ("It could not be carried out: " + pending.error if not pending.ok else
                "The screen did not change at all after it." if pending.changed is False else
                "The screen changed after it." if pending.changed else "")
        verdict = "ok" if pending.ok and pending.changed is not False else "no effect" if pending.ok else "failed"
        if self.config.reflect and pending.ok:
            subtask = self.current.title if self.current else ""
            messages = [Message("system", P.render("reflector")),
                        Message("user", f"{P.task_block(self.task)}\nSubtask: {subtask}\nThe action: {pending.line}"
                                        f"\nWhat we measured: {fact or 'nothing'}\n"
                                        "The first image is before the action, the second after it.",
                                (P.png(pending.before, self.config.image_width),
                                 P.png(obs.image, self.config.image_width)))]
            r, exchange = ask(self.model, messages, Reflection, self.config.repairs, max_tokens=400)
            self._info["reflection"] = {"changed": r.changed, "success": r.success, "advice": r.advice}
            if not r.success:
                verdict = "did not work"
            self.reflection = " ".join(x for x in (fact, r.changed, r.advice) if x)
        else:
            self.reflection = fact
        self.turns.add(f"{pending.line} -> {verdict}", pending.kind, verdict == "ok")

    # --- the programmer -----------------------------------------------------------------------------------------

    def _start_program(self, instruction: str) -> None:
        self._program = {"instruction": instruction, "runs": []}

    def _program_step(self) -> Decision:
        prog = self._program
        assert prog is not None
        if len(prog["runs"]) >= self.config.programmer_budget:
            return self._end_program(False, f"the programmer used all {self.config.programmer_budget} runs")
        step, exchange = ask(self.model, self._programmer_messages(prog), Program, self.config.repairs, 2048)
        self._info.setdefault("programmer", []).append({"thought": step.thought, "replies": exchange.replies})
        if step.done:
            return self._end_program(True, _evidence(step.summary or Evidence()))
        if step.fail:
            return self._end_program(False, step.fail)
        assert step.language is not None
        return Decision(RunCode(language=step.language, code=step.code, timeout=self.config.code_timeout),
                        step.thought)

    def _end_program(self, ok: bool, summary: str) -> Decision:
        """Hand the programmer's evidence back: to the manager for a code subtask, to the worker otherwise."""
        prog, self._program = self._program, None
        assert prog is not None
        self._info["programmer_result"] = {"ok": ok, "summary": summary, "runs": len(prog["runs"])}
        self.ledger.note(f"programmer {'finished' if ok else 'failed'}: {prog['instruction']} - {summary}")
        if self.current is not None and self.current.kind == "code":
            self._finish_subtask(ok, summary)
        else:
            self.reflection = (f"The programmer {'finished' if ok else 'failed'}: {clip(summary, 600)}. Files or "
                               "settings may have changed: reopen or refresh what it changed before relying on "
                               "the screen.")
        return Decision(Wait(seconds=0.2), "the programmer is done: look at the screen afresh")

    # --- messages -------------------------------------------------------------------------------------------------

    def _manager_messages(self, obs: Observation, screen: Screen | None) -> list[Message]:
        upcoming = "\n".join(f"- [{s.kind}] {s.title}" for s in self.plan) or "- (none)"
        text = (f"{P.task_block(self.task)}\n{self._examples()}{self.ledger.render()}\nWhat just happened: "
                f"{self._event}\nSubtasks still planned:\n{upcoming}\n{P.screen_block(screen, limit=40)}\n"
                "The image is the screen now. Plan what is left.")
        return [Message("system", P.render("manager", workdir=self.config.workdir)),
                Message("user", text, (P.png(obs.image, self.config.image_width),))]

    def _worker_messages(self, obs: Observation, screen: Screen, marks: Any) -> list[Message]:
        assert self.current is not None
        previous = self.screens.previous
        upcoming = "; ".join(s.title for s in self.plan) or "(none)"
        text = (f"{P.task_block(self.task)}\n{self._examples()}{self.ledger.render()}\n"
                f"Current subtask: {self.current.title}\nAfter it: {upcoming}\n"
                f"Your actions on this subtask so far:\n{self.turns.render()}\n"
                f"Reflection on your last action: {self.reflection or '(none yet)'}\n"
                f"{P.screen_block(screen)}")
        image = marks.image if marks is not None else obs.image
        images = (P.png(previous, self.config.image_width),) if previous is not None else ()
        images += (P.png(image, self.config.image_width),)
        system = P.render("worker", marks=marks is not None, previous_image=previous is not None)
        return [Message("system", system), Message("user", text, images)]

    def _programmer_messages(self, prog: dict[str, Any]) -> list[Message]:
        runs = prog["runs"][-3:]
        earlier = len(prog["runs"]) - len(runs)
        shown = "\n".join(f"Run ({r['language']}):\n{clip(r['code'], 1500)}\nResult: "
                          f"{'ok' if r['ok'] else 'FAILED ' + r['error']}\nOutput:\n{r['output'][-1500:]}"
                          for r in runs) or "(no runs yet)"
        text = (f"{P.task_block(self.task)}\n{self.ledger.render()}\nYour instruction: {prog['instruction']}\n"
                f"{f'({earlier} earlier runs not shown)' if earlier else ''}\n{shown}\n"
                f"Runs left: {self.config.programmer_budget - len(prog['runs'])}")
        return [Message("system", P.render("programmer", workdir=self.config.workdir,
                                           budget=self.config.programmer_budget)),
                Message("user", text)]

    def _examples(self) -> str:
        return f"Examples of similar tasks done before (for guidance only):\n{self.examples}\n" if self.examples else ""


def _evidence(e: Evidence) -> str:
    parts = [f"commands: {'; '.join(e.commands)}" if e.commands else "",
             f"outputs: {'; '.join(e.outputs)}" if e.outputs else "",
             f"side effects: {'; '.join(e.side_effects)}" if e.side_effects else "",
             f"verified: {e.verification}" if e.verification else ""]
    return clip(" | ".join(p for p in parts if p) or "done", 800)
