"""The direct-command interpreter: the embedded default when no language model is configured.

A general grammar for imperative desktop commands: click/press/push, double-click, right-click,
select/check/choose (and from a list), uncheck, type/enter/fill ... into ..., focus, expand/collapse/open,
close (optionally "by clicking ..."), press a key or chord, scroll, hover, wait. Clauses join with commas,
"and", "then" and semicolons; quoted strings are taken literally; a clause without a verb borrows the verb
before it ("Select A, B and click Submit"). Intents are grounded on the live screen only when they run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.actions import MODIFIERS, normalise_key, valid_key

MODEL_HINT = ("For open-ended tasks configure a language model (set OPENAI_BASE_URL and OPENAI_API_KEY, or run "
              "`deskpilot doctor` to see the settings).")  # the app says "Settings" instead
HELP = ("Direct commands look like: click Save; type 'hi' into the Name field and press Enter; select Blue from "
        "the list. " + MODEL_HINT)


class CommandError(ValueError):
    """An instruction the interpreter cannot read; the message says so in one sentence and how to go on."""


@dataclass(frozen=True)
class Intent:
    """One thing to do, with its target still a description: it is grounded when it runs."""

    verb: str  # click | select | uncheck | type | key | scroll | wait | hover | close
    target: str = ""
    text: str = ""
    keys: tuple[str, ...] = ()
    every: bool = False
    from_list: bool = False
    button: str = "left"
    count: int = 1
    amount: float = 0.0
    source: str = ""


_Q = "\u0001"  # stands in for a quoted string while clauses are split
VERB_ALIASES = {
    "click": "click", "press": "click", "push": "click", "tap": "click", "hit": "click",
    "select": "select", "check": "select", "choose": "select", "pick": "select", "tick": "select",
    "mark": "select", "uncheck": "uncheck", "untick": "uncheck", "deselect": "uncheck", "unselect": "uncheck",
    "focus": "focus", "expand": "click", "collapse": "click", "open": "click", "toggle": "click",
    "activate": "click", "follow": "click", "close": "close", "dismiss": "close",
}
CONTINUABLE = {"click", "select", "uncheck", "focus"}


def parse(instruction: str) -> list[Intent]:
    """Read an instruction into intents, or raise CommandError saying why it cannot be read."""
    text = instruction.strip()
    if not text:
        raise CommandError("The command is empty; " + HELP)
    quotes: list[str] = []

    def stash(m: re.Match) -> str:
        quotes.append(m.group(0))
        return f"{_Q}{len(quotes) - 1}{_Q}"

    protected = re.sub(r"\"[^\"]*\"|“[^”]*”|(?<![\w])'[^']*'(?![\w])", stash, text)
    clauses = re.split(r"\s*(?:[,;]\s*(?:and\s+then\s+|and\s+|then\s+)?|\s+and\s+then\s+|\s+then\s+|\s+and\s+"
                       r"|\.\s+)\s*", protected.strip().rstrip(".!"))
    intents: list[Intent] = []
    last_verb = ""
    for raw in clauses:
        clause = re.sub(_Q + r"(\d+)" + _Q, lambda m: quotes[int(m.group(1))], raw).strip()
        if not clause:
            continue
        intent = _clause(clause, last_verb)
        if intent is None:
            raise CommandError(f"I can't read {clause!r} as a direct command. " + HELP)
        if intent.verb != "nothing":
            intents.append(intent)
        last_verb = intent.verb if intent.verb in CONTINUABLE else ("select" if intent.verb == "nothing" else "")
    if not intents and not any(_clause(c, "") for c in clauses if c.strip()):
        raise CommandError(f"I can't read {instruction!r} as a direct command. " + HELP)
    return intents


def _clause(clause: str, last_verb: str) -> Intent | None:
    low = clause.lower()
    for reader in (_key, _type, _scroll, _wait, _hover, _close, _click_kinds, _verb):
        intent = reader(clause, low)
        if intent is not None:
            return intent
    if last_verb and not re.match(r"^(?:the\s+)?(?:page|screen|window)\b", low):
        return _verb(f"{last_verb} {clause}", f"{last_verb} {low}")
    return None


def unquote(text: str) -> str:
    t = text.strip()
    if len(t) >= 2 and t[0] in "\"'“" and t[-1] in "\"'”":
        return t[1:-1]
    return t


def _quoted(text: str) -> str | None:
    m = re.search(r"\"([^\"]*)\"|“([^”]*)”|(?<![\w])'([^']*)'(?![\w])", text)
    return next(g for g in m.groups() if g is not None) if m else None


def parse_keys(spec: str) -> tuple[str, ...] | None:
    """'ctrl+s', 'Ctrl + Shift + T', 'the Enter key', 'escape' -> keys; None if these are not keys."""
    s = re.sub(r"^(?:the\s+)?|\s+(?:key|keys|button)$", "", spec.strip().lower().strip("'\""))
    parts = [p for p in re.split(r"\s*\+\s*|\s+", s) if p]
    if not parts or len(parts) > 4:
        return None
    keys = tuple(normalise_key(p) for p in parts)
    if len(keys) == 1 and len(keys[0]) == 1 and not re.search(r"\bkey\b", spec.lower()):
        return None  # "press x" is a button called x unless it says "the x key"
    if not all(valid_key(k) for k in keys) or not all(k in MODIFIERS for k in keys[:-1]):
        return None
    return keys


def _key(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(?:press|hit|push|tap|type)\s+(.+)$", low)
    if not m:
        return None
    keys = parse_keys(m.group(1))
    return Intent("key", keys=keys, source=clause) if keys else None


def _type(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(?:fill(?:\s+in|\s+out)?|complete)\s+(.+?)\s+with\s+(.+)$", clause, re.I)
    if m:
        return Intent("type", target=m.group(1), text=_literal(m.group(2)), every=_every(m.group(1)), source=clause)
    m = re.match(r"^(?:type|enter|input|write|put|insert|paste)\s+(.+?)\s+(?:into|in|inside|on|to)\s+"
                 r"(.+)$", clause, re.I)
    if m and (_quoted(m.group(1)) is not None or not _quoted(m.group(2))):
        return Intent("type", target=m.group(2), text=_literal(m.group(1)), every=_every(m.group(2)), source=clause)
    m = re.match(r"^(?:type|write|enter|input)\s+(.+)$", clause, re.I)
    if m and (_quoted(m.group(1)) is not None or low.startswith(("type ", "write "))):
        return Intent("type", text=_literal(m.group(1)), source=clause)
    return None


def _literal(text: str) -> str:
    q = _quoted(text)
    if q is not None:
        return q
    return re.sub(r"^(?:the\s+)?(?:text|word|words|value|string|password)\s+", "", text.strip(), flags=re.I)


def _every(target: str) -> bool:
    return bool(re.search(r"\b(both|all|every|each)\b", target, re.I))


def _scroll(clause: str, low: str) -> Intent | None:
    m = re.match(r"^scroll(?:\s+the\s+\w+)?\s+(up|down|left|right)(?:\s+(?:by\s+)?(\d+))?", low)
    if not m:
        return None
    return Intent("scroll", text=m.group(1), amount=float(m.group(2) or 5), source=clause)


def _wait(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(?:wait|pause|sleep)(?:\s+(?:for\s+)?(\d+(?:\.\d+)?)\s*(ms|milliseconds?|s|secs?|seconds?)?)?$",
                 low)
    if not m:
        return None
    seconds = float(m.group(1) or 1)
    if m.group(2) and m.group(2).startswith("m"):
        seconds /= 1000
    return Intent("wait", amount=seconds, source=clause)


def _hover(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(?:hover|mouse over|move(?: the mouse| the pointer)?)\s+(?:over|on|to|onto)?\s*(.+)$", clause, re.I)
    return Intent("hover", target=m.group(1), source=clause) if m else None


def _close(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(?:close|dismiss)\s+(.+?)\s+by\s+(?:clicking|pressing|hitting|tapping)(?:\s+on)?\s+(.+)$",
                 clause, re.I)
    if m:
        keys = parse_keys(m.group(2))
        return Intent("key", keys=keys, source=clause) if keys else Intent("click", target=m.group(2), source=clause)
    m = re.match(r"^(?:close|dismiss)\s+(.+)$", clause, re.I)
    if m and re.search(r"\b(dialog|window|popup|pop-up|modal|message|alert|box|panel|tab)\b", m.group(1), re.I):
        return Intent("close", target=m.group(1), source=clause)
    return None


def _click_kinds(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(double|right|middle|triple)[- ]?click(?:\s+on)?\s+(.+)$", clause, re.I)
    if not m:
        return None
    kind = m.group(1).lower()
    button = kind if kind in ("right", "middle") else "left"
    count = {"double": 2, "triple": 3}.get(kind, 1)
    return Intent("click", target=m.group(2), button=button, count=count, source=clause)


def _verb(clause: str, low: str) -> Intent | None:
    m = re.match(r"^(\w+)(?:\s+(?:on|onto|into|in|at))?\s+(.+)$", clause, re.I)
    if not m or m.group(1).lower() not in VERB_ALIASES:
        return None
    verb, target = VERB_ALIASES[m.group(1).lower()], m.group(2).strip()
    if verb == "focus":
        return Intent("click", target=target, source=clause)
    if verb in ("select", "uncheck"):
        if re.fullmatch(r"(?:nothing|none|no\s+\w+)", target, re.I):
            return Intent("nothing", source=clause)
        fm = re.match(r"^(.+?)\s+(?:from|in|on)\s+(?:the\s+)?(.*\b(?:list|dropdown|drop-down|menu|select|box|"
                      r"combo ?box|options)\b.*)$", target, re.I)
        if fm:
            return Intent(verb, target=unquote(fm.group(1)), text=fm.group(2), from_list=True, source=clause)
        return Intent(verb, target=target, every=_every(target), source=clause)
    return Intent(verb, target=target, every=_every(target), source=clause)
