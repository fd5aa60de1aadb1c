"""Descriptions that name a table's row (grounding/tables.py): "the status of order 1003" is the cell under the
Status header in the row whose Order cell says 1003; "the Cancel of Desk lamp", "the Cancel for 1002", "cancel
order 1002" are the control in that row that says Cancel. A row is named by what one of its cells says, alone or
after its column's or the table's name ("order 1003" in a table of Orders, or under an Order header). Where a
control alike in several rows is asked for with no row, ``rows_offering`` says which rows offer it.
"""

from __future__ import annotations

import re

from grounding.elements import Screen
from grounding.refs.grammar import Ref
from grounding.refs.matches import Match, NotFound
from grounding.refs.words import ROLE_WORDS, family
from grounding.tables import Table, says, tables
from grounding.textmatch import normalise, text_score

SURE = 0.99  # a row's cell or control, read off the table: over any one reading of the words (0.97 an alternative)
SAID = 0.9  # a cell's words, a column's name or a control's name say what was asked
_JOINS = re.compile(r"\s+(?:of|for|in|on|to)\s+(?:the\s+)?(?:row\s+(?:for|of|with)\s+)?", re.I)
_DETERMINERS = re.compile(r"^(?:the|a|an)\s+", re.I)


class AmbiguousRows(NotFound):
    """A control several rows of a table offer alike, asked for with no row: which rows, in one sentence; the
    matches, one a row, for a caller that knows the row from an earlier step."""

    def __init__(self, message: str, table: Table, rows: list[int], matches: list[Match]) -> None:
        super().__init__(message)
        self.table, self.rows, self.matches = table, rows, matches


class TableGrounder:
    """Grounds a description that names a row of a table on the screen: its cell under a column, its control."""

    name = "table"

    def applies(self, ref: Ref) -> bool:
        return bool(ref.label or ref.relations or ref.said)

    def candidates(self, ref: Ref, screen: Screen, echo: str) -> list[Match]:
        found = tables(screen)
        out: list[Match] = []
        for what, who in asked(ref):
            for table in found:
                for row in rows_named(table, who):
                    out += _in_row(table, row, what, who, ref.role)
        return out


def asked(ref: Ref) -> list[tuple[str, str]]:
    """(what, which row) pairs a reading may say: its label split at "of", "for" ("the Cancel for 1002"), and its
    "of" relation ("cancel order 1002": Cancel of order 1002)."""
    out = []
    for rel in ref.relations:
        if rel.kind in ("of", "in", "next_to") and rel.anchor.label:
            out.append((ref.label or ref.noun or ref.role, rel.anchor.label))
    for text in (ref.said, ref.label):
        parts = _JOINS.split(_DETERMINERS.sub("", text.strip()), maxsplit=1)
        if len(parts) == 2 and parts[0] and parts[1]:
            out.append((parts[0], _DETERMINERS.sub("", parts[1])))
    return [(_unroled(w), r.strip()) for w, r in dict.fromkeys(out) if _unroled(w) and r.strip()]


def _unroled(what: str) -> str:
    """ "Reply button": what the control says, without the role word after it."""
    words = what.split()
    return " ".join(words[:-1] if len(words) > 1 and words[-1].lower() in ROLE_WORDS else words)


def rows_named(table: Table, who: str) -> list[int]:
    """The rows one of whose cells says ``who``, alone or after its column's name or the table's ("order 1003"),
    else after a word that says what kind of thing a row is ("the user bob" in a table of names)."""
    out = _rows_saying(table, who)
    kind, _, rest = who.partition(" ")
    if not out and rest.strip() and kind.isalpha():
        out = _rows_saying(table, rest.strip())
    return out


def _rows_saying(table: Table, who: str) -> list[int]:
    out = []
    for i, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            said = " ".join(e.name for e in cell if says(e))
            if said and any(text_score(w, said) >= SAID for w in _row_words(who, table, c)):
                out.append(i)
                break
    return out


def _row_words(who: str, table: Table, column: int) -> list[str]:
    """``who`` as a cell would say it: itself, and without its column's or the table's name in front."""
    words = [who]
    low = normalise(who)
    for name in (table.columns[column], table.name):
        for form in {normalise(name), _singular(normalise(name))}:
            if form and low.startswith(form + " "):
                words.append(who[len(form) + 1:].strip())
    return words


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _in_row(table: Table, row: int, what: str, who: str, role: str) -> list[Match]:
    """The cell of the column ``what`` names, or the control that says ``what``, in ``row``."""
    cells = table.rows[row]
    roles = family(role) if role else ()
    out = []
    for c, name in enumerate(table.columns):
        shown = [e for e in cells[c] if says(e)] or list(cells[c])
        if name and shown and max(text_score(what, name), text_score(_singular(normalise(what)), normalise(name)),
                                  text_score(what, _singular(normalise(name)))) >= SAID:
            out.append(Match(shown[0], SURE, f"the {name!r} cell of the row for {who!r}"))
    for cell in cells:
        for e in cell:
            if e.is_control and text_score(what, e.name) >= SAID and (not roles or e.role in roles):
                out.append(Match(e, SURE * text_score(what, e.name), f"{e.role} {e.name!r} in the row for {who!r}"))
    return out


def untold_rows(screen: Screen, what: str, alike: list[Match]) -> AmbiguousRows | None:
    """Where ``alike`` (controls nothing told apart) are one table's, each in its own row: the error that says
    which rows offer it; else None (look-alikes elsewhere stay a guess the grounding reports)."""
    for table in tables(screen):
        rows = [table.row_of(m.element) for m in alike]
        if all(r >= 0 for r in rows) and len(set(rows)) == len(rows):
            ordered = sorted(zip(rows, alike), key=lambda rm: rm[0])
            return AmbiguousRows(which_rows(what, table, [r for r, _ in ordered]), table,
                                 [r for r, _ in ordered], [m for _, m in ordered])
    return None


def which_rows(what: str, table: Table, rows: list[int]) -> str:
    """The sentence for a control several rows offer: 'Cancel is in 4 rows of the table "Orders" (1001, Office
    chair, Delivered; ...): say which, as "Cancel in the row for 1001"'."""
    named = f" of the table {table.name!r}" if table.name else " of a table"
    listed = "; ".join(table.row_says(r) or f"row {r + 1}" for r in rows)
    first = next((table.cell_text(rows[0], c) for c in range(len(table.columns))
                  if any(says(e) for e in table.rows[rows[0]][c])), f"row {rows[0] + 1}")
    return (f"{what!r} is in {len(rows)} rows{named} ({listed}): say which row, as "
            f"\"{what} in the row for {first}\"")
