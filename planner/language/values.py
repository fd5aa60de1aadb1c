"""What a frame reads besides things on the screen: text to type, key chords, durations, numbers and sub-phrases."""

from __future__ import annotations

import re

from grounding.refs import words as v
from grounding.refs.grammar import JOINERS, Ref, boundary, referring
from grounding.refs.tokens import Cursor
from planner.actions import KEY_NAMES, MODIFIERS

# nouns that say what kind of text follows ("the password 'x'", "the name 'Bob'"); they may name the field too
DESCRIPTORS = frozenset("text word words value string phrase password name username email date time number code "
                        "message query term letters characters address".split())
CASES = {("upper", "case"): "upper", ("uppercase",): "upper", ("capital", "letters"): "upper",
         ("capitals",): "upper", ("caps",): "upper", ("upper-case",): "upper", ("block", "capitals"): "upper",
         ("lower", "case"): "lower", ("lowercase",): "lower", ("small", "letters"): "lower",
         ("lower-case",): "lower"}
UNITS = {"ms": 0.001, "millisecond": 0.001, "milliseconds": 0.001, "msec": 0.001, "s": 1.0, "sec": 1.0,
         "secs": 1.0, "second": 1.0, "seconds": 1.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0}
NUMBER_VALUE = re.compile(r"^[-+−]?\d+(?:[.,]\d+)?%?$")


def text_value(cur: Cursor, stops: frozenset[str]) -> tuple[str, str] | None:
    """The text a clause gives (a quote, or the words up to a frame word) and the descriptor said before it."""
    start, hint = cur.i, ""
    if cur.at_word("the", "a", "an") and cur.at_word(*DESCRIPTORS, k=1) and _value_follows(cur, 2, stops):
        hint = cur.peek(1).low
        cur.skip(2)
    elif cur.at_word(*DESCRIPTORS) and _value_follows(cur, 1, stops) and cur.peek(1).kind == "quote":
        hint = cur.take().low
    token = cur.peek()
    if token is None or token.kind == "sep":
        cur.i = start
        return None
    if token.kind == "quote":
        cur.skip(1)
        return token.text, hint
    first = cur.i
    while not boundary(cur, stops) and not _case_at(cur):
        cur.skip(1)
    if cur.i == first:
        cur.i = start
        return None
    return cur.span(first), hint


def _value_follows(cur: Cursor, k: int, stops: frozenset[str]) -> bool:
    token = cur.peek(k)
    return token is not None and token.kind != "sep" and not token.is_word(*JOINERS) and not token.is_word(*stops)


def _case_at(cur: Cursor) -> bool:
    return cur.at_word("in") and case_phrase(cur, peek=True) is not None


def case_phrase(cur: Cursor, peek: bool = False) -> str | None:
    """ "in (all) upper case (letters)" and the like: "upper" or "lower", consumed unless ``peek``."""
    k = 1 if cur.at_word("in") else 0
    if not k:
        return None
    if cur.at_word("all", k=k):
        k += 1
    for phrase, case in CASES.items():
        if cur.at_phrase(phrase, k=k):
            n = k + len(phrase) + (1 if cur.at_word("letters", "characters", k=k + len(phrase)) else 0)
            if not peek:
                cur.skip(n)
            return case
    return None


def keys(words: list[str], said_key: bool) -> tuple[str, ...] | None:
    """'ctrl+s', 'Ctrl + Shift + T', 'Enter', 'the down arrow' -> keys; None if these words are not keys."""
    parts = [p for w in words for p in re.split(r"(?<=\w)[+\-](?=\w)|\+", w) if p]
    names: list[str] = []
    i = 0
    while i < len(parts):
        pair = tuple(p.lower() for p in parts[i:i + 2])
        if len(pair) == 2 and pair in v.KEY_PHRASES:
            names.append(v.KEY_PHRASES[pair])
            i += 2
            continue
        low = parts[i].lower()
        names.append(parts[i] if len(parts[i]) == 1 else v.KEY_ALIASES.get(low, low))
        i += 1
    if not names or len(names) > 4:
        return None
    if not all(len(k) == 1 and k.isprintable() or k in KEY_NAMES for k in names):
        return None
    if not all(k in MODIFIERS or v.KEY_ALIASES.get(k) in MODIFIERS for k in names[:-1]):
        return None
    names = [v.KEY_ALIASES.get(k, k) if k in MODIFIERS or v.KEY_ALIASES.get(k) in MODIFIERS else k for k in names]
    if len(names) > 1:
        names = names[:-1] + [names[-1].lower()]  # "Ctrl+Shift+T" is the t key with shift held
    if len(names) == 1 and not said_key and names[0] not in v.PRESSABLE:
        return None  # "press 7", "press Home": a button that says it, unless "the 7 key"
    return tuple(names)


def key_words(cur: Cursor) -> tuple[list[str], bool, int]:
    """The words of a key phrase at the cursor (without "the" and "key"), whether "key" was said, tokens taken."""
    j, words, said_key = cur.i, [], False
    if cur.at_word("the"):
        j += 1
    while j < len(cur.tokens) and cur.tokens[j].kind == "word" and not cur.tokens[j].is_word(*JOINERS):
        token = cur.tokens[j]
        if token.low in ("key", "keys"):
            said_key, j = True, j + 1
            break
        if token.low in ("twice", "thrice", "times", "once") or token.text.isdigit() and words:
            break
        words.append(token.text)
        j += 1
    return words, said_key, j - cur.i


def repeat(cur: Cursor) -> int:
    """ "twice", "3 times": how many times to do a clause (1 when not said), consumed."""
    if cur.at_word("once"):
        cur.skip(1)
        return 1
    if cur.at_word("twice"):
        cur.skip(1)
        return 2
    if cur.at_word("thrice"):
        cur.skip(1)
        return 3
    token = cur.peek()
    if token is not None and cur.at_word("times", k=1) and (token.text.isdigit() or token.low in v.NUMBER_WORDS):
        cur.skip(2)
        return int(token.text) if token.text.isdigit() else v.NUMBER_WORDS[token.low]
    return 1


def duration(cur: Cursor) -> float | None:
    """ "2 seconds", "500 ms", "1.5s", "a second", "a moment": seconds, consumed; None when none is said."""
    token = cur.peek()
    if token is None or token.kind != "word":
        return None
    if token.low in ("a", "an", "one") and cur.at_word("second", "moment", "bit", "while", "sec", "minute", k=1):
        cur.skip(2)
        return 60.0 if cur.tokens[cur.i - 1].low == "minute" else 1.0
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([a-z]*)", token.low)
    if not m:
        return None
    unit = m.group(2) or (cur.peek(1).low if cur.at_word(*UNITS, k=1) else "s")
    if unit not in UNITS:
        return None
    cur.skip(1 if m.group(2) or not cur.at_word(*UNITS, k=1) else 2)
    return float(m.group(1)) * UNITS[unit]


def ref_before(cur: Cursor, words: frozenset[str]) -> Ref | None:
    """A referring expression ending where one of ``words`` stands (outside "next to" and the like), consumed."""
    j = cur.i
    while j < len(cur.tokens) and cur.tokens[j].kind != "sep" and not cur.tokens[j].is_word(*JOINERS):
        if cur.tokens[j].is_word(*words) and j > cur.i and not cur.tokens[j - 1].is_word(
                "next", "close", "nearest", "left", "right"):
            break
        j += 1
    sub = Cursor(cur.text, cur.tokens[:j], cur.i)
    ref = referring(sub)
    if ref is None or sub.i != j:
        return None
    cur.i = j
    return ref


def is_number(text: str) -> bool:
    """Whether ``text`` reads as a number a slider or spin box could hold ("5", "-3", "2.5", "40%")."""
    return bool(NUMBER_VALUE.match(text.strip()))
