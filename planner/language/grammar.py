"""The command grammar: clauses joined by commas, "and", "then", semicolons and full stops.

    command := clause ((, | ; | . | and | then)+ clause)*
    clause  := [for|in REF ,] VERB frame [twice | N times] [to PURPOSE]  |  frame   (gapped: the last verb's)

A clause without a verb inherits the verb before it and its frame ("type 'X' into A and 'Y' into B"); a sentence
that is only a label ("... Save.") is a click on it. "Find X and
..." and "For the user X, ..." make X the context of what follows in the sentence ("the trash icon" of that
email). A purpose that finds something ("Expand the sections, to find and click the link X") makes the main
clause the way to look for it; other purposes ("to delete it") only say why.
"""

from __future__ import annotations

import difflib
from dataclasses import replace

from grounding.refs import words as v
from grounding.refs.errors import LanguageError
from grounding.refs.grammar import JOINERS, Ref, Relation, boundary, referring
from grounding.refs.tokens import Cursor, tokenize
from planner.language import frames as fr
from planner.language import intents as it
from planner.language import manner, moves
from planner.language import verbs as vb
from planner.language.suggest import closest, nothing_to_type

FRAMES = {
    "click": fr.click, "double": fr.click, "right": fr.click, "middle": fr.click, "triple": fr.click,
    "press": fr.press, "goto": fr.goto, "back": fr.history, "forward": fr.history, "choose": fr.choose,
    "check": fr.toggle, "uncheck": fr.toggle, "type": fr.type_, "fill": fr.fill, "set": fr.set_, "drag": fr.drag,
    "focus": fr.single(it.Focus, "target"), "hover": fr.single(it.Hover, "target"),
    "clear": fr.single(it.Clear, "target"), "expand": moves.expand_all, "collapse": moves.expand_all,
    "scroll": moves.scroll, "wait": moves.wait, "close": moves.close, "search": moves.search, "copy": moves.copy,
    "paste": moves.paste, "submit": moves.submit, "find": moves.find, "read": moves.read, "use": moves.use,
    "explore": moves.explore,
    "act": fr.act,
}
GAPPABLE = frozenset({"click", "double", "right", "middle", "triple", "press", "choose", "check", "uncheck", "type",
                      "fill", "set", "drag", "focus", "hover", "clear", "expand", "collapse", "goto", "act"})
SCOPES = {"for": "of", "in": "in", "on": "in", "inside": "in", "within": "in"}
LATER = frozenset({"next", "now", "first", "finally", "lastly", "afterwards", "so"})


def parse(command: str) -> tuple[it.Intent, ...]:
    """Read a command into intents, or raise LanguageError naming the part that could not be read."""
    text = command.strip()
    if not text:
        raise LanguageError("the command is empty", example="click the Save button", open_ended=True)
    try:
        cur = Cursor(text, tokenize(text))
        intents = tuple(_command(cur))
        nothing_to_type(intents)
        return intents
    except LanguageError as exc:
        raise exc.within(text) from None


def _command(cur: Cursor) -> list:
    st = fr.State(cur=cur, clause=_verb_clause)
    out: list = []
    while True:
        sentence = _skip_joiners(cur)
        if sentence:
            st.scope = None
        if cur.at_end():
            break
        out += _clause(st, sentence == ".")
    if st.explore is not None:
        raise LanguageError("it says where to look but not what to find", part=st.explore_said,
                            example=f"{st.explore_said.strip()} to find and click the link 'Help'")
    return out


def _skip_joiners(cur: Cursor) -> str:
    """Skip what joins clauses; the full stop or semicolon that ended a sentence, if one did."""
    ended = ""
    while not cur.at_end():
        token = cur.peek()
        if token.kind == "sep":
            ended = ended or (token.text if token.text in ".;" else "")
            cur.skip(1)
        elif token.is_word(*JOINERS, "also", "please"):
            cur.skip(1)
        elif cur.at_phrase(("after", "that")):
            cur.skip(2)
        elif token.is_word(*LATER) and (cur.peek(1) is None or cur.peek(1).kind == "sep"
                                        or Cursor(cur.text, cur.tokens, cur.i + 1).match(vb.VERBS)):
            cur.skip(1)
        else:
            break
    return ended


def _clause(st: fr.State, sentence: bool = False) -> list:
    cur = st.cur
    if _scope_prefix(st):
        return []
    start, before = cur.i, (st.verb, st.phrase)
    if sentence and before[0] in GAPPABLE and before[0] != "click" and not cur.match(vb.VERBS):
        label = _label_sentence(st, start)
        if label is not None:
            return label
        cur.i, (st.verb, st.phrase) = start, before
    if cur.match(vb.VERBS) and before[0] in GAPPABLE and _label_like(cur):
        st.start = start
        try:  # "click Save, then Close": a capitalised word after a verb's list is likelier a label
            return _finish(st, FRAMES[st.verb](st), start)
        except LanguageError:
            cur.i = start
    if cur.match(vb.VERBS):
        try:
            return _verb_clause(st)
        except LanguageError as err:
            if before[0] not in GAPPABLE:
                raise
            cur.i, (st.verb, st.phrase), st.start = start, before, start  # "click A and Open": Open, a label
            try:
                return _finish(st, FRAMES[st.verb](st), start)
            except LanguageError:
                raise err from None
    if st.verb in GAPPABLE:
        st.start = start
        return _finish(st, FRAMES[st.verb](st), start)
    raise _unknown_verb(cur)


def _label_sentence(st: fr.State, start: int) -> list | None:
    """ "Uncheck Security alerts. Save.": a sentence that is only a label says to click it; None when the sentence
    reads as more than a label ("'y' into Email." is still "type 'y' into Email"), to be read gapped instead."""
    cur = st.cur
    st.verb, st.phrase, st.start = "click", (), start
    try:
        label = _finish(st, FRAMES["click"](st), start)
    except LanguageError:
        return None
    quoted = [t for t in cur.tokens[start:cur.i] if t.kind == "quote"]
    if len(label) == 1 and isinstance(label[0], it.Click) and not label[0].target.relations and (
            not quoted or cur.i - start == 1):
        return label
    return None


def _label_like(cur: Cursor) -> bool:
    token = cur.peek()
    before = cur.peek(-1)
    mid_sentence = before is not None and not (before.kind == "sep" and before.text in ".;")
    nxt = cur.peek(1)
    alone = nxt is None or nxt.kind == "sep" or nxt.is_word(*JOINERS)
    return mid_sentence and token.text[:1].isupper() and alone


def _verb_clause(st: fr.State) -> list:
    """One clause that starts with its verb."""
    cur = st.cur
    start = cur.i
    phrase, frame = cur.match(vb.VERBS)
    if frame == "ask" and not _asks_what_of(cur, len(phrase)):
        raise _unknown_verb(cur)  # "what is the weather": an open question, not about what a thing on screen shows
    frame = "read" if frame == "ask" else frame
    cur.skip(len(phrase))
    st.verb, st.phrase, st.start = frame, tuple(t.text for t in cur.tokens[start:cur.i]), start
    manner.on_the_keyboard(cur, frame)
    chord = manner.keys_said(cur, frame)
    if chord is not None:  # "save the file with ctrl+s": the keys are what to do, the rest says why
        return _finish(st, [it.Press(keys=chord)], start)
    return _finish(st, FRAMES[frame](st), start)


def _asks_what_of(cur: Cursor, after: int) -> bool:
    """ "what is the status of order 1003", "what's the Item for 1004": a question about what one thing of another
    shows (a cell of a table's row) says "of" or "for" before its clause ends."""
    for k in range(after, len(cur.tokens) - cur.i):
        token = cur.peek(k)
        if token is None or token.kind == "sep":
            return False
        if k > after and token.is_word("of", "for"):
            return True
    return False


def _scope_prefix(st: fr.State) -> bool:
    """ "For the user X," / "In the Settings dialog,": the context of the rest of the sentence."""
    cur = st.cur
    if not cur.at_word(*SCOPES):
        return False
    mark = cur.i
    kind = SCOPES[cur.take().low]
    ref = referring(cur)
    if ref is None or cur.peek() is None or cur.peek().kind != "sep" or cur.peek().text != ",":
        cur.i = mark
        return False
    st.scope, st.scope_kind = ref, kind
    return True


def _finish(st: fr.State, new: list, start: int) -> list:
    cur = st.cur
    times = moves.val.repeat(cur)
    if times > 1 and all(isinstance(i, it.Click) for i in new):
        new = new * times
    new = _purpose(st, new)
    _ended(st, start)
    new = _found_first(st, new)
    said = cur.span(start)
    new = [_scoped(st, replace(i, said=said)) for i in new]
    for intent in new:
        refs = it.targets(intent)
        if refs:
            st.last = refs[-1]
    return new


def _ended(st: fr.State, start: int) -> None:
    cur = st.cur
    if cur.at_end() or boundary(cur, frozenset()) and not cur.at_word(*v.CONDITIONS):
        return
    stop = next((j for j in range(cur.i, len(cur.tokens)) if cur.tokens[j].kind == "sep"), len(cur.tokens))
    part = cur.span(cur.i, stop)
    if cur.at_word(*v.CONDITIONS):
        raise LanguageError(f"a condition ({cur.peek().text!r} ...) is not a direct command", part=part,
                            example=cur.span(start), open_ended=True)
    fix = fr.EXAMPLES.get(st.verb, "").format(verb=" ".join(st.phrase), said=cur.span(start), rest="")
    raise LanguageError(f"the words after {cur.span(start)!r} do not fit after {' '.join(st.phrase)!r}",
                        part=part, example=" ".join(fix.split()))


def _purpose(st: fr.State, new: list) -> list:
    """ "..., to find and click X": the main clause becomes how to look for X; "to delete it" only says why."""
    cur = st.cur
    k = 1 if cur.peek() is not None and cur.peek().kind == "sep" and cur.peek().text == "," else 0
    if not cur.at_word("to", k=k):
        return new
    if not Cursor(cur.text, cur.tokens, cur.i + k + 1).match(vb.VERBS):
        if cur.at_word(*v.PURPOSE_VERBS, k=k + 1):
            cur.skip(k + 1)
            while not cur.at_end() and cur.peek().kind != "sep" and not _verb_after_joiner(cur):
                cur.skip(1)  # "to delete it": why, not what
        return new
    cur.skip(k + 1)
    saved = (st.verb, st.phrase, st.explore)
    goal = _verb_clause(st)
    st.verb, st.phrase = saved[0], saved[1]
    finds = [i for i in goal if isinstance(i, it.Find)]
    if not finds:
        return new
    ways = [t for i in new for t in it.targets(i)]
    explore = ways[0] if ways else st.explore
    if explore is not None:
        goal = [replace(i, explore=explore) if isinstance(i, it.Find) and i.explore is None else i for i in goal]
    st.explore = None if explore is st.explore else st.explore
    return goal


def _verb_after_joiner(cur: Cursor) -> bool:
    return cur.at_word(*JOINERS) and Cursor(cur.text, cur.tokens, cur.i + 1).match(vb.VERBS) is not None


def _found_first(st: fr.State, new: list) -> list:
    """A pending "navigate through the tree" is how to look for the next thing to find."""
    if st.explore is not None and any(isinstance(i, it.Find) for i in new):
        new = [replace(i, explore=st.explore) if isinstance(i, it.Find) and i.explore is None else i for i in new]
        st.explore = None
    return new


def _scoped(st: fr.State, intent: it.Intent) -> it.Intent:
    scope = st.scope
    if scope is None or isinstance(intent, it.Find) and intent.target is scope:
        return intent

    def within(ref: Ref) -> Ref:
        if ref is scope or ref == scope or any(r.anchor == scope for r in ref.relations):
            return ref
        return ref.with_(relations=ref.relations + (Relation(kind=st.scope_kind, anchor=scope),))
    return it.map_refs(intent, within)


def _unknown_verb(cur: Cursor) -> LanguageError:
    token = cur.peek()
    stop = next((j for j in range(cur.i, len(cur.tokens)) if cur.tokens[j].kind == "sep"), len(cur.tokens))
    part = cur.span(cur.i, stop)
    word = token.text if token.kind == "word" else token.text[:20]
    close = [w for w in vb.VERB_WORDS - vb.QUESTION_WORDS if difflib.SequenceMatcher(None, token.low, w).ratio() >= 0.8
             or len(w) > 3 and sorted(w) == sorted(token.low)]
    if close:
        close.sort(key=lambda w: -difflib.SequenceMatcher(None, token.low, w).ratio())
        rest = cur.span(cur.i + 1, stop)
        return LanguageError(f"{word!r} is not a verb I know", part=part, example=f"{close[0]} {rest}".strip(),
                             open_ended=True)
    meant = closest([word], cur.span(cur.i + 1, stop))
    return LanguageError("it does not start with a verb I know (click, type, select, check, press, scroll ...)",
                         part=part, example=meant or "click the Save button", open_ended=True)
