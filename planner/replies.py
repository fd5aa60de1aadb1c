"""Model answers are parsed against a strict schema, never executed: one JSON object per answer, validated by
pydantic; a malformed answer goes back to the model with the error, a bounded number of times."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from models.chat import ChatModel, Message, Reply

T = TypeVar("T", bound=BaseModel)


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Subtask(Strict):
    title: str = Field(min_length=1)
    kind: Literal["gui", "code"] = "gui"


class Plan(Strict):
    thought: str = ""
    subtasks: list[Subtask] = Field(default_factory=list)
    facts: dict[str, str | None] = Field(default_factory=dict)  # key -> fact; null drops the key
    done: bool = False
    summary: str = ""
    answer: str = ""  # what the person asked to be told, when the task is a question
    impossible: str = ""


class At(Strict):
    """A point in the pixels of the screenshot the worker was sent."""

    x: float
    y: float


Target = Annotated[str, Field(min_length=1)] | At


class Act(Strict):
    done: str | None = None  # the last action of a turn may finish the subtask: its summary


class ClickA(Act):
    type: Literal["click"]
    target: Target
    button: Literal["left", "right", "middle"] = "left"
    count: int = Field(1, ge=1, le=3)
    hold: list[str] = Field(default_factory=list, max_length=3)  # modifiers held down: ["ctrl"] for ctrl-click


class TypeA(Act):
    type: Literal["type"]
    text: str
    into: Target | None = None
    replace: bool | None = None  # default: True when ``into`` is given (the field's text is replaced)
    enter: bool = False
    window: str = ""  # focus the window with this title first


class PressA(Act):
    type: Literal["press", "hotkey"]
    keys: list[str] | str = Field(min_length=1)
    count: int = Field(1, ge=1, le=20)


class SelectA(Act):
    type: Literal["select"]
    target: Target | None = None  # the dropdown or list; none when the options are in view
    option: str | list[str] = Field(min_length=1)

    @property
    def options(self) -> list[str]:
        return [self.option] if isinstance(self.option, str) else list(self.option)


class SetA(Act):
    type: Literal["set"]
    target: Target
    value: bool | float | str


class ScrollA(Act):
    type: Literal["scroll"]
    direction: Literal["up", "down", "left", "right"] = "down"
    amount: int = Field(3, ge=1, le=50)
    target: Target | None = None


class DragA(Act):
    type: Literal["drag"]
    source: Target = Field(alias="from")
    to: Target


class OpenA(Act):
    type: Literal["open"]
    app: str = Field(min_length=1)


class HoverA(Act):
    type: Literal["hover"]
    target: Target


class WaitA(Act):
    type: Literal["wait"]
    seconds: float = Field(1.0, gt=0, le=60)


class CodeA(Strict):
    type: Literal["code"]
    instruction: str = Field(min_length=1)


class AskA(Strict):
    type: Literal["ask"]
    question: str = Field(min_length=1)


class DoneA(Strict):
    type: Literal["done"]
    summary: str = ""


class FailA(Strict):
    type: Literal["fail"]
    reason: str = Field(min_length=1)


DESKTOP = (ClickA, TypeA, PressA, SelectA, SetA, ScrollA, DragA, OpenA, HoverA, WaitA)
WorkerAction = Annotated[ClickA | TypeA | PressA | SelectA | SetA | ScrollA | DragA | OpenA | HoverA | WaitA | CodeA
                         | AskA | DoneA | FailA, Field(discriminator="type")]


class Turn(Strict):
    """One worker answer: one action, or a short list run in order (the last may finish the subtask)."""

    thought: str = ""
    action: WorkerAction | None = None
    actions: list[WorkerAction] = Field(default_factory=list, max_length=12)

    def model_post_init(self, context: Any) -> None:
        if (self.action is None) == (not self.actions):
            raise ValueError("give either \"action\": {...} or \"actions\": [...], not both and not neither")
        batch = self.batch
        for i, act in enumerate(batch):
            if isinstance(act, CodeA | AskA | FailA) and len(batch) > 1:
                raise ValueError(f"actions.{i}: a {act.type} action goes alone, not in a list with others")
        for i, act in enumerate(batch[:-1]):
            if not isinstance(act, DESKTOP):
                raise ValueError(f"actions.{i}: a {act.type} action must be the last in the list")
            if act.done is not None:
                raise ValueError(f"actions.{i}: only the last action may carry \"done\"")

    @property
    def batch(self) -> list[Any]:
        return [self.action] if self.action is not None else list(self.actions)


class Reflection(Strict):
    changed: str = ""
    success: bool = True
    advice: str = ""


class Evidence(Strict):
    commands: list[str] = Field(default_factory=list)
    outputs: list[str] = Field(default_factory=list)
    side_effects: list[str] = Field(default_factory=list)
    verification: str = ""


class Program(Strict):
    thought: str = ""
    language: Literal["python", "bash"] | None = None
    code: str = ""
    writes: list[str] = Field(default_factory=list)  # folders beyond the work folder the code changes
    network: bool = False  # the code needs the network
    done: bool = False
    summary: Evidence | None = None
    fail: str = ""

    def model_post_init(self, context: Any) -> None:
        if not self.done and not self.fail and not (self.language and self.code.strip()):
            raise ValueError("give language and code to run, or done with a summary, or fail with a reason")


class ReplyError(RuntimeError):
    """The model kept answering outside the schema; the run fails cleanly with this sentence."""


@dataclass
class Exchange:
    """What one structured question cost: the replies, raw, for the trajectory."""

    replies: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def extract_json(text: str) -> Any:
    """The one JSON object in an answer, tolerating a ```json fence or words around it."""
    fenced = re.search(r"```(?:json)?\s*(\{.*\})\s*```", text, re.S)
    candidate = fenced.group(1) if fenced else text
    start = candidate.find("{")
    if start < 0:
        raise ValueError("the answer holds no JSON object")
    obj, _ = json.JSONDecoder().raw_decode(candidate[start:])
    return obj


def parse_as(schema: type[T], text: str) -> T:
    """Validate an answer; the ValueError says what was wrong in words the model can act on."""
    try:
        data = extract_json(text)
    except json.JSONDecodeError as exc:
        raise ValueError(f"the JSON is malformed ({exc.msg} at character {exc.pos})") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        err = max(exc.errors(), key=lambda e: len(e["loc"]))  # of a union's members, the one that got furthest
        where = ".".join(str(p) for p in err["loc"] if not _union_member(p)) or "the object"
        raise ValueError(f"{where}: {err['msg'].removeprefix('Value error, ')}") from None


def _union_member(part: object) -> bool:
    """pydantic names the member of a union it tried ('constrained-str', 'At'); the model needs only the field."""
    return isinstance(part, str) and (part in ("str", "At", "bool", "float", "int") or "-" in part or "[" in part)


def ask(model: ChatModel, messages: list[Message], schema: type[T], repairs: int = 2,
        max_tokens: int = 1024) -> tuple[T, Exchange]:
    """Ask for one object of ``schema``; malformed answers are returned to the model with the error."""
    exchange = Exchange()
    convo = list(messages)
    for _ in range(repairs + 1):
        reply: Reply = model.complete(convo, max_tokens=max_tokens, json_mode=True)
        exchange.replies.append(reply.text)
        try:
            return parse_as(schema, reply.text), exchange
        except ValueError as exc:
            exchange.errors.append(str(exc))
            convo += [Message("assistant", reply.text[:4000]),
                      Message("user", f"That answer was not valid: {exc}. Answer again with exactly one JSON object "
                                      "in the format the instructions give, and nothing else.")]
    raise ReplyError(f"The model answered outside the expected format {repairs + 1} times (last: "
                     f"{exchange.errors[-1]}); try a stronger model or check the server's chat template.")
