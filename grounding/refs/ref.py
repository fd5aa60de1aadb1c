"""A referring expression as data: what grounding/refs/grammar.py reads a description into (a label, a role, an
ordinal, relations to other things) and how it is said back ("the 2nd "Cancel" button in the "Desk lamp" row")."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace


@dataclass(frozen=True, kw_only=True)
class Relation:
    """Where the thing is, said through another thing: next_to, left_of, right_of, below, above, in or of."""

    kind: str
    anchor: Ref


@dataclass(frozen=True, kw_only=True)
class Ref:
    """One referring expression: label (exact when quoted), role key, ordinal (negative from the end), all."""

    label: str = ""
    exact: bool = False
    role: str = ""
    noun: str = ""  # a head noun that names no role ("email", "user")
    ordinal: int = 0
    every: bool = False
    count: int = 0  # how many were said ("both": 2), 0 when not said
    relations: tuple[Relation, ...] = ()
    alternative: Ref | None = None  # another reading, less likely
    said: str = ""

    def readings(self) -> tuple[Ref, ...]:
        """This reading and every alternative, likeliest first."""
        out, ref = [], self
        while ref is not None:
            out.append(replace(ref, alternative=None))
            ref = ref.alternative
        return tuple(out)

    def with_(self, **changes: object) -> Ref:
        """A copy with ``changes``; alternatives keep the same changes."""
        if "alternative" in changes or self.alternative is None:
            return replace(self, **changes)
        return replace(self, **changes, alternative=self.alternative.with_(**changes))

    def describe(self) -> str:
        """How a message names it: 'the 2nd "Save" button next to "Name"'."""
        parts = ["every" if self.every else "the"]
        if self.ordinal:
            parts.append("last" if self.ordinal == -1 else _nth(self.ordinal))
        if self.label:
            parts.append(f'"{self.label}"')
        parts.append(self._head_word())
        for rel in self.relations:
            parts.append(f"{rel.kind.replace('_', ' ')} {rel.anchor.describe()}")
        return " ".join(parts)

    def _head_word(self) -> str:
        """The head as said: "row" where a row was said (its role key is item's), else the role or noun."""
        if self.role == "item" and re.search(r"\brows?\b", self.said, re.I):
            return "row"
        return (self.role or self.noun or "element").replace("_", " ")

    def to_json(self) -> dict:
        """The reading as plain data (empty fields left out), for trajectories and tests."""
        out: dict = {k: getattr(self, k) for k in ("label", "exact", "role", "noun", "ordinal", "every", "count")
                     if getattr(self, k)}
        if self.relations:
            out["relations"] = [{"kind": r.kind, "anchor": r.anchor.to_json()} for r in self.relations]
        if self.alternative is not None:
            out["alternative"] = self.alternative.to_json()
        return out


def _nth(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
