"""The tokenizer: one pass turns a command into words, quoted strings and separators, each with its place.

Quotes are "double", “curly”, ‘curly single’, «guillemets» or 'single' (a single quote opens only at the start
of a word and closes only at the end of one, so "don't" and "O'Brien" stay words). A full stop, "!" or "?"
separates only when a space or the end follows it, so "report.pdf", "3.5" and "e.g" stay whole.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from grounding.refs.errors import LanguageError

PAIRS = {'"': '"', "“": "”", "”": "”", "„": "“", "‘": "’", "«": "»", "「": "」"}
SEPARATORS = ",;:"
STOPS = ".!?。"
DASHES = "\u2013\u2014"  # an en or em dash between words separates like a comma


@dataclass(frozen=True, kw_only=True)
class Token:
    """One token: ``kind`` is word, quote or sep; ``text`` is as written (a quote's text without its marks)."""

    kind: str
    text: str
    start: int
    end: int

    @property
    def low(self) -> str:
        """The text folded for comparing with the vocabulary (case and compatibility forms)."""
        return unicodedata.normalize("NFKC", self.text).casefold()

    def is_word(self, *words: str) -> bool:
        """Whether this is a word token, one of ``words`` when they are given."""
        return self.kind == "word" and (not words or self.low in words)


def tokenize(text: str) -> list[Token]:
    """Split ``text`` into tokens; an unclosed quote raises LanguageError naming where it opens."""
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in PAIRS or (ch == "'" and _opens_single(text, i)):
            i = _quote(text, i, tokens)
        elif ch in SEPARATORS and _separates(text, i) or ch in DASHES and _spaced(text, i):
            tokens.append(Token(kind="sep", text=ch, start=i, end=i + 1))
            i += 1
        elif ch in STOPS and _ends_word(text, i + 1):
            tokens.append(Token(kind="sep", text=".", start=i, end=i + 1))
            i += 1
        else:
            i = _word(text, i, tokens)
    return tokens


def _separates(text: str, i: int) -> bool:
    """"1,000" and "10:30" keep their comma and colon; a colon separates only before a space or the end."""
    between_digits = 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
    if text[i] == ":":
        return i + 1 >= len(text) or text[i + 1].isspace()
    return not between_digits


def _spaced(text: str, i: int) -> bool:
    return (i == 0 or text[i - 1].isspace()) and (i + 1 >= len(text) or text[i + 1].isspace())


def _ends_word(text: str, i: int) -> bool:
    return i >= len(text) or text[i].isspace() or text[i] in "\"'”’»)"


def _opens_single(text: str, i: int) -> bool:
    """A ' opens a quote at a word's start when a closing ' ends a later word."""
    if i > 0 and not (text[i - 1].isspace() or text[i - 1] in "([{,;:"):
        return False
    return _single_close(text, i + 1) >= 0


def _single_close(text: str, i: int) -> int:
    j = text.find("'", i)
    while j >= 0:
        if j + 1 >= len(text) or not (text[j + 1].isalnum() or text[j + 1] == "_"):
            return j
        j = text.find("'", j + 1)
    return -1


def _quote(text: str, i: int, tokens: list[Token]) -> int:
    opener = text[i]
    close = _single_close(text, i + 1) if opener == "'" else _pair_close(text, i + 1, opener)
    if close < 0:
        word = text[i:].split()[0] if text[i:].split() else opener
        closed = f"{text[:i]}{opener}{text[i + 1:].strip()}{PAIRS.get(opener, opener)}"
        raise LanguageError(f"the quote that opens at {word!r} never closes", part=text[i:], example=closed)
    tokens.append(Token(kind="quote", text=text[i + 1:close], start=i, end=close + 1))
    return close + 1


def _pair_close(text: str, i: int, opener: str) -> int:
    closers = {PAIRS[opener]} | ({'"', "”"} if opener in "“”\"" else set())
    return min((j for j in (text.find(c, i) for c in closers) if j >= 0), default=-1)


def _word(text: str, i: int, tokens: list[Token]) -> int:
    j = i
    while j < len(text) and not text[j].isspace() and text[j] not in PAIRS:
        if text[j] in SEPARATORS and _separates(text, j):
            break
        if text[j] in STOPS and _ends_word(text, j + 1):
            break
        j += 1
    if j == i:  # a lone character no rule above took (a stray stop inside a word run)
        j = i + 1
    tokens.append(Token(kind="word", text=text[i:j], start=i, end=j))
    return j


@dataclass
class Cursor:
    """A position in a command's tokens, with the look-ahead the grammar needs."""

    text: str
    tokens: list[Token]
    i: int = 0

    def peek(self, k: int = 0) -> Token | None:
        """The token ``k`` places ahead, or None past the end."""
        j = self.i + k
        return self.tokens[j] if 0 <= j < len(self.tokens) else None

    def take(self) -> Token:
        """The current token, moving past it."""
        token = self.tokens[self.i]
        self.i += 1
        return token

    def at_end(self) -> bool:
        return self.i >= len(self.tokens)

    def at_word(self, *words: str, k: int = 0) -> bool:
        """Whether the token ``k`` ahead is a word (one of ``words``, when given)."""
        token = self.peek(k)
        return token is not None and token.is_word(*words)

    def at_phrase(self, phrase: tuple[str, ...], k: int = 0) -> bool:
        """Whether the words from ``k`` ahead spell ``phrase``."""
        return all(self.at_word(w, k=k + n) for n, w in enumerate(phrase))

    def match(self, phrases: dict[tuple[str, ...], str]) -> tuple[tuple[str, ...], str] | None:
        """The longest of ``phrases`` starting here, with what it maps to."""
        best = None
        for phrase, value in phrases.items():
            if self.at_phrase(phrase) and (best is None or len(phrase) > len(best[0])):
                best = (phrase, value)
        return best

    def skip(self, n: int) -> None:
        self.i += n

    def span(self, start: int, end: int | None = None) -> str:
        """The command's own text from token ``start`` up to token ``end`` (the cursor when None)."""
        end = self.i if end is None else end
        if start >= end or start >= len(self.tokens):
            return ""
        return self.text[self.tokens[start].start:self.tokens[end - 1].end]

    def rest(self) -> str:
        """The command's text from the cursor on."""
        return self.text[self.tokens[self.i].start:] if not self.at_end() else ""
