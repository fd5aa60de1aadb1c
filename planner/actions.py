"""Actions: frozen, keyword-only dataclasses with a ``kind`` tag and a JSON round trip.

Points are in logical screen coordinates (what the input driver takes). Invalid values raise
``ActionError`` naming the field, so a model's bad answer can be sent back to it as an observation.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields
from typing import ClassVar

KEY_NAMES = frozenset(
    "enter return tab space backspace delete escape esc up down left right home end pageup pagedown insert "
    "ctrl control alt shift super win cmd command meta option capslock printscreen menu".split()
    + [f"f{i}" for i in range(1, 25)]
)
MODIFIERS = frozenset("ctrl control alt shift super win cmd command meta option".split())
BUTTONS = ("left", "right", "middle")
LANGUAGES = ("python", "bash")


class ActionError(ValueError):
    """An action with an invalid value; the message names the field."""


def _check(cond: bool, field_name: str, message: str) -> None:
    if not cond:
        raise ActionError(f"{field_name}: {message}")


def _check_point(x: float, y: float, prefix: str = "") -> None:
    _check(x >= 0, f"{prefix}x", f"must be >= 0, got {x}")
    _check(y >= 0, f"{prefix}y", f"must be >= 0, got {y}")


def normalise_key(key: str) -> str:
    """'Enter' -> 'enter', 'Ctrl' -> 'ctrl'; single printable characters pass unchanged."""
    k = key.strip()
    if len(k) == 1:
        return k
    k = k.lower()
    return {"control": "ctrl", "return": "enter", "esc": "escape", "command": "cmd", "win": "super"}.get(k, k)


def valid_key(key: str) -> bool:
    return len(key) == 1 and key.isprintable() or key.lower() in KEY_NAMES


@dataclass(frozen=True, kw_only=True)
class Click:
    kind: ClassVar[str] = "click"
    x: float
    y: float
    button: str = "left"
    count: int = 1
    target: str = ""
    hold: tuple[str, ...] = ()  # modifiers held down during the click: ("ctrl",) adds a row to a selection
    # what the click was grounded on, for the policy (planner/risky.py); not part of what the click does, so two
    # clicks on one point are equal whatever they were found from
    name: str = field(default="", compare=False)  # the name of the element clicked ("Delete account")
    role: str = field(default="", compare=False)  # and its role (a button acts, a checkbox only chooses)
    command: str = field(default="", compare=False)  # the clause of a person's direct command it does ("": a model's)
    said: str = field(default="", compare=False)  # the agent's own words for what it clicks ("the trash icon")

    def __post_init__(self) -> None:
        _check_point(self.x, self.y)
        _check(self.button in BUTTONS, "button", f"must be one of {', '.join(BUTTONS)}, got {self.button!r}")
        _check(1 <= self.count <= 3, "count", f"must be 1, 2 or 3, got {self.count}")
        object.__setattr__(self, "hold", tuple(normalise_key(k) for k in self.hold))
        _check(all(k in MODIFIERS for k in self.hold), "hold", f"only modifiers can be held, got {'+'.join(self.hold)}")


@dataclass(frozen=True, kw_only=True)
class Move:
    kind: ClassVar[str] = "move"
    x: float
    y: float
    target: str = ""

    def __post_init__(self) -> None:
        _check_point(self.x, self.y)


@dataclass(frozen=True, kw_only=True)
class Drag:
    kind: ClassVar[str] = "drag"
    x: float
    y: float
    to_x: float
    to_y: float
    target: str = ""

    def __post_init__(self) -> None:
        _check_point(self.x, self.y)
        _check_point(self.to_x, self.to_y, "to_")


@dataclass(frozen=True, kw_only=True)
class Scroll:
    kind: ClassVar[str] = "scroll"
    x: float
    y: float
    dx: int = 0
    dy: int = 0

    def __post_init__(self) -> None:
        _check_point(self.x, self.y)
        _check(self.dx != 0 or self.dy != 0, "dy", "a scroll needs a non-zero dx or dy")


@dataclass(frozen=True, kw_only=True)
class TypeText:
    kind: ClassVar[str] = "type"
    text: str
    secret: bool = False

    def __post_init__(self) -> None:
        _check(isinstance(self.text, str) and self.text != "", "text", "must be a non-empty string")


@dataclass(frozen=True, kw_only=True)
class Key:
    """Press one key or a chord: keys=("ctrl", "s") presses ctrl+s."""

    kind: ClassVar[str] = "key"
    keys: tuple[str, ...]
    repeat: int = 1  # pressed this many times (a slider moved by arrow keys)
    # what Enter or space presses, read from the focus on the step's screen (planner/landing.py), for the policy
    name: str = field(default="", compare=False)  # the control it presses ("Delete account")
    role: str = field(default="", compare=False)
    focus: str = field(default="", compare=False)  # the focused field whose form's default button it presses
    command: str = field(default="", compare=False)  # the clause of a person's direct command it does

    def __post_init__(self) -> None:
        _check(len(self.keys) > 0, "keys", "must name at least one key")
        _check(1 <= self.repeat <= 200, "repeat", f"must be between 1 and 200, got {self.repeat}")
        object.__setattr__(self, "keys", tuple(normalise_key(k) for k in self.keys))
        for k in self.keys:
            _check(valid_key(k), "keys", f"unknown key {k!r}")
        _check(all(k in MODIFIERS for k in self.keys[:-1]), "keys",
               f"in a chord every key but the last must be a modifier, got {'+'.join(self.keys)}")


@dataclass(frozen=True, kw_only=True)
class Wait:
    kind: ClassVar[str] = "wait"
    seconds: float = 1.0

    def __post_init__(self) -> None:
        _check(0 <= self.seconds <= 600, "seconds", f"must be between 0 and 600, got {self.seconds}")


@dataclass(frozen=True, kw_only=True)
class Done:
    kind: ClassVar[str] = "done"
    summary: str = ""


@dataclass(frozen=True, kw_only=True)
class Fail:
    kind: ClassVar[str] = "fail"
    reason: str

    def __post_init__(self) -> None:
        _check(bool(self.reason.strip()), "reason", "must say why the task failed")


@dataclass(frozen=True, kw_only=True)
class AskUser:
    kind: ClassVar[str] = "ask_user"
    question: str

    def __post_init__(self) -> None:
        _check(bool(self.question.strip()), "question", "must not be empty")


@dataclass(frozen=True, kw_only=True)
class RunCode:
    """Model-written code; ``writes`` names the folders it changes beyond the work folder, ``network`` whether it
    needs the network (both shown to the person and enforced by the sandbox)."""

    kind: ClassVar[str] = "run_code"
    language: str
    code: str
    timeout: float = 30.0
    writes: tuple[str, ...] = ()
    network: bool = False

    def __post_init__(self) -> None:
        _check(self.language in LANGUAGES, "language", f"must be python or bash, got {self.language!r}")
        _check(bool(self.code.strip()), "code", "must not be empty")
        _check(0 < self.timeout <= 3600, "timeout", f"must be between 0 and 3600 seconds, got {self.timeout}")
        object.__setattr__(self, "writes", tuple(self.writes))
        _check(all(isinstance(w, str) and w.strip() for w in self.writes), "writes", "must be folder paths")


@dataclass(frozen=True, kw_only=True)
class Open:
    """Start an application by its command line (``gedit notes.txt``, ``chromium https://...``); no shell."""

    kind: ClassVar[str] = "open"
    app: str

    def __post_init__(self) -> None:
        _check(bool(self.app.strip()), "app", "must name an application")


@dataclass(frozen=True, kw_only=True)
class Focus:
    """Bring the window whose title says ``window`` to the front and give it the keyboard."""

    kind: ClassVar[str] = "focus"
    window: str

    def __post_init__(self) -> None:
        _check(bool(self.window.strip()), "window", "must name a window by its title")


Action = Click | Move | Drag | Scroll | TypeText | Key | Wait | Done | Fail | AskUser | RunCode | Open | Focus
ACTION_TYPES: dict[str, type] = {cls.kind: cls for cls in Action.__args__}
FINAL = (Done, Fail)


_KNOWN = {"click": ("name", "role", "command", "said"), "key": ("name", "role", "focus", "command")}


def to_json(action: Action) -> dict:
    """A JSON-ready dict with the ``kind`` tag first."""
    data = asdict(action)
    if isinstance(action, Key):
        data["keys"] = list(action.keys)
    if isinstance(action, Click):
        data["hold"] = list(action.hold)
    for key in _KNOWN.get(action.kind, ()):  # said only when known: a record of a point click stays as it was
        if not data[key]:
            del data[key]
    if isinstance(action, RunCode):
        data["writes"] = list(action.writes)
    if isinstance(action, TypeText) and action.secret:
        data["text"] = "•" * len(action.text)
    return {"kind": action.kind, **data}


def from_json(data: dict) -> Action:
    """Build an action from its JSON form; unknown kinds and fields raise ActionError."""
    if not isinstance(data, dict):
        raise ActionError(f"kind: an action must be a JSON object, got {type(data).__name__}")
    kind = data.get("kind")
    cls = ACTION_TYPES.get(kind)  # type: ignore[arg-type]
    if cls is None:
        raise ActionError(f"kind: unknown action kind {kind!r}; expected one of {', '.join(ACTION_TYPES)}")
    names = {f.name for f in fields(cls)}
    extra = set(data) - names - {"kind"}
    if extra:
        raise ActionError(f"{sorted(extra)[0]}: not a field of a {kind} action")
    args = {k: v for k, v in data.items() if k != "kind"}
    if cls is Key and isinstance(args.get("keys"), (list, str)):
        keys = args["keys"]
        args["keys"] = tuple(re.split(r"\s*\+\s*", keys) if isinstance(keys, str) else keys)
    if cls is Click and isinstance(args.get("hold"), list):
        args["hold"] = tuple(args["hold"])
    try:
        return cls(**args)
    except TypeError as exc:
        missing = re.search(r"'(\w+)'", str(exc))
        raise ActionError(f"{missing.group(1) if missing else 'kind'}: {exc}") from None


def describe(action: Action) -> str:
    """One short human line for progress output and reports."""
    match action:
        case Click(x=x, y=y, button=b, count=c, target=t, hold=hold):
            what = {1: "click", 2: "double-click", 3: "triple-click"}[c]
            prefix = f"{b}-{what}" if b != "left" else what
            prefix = "+".join((*hold, prefix))
            return f"{prefix} {t + ' ' if t else ''}at ({x:.0f}, {y:.0f})"
        case Move(x=x, y=y, target=t):
            return f"move to {t + ' ' if t else ''}({x:.0f}, {y:.0f})"
        case Drag(x=x, y=y, to_x=tx, to_y=ty):
            return f"drag ({x:.0f}, {y:.0f}) -> ({tx:.0f}, {ty:.0f})"
        case Scroll(dx=dx, dy=dy):
            return f"scroll dx={dx} dy={dy}"
        case TypeText(text=text, secret=secret):
            return f"type {'•' * len(text) if secret else repr(text)}"
        case Key(keys=keys, repeat=n):
            return f"press {'+'.join(keys)}" + (f" x{n}" if n > 1 else "")
        case Wait(seconds=s):
            return f"wait {s:g}s"
        case Done(summary=s):
            return f"done{': ' + s if s else ''}"
        case Fail(reason=r):
            return f"fail: {r}"
        case AskUser(question=q):
            return f"ask: {q}"
        case RunCode(language=lang, code=code):
            return f"run {lang}: {code.splitlines()[0][:60]}"
        case Open(app=app):
            return f"open {app}"
        case Focus(window=w):
            return f"focus the window {w!r}"
    raise TypeError(f"not an action: {action!r}")


