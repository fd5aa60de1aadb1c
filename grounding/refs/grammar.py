"""Referring expressions: the one grammar for "which thing on the screen" a command means.

    ref      := (determiner | quantifier)* modifier* [relation]*
    modifier := ordinal | label word | quoted label | role word     (the last run of role words is the head)
    relation := next to | left of | right of | below | above | in | labelled ... ref

Relations are read only where they fit: "by", "for", "of" and "with the text" only right after a head noun
("the radio button for Express", but "Sort by name" and "Save for later" stay labels), "in" and its kin only
before a determiner, a quote or a container ("Sign in" stays a label), spatial words only with an anchor after
them ("the section below" just points down the page). Where a phrase has two readings ("press Two": the button
labelled Two or the second button) both are kept, the likelier first, for the screen to decide.
"""

from __future__ import annotations

import re
from dataclasses import replace

from grounding.refs import words as v
from grounding.refs.asides import head
from grounding.refs.ref import Ref, Relation
from grounding.refs.tokens import Cursor, Token, tokenize

JOINERS = frozenset({"and", "then"})
ADVERBS = frozenset({"below", "above", "here", "there"})
LABEL_SAID_AFTER = re.compile(r"\b(labell?ed|named|called|titled|entitled|that says|saying|with the text)\b", re.I)
ORDINAL_RE = re.compile(r"^(\d+)(?:st|nd|rd|th)$")
NUMBER_RE = re.compile(r"^#?(\d+)$")
ROW_SAYS = frozenset({"with", "containing", "showing"})  # after "row": what one of its cells says
LONGEST_OWNER = 5  # words an owner's name may take before its "'s" ("on the USB-C hub's row")


def parse_ref(description: str) -> Ref:
    """Read a description ("the 2nd text field", 'the "OK" button in the dialog') into a Ref; its asides and
    negated alternatives ("(the option in the list), not the checkbox") are left out."""
    text = head(description)
    cur = Cursor(text, labels_with_colons(tokenize(text)))
    ref = referring(cur)
    if ref is None or not cur.at_end():
        return Ref(label=_undetermined(text), said=description.strip())
    return ref.with_(said=description.strip())


def labels_with_colons(tokens: list[Token]) -> list[Token]:
    """A description's colon ends the word it is written on: "the Find: field" names a field by its label's words,
    "Find:" (a command's colon may end a clause; a description has none)."""
    out: list[Token] = []
    for t in tokens:
        if t.kind == "sep" and t.text == ":" and out and out[-1].kind == "word" and out[-1].end == t.start:
            out[-1] = replace(out[-1], text=out[-1].text + ":", end=t.end)
        else:
            out.append(t)
    return out


def _undetermined(text: str) -> str:
    """A description read as one label, without the article it was said with (it is said back as 'the "..."')."""
    words = text.split()
    while len(words) > 1 and words[0].lower() in v.DETERMINERS:
        words = words[1:]
    return " ".join(words)


def boundary(cur: Cursor, stops: frozenset[str]) -> bool:
    """Where a phrase ends: a separator, a joining "and"/"then", or a frame word that has words after it."""
    token = cur.peek()
    if token is None or token.kind == "sep":
        return True
    if token.is_word(*JOINERS) or token.is_word("to") and cur.at_word(*v.CLAUSE_VERBS, *v.PURPOSE_VERBS, k=1):
        return True  # "click the trash icon to delete it": the purpose is not part of the icon
    if token.is_word(*v.REPEATS, *v.CONDITIONS) or cur.at_word("times", k=1) and (
            token.text.isdigit() or token.low in v.NUMBER_WORDS):
        return True
    if stops and token.is_word(*stops):
        nxt = cur.peek(1)
        return nxt is not None and nxt.kind != "sep" and not nxt.is_word(*JOINERS)
    return False


def referring(cur: Cursor, stops: frozenset[str] = frozenset()) -> Ref | None:
    """Read one referring expression at the cursor, stopping before ``stops``; None when there is none."""
    start = cur.i
    det, every, count = False, False, 0
    while not boundary(cur, stops):
        token = cur.peek()
        if token.is_word(*v.DETERMINERS):
            det = True
        elif token.is_word(*v.QUANTIFIERS):
            every, count = True, v.QUANTIFIERS[token.low] or count
            if cur.at_word("of", k=1):
                cur.skip(1)
        elif token.is_word(*v.NUMBER_WORDS) and _plural_role_at(cur, 1):
            every, count = True, v.NUMBER_WORDS[token.low]
        elif not (token.is_word(*v.FILLER) or det and token.is_word("only", "very", "same")):
            break
        cur.skip(1)
    mods: list[Token] = []
    while not boundary(cur, stops) and not (mods and _relation_at(cur, mods)):
        if mods and cur.at_word(*ADVERBS) and boundary_after(cur, stops):
            cur.skip(1)  # "the section below": an adverb pointing down the page, not a relation
            break
        if cur.at_word("or") and mods and _is_head_word(mods[-1]) and _is_head_word(cur.peek(1)):
            cur.skip(2)  # "the folder or file": one head said two ways
            continue
        mods.append(cur.take())
    if not mods:
        cur.i = start
        return None
    ref = _head(mods, det, every, count)
    ref = _relations(cur, stops, ref)
    return _spoken(_owned(ref, mods)).with_(said=cur.span(start))


def _spoken(ref: Ref) -> Ref:
    """ "the times button", "square root": a symbol said in words is also that symbol ('*' or '×', 'sqrt' or
    '√'), read after the words themselves, so a control that says the words still wins."""
    symbols = v.SPOKEN.get(ref.label.lower(), ()) if not ref.exact else ()
    last = ref.alternative
    for symbol in reversed(symbols):
        last = replace(ref, label=symbol, exact=True, alternative=last)
    return replace(ref, alternative=last) if symbols else ref


def _owned(ref: Ref, mods: list[Token]) -> Ref:
    """ "the quantity of Apples": a label with "of" inside it may also name a thing that belongs to another (the
    Quantity column's field in Apples' row), read second, so a control that says the whole label still wins."""
    if ref.alternative is not None or ref.relations or ref.exact or ref.ordinal or ref.every:
        return ref
    at = next((i for i, t in enumerate(mods) if t.is_word("of")), -1)
    owned = [t for t in mods[:at] if t.low not in v.DETERMINERS]
    owner = [t for t in mods[at + 1:] if t.low not in v.DETERMINERS]
    if at <= 0 or not owned or not owner or not ref.label:
        return ref
    return replace(ref, alternative=Ref(label=_join(owned), role=ref.role,
                                        relations=(Relation(kind="of", anchor=Ref(label=_join(owner))),)))


def _plural_role_at(cur: Cursor, k: int) -> bool:
    token = cur.peek(k)
    return token is not None and token.kind == "word" and v.singular(token.low)[1]


def _is_head_word(token: Token | None) -> bool:
    if token is None or token.kind != "word":
        return False
    word = v.singular(token.low)[0]
    return (word,) in v.ROLE_PHRASES or word in v.KIND_NOUNS


def _relation_at(cur: Cursor, mods: list[Token]) -> bool:
    return _relation(cur, mods) is not None


def _relation(cur: Cursor, mods: list[Token]) -> tuple[str, int] | None:
    """The relation starting at the cursor, as (kind, words it takes), if one fits here."""
    after_head = _is_head_word(mods[-1]) if mods else False
    if mods and _names_row(mods[-1]) and cur.at_word(*ROW_SAYS) and cur.peek(1) is not None \
            and cur.peek(1).kind != "sep":
        return "label", 1  # "the row with Desk lamp": the row one of its cells says it of
    if cur.at_word("for") and cur.at_word(*v.DETERMINERS, k=1) and _is_head_word(cur.peek(2)):
        return "of", 1  # "Reply for the user @bob": the Reply of that user's post
    found = cur.match(v.HEAD_RELATIONS) if after_head else None
    if found is None or cur.match(v.RELATIONS) and len(cur.match(v.RELATIONS)[0]) > len(found[0]):
        found = cur.match(v.RELATIONS)
    if found is None:
        return None
    phrase, kind = found
    nxt = cur.peek(len(phrase))
    if phrase == ("for",) and not after_head:
        return None
    if nxt is None or nxt.kind == "sep" or nxt.is_word(*JOINERS):
        return None
    if phrase == ("of",):
        if mods and _names_row(mods[-1]):
            return "label", 1  # "the row of 'Desk lamp'": the row a cell's words name, not a row inside it
        contained = cur.peek(len(phrase) + 1)
        if _determined(nxt) and (nxt.kind == "quote" or contained is not None and _is_container(contained)):
            return "in", 1
        return ("label", 1) if after_head else None  # "the list of cities": cities names the list
    if phrase[-1] in v.CONTAINED and kind == "in" and not _determined(nxt) and not _owner_at(cur, len(phrase)):
        return None
    if phrase in v.HEAD_RELATIONS and not after_head:
        return None
    return kind, len(phrase)


def _names_row(token: Token | None) -> bool:
    """ "row" (not "item": "the 3rd item of the list" is in the list)."""
    return token is not None and token.kind == "word" and v.singular(token.low)[0] == "row"


def _owner_at(cur: Cursor, k: int) -> bool:
    """ "on Desk lamp's row": a name said as an owner, then a head word, stands for a determiner."""
    for j in range(k, k + LONGEST_OWNER):
        token = cur.peek(j)
        if token is None or token.kind == "sep":
            return False
        if token.kind in ("word", "quote") and _possessive(token.text) and _is_head_word(cur.peek(j + 1)):
            return True
    return False


def _possessive(text: str) -> bool:
    return text.endswith(("'s", "’s")) and len(text) > 2


def _unowned(token: Token) -> Token:
    """A name said as an owner without its "'s" ("Desk lamp's row" is the row of Desk lamp)."""
    return replace(token, text=token.text[:-2]) if _possessive(token.text) else token


def _is_container(token: Token) -> bool:
    return token.kind == "word" and v.ROLE_PHRASES.get((v.singular(token.low)[0],)) in v.CONTAINERS


def _determined(token: Token) -> bool:
    if token.kind == "quote":
        return True
    word = v.singular(token.low)[0]
    return token.low in v.DETERMINERS or token.low in v.QUANTIFIERS or word in v.CONTAINERS


def _relations(cur: Cursor, stops: frozenset[str], ref: Ref) -> Ref:
    while True:
        found = _relation(cur, [cur.peek(-1)]) if cur.i and not boundary(cur, stops) else None
        if found is None:
            if cur.at_word(*ADVERBS) and boundary_after(cur, stops):
                cur.skip(1)
            return ref
        kind, n = found
        mark = cur.i
        cur.skip(n)
        if kind == "label":
            label, exact = _label_words(cur, stops)
            ref = _labelled(ref, label, exact)
            continue
        anchor = referring(cur, stops)
        if anchor is None:
            cur.i = mark
            return ref
        ref = _attach(ref, Relation(kind=kind, anchor=anchor))


def boundary_after(cur: Cursor, stops: frozenset[str]) -> bool:
    """Whether a phrase boundary follows the current token."""
    cur.skip(1)
    try:
        return boundary(cur, stops)
    finally:
        cur.skip(-1)


def _label_words(cur: Cursor, stops: frozenset[str]) -> tuple[str, bool]:
    taken: list[Token] = []
    while not boundary(cur, stops) and not (taken and _relation_at(cur, taken)):
        taken.append(cur.take())
    quotes = [t for t in taken if t.kind == "quote"]
    if len(quotes) == 1 and len(taken) == 1:
        return quotes[0].text, True
    return " ".join(t.text for t in taken if t.low not in v.DETERMINERS or t is not taken[0]), False


def _labelled(ref: Ref, label: str, exact: bool) -> Ref:
    label = " ".join(x for x in (ref.label, label) if x) if not exact else label
    return replace(ref, label=label, exact=exact or ref.exact, alternative=None)


def _attach(ref: Ref, rel: Relation) -> Ref:
    """Add a relation; a label said after a container anchor may belong to the outer thing instead."""
    joined = replace(ref, relations=ref.relations + (rel,))
    anchor = rel.anchor
    if ref.label or not anchor.label or anchor.role not in v.CONTAINERS or not LABEL_SAID_AFTER.search(anchor.said):
        return joined
    # "the button in the dialog box labeled X": X names the button (likelier) or the dialog
    bare = replace(anchor, label="", exact=False, alternative=None)
    return replace(ref, label=anchor.label, exact=anchor.exact, relations=ref.relations
                   + (Relation(kind=rel.kind, anchor=bare),), alternative=replace(joined, alternative=None))


def _head(mods: list[Token], det: bool, every: bool, count: int) -> Ref:
    """Split the modifiers into ordinal, label and head role (the last run of role words)."""
    ordinal, rest = _ordinals(mods)
    start, end, role = _head_run(rest)
    noun = ""
    kinds = [i for i, t in enumerate(rest) if t.kind == "word" and t.low in v.KIND_NOUNS and _names_one(rest, i)]
    if role is None and kinds and det:
        start = end = kinds[-1]
        end, noun = start + 1, rest[start].low
    if role is None and not noun:
        if ordinal and not det and not rest:  # "click First": a label that says it, or the first one
            return Ref(label=mods[0].text, alternative=Ref(ordinal=ordinal))
        if ordinal and rest:  # no head to count: "the first name" is a label
            return _bare(mods, 0, det, every, count)
        return _bare(rest, ordinal, det, every, count)
    before, after = rest[:start], rest[end:]
    if before and not after:
        before = before[:-1] + [_unowned(before[-1])]
    det = det or every
    plural = rest[end - 1].kind == "word" and v.singular(rest[end - 1].low)[1] and (det or not before) and not after
    ref = Ref(role=role or "", noun=noun, ordinal=ordinal, every=(every or plural) and not ordinal, count=count)
    if len(after) == 1 and NUMBER_RE.match(after[0].text) and not before and role:
        n = int(NUMBER_RE.match(after[0].text).group(1))  # "Tab #2": its label, else the second tab
        return replace(ref, label=_join(rest), alternative=replace(ref, ordinal=n))
    if len(after) == 2 and after[0].low in ("number", "no", "no.", "#") and after[1].text.isdigit():
        return replace(ref, ordinal=int(after[1].text))
    label_tokens = before + after
    ref = replace(ref, label=_join(label_tokens), exact=_all_quoted(label_tokens))
    if ref.exact and role == "widget" and _as_role(ref.label):
        return replace(ref, role=_as_role(ref.label), label="", exact=False, alternative=ref)  # a "radio" widget
    if before and not det and not ordinal and not ref.exact and (role in v.WEAK_ROLES or not after):
        return replace(ref, alternative=Ref(label=_join(rest), ordinal=0))  # "Show more options", "Rich Text"
    if not label_tokens and not det and not ordinal and not every and not plural:
        if rest[-1].text[:1].isupper():  # "hover over File": likelier the File menu than any file
            return Ref(label=_join(rest), alternative=ref)
        return replace(ref, alternative=Ref(label=_join(rest)))  # "click button": the role, or a label saying it
    return ref


def _names_one(rest: list[Token], i: int) -> bool:
    """A kind noun heads the phrase when it ends it or a name follows it ("the user @ada", not "the user name")."""
    if i == len(rest) - 1:
        return True
    nxt = rest[i + 1]
    return nxt.kind == "quote" or nxt.text[:1] in "@#" or nxt.text[:1].isupper() or nxt.text[:1].isdigit()


def _ordinals(mods: list[Token]) -> tuple[int, list[Token]]:
    for i, token in enumerate(mods):
        if token.kind != "word":
            continue
        n = v.ORDINAL_WORDS.get(token.low) or (int(ORDINAL_RE.match(token.low).group(1))
                                                if ORDINAL_RE.match(token.low) else 0)
        if not n:
            continue
        if n == 2 and i + 1 < len(mods) and mods[i + 1].low in ("last", "to"):  # "second last", "second to last"
            skip = 3 if mods[i + 1].low == "to" and i + 2 < len(mods) and mods[i + 2].low == "last" else 2
            return -2, mods[:i] + mods[i + skip:]
        return n, mods[:i] + mods[i + 1:]
    return 0, mods


def _head_run(rest: list[Token]) -> tuple[int, int, str | None]:
    """Where the head role phrase is in ``rest`` (start, end, role key), the last one said; role None if none."""
    for end in range(len(rest), 0, -1):
        for size in range(min(v.LONGEST_ROLE, end), 0, -1):
            words = rest[end - size:end]
            if any(t.kind != "word" for t in words):
                continue
            key = tuple(t.low for t in words[:-1]) + (v.singular(words[-1].low)[0],)
            if key in v.ROLE_PHRASES:
                start = end - size
                while start > 0 and rest[start - 1].kind == "word" and rest[start - 1].text in v.ROLE_MODIFIERS:
                    start -= 1
                return start, end, v.ROLE_PHRASES[key]
    return 0, 0, None


def _bare(rest: list[Token], ordinal: int, det: bool, every: bool, count: int) -> Ref:
    """No head noun: a label, an ordinal said alone ("the first"), or a number word with both readings."""
    if not rest:
        return Ref(ordinal=ordinal, every=every and not ordinal, count=count)
    label, exact = _join(rest), _all_quoted(rest)
    ref = Ref(label=label, exact=exact, ordinal=ordinal, every=every, count=count)
    if not exact and len(rest) == 1 and rest[0].low in v.NUMBER_WORDS and not ordinal:
        return replace(ref, alternative=Ref(ordinal=v.NUMBER_WORDS[rest[0].low]))  # "press Two"
    return ref


def _as_role(label: str) -> str:
    """The role a quoted word names before "widget" ("text": a text field, since static text is no widget)."""
    words = tuple(label.lower().split())
    if not words:
        return ""
    role = v.ROLE_PHRASES.get(words[:-1] + (v.singular(words[-1])[0],), "")
    return {"text": "text_field", "field": "text_field", "box": "text_field"}.get(role, role)


def _join(tokens: list[Token]) -> str:
    return " ".join(t.text for t in tokens)


def _all_quoted(tokens: list[Token]) -> bool:
    return bool(tokens) and all(t.kind == "quote" for t in tokens)
