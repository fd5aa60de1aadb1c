"""The hierarchical planner (Agent S2's manager and worker, CoAct-1's programmer), built to spend one model call
per action: a manager plans subtasks and re-plans when one fails or the plan is used up; a worker looks at the
screen and answers with one action or a short list of them, and sees, on its next look, the screens before and after
with what we measured; a reflector is asked only when an action failed or changed nothing (``reflect``); a
programmer does file and data work in code.

It is an ``Agent`` for ``planner.loop.Loop``: every action, code runs included, passes the loop's policy gate and
lands in the trajectory. Model answers are parsed against schemas (planner.replies), never executed.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field, replace
from typing import Any

from grounding.elements import Screen
from grounding.locate import NotFound
from grounding.marks import mark
from grounding.router import Router
from models.chat import ChatModel, Message
from planner import prompting as P
from planner.aci import Translator, View
from planner.actions import Action, ActionError, AskUser, Click, Done, Fail, RunCode, TypeText, Wait
from planner.batch import Batch
from planner.context import Ledger, TurnLog, clip
from planner.events import Events, Planned, ignore
from planner.protocols import Decision, Observation, Outcome
from planner.replies import AskA, CodeA, DoneA, FailA, Plan, Program, Reflection, Subtask, Turn, ask
from planner.roles import Brief, LastTurn, evidence, manager_messages, programmer_messages, worker_messages
from planner.secrets import marked_secrets, mask

MAX_PLAN = 10
REFLECT = ("always", "on_trouble", "never")


@dataclass
class PlannerConfig:
    """How the planner works; the defaults suit a capable multimodal model ([planner] in the config file)."""

    marks: bool = False  # show numbered boxes so the model can answer "#12" from the picture too
    reflect: str = "on_trouble"  # always | on_trouble (an action failed or changed nothing) | never
    max_batch: int = 8  # actions of one worker turn that run
    repairs: int = 2  # malformed answers sent back before the run fails
    grounding_retries: int = 2  # worker targets not found, sent back before the subtask counts as failed
    max_replans: int = 20
    programmer_budget: int = 6  # code runs per programmer call
    code_timeout: float = 60.0
    image_width: int = 1280  # screenshots wider than this are scaled down before a model sees them
    settle_wait: float = 1.0  # seconds to wait once more when an action changed nothing yet
    workdir: str = ""  # the executor's folder for code, named to the manager and the programmer (compose makes one)
    no_code: str = ""  # why model-written code cannot run in this run ('' when it can): only "gui" subtasks then

    def __post_init__(self) -> None:
        if self.reflect not in REFLECT:
            raise ValueError(f"reflect must be one of {', '.join(REFLECT)}, got {self.reflect!r}")


@dataclass
class HierarchicalAgent:
    model: ChatModel
    task: str
    config: PlannerConfig = field(default_factory=PlannerConfig)
    router: Router = field(default_factory=Router)
    examples: str = ""  # grounded steps of similar demonstrations, shown to manager and worker
    events: Events = ignore  # the loop's listener: the manager's plans arrive as Planned events
    ledger: Ledger = field(default_factory=Ledger)
    turns: TurnLog = field(default_factory=TurnLog)
    plan: deque[Subtask] = field(default_factory=deque)
    current: Subtask | None = None
    calls: Counter[str] = field(default_factory=Counter)  # model calls by role
    actions_done: int = 0  # worker actions carried out and code runs: what the model calls bought
    _batch: Batch | None = None
    _last: LastTurn | None = None
    _event: str = "The task has just started."
    _program: dict[str, Any] | None = None
    _replans: int = 0
    _info: dict[str, Any] = field(default_factory=dict)
    _secrets: set[str] = field(default_factory=set)
    _typed: set[str] = field(default_factory=set)  # secrets already typed: masked in every prompt from then on
    _answer: str = ""
    _previous: str = ""  # the subtask finished just before the current one, when no manager came in between

    def __post_init__(self) -> None:
        self._secrets |= marked_secrets(self.task)

    @property
    def meter(self) -> Any:
        return getattr(self.model, "meter", None)

    @property
    def answer(self) -> str:
        """The manager's answer for the person, when the task asked for one."""
        return self._answer

    @property
    def secrets(self) -> set[str]:
        """Secret text (planner.secrets' rule: the task marks it, or it went into a password field): masked
        wherever the trajectory and the events would show it."""
        return self._secrets

    def wants_screen(self) -> bool:
        if self._program is not None:
            return False  # the programmer works in code and sees no screen
        return self._batch is None or self._batch.needs_screen()

    # --- the Agent protocol -------------------------------------------------------------------------------------

    def decide(self, observation: Observation, screen: Screen | None) -> Decision:
        self._info = {}
        if self._batch is not None:
            going = self._carry_on(self._batch, observation, screen)
            if going is not None:
                return going
        decision = self._next(observation, screen)
        decision.info.setdefault("planner", {}).update(self._info)
        return decision

    def feedback(self, action: Action, outcome: Outcome, changed: bool | None) -> bool:
        """Every outcome reaches the worker or the programmer as an observation; the planner always goes on."""
        if self._program is not None and isinstance(action, RunCode):
            self._program["runs"].append({"language": action.language, "code": action.code, "ok": outcome.ok,
                                          "output": outcome.output[-8000:], "error": outcome.error})
            self.actions_done += 1
            return True
        if self._batch is not None:
            self._batch.heard(action, outcome, changed)
        return True

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

    def _ask(self, role: str, messages: list[Message], schema: type, max_tokens: int = 1024) -> tuple[Any, Any]:
        """``ask`` with every secret typed so far masked in the prompt; the calls are counted by role."""
        if self._typed:
            messages = [Message(m.role, mask(m.text, self._typed), m.images) for m in messages]
        answer, exchange = ask(self.model, messages, schema, self.config.repairs, max_tokens)
        self.calls[role] += len(exchange.replies)
        return answer, exchange

    def _replan(self, obs: Observation, screen: Screen | None) -> Decision | None:
        self._replans += 1
        if self._replans > self.config.max_replans:
            return Decision(Fail(reason=f"Re-planned {self.config.max_replans} times without finishing the task."))
        brief = self._brief()
        plan, exchange = self._ask("manager", manager_messages(brief, self._event, list(self.plan), obs, screen),
                                   Plan)
        self._info.setdefault("manager", []).append({"thought": plan.thought, "replies": exchange.replies,
                                                     "subtasks": [s.title for s in plan.subtasks]})
        self.ledger.update(plan.facts)
        if plan.done:
            self._answer = plan.answer.strip()
            return Decision(Done(summary=plan.summary or "Task finished."), plan.thought, {"agent": "manager"})
        if plan.impossible:
            return Decision(Fail(reason=plan.impossible), plan.thought, {"agent": "manager"})
        if not plan.subtasks:
            self._event = "Your last answer had no subtasks and did not say the task is done: plan what is left."
            return None
        self.plan = deque(plan.subtasks[:MAX_PLAN])
        self._previous = ""
        self._go_on(plan.thought)
        return None

    def _go_on(self, thought: str = "") -> None:
        """Start the plan's next subtask."""
        self.current = self.plan.popleft()
        self.turns.clear()
        self._last = None
        self.events(Planned(subtasks=tuple(s.title for s in self.plan), current=self.current.title, thought=thought))
        if self.current.kind == "code":
            self._start_program(self.current.title)

    def _finish_subtask(self, ok: bool, summary: str) -> None:
        """Record the subtask; one that finished as planned hands over to the plan's next subtask without a manager
        call (its summary goes to the next role instead), while a failure or a used-up plan goes to the manager."""
        assert self.current is not None
        self.ledger.finish(self.current.title, ok, summary, self.current.kind)
        verdict = "finished" if ok else "failed"
        self._event = f"The last subtask {verdict}; its summary is the last one listed above."
        self.current = None
        self._last = None
        if ok and self.plan and self._program is None:
            self._previous = self.ledger.render_last()
            self._go_on()

    # --- the worker ---------------------------------------------------------------------------------------------

    def _work(self, obs: Observation, screen: Screen | None) -> Decision | None:
        assert self.current is not None and screen is not None
        marks = mark(obs.image, screen) if self.config.marks else None
        view = View(screen, obs.frame, P.sent_size(obs.image, self.config.image_width))
        messages = worker_messages(self._brief(), self.current, list(self.plan), self.turns, self._last, obs, screen,
                                   marks, view.sent)
        for attempt in range(self.config.grounding_retries + 1):
            turn, exchange = self._ask("worker", messages, Turn)
            self._info.setdefault("worker", []).append({"thought": turn.thought, "replies": exchange.replies,
                                                        "subtask": self.current.title})
            try:
                return self._begin(turn, view, obs, screen)
            except (NotFound, ActionError) as exc:
                self._info["worker"][-1]["error"] = str(exc)
                if attempt == self.config.grounding_retries:
                    self._finish_subtask(False, f"the worker's target could not be found: {exc}")
                    return None
                messages = messages + [Message("assistant", exchange.replies[-1]),
                                       Message("user", f"That could not be carried out: {exc}. Look at the screen "
                                                       "list again and answer with another action.")]
        return None

    def _begin(self, turn: Turn, view: View, obs: Observation, screen: Screen) -> Decision | None:
        acts, dropped = turn.batch[:self.config.max_batch], max(0, len(turn.batch) - self.config.max_batch)
        last = acts[-1]
        match last:
            case FailA(reason=r):
                self._finish_subtask(False, r)
                return None
            case CodeA(instruction=instruction):
                self.turns.add([(f"handed to the programmer: {instruction}", "code", True)])
                self._start_program(instruction)
                return None
            case AskA(question=q):
                return Decision(AskUser(question=q), turn.thought, {"agent": "worker"})
        done = last.summary or "done" if isinstance(last, DoneA) else getattr(last, "done", None)
        desktop = [a for a in acts if not isinstance(a, DoneA)]
        if not desktop:
            self._finish_subtask(True, done or "done")
            return None
        batch = Batch(deque(desktop[1:]), view, obs.image, done=done, settle_wait=self.config.settle_wait,
                      marked=self._marked, dropped=dropped)
        batch.start(desktop[0], Translator(self.router, view, marked=self._marked))
        self._batch = batch
        action = batch.next(obs, screen, self.router)
        if action is None:  # nothing needed doing: the worker hears so at once
            self._batch = None
            self._after(batch, obs, screen)
            return None
        return self._desktop(action, batch, turn.thought)

    def _desktop(self, action: Action, batch: Batch, thought: str = "") -> Decision:
        typed = {action.text} if isinstance(action, TypeText) and action.secret and action.text else set()
        self._secrets |= typed
        self._typed |= typed
        line = batch.current.line if batch.current else "wait for the screen to settle" if batch.waiting else ""
        # the turn's thought goes with its first step only, so it is shown once, not for each step that follows
        info: dict[str, Any] = {"agent": "worker", "planner": {"role": "worker", "action": line}}
        if isinstance(action, Wait) and (batch.waiting or batch.current is None or batch.current.kind != "wait"):
            info["automatic"] = True  # a wait the planner adds (for the screen to settle), not one the worker asked
        if isinstance(action, Click) and thought and action.said:  # an unnamed icon's click is judged by the
            action = replace(action, said=f"{action.said}; {thought}")  # worker's words: the target and its thought
        if batch.groundings:
            info["grounding"] = batch.groundings.pop(0)
            batch.groundings.clear()
        return Decision(action, thought, info)

    def _carry_on(self, batch: Batch, obs: Observation, screen: Screen | None) -> Decision | None:
        """The batch's next step, a wait for a late change, or (None) its end, with the worker told how it went."""
        action = batch.next(obs, screen, self.router)
        if action is not None:
            return self._desktop(action, batch)
        self._batch = None
        self._after(batch, obs, screen)
        return None

    def _after(self, batch: Batch, obs: Observation, screen: Screen | None) -> None:
        self.actions_done += sum(1 for r in batch.results if r.ok)
        self.turns.add([(f"{r.line} -> {r.verdict}", r.kind, r.ok) for r in batch.results])
        measured = batch.measured(obs, screen)
        mode = self.config.reflect
        advice, success = "", True
        if mode == "always" or (mode == "on_trouble" and batch.trouble()):
            advice, success = self._reflect(batch, obs, measured)
        if batch.done is not None and batch.complete and not batch.trouble() and success:
            self._finish_subtask(True, batch.done)
            return
        self._last = LastTurn(batch.report(), measured, advice, batch.before)

    def _reflect(self, batch: Batch, obs: Observation, measured: str) -> tuple[str, bool]:
        subtask = self.current.title if self.current else ""
        text = (f"{P.task_block(self.task)}\nSubtask: {subtask}\nThe worker's actions and how they went:\n"
                f"{batch.report()}\nWhat we measured once the screen settled: {measured}\n"
                "The first image is the screen before the actions, the second the screen after them.")
        images = (P.png(batch.before, self.config.image_width), P.png(obs.image, self.config.image_width))
        messages = [Message("system", P.render("reflector")), Message("user", text, images)]
        r, _ = self._ask("reflector", messages, Reflection, max_tokens=400)
        self._info["reflection"] = {"changed": r.changed, "success": r.success, "advice": r.advice}
        return " ".join(x for x in (r.changed, r.advice) if x), r.success

    # --- the programmer -----------------------------------------------------------------------------------------

    def _start_program(self, instruction: str) -> None:
        if not self.config.no_code:
            self._program = {"instruction": instruction, "runs": []}
            return
        why = f"code cannot run in this run, whatever it does ({self.config.no_code}): do it on the screen"
        if self.current is not None and self.current.kind == "code":
            self._finish_subtask(False, why)
        else:
            self.turns.add([(f"the programmer could not start: {why}", "code", False)])

    def _program_step(self) -> Decision:
        prog = self._program
        assert prog is not None
        finish, prog["finish"] = prog.get("finish"), None
        if finish is not None and prog["runs"] and prog["runs"][-1]["ok"]:
            return self._end_program(True, finish + "\noutput of the last run:\n" + prog["runs"][-1]["output"])
        if len(prog["runs"]) >= self.config.programmer_budget:
            return self._end_program(False, f"the programmer used all {self.config.programmer_budget} runs")
        step, exchange = self._ask("programmer", programmer_messages(self._brief(), prog), Program, 2048)
        self._info.setdefault("programmer", []).append({"thought": step.thought, "replies": exchange.replies})
        if step.done and step.language and step.code.strip():
            prog["finish"] = evidence(step.summary)  # done if this run works: one call saved, its output is the proof
        elif step.done:
            return self._end_program(True, evidence(step.summary))
        if step.fail:
            return self._end_program(False, step.fail)
        assert step.language is not None
        return Decision(RunCode(language=step.language, code=step.code, timeout=self.config.code_timeout,
                                writes=tuple(step.writes), network=step.network), step.thought, {"agent": "programmer"})

    def _end_program(self, ok: bool, summary: str) -> Decision:
        """Hand the programmer's evidence back: to the manager for a code subtask, to the worker otherwise."""
        prog, self._program = self._program, None
        assert prog is not None
        self._info["programmer_result"] = {"ok": ok, "summary": summary, "runs": len(prog["runs"])}
        if self.current is not None and self.current.kind == "code":
            self._finish_subtask(ok, summary)
        else:
            self.turns.add([(f"the programmer {'finished' if ok else 'failed'}: {clip(summary, 200)}", "code", ok)])
            self._last = LastTurn(f"The programmer {'finished' if ok else 'failed'}:\n{summary}",
                                  "files or settings may have changed: reopen or refresh what it changed before "
                                  "relying on the screen", "", None)
        # one quiet step so the next role gets a fresh screenshot and parse (the programmer had none)
        return Decision(Wait(seconds=0.2), "", {"agent": "programmer", "automatic": True,
                                                "planner": {"role": "programmer", "action": "hand back"}})

    @property
    def _marked(self) -> frozenset[str]:
        return frozenset(marked_secrets(self.task))

    def _brief(self) -> Brief:
        return Brief(self.task, self.examples, self.ledger, self.config, self._previous)
