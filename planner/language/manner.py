"""How a clause says it is done, at its end: "on the keyboard" (just type, or press the key) or "with ctrl+s"
(press those keys: "save the file with ctrl+s" says why in its first words and how in its last)."""

from __future__ import annotations

from grounding.refs.grammar import JOINERS
from grounding.refs.tokens import Cursor, Token
from planner.language import values as val
from planner.language import verbs as vb

MANNER = frozenset({"on", "with", "using", "via", "from"})
OWNERS = frozenset({"the", "your", "my", "a"})
BY_KEYS = frozenset({"pressing", "hitting", "typing"})
# verbs whose other words may only say why when keys are said ("save the file with ctrl+s"); a text to type or
# search for, a value to set, a thing to choose is never dropped for keys
BY_KEYS_ALONE = frozenset({"act", "click", "press", "close", "submit", "copy", "paste", "goto", "back", "forward",
                           "expand", "collapse"})


def clause_end(cur: Cursor) -> int:
    """Where the clause at the cursor ends: a separator, or a joiner before another verb."""
    for j in range(cur.i, len(cur.tokens)):
        token = cur.tokens[j]
        if token.kind == "sep" or token.is_word(*JOINERS) and Cursor(cur.text, cur.tokens, j + 1).match(vb.VERBS):
            return j
    return len(cur.tokens)


def on_the_keyboard(cur: Cursor, frame: str) -> None:
    """Drop a closing "on the keyboard": typing is typing; for "press 5 on the keyboard" it says the key."""
    stop = clause_end(cur)
    for j in range(cur.i, stop - 1):
        words = cur.tokens[j:stop]
        if words[0].is_word(*MANNER) and words[-1].is_word("keyboard") and len(words) <= 3 and (
                len(words) == 2 or words[1].is_word(*OWNERS)):
            kept = [Token(kind="word", text="key", start=words[0].start, end=words[-1].end)] if frame == "press" else []
            cur.tokens[j:stop] = kept
            return


def keys_said(cur: Cursor, frame: str) -> tuple[str, ...] | None:
    """The keys a clause ends by naming ("... with ctrl+s", "... by pressing Enter"); the cursor moves past them.
    None where it names none, or where its verb's "with" says something else ("fill X with Y")."""
    if frame not in BY_KEYS_ALONE:
        return None
    stop = clause_end(cur)
    for j in range(cur.i + 1, stop - 1):
        token, nxt = cur.tokens[j], cur.tokens[j + 1]
        by = token.is_word("by") and nxt.is_word(*BY_KEYS)
        if not (token.is_word("with", "using", "via") or by):
            continue
        at = Cursor(cur.text, cur.tokens, j + (2 if by else 1))
        words, said_key, n = val.key_words(at)
        chord = val.keys(words, said_key) if at.i + n == stop else None
        if chord is not None:
            cur.i = stop
            return chord
    return None
