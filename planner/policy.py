"""The safety policy every action passes before it runs: allow, ask or deny, for every action kind.

Pointer actions, keys and waits are allowed, except a click on a control whose name says an act that cannot be
taken back or that spends money (planner/risky.py: "Delete account", "Pay now"), or Enter or space that presses
one (planner/landing.py), which asks (``risky_clicks``) unless the person's own direct command says that act;
typing asks when it types a secret (if ``secrets`` says so) and is judged as code when it goes into a terminal;
``open`` refuses shell syntax, allows the desktop's applications and asks for any other program; code asks
(``code``), runs in the sandbox, and only a person may allow it where no sandbox exists. Destructive patterns
(recursive deletes outside the work folder, disk tools, ``sudo``, downloads piped into a shell, power-off) are
denied unless the policy file lifts them. The ``[policy]`` table:

```toml
[policy]
code = "ask"                 # allow | ask | deny for model-written Python and Bash
network = "ask"              # code that declares it needs the network
open = "ask"                 # starting a program that is not one of the desktop's applications
apps = ["gedit"]             # programs `open` may start without asking, beyond the installed applications
secrets = "allow"            # typing text that is secret (a password field, or the task says so)
risky_clicks = "ask"         # clicking a control named for an irreversible or costly act ("Delete account")
allow = ["sudo apt-get install -y jq"]   # regexes that lift a built-in denial
deny = ["git push"]          # extra regexes to deny (code, command lines, text typed into a terminal)
```
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from pydantic import BaseModel, Field

from planner import landing, risky, rules
from planner.actions import Action, Click, Key, Open, RunCode, TypeText

Verdict = Literal["allow", "ask", "deny"]
Answer = Literal["once", "always", "deny"]
STRICTNESS = {"allow": 0, "ask": 1, "deny": 2}


class PolicySettings(BaseModel):
    """What may run without asking; read from the ``[policy]`` table of the config file."""

    code: Verdict = Field("ask", description="model-written Python and Bash")
    network: Verdict = Field("ask", description="code that declares it needs the network")
    open: Verdict = Field("ask", description="starting a program that is not one of the desktop's applications")
    apps: list[str] = Field(default_factory=list, description="programs `open` starts without asking")
    secrets: Verdict = Field("allow", description="typing text that is secret (a password field, or the task says so)")
    risky_clicks: Verdict = Field("ask", description="clicking a control whose name says an irreversible or costly "
                                                     "act (delete, pay, ...), or pressing Enter or space on one, "
                                                     "unless a direct command says that act")
    allow: list[str] = Field(default_factory=list, description="regexes that lift a built-in denial")
    deny: list[str] = Field(default_factory=list, description="extra regexes that deny matching code")


@dataclass(frozen=True)
class Ruling:
    """The policy's answer; ``rule`` names the rule (what "always" remembers), ``person`` that only a person may
    allow it (a fixed ``--yes`` answer does not)."""

    verdict: Verdict
    reason: str
    rule: str = ""
    person: bool = False
    asked: bool = False  # a person answered (not a fixed answer): the CLI and the app mark such steps


@dataclass(frozen=True, kw_only=True)
class Context:
    """Where an action lands: the active window's title and class, and whether it is a terminal."""

    title: str = ""
    app: str = ""
    terminal: bool = False


def load_policy(path: Path | None = None) -> PolicySettings:
    """The ``[policy]`` table of the config file (or of ``path``), or the defaults when there is none. Only the file
    sets the policy: no environment variable can lift a denial."""
    from models.settings import SettingsError, read_table

    settings = read_table("policy", PolicySettings, path)
    for pattern in settings.allow + settings.deny:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SettingsError(f"The policy pattern {pattern!r} is not a valid regex: {exc}.") from None
    return settings


@dataclass
class Policy:
    """Judges one action at a time.

    ``workdir`` is where code may write and delete freely; ``apps`` the programs of the desktop's installed
    applications and ``terminals`` its terminal emulators (from their .desktop entries); ``sandbox`` names the
    sandbox code runs in ("" when there is none); ``protected`` folders no code is given to write."""

    settings: PolicySettings = field(default_factory=PolicySettings)
    workdir: str = ""
    apps: frozenset[str] = frozenset()
    terminals: frozenset[str] = frozenset()
    sandbox: str = ""
    protected: tuple[str, ...] = ()

    def judge(self, action: Action, context: Context = Context()) -> Ruling:
        match action:
            case RunCode():
                return self._judge_run(action)
            case Open(app=app):
                return self._judge_open(app)
            case TypeText(text=text, secret=secret):
                return self._judge_typing(text, secret, context)
            case Click():
                return self._judge_click(action)
            case Key():
                return self._judge_key(action)
        return Ruling("allow", "")

    def _judge_click(self, click: Click) -> Ruling:
        """A click on a control named for an irreversible or costly act asks, unless the person's own direct command
        says that act (they asked for it in so many words); a model's choice always asks. A control with no name (a
        bare icon, a glyph) is judged by what the glyph shows and by the agent's own words for it ("the trash
        icon")."""
        if risky.words(click.name) or click.role in risky.NO_ACT_ROLES:
            found = risky.risk(click.name, click.role)
            return self._judge_act(found, f"clicks {click.name!r}", f"{click.name!r} {found.does}" if found else "",
                                   click.command)
        what = f"the icon {click.name!r}" if click.name else f"an unnamed {click.role.replace('_', ' ') or 'control'}"
        found, said = _unnamed(click)
        return self._judge_act(found, f"clicks {what} at ({click.x:.0f}, {click.y:.0f})", said, click.command)

    def _judge_key(self, key: Key) -> Ruling:
        """Enter or space on a focused control is judged as a click on it; Enter in a text field as a click on its
        form's default button."""
        found = risky.risk(key.name, key.role) if key.name else None
        pressed = landing.PRESSES.get(key.keys, "+".join(key.keys))
        what = f"presses {pressed} on {key.name!r}" if not key.focus else \
            f"presses {pressed} in {key.focus!r}, which presses the form's default button {key.name!r}"
        return self._judge_act(found, what, f"{key.name!r} {found.does}" if found else "", key.command)

    def _judge_act(self, found: risky.Risk | None, what: str, said: str, command: str) -> Ruling:
        """The ruling on an action that ``what`` describes and that takes the act ``found`` (``said`` says it)."""
        verdict = self.settings.risky_clicks
        if found is None or verdict == "allow":
            return Ruling("allow", "")
        rule = f"risky_clicks: {found.does}"  # "always" is for one kind of act
        if verdict == "deny":
            return Ruling("deny", f"{what}, and risky_clicks = \"deny\": {said}", rule)
        if command and risky.asked_for(found, command):
            return Ruling("allow", f"{what}: {said}, as the command says ({command!r})", rule)
        return Ruling("ask", f"{what}, which asks first: {said}", rule)

    def _judge_typing(self, text: str, secret: bool, context: Context) -> Ruling:
        ruling = Ruling(self.settings.secrets, "types a secret", "secret") if secret else Ruling("allow", "")
        if context.terminal:
            where = f"the terminal {context.title!r}" if context.title else f"a terminal ({context.app})"
            code = self._judge_text(text, f"types into {where}, where typed text runs as code", "terminal")
            ruling = _stricter(ruling, code)
        return ruling

    def _judge_open(self, command: str) -> Ruling:
        syntax = rules.shell_syntax(command)
        if syntax:
            return Ruling("deny", f"the command line {command!r} holds shell syntax ({syntax}); `open` starts one "
                                  "program with its arguments, without a shell", "open")
        prog = rules.program(command)
        denied = self._denied(command)
        if denied:
            return Ruling("deny", f"the command line {denied}", "open")
        if rules.runs_commands(prog) or (prog in self.terminals and command.split(maxsplit=1)[1:]):
            return _stricter(self._judge_text(command, f"starts {prog}, which runs a command outside the sandbox",
                                              "code"), Ruling("ask", "", "code", person=True))
        if prog in self.settings.apps or prog in self.apps:
            return Ruling("allow", f"starts {prog}, one of the desktop's applications", "open")
        return Ruling(self.settings.open, f"starts {prog!r}, which is not one of the desktop's applications", "open")

    def _judge_run(self, action: RunCode) -> Ruling:
        ruling = self._judge_text(action.code, "runs model-written code", "code")
        outside = rules.deletes_outside(action.code, self._inside) if not self._lifted(action.code) else ""
        if outside and ruling.verdict != "deny":
            ruling = Ruling("deny", f"the code deletes {outside!r} recursively, outside the work folder", "code")
        if ruling.verdict == "deny":
            return ruling
        for folder in action.writes:
            why = rules.forbidden_write(rules.resolve_folder(folder, self.workdir), self.protected)
            if why:
                return Ruling("deny", f"the code asks to write {folder!r}: {why}", "code")
        if action.network:
            ruling = _stricter(ruling, Ruling(self.settings.network, "", "network"))
        where = ", ".join(["the work folder", *action.writes])
        if not self.sandbox:
            return Ruling("ask", f"runs model-written code UNCONFINED: no sandbox tool is installed (install "
                                 f"bubblewrap), so it may change any file you can; it declares it writes {where}",
                          "unconfined", person=True)
        net = "on" if action.network else "off"
        return Ruling(ruling.verdict, f"runs model-written code in the {self.sandbox} sandbox (writable: {where}; "
                                      f"network {net})", ruling.rule)

    def _judge_text(self, text: str, what: str, rule: str) -> Ruling:
        """Code, a command line or text typed into a terminal: denied by a pattern, else the ``code`` verdict."""
        denied = self._denied(text)
        if denied:
            return Ruling("deny", f"the code {denied}" if rule == "code" else f"{what}, and the text {denied}", rule)
        return Ruling(self.settings.code, what, rule)

    def _lifted(self, text: str) -> bool:
        return any(re.search(p, text) for p in self.settings.allow)

    def _denied(self, text: str) -> str:
        """Why the policy's deny patterns or the built-in destructive ones (unless lifted) refuse ``text``."""
        for pattern in self.settings.deny:
            if re.search(pattern, text):
                return f"matches the policy's deny pattern {pattern!r}"
        return "" if self._lifted(text) else rules.destructive(text)

    def _inside(self, target: str) -> bool:
        if any(ch in target for ch in "$~*") and not target.startswith("./"):
            return False
        if not os.path.isabs(target):
            return ".." not in Path(target).parts
        return bool(self.workdir) and os.path.realpath(target).startswith(os.path.realpath(self.workdir) + os.sep)


def _unnamed(click: Click) -> tuple[risky.Risk | None, str]:
    """The act an unnamed control takes by what its glyph shows (🗑) or the agent's words for it, and how it is
    known."""
    glyph = risky.icon_words(click.name)
    for text, says in ((glyph, "the icon shows {!r}, so it {}"), (click.said, "the agent's words for it ({!r}) say "
                                                                                 "it {}")):
        found = risky.said_risk(text) if text else None
        if found is not None:
            return found, says.format(risky.quote(text, found), found.does)
    return None, ""


def _stricter(a: Ruling, b: Ruling) -> Ruling:
    """The stricter of two rulings, keeping both reasons and the person flag."""
    first, second = (a, b) if STRICTNESS[a.verdict] >= STRICTNESS[b.verdict] else (b, a)
    reason = "; ".join(r for r in (first.reason, second.reason) if r)
    return Ruling(first.verdict, reason, first.rule or second.rule, a.person or b.person)


class Approver(Protocol):
    """Asks the person (a dialog in the app, a prompt in a terminal) whether an action may run."""

    def approve(self, action: Action, ruling: Ruling) -> Answer: ...


@dataclass
class FixedApprover:
    """Gives the same answer every time: ``once`` for ``--yes``, ``deny`` where nobody can be asked. A ruling only
    a person may allow goes to ``person`` (a terminal), or is denied when there is none."""

    answer: Answer = "deny"
    person: Approver | None = None
    why: str = ""  # said in the ruling instead of "the person declined" / "the person allowed it"

    def approve(self, action: Action, ruling: Ruling) -> Answer:
        return self.answer


@dataclass
class Gate:
    """The policy plus the person: what the loop consults before every action. Remembers "always" per rule and run.

    ``context`` tells the policy where typing and keys land (the active window)."""

    policy: Policy
    approver: Approver = field(default_factory=FixedApprover)
    context: Callable[[], Context] = Context
    _always: set[str] = field(default_factory=set)

    def refuses(self, action: Action) -> str:
        """Why ``action`` would be denied whoever is asked ('' when it may run, or a person will be asked): the
        policy denies it, or it must be asked about and nobody can be (a fixed answer of no, or only a person may
        allow it and there is none). The planner is told, so that it does not plan what can never run."""
        ruling = self.policy.judge(action, Context())
        if ruling.verdict == "deny":
            return ruling.reason
        if ruling.verdict == "allow" or not isinstance(self.approver, FixedApprover):
            return ""
        asker = self.approver
        if ruling.person:
            return "" if asker.person is not None else _only_a_person(ruling)
        return _nobody_allowed(asker, ruling) if asker.answer == "deny" else ""

    def check(self, action: Action) -> Ruling:
        """``allow`` or ``deny``, with the reason; asks the approver when the policy says ``ask``."""
        ruling = self.policy.judge(action, self.context() if isinstance(action, TypeText) else Context())
        if ruling.verdict != "ask":
            return ruling
        rule = ruling.rule or action.kind
        if rule in self._always:
            return Ruling("allow", "allowed for this run", rule)
        asker = self.approver
        if ruling.person and isinstance(asker, FixedApprover):
            if asker.person is None:
                return Ruling("deny", _only_a_person(ruling), rule)
            asker = asker.person
        answer = asker.approve(action, ruling)
        if answer == "always":
            self._always.add(rule)
        fixed = isinstance(asker, FixedApprover)  # nobody was asked: the ruling says so, not "the person"
        if answer == "deny":
            said = _nobody_allowed(asker, ruling) if fixed else f"the person declined: it {ruling.reason}"
            return Ruling("deny", said, rule, asked=not fixed)
        who = (asker.why or "allowed without asking") if fixed else "the person allowed it"
        return Ruling("allow", f"{who}: it {ruling.reason}", rule, asked=not fixed)


def _only_a_person(ruling: Ruling) -> str:
    return f"only a person may allow it and nobody can be asked here: it {ruling.reason}"


def _nobody_allowed(asker: FixedApprover, ruling: Ruling) -> str:
    """The denial of a fixed "no" (no terminal to ask at): its reason, or that nobody can be asked here."""
    return f"{asker.why or 'nobody can be asked here'}: it {ruling.reason}"
