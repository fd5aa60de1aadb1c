"""The scripted models tests and demos use: they replay answers in order and record what they were asked.

``ScriptedModel`` answers from one list; ``RoleScript`` answers each planner role (manager, worker, programmer,
reflector, read from the system message) from its own list, so the planner can be demonstrated offline:
`deskpilot run --provider scripted --script FILE "TASK"`, FILE being JSON {"manager": [...], "worker": [...]}
(or a plain list), each answer a string or a JSON object. An answer may name a control as ``#{Email}``: it becomes
the id the screen list in the request gives the control named "Email" (or the description '"Email"' when none has
that name), so a script keeps working when the numbering of a screen changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from models.chat import Message, Meter, ModelError, Reply, Usage

ROLES = ("manager", "worker", "programmer", "reflector")
_BY_NAME = re.compile(r"#\{([^}]+)\}")
_CONTROL = re.compile(r'^#(\d+) [a-z ]+? "((?:[^"\\]|\\.)*)"', re.M)


def fill_ids(answer: str, request: str) -> str:
    """``#{Name}`` in ``answer`` as the id of the control named Name in the <screen> list of ``request``."""
    if "#{" not in answer:
        return answer
    ids: dict[str, str] = {}
    for number, name in _CONTROL.findall(request.split("<screen>")[-1]):
        ids.setdefault(name, number)
    return _BY_NAME.sub(lambda m: f"#{ids[m.group(1)]}" if m.group(1) in ids else f'\\"{m.group(1)}\\"', answer)


def _usage(messages: list[Message], text: str) -> Usage:
    """A rough count (4 characters a token, 85 per image): enough for budgets and cost lines in tests."""
    return Usage(sum(len(m.text) // 4 + 85 * len(m.images) for m in messages), len(text) // 4)


@dataclass
class ScriptedModel:
    answers: list[str]
    meter: Meter = field(default_factory=Meter)
    asked: list[list[Message]] = field(default_factory=list)
    name: str = "scripted"

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        self.asked.append(list(messages))
        if not self.answers:
            raise ModelError("the scripted model has no answers left")
        text = self.answers.pop(0)
        usage = _usage(messages, text)
        self.meter.add(usage)
        return Reply(text, usage, self.name)


def role_of(messages: list[Message]) -> str:
    """Which planner role a request is for, from its system message ("You are the manager ...")."""
    system = next((m.text for m in messages if m.role == "system"), "")
    m = re.search(r"\b(" + "|".join(ROLES) + r")\b", system, re.I)
    return m.group(1).lower() if m else "worker"


@dataclass
class RoleScript:
    """Answers per role; a role whose answers are used up is a ModelError naming it (the run ends with it)."""

    script: dict[str, list[str]]
    meter: Meter = field(default_factory=Meter)
    asked: list[tuple[str, list[Message]]] = field(default_factory=list)
    name: str = "scripted"
    model: str = "scripted"

    @classmethod
    def load(cls, path: Path, meter: Meter | None = None) -> RoleScript:
        """Read a script file; ModelError says in one sentence what is wrong with it."""
        try:
            data: Any = json.loads(Path(path).read_text(encoding="utf-8"))
        except OSError as exc:
            raise ModelError(f"The script {path} cannot be read ({exc.strerror}); pass an existing JSON "
                             "file.") from None
        except ValueError as exc:
            raise ModelError(f"The script {path} is not valid JSON ({exc}); fix it.") from None
        if isinstance(data, list):
            data = {"any": data}
        if not isinstance(data, dict) or not all(isinstance(v, list) for v in data.values()):
            raise ModelError(f"The script {path} must be a JSON list of answers or an object of lists by role "
                             f"({', '.join(ROLES)}).")
        unknown = sorted(set(data) - set(ROLES) - {"any"})
        if unknown:
            raise ModelError(f"The script {path} names a role DeskPilot does not have: {unknown[0]!r}; use "
                             f"{', '.join(ROLES)}.")
        script = {role: [a if isinstance(a, str) else json.dumps(a) for a in answers] for role, answers in data.items()}
        return cls(script, meter or Meter())

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        role = role_of(messages)
        self.asked.append((role, list(messages)))
        answers = self.script.get(role) if role in self.script else self.script.get("any")
        if not answers:
            raise ModelError(f"The script has no answer left for the {role}; add one to the script file.")
        text = fill_ids(answers.pop(0), messages[-1].text)
        usage = _usage(messages, text)
        self.meter.add(usage)
        return Reply(text, usage, self.name)
