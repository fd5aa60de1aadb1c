"""Verb frames for moving about: scroll, wait, close, search, copy and paste, submit, find, use ... to, explore."""

from __future__ import annotations

from grounding.refs.grammar import Ref, boundary, referring
from grounding.refs.tokens import Cursor
from planner.language import intents as it
from planner.language import values as val
from planner.language import verbs as vb
from planner.language.frames import DIRECTIONS, EDGES, INTO, PRONOUNS, State, _ref, _resolve_pronoun, items

AREA_WORDS = frozenset({"page", "screen", "window", "document"})
COPY_WRAPPERS = frozenset({"text", "contents", "content", "value", "everything", "words", "all"})
SHOWN = frozenset({"number", "value", "result", "answer", "total", "text", "contents", "content", "reading", "figure",
                   "digits", "sum"})  # what a thing shows, said of it: "the number on the display"


def scroll(st: State) -> list:
    cur = st.cur
    within = None
    if not cur.at_word(*DIRECTIONS, "to", "until", "by"):
        area = val.ref_before(cur, DIRECTIONS | {"to", "until"})
        within = None if area is None or area.label.lower() in AREA_WORDS or area.role == "page" else area
    if cur.at_word("to", "until") or cur.at_word(*DIRECTIONS) and cur.at_word("to", "until", k=1):
        direction = cur.take().low if cur.at_word(*DIRECTIONS) else ""
        cur.skip(1)
        return _scroll_to(st, within, direction)
    if not cur.at_word(*DIRECTIONS):
        raise st.fail("the direction to scroll (up, down, left or right) is missing")
    direction = cur.take().low
    if cur.at_word("by"):
        cur.skip(1)
    amount = 5
    token = cur.peek()
    if token is not None and token.text.isdigit():
        amount = int(cur.take().text)
        if cur.at_word("times", "lines", "line", "steps", "step", "clicks", "click", "notches", "pages", "page"):
            cur.skip(1)
    if within is None and (cur.at_word("in", "on", "inside", "within") or cur.at_word("the")):
        if cur.at_word("in", "on", "inside", "within"):
            cur.skip(1)
        within = _area(st, frozenset())
    return [it.Scroll(direction=direction, amount=amount, within=within)]


def _area(st: State, stops: frozenset[str]) -> Ref | None:
    ref = referring(st.cur, stops)
    if ref is None or ref.label.lower() in AREA_WORDS or ref.role == "page":
        return None
    return _resolve_pronoun(st, ref)


def _scroll_to(st: State, within: Ref | None, direction: str) -> list:
    cur = st.cur
    if cur.at_word("the") and cur.at_word(*EDGES, k=1) or cur.at_word(*EDGES):
        cur.skip(1 if cur.at_word("the") else 0)
        edge = EDGES[cur.take().low]
        if cur.at_word("of", "in"):
            cur.skip(1)
            within = _area(st, frozenset())
        return [it.ScrollToEdge(edge=edge, within=within)]
    for words in (("you", "can", "see"), ("you", "see"), ("i", "can", "see"), ("i", "see"), ("it", "shows")):
        if cur.at_phrase(words):
            cur.skip(len(words))
    target = _ref(st, what="what to scroll to")
    if cur.at_word("appears", "shows") or cur.at_phrase(("is", "visible")):
        cur.skip(2 if cur.at_word("is") else 1)
    return [it.Find(target=target)]


def wait(st: State) -> list:
    cur = st.cur
    if cur.at_word("for"):
        cur.skip(1)
    seconds = val.duration(cur)
    if seconds is not None:
        return [it.Wait(seconds=seconds)]
    if cur.at_word("until", "till"):
        cur.skip(1)
    elif cur.at_end() or boundary(cur, frozenset()):
        return [it.Wait(seconds=1.0)]
    target = val.ref_before(cur, frozenset({"to", "appears", "shows", "is", "loads"}))
    if target is None:
        raise st.fail("what to wait for is missing")
    for words in (("to", "appear"), ("to", "show", "up"), ("to", "load"), ("to", "be", "visible"), ("appears",),
                  ("shows", "up"), ("is", "visible"), ("loads",), ("is", "shown")):
        if cur.at_phrase(words):
            cur.skip(len(words))
            break
    return [it.WaitFor(target=target)]


def close(st: State) -> list:
    cur = st.cur
    target = None
    if not (cur.at_end() or boundary(cur, frozenset()) or cur.at_word("by")):
        target = _ref(st, frozenset({"by", "with", "using"}))
    if cur.at_word("by", "with", "using"):
        cur.skip(1)
        if cur.at_word("clicking", "pressing", "hitting", "tapping", "selecting", "choosing", "using"):
            cur.skip(1)
        if cur.at_word("on"):
            cur.skip(1)
        words, said_key, n = val.key_words(cur)
        chord = val.keys(words, said_key) if n else None
        if chord is not None and boundary(Cursor(cur.text, cur.tokens, cur.i + n), frozenset()) or \
                chord is not None and cur.i + n >= len(cur.tokens):
            cur.skip(n)
            return [it.Press(keys=chord)]
        return [it.Click(target=_ref(st, what="what to click to close it"))]
    return [it.Close(target=target)]


def search(st: State) -> list:
    cur = st.cur
    if cur.at_word("for"):
        cur.skip(1)
    found = val.text_value(cur, frozenset({"in", "on", "using", "with", "into"}))
    if found is None:
        raise st.fail("what to search for is missing")
    within = None
    if cur.at_word("in", "on", "using", "with", "into"):
        cur.skip(1)
        within = _ref(st, what="where to search")
    return [it.Search(query=found[0], within=within or st.instrument)]


def copy(st: State) -> list:
    cur = st.cur
    if cur.at_end() or boundary(cur, frozenset()):
        return [it.Copy()]
    k = 1 if cur.at_word("the", "all") else 0
    k += 1 if cur.at_word("the", k=k) else 0
    if cur.at_word(*COPY_WRAPPERS, k=k) and cur.at_word("in", "from", "of", "inside", k=k + 1):
        cur.skip(k + 2)
    return [it.Copy(source=_ref(st, what="what to copy"))]


def paste(st: State) -> list:
    cur = st.cur
    if cur.at_word(*PRONOUNS) or cur.at_phrase(("the", "text")):
        cur.skip(2 if cur.at_word("the") else 1)
    into = st.instrument
    if cur.at_word(*INTO):
        cur.skip(1)
        into = _ref(st, what="where to paste")
    return [it.Paste(into=into)]


def submit(st: State) -> list:
    cur = st.cur
    if cur.at_word(*PRONOUNS):
        cur.skip(1)
    elif cur.at_phrase(("the", "form")) or cur.at_phrase(("the", "page")):
        cur.skip(2)
    return [it.Submit()]


def find(st: State) -> list:
    cur = st.cur
    if cur.at_word("and") and Cursor(cur.text, cur.tokens, cur.i + 1).match(vb.VERBS):
        cur.skip(1)  # "find and click X": find what the next verb acts on, then act on it
        then = st.clause(st)
        refs = [t for i in then for t in it.targets(i)]
        if not refs:
            raise st.fail("what to find is missing")
        return [it.Find(target=refs[0]), *then]
    target = _ref(st, what="what to find")
    st.scope, st.scope_kind = target, "of"
    return [it.Find(target=target)]


def read(st: State) -> list:
    """ "read the number on the display": find what is said and report what it shows (the number, value or text
    in a thing is that thing's own reading)."""
    target = _ref(st, what="what to read")
    if target.relations and target.relations[0].kind == "in" and (target.label.lower() in SHOWN or (
            not target.label and target.role == "text")):
        target = target.relations[0].anchor.with_(said=target.said)
    return [it.Find(target=target, report=True)]


def use(st: State) -> list:
    cur = st.cur
    instrument = _ref(st, frozenset({"to"}), what="what to use")
    if not cur.at_word("to"):
        raise st.fail("what to do with it is missing")
    cur.skip(1)
    if instrument.label.lower() not in ("mouse", "keyboard"):
        st.instrument = instrument
    try:
        return st.clause(st)
    finally:
        st.instrument = None


def explore(st: State) -> list:
    cur = st.cur
    if cur.at_word("through", "between", "around"):
        cur.skip(1)
    start = cur.i
    st.explore = _ref(st, frozenset({"to"}), what="what to look through")
    st.explore_said = " ".join(st.phrase) + " " + cur.span(start)
    return []


def expand_all(st: State) -> list:
    return [it.Expand(target=r, open=st.verb == "expand") for r in items(st)]
