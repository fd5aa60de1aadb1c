"""What the planner remembers, kept bounded: a keyed set of facts, each finished subtask once with its whole
(bounded) summary (Magentic-One's task ledger), the current subtask's last few turns word for word with older
turns folded into a fixed-size count. Text is cut at a word or line boundary, never mid-word."""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass, field

MAX_FACTS = 20
FACT_CAP = 300
SUMMARY_CAP = 1500  # characters of a finished subtask's summary the manager sees
RECENT_SUBTASKS = 12  # finished subtasks shown with their summaries; older ones by title only
RECENT_TURNS = 6
LINE_CAP = 240


def clip(text: str, cap: int = LINE_CAP) -> str:
    """``text`` on one line, at most ``cap`` characters, cut at a word boundary (with "…")."""
    text = " ".join(text.split())
    if len(text) <= cap:
        return text
    cut = text[:cap - 1]
    space = cut.rfind(" ")
    return (cut[:space] if space > cap // 2 else cut).rstrip(" ,;:") + "…"


def clip_lines(text: str, cap: int, keep: str = "head") -> str:
    """``text`` with its line breaks, at most ``cap`` characters: the head (or the tail, for program output) cut at
    a line boundary where there is one, and a note saying how much was left out."""
    text = text.rstrip()
    if len(text) <= cap:
        return text
    if keep == "tail":
        part = text[-cap:]
        nl = part.find("\n")
        part = part[nl + 1:] if 0 <= nl < cap // 2 else part
        return f"[{len(text) - len(part)} earlier characters not shown]\n{part}"
    part = text[:cap]
    nl = part.rfind("\n")
    part = part[:nl] if nl > cap // 2 else clip(part, cap)
    return f"{part}\n[{len(text) - len(part)} more characters not shown]"


@dataclass(frozen=True)
class Finished:
    title: str
    ok: bool
    summary: str
    kind: str = "gui"


@dataclass
class Ledger:
    """Facts by key (the manager adds, replaces and drops them) and every finished subtask, each once."""

    facts: dict[str, str] = field(default_factory=dict)
    finished: list[Finished] = field(default_factory=list)

    def update(self, facts: dict[str, str | None]) -> None:
        """Set each key to its fact; a null (or empty) fact drops the key. The oldest keys give way past the cap."""
        for key, fact in facts.items():
            key = clip(key, 60)
            self.facts.pop(key, None)
            if fact and fact.strip():
                self.facts[key] = clip(fact, FACT_CAP)
        while len(self.facts) > MAX_FACTS:
            self.facts.pop(next(iter(self.facts)))

    def finish(self, title: str, ok: bool, summary: str, kind: str = "gui") -> None:
        self.finished.append(Finished(clip(title, LINE_CAP), ok, clip_lines(summary, SUMMARY_CAP), kind))

    def render_facts(self) -> str:
        return "Facts:\n" + ("\n".join(f"- {k}: {v}" for k, v in self.facts.items()) or "- (none yet)")

    def render_last(self) -> str:
        """The last finished subtask with its summary, as the manager reads it."""
        return self._entry(self.finished[-1]) if self.finished else ""

    def _entry(self, f: Finished) -> str:
        summary = f.summary.replace("\n", "\n    ")
        return f"- [{'finished' if f.ok else 'FAILED'}] {f.title}\n    {summary}"

    def render_finished(self) -> str:
        older, recent = self.finished[:-RECENT_SUBTASKS], self.finished[-RECENT_SUBTASKS:]
        lines = [f"- (earlier: {', '.join(clip(f.title, 60) for f in older)})"] if older else []
        lines += [self._entry(f) for f in recent]
        return "Subtasks done so far:\n" + ("\n".join(lines) or "- (none yet)")

    def render(self) -> str:
        return f"{self.render_facts()}\n{self.render_finished()}"


@dataclass
class TurnLog:
    """The current subtask's turns (one worker answer each, with its actions): the latest few actions verbatim,
    grouped by the turn that sent them, and older turns folded into a count by kind and outcome."""

    turns: deque[tuple[tuple[str, str], ...]] = field(default_factory=deque)  # each turn's (line, "kind ok")
    older: Counter[str] = field(default_factory=Counter)
    folded: int = 0  # turns counted in ``older``
    total: int = 0

    def add(self, actions: list[tuple[str, str, bool]]) -> None:
        """Log one turn: its actions as (line, kind, ok)."""
        if not actions:
            return
        self.turns.append(tuple((clip(line), f"{kind} {'ok' if ok else 'failed'}") for line, kind, ok in actions))
        self.total += 1
        # the last turn and the whole earlier turns that fit in RECENT_TURNS actions stay word for word
        while len(self.turns) > 2 and sum(len(t) for t in list(self.turns)[:-1]) > RECENT_TURNS:
            self.older.update(kind for _, kind in self.turns.popleft())
            self.folded += 1

    def clear(self) -> None:
        self.turns.clear()
        self.older.clear()
        self.folded = self.total = 0

    def render(self, but_last: bool = False) -> str:
        """The turns, or (``but_last``: the worker reads its last turn in full elsewhere) those before the last."""
        shown = list(self.turns)[:-1] if but_last else list(self.turns)
        lines = []
        if self.folded:
            # the fold names at most six kinds and no number, so it stays the same size however long the subtask runs
            lines.append(f"(older turns: {', '.join(k for k, _ in self.older.most_common(6))})")
        for turn in shown:
            lines += [f"a turn of {len(turn)} action{'s' if len(turn) > 1 else ''}:"] + [f"- {x}" for x, _ in turn]
        if lines:
            return "\n".join(lines)
        return "- (none before your last turn)" if but_last and self.turns else "- (no actions yet on this subtask)"
