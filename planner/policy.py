"""The safety policy every action passes before it runs: allow, ask or deny.

Code and shell need approval unless the user passed ``--yes``; destructive patterns (recursive deletes outside the
work folder, disk tools, ``sudo``, downloads piped into a shell, power-off) are denied unless the policy file allows
them. The policy lives in the ``[policy]`` table of the config file:

```toml
[policy]
code = "ask"                 # allow | ask | deny for model-written Python and Bash
secrets = "allow"            # typing text marked secret (passwords)
allow = ["sudo apt-get install -y jq"]   # regexes that lift a built-in denial
deny = ["git push"]          # extra regexes to deny
```
"""

from __future__ import annotations

import os
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field, ValidationError

from planner.actions import Action, RunCode, TypeText

Verdict = Literal["allow", "ask", "deny"]
Answer = Literal["once", "always", "deny"]

DESTRUCTIVE: tuple[tuple[str, str], ...] = (
    (r"(^|[\s;&|(`'\"])(sudo|doas|pkexec)\s", "runs a command as root"),
    (r"(^|[\s;&|(`'\"])su\s+(-|root)", "switches to root"),
    (r"\bmkfs(\.\w+)?\b|\b(fdisk|sfdisk|parted|gdisk|wipefs|mkswap)\b", "uses a disk tool"),
    (r"\bdd\b[^\n]*\bof=/dev/", "writes to a raw device"),
    (r">\s*/dev/(sd|nvme|hd|vd|mmcblk)", "writes to a raw device"),
    (r"\b(curl|wget|fetch)\b[^\n|]*\|\s*(sudo\s+)?(ba|z|da|k|fi)?sh\b", "pipes a download into a shell"),
    (r"\b(curl|wget)\b[^\n|]*\|\s*(sudo\s+)?python[0-9.]*\b", "pipes a download into Python"),
    (r":\(\)\s*\{\s*:\s*\|\s*:\s*&\s*\}\s*;\s*:", "is a fork bomb"),
    (r"(^|[\s;&|(`'\"])(shutdown|reboot|poweroff|halt)(\s|$|['\"])", "powers the machine off"),
    (r"\bchmod\s+(-\w*R\w*\s+)?[0-7]*777\s+/(\s|$)", "opens up the whole file system"),
    (r"\bchown\s+-\w*R\w*\s+\S+\s+/(\s|$)", "changes owners across the file system"),
)
RECURSIVE_FLAGS = re.compile(r"^-(\w*[rR]\w*|-recursive)$")


class PolicySettings(BaseModel):
    """What may run without asking; read from the ``[policy]`` table of the config file."""

    code: Verdict = Field("ask", description="model-written Python and Bash")
    secrets: Verdict = Field("allow", description="typing text the task marks as secret (passwords)")
    allow: list[str] = Field(default_factory=list, description="regexes that lift a built-in denial")
    deny: list[str] = Field(default_factory=list, description="extra regexes that deny matching code")


@dataclass(frozen=True)
class Ruling:
    verdict: Verdict
    reason: str
    asked: bool = False  # a person (or what stands in for one) answered: the CLI and the app mark such steps


class PolicyError(ValueError):
    """The policy file holds a bad value; the message names it."""


def load_policy(path: Path | None = None) -> PolicySettings:
    """The ``[policy]`` table of the config file, or the defaults when there is none."""
    from models.settings import config_path

    path = path or config_path()
    if not path.exists():
        return PolicySettings()
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8")).get("policy", {})
        settings = PolicySettings(**table)
        for pattern in settings.allow + settings.deny:
            re.compile(pattern)
        return settings
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{path} is not valid TOML ({exc}); fix or remove it.") from None
    except ValidationError as exc:
        err = exc.errors()[0]
        raise PolicyError(f"The policy setting {err['loc'][0]!r} in {path} is invalid: {err['msg']}.") from None
    except re.error as exc:
        raise PolicyError(f"The policy pattern {exc.pattern!r} in {path} is not a valid regex: {exc}.") from None


@dataclass
class Policy:
    """Judges one action at a time; ``workdir`` is where model-written code may delete freely."""

    settings: PolicySettings = field(default_factory=PolicySettings)
    workdir: str = ""

    def judge(self, action: Action) -> Ruling:
        match action:
            case RunCode(code=code):
                return self._judge_code(code)
            case TypeText(secret=True):
                return Ruling(self.settings.secrets, "types a secret")
        return Ruling("allow", "")

    def _judge_code(self, code: str) -> Ruling:
        lifted = any(re.search(p, code) for p in self.settings.allow)
        for pattern in self.settings.deny:
            if re.search(pattern, code):
                return Ruling("deny", f"matches the policy's deny pattern {pattern!r}")
        if not lifted:
            for pattern, why in DESTRUCTIVE:
                if re.search(pattern, code, re.MULTILINE):
                    return Ruling("deny", f"the code {why}")
            outside = self._deletes_outside(code)
            if outside:
                return Ruling("deny", f"the code deletes {outside!r} recursively, outside the work folder")
        return Ruling(self.settings.code, "runs model-written code")

    def _deletes_outside(self, code: str) -> str:
        """The first path a recursive ``rm`` or ``shutil.rmtree`` would delete outside the work folder."""
        for segment in re.split(r"[;&|\n()`]+", code):
            try:
                words = shlex.split(segment, comments=True)
            except ValueError:
                words = segment.split()
            for i, word in enumerate(words):
                if os.path.basename(word) != "rm":
                    continue
                args = words[i + 1:]
                if any(RECURSIVE_FLAGS.match(a) for a in args):
                    for target in (a for a in args if not a.startswith("-")):
                        if not self._inside(target):
                            return target
        for match in re.finditer(r"rmtree\(\s*(?:r?(['\"])(.*?)\1|([^)]*))", code):
            target = match.group(2) if match.group(2) is not None else match.group(3).strip()
            if match.group(2) is None or not self._inside(target):
                return target
        return ""

    def _inside(self, target: str) -> bool:
        if any(ch in target for ch in "$~*") and not target.startswith("./"):
            return False
        if not os.path.isabs(target):
            return ".." not in Path(target).parts
        return bool(self.workdir) and os.path.realpath(target).startswith(os.path.realpath(self.workdir) + os.sep)


class Approver(Protocol):
    """Asks the person (a dialog in the app, a prompt in a terminal) whether an action may run."""

    def approve(self, action: Action, ruling: Ruling) -> Answer: ...


@dataclass
class FixedApprover:
    """Gives the same answer every time: ``once`` for ``--yes``, ``deny`` where nobody can be asked."""

    answer: Answer = "deny"
    why: str = ""  # said in the ruling instead of "the person declined" / "the person allowed it"

    def approve(self, action: Action, ruling: Ruling) -> Answer:
        return self.answer


@dataclass
class Gate:
    """The policy plus the person: what the loop consults before every action. Remembers "always" per run."""

    policy: Policy
    approver: Approver = field(default_factory=FixedApprover)
    _always: set[str] = field(default_factory=set)

    def check(self, action: Action) -> Ruling:
        """``allow`` or ``deny``, with the reason; asks the approver when the policy says ``ask``."""
        ruling = self.policy.judge(action)
        if ruling.verdict != "ask":
            return ruling
        if action.kind in self._always:
            return Ruling("allow", "allowed for this run")
        answer = self.approver.approve(action, ruling)
        if answer == "always":
            self._always.add(action.kind)
        fixed = isinstance(self.approver, FixedApprover)  # nobody was asked: the ruling says so, not "the person"
        if answer == "deny":
            who = (self.approver.why or "nobody can be asked here") if fixed else "the person declined"
            return Ruling("deny", f"{who}: it {ruling.reason}", asked=not fixed)
        who = (self.approver.why or "allowed without asking") if fixed else "the person allowed it"
        return Ruling("allow", who, asked=not fixed)
