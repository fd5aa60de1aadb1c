"""Verb frames: what each verb reads after it ("type VALUE into REF", "select REF, REF and REF from REF", ...).

Each frame takes the parser state with the cursor just past its verb and returns the intents of one clause. A
frame may be entered again without its verb (gapping: "type 'X' into A and 'Y' into B").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from grounding.refs.errors import LanguageError
from grounding.refs.grammar import Ref, Relation, boundary, referring
from grounding.refs.tokens import Cursor
from planner.language import intents as it
from planner.language import values as val
from planner.language import verbs as vb

INTO = frozenset({"into", "in", "inside", "onto", "on", "to"})
FROM = frozenset({"from", "in", "on", "within", "inside", "of"})
PROGRAM = re.compile(r"[A-Za-z][\w.+-]*")  # a command's name: one word
PRONOUNS = frozenset({"it", "them", "that", "this", "those", "these", "one"})
NOTHING = frozenset({"nothing", "none", "neither"})
EDGES = {"bottom": "bottom", "top": "top", "end": "bottom", "beginning": "top", "start": "top", "left": "left",
         "right": "right"}
DIRECTIONS = frozenset({"up", "down", "left", "right"})
PLACES = {(*lead, "the", edge, *of): place for lead in (("at",), ("to",)) for of in ((), ("of",))
          for edge, place in (("end", "end"), ("bottom", "end"), ("beginning", "start"), ("start", "start"),
                              ("top", "start"))}
EXAMPLES = {  # the closest form shown when a clause cannot be read; {verb}, {said} and {rest} are its own words
    "click": "{verb} the Save button", "press": "press Enter", "double": "double-click report.pdf",
    "right": "right-click the file", "middle": "middle-click the link", "triple": "triple-click the line",
    "goto": "go to the Settings tab", "choose": "{verb} Blue {rest}", "check": "check Remember me",
    "uncheck": "uncheck Newsletter", "type": "{verb} 'hello' {rest}", "fill": "{said} with 'Bob'",
    "set": "{said} to 5", "drag": "{said} to the Trash", "focus": "focus the Name field",
    "hover": "hover over the Help menu", "scroll": "scroll down 3", "wait": "wait 2 seconds",
    "close": "close the dialog", "clear": "clear the Name field", "search": "search for 'cats'",
    "expand": "expand the Details section", "collapse": "collapse the Details section",
    "copy": "copy the text in the Notes box", "paste": "paste it into the Name field", "submit": "submit",
    "find": "find the Save button", "read": "read the display", "use": "{said} to select 5",
    "explore": "switch between the tabs to find and click the link 'Help'", "back": "go back", "forward": "go forward",
    "act": "{verb} the item",
}


@dataclass
class State:
    """What one command's clauses share: the cursor, the verb to gap, the context said so far."""

    cur: Cursor
    clause: Callable[[State], list]  # reads one clause with a verb (for "use X to ..." and purpose clauses)
    verb: str = ""
    phrase: tuple[str, ...] = ()
    last: Ref | None = None  # the latest target, for "it" and "them"
    scope: Ref | None = None  # "For the user X," / "Find X and ...": what later targets belong to
    scope_kind: str = "of"
    instrument: Ref | None = None  # "use the slider to ..."
    explore: Ref | None = None  # "navigate through the tree": opened while looking for what follows
    explore_said: str = ""
    start: int = 0  # where the clause being read starts

    def fail(self, reason: str, example: str = "") -> LanguageError:
        """An error naming the clause, with the closest form (the verb's example, in the clause's own words)."""
        cur = self.cur
        stop = next((j for j in range(cur.i, len(cur.tokens)) if cur.tokens[j].kind == "sep"), len(cur.tokens))
        words = {"verb": " ".join(self.phrase), "said": cur.span(self.start), "rest": cur.span(cur.i, stop)}
        fix = (example or EXAMPLES.get(self.verb, "")).format(**words)
        return LanguageError(reason, part=cur.span(self.start, stop), example=" ".join(fix.split()))


def _ref(st: State, stops: frozenset[str] = frozenset(), what: str = "what to act on") -> Ref:
    ref = referring(st.cur, stops)
    if ref is None:
        raise st.fail(f"{what} is missing after {' '.join(st.phrase)!r}")
    return _resolve_pronoun(st, ref)


def _resolve_pronoun(st: State, ref: Ref) -> Ref:
    if ref.label.lower() in PRONOUNS and not ref.role and not ref.exact and st.last is not None:
        return st.last
    return ref


def items(st: State, stops: frozenset[str] = frozenset()) -> list[Ref]:
    """A list of referring expressions: "A", "A and B", "A, B, and C" (a joiner before a verb ends it)."""
    cur = st.cur
    if cur.at_word("on", "at", "onto", "upon") and not boundary(Cursor(cur.text, cur.tokens, cur.i + 1), stops):
        cur.skip(1)  # "right click on the desktop"
    return _shared_head(_items(st, stops))


def _shared_head(refs: list[Ref]) -> list[Ref]:
    """ "the 2nd and 3rd checkboxes", "the boxes A and B": one head noun said once for every item."""
    if len(refs) < 2:
        return refs
    heads = [r for r in refs if r.role]
    bare = [r for r in refs if not r.role and not r.noun and not r.relations and not r.exact]
    if len(heads) != 1 or len(bare) != len(refs) - 1:
        return refs
    head = heads[0]
    if head is refs[-1] and head.ordinal and all(r.ordinal or r.alternative and r.alternative.ordinal for r in bare):
        return [replace(r.alternative if not r.ordinal else r, role=head.role, alternative=None) for r in bare] + [head]
    if head is refs[0] and head.label and not head.every:
        return [head] + [replace(r, role=head.role, alternative=None) for r in bare]
    return refs


def _items(st: State, stops: frozenset[str]) -> list[Ref]:
    out = [_ref(st, stops)]
    cur = st.cur
    while True:
        k = 0
        if cur.peek() is not None and cur.peek().kind == "sep" and cur.peek().text == ",":
            k = 1
        if cur.at_word("and", k=k) or cur.at_word("or", k=k):
            k += 1
        if not k or _clause_starts(cur, k):
            return out
        mark = cur.i
        cur.skip(k)
        ref = referring(cur, stops)
        if ref is None:
            cur.i = mark
            return out
        out.append(_resolve_pronoun(st, ref))


def _clause_starts(cur: Cursor, k: int) -> bool:
    token = cur.peek(k)
    if token is None or token.kind == "sep" or token.is_word("then", "to"):
        return True
    sub = Cursor(cur.text, cur.tokens, cur.i + k)
    while sub.at_word(*vb.CLAUSE_OPENERS):
        sub.skip(1)
    return sub.match(vb.VERBS) is not None or sub.at_word("for") and not sub.at_word("the", k=1)


def click(st: State) -> list:
    button, count = {"right": ("right", 1), "middle": ("middle", 1), "double": ("left", 2),
                     "triple": ("left", 3)}.get(st.verb, ("left", 1))
    opens = tuple(w.lower() for w in st.phrase) == ("open",)
    return [it.Click(target=r, button=button, count=count, app=_program(r) if opens else "") for r in items(st)]


def _program(ref: Ref) -> str:
    """The program a bare one-word name may start ("open featherpad"); "" for a described thing."""
    bare = not (ref.role or ref.noun or ref.relations or ref.ordinal or ref.every)
    return ref.label if bare and PROGRAM.fullmatch(ref.label) else ""


def act(st: State) -> list:
    """ "Checkout", "Remove Bread", "Add to cart": the control the verb names. With words after it, the control
    saying the whole phrase; else the one the verb names that belongs to what the words describe (the Remove
    button of Bread's row); the screen decides which."""
    cur = st.cur
    verb = " ".join(st.phrase)
    start = cur.i
    what = referring(cur)
    if what is None:
        return [it.Click(target=Ref(label=verb, said=verb))]
    said = f"{verb} {cur.span(start)}"
    owner = _resolve_pronoun(st, what)
    of = Ref(label=verb, relations=(Relation(kind="of", anchor=owner),), said=said)
    if owner is not what:  # "find Bob's email and delete it": the Delete of that email
        return [it.Click(target=of)]
    return [it.Click(target=Ref(label=said, said=said, alternative=of))]


def press(st: State) -> list:
    words, said_key, n = val.key_words(st.cur)
    chord = val.keys(words, said_key) if n and (st.cur.i + n >= len(st.cur.tokens) or boundary(
        Cursor(st.cur.text, st.cur.tokens, st.cur.i + n), frozenset()) or st.cur.at_word(
        "twice", "thrice", "once", k=n) or st.cur.at_word("times", k=n + 1)) else None
    if chord is None:
        return click(st)
    st.cur.skip(n)
    return [it.Press(keys=chord, times=val.repeat(st.cur))]


def goto(st: State) -> list:
    return [it.Click(target=_ref(st))]


def history(st: State) -> list:
    return [it.Press(keys=("alt", "left" if st.verb == "back" else "right"))]


def choose(st: State) -> list:
    cur = st.cur
    if cur.at_word("all") and (cur.at_end() or boundary(Cursor(cur.text, cur.tokens, cur.i + 1), frozenset())
                               or cur.at_phrase(("all", "the", "text"))):
        cur.skip(3 if cur.at_phrase(("all", "the", "text")) else 1)
        return [it.Press(keys=("ctrl", "a"))]  # "select all": everything in the focused place
    if cur.at_word(*NOTHING) or cur.at_word("no") and cur.peek(1) is not None:
        cur.skip(1 if not cur.at_word("no") else 2)
        return []
    start = cur.i
    options = items(st, FROM | {"with", "using", "as"})
    said = cur.span(start)
    if cur.at_word("with", "using", "as") or st.instrument is not None:
        target = st.instrument if not cur.at_word("with", "using", "as") else None
        if target is None:
            cur.skip(1)
            target = _ref(st, what="what to set")
        return [it.SetValue(target=target, value=_unquote(said))]
    within = None
    if cur.at_word(*FROM):
        cur.skip(1)
        within = _ref(st, what="the list to choose from")
    return [it.Choose(options=tuple(options), within=within)]


def _unquote(said: str) -> str:
    s = said.strip()
    return s[1:-1] if len(s) >= 2 and s[0] in "\"'“‘«" and s[-1] in "\"'”’»" else s


def toggle(st: State) -> list:
    on = st.verb == "check"
    refs = items(st, frozenset({"in", "within", "inside"}))
    if st.cur.at_word("in", "within", "inside"):
        st.cur.skip(1)
        area = _ref(st, what="where the boxes are")
        refs = [r.with_(relations=r.relations + (Relation(kind="in", anchor=area),)) for r in refs]
    return [it.SetToggle(target=r, on=on) for r in refs]


def type_(st: State) -> list:
    cur = st.cur
    if cur.at_end() or boundary(cur, frozenset()):
        if st.phrase == ("enter",):
            return [it.Press(keys=("enter",))]  # "... and enter": the key
        raise st.fail("the text to type is missing")
    texts = _values(st, INTO | {"as"})
    case = val.case_phrase(cur)
    if case:
        texts = [(t.upper() if case == "upper" else t.lower(), h) for t, h in texts]
    into, at = None, ""
    place = cur.match(PLACES)
    if place is not None:  # "at the end of the text": added there, not over what it holds
        cur.skip(len(place[0]))
        at = place[1]
        if place[0][-1] == "of":
            into = _ref(st, what="the field to type into")
    elif cur.at_word(*INTO, "as"):
        cur.skip(1)
        into = _ref(st, what="the field to type into")
    elif st.instrument is not None:
        into = st.instrument
    return [replace(i, at=at) for i in _distribute(st, texts, into)]


def _values(st: State, stops: frozenset[str]) -> list[tuple[str, str]]:
    """One text, or quoted texts joined by "and" and commas ("type 'a' and 'b' into the fields")."""
    found = val.text_value(st.cur, stops)
    if found is None:
        raise st.fail("the text to type is missing")
    out = [found]
    cur = st.cur
    while cur.peek(-1).kind == "quote":
        k = 1 if cur.peek() is not None and cur.peek().kind == "sep" and cur.peek().text == "," else 0
        k += 1 if cur.at_word("and", k=k) else 0
        token = cur.peek(k)
        if not k or token is None or token.kind != "quote":
            break
        cur.skip(k + 1)
        out.append((token.text, found[1]))
    return out


def _distribute(st: State, texts: list[tuple[str, str]], into: Ref | None) -> list:
    """One value per field: N values into "the text fields" go in reading order; one value into "both" goes twice."""
    if len(texts) == 1:
        text, hint = texts[0]
        return [it.TypeInto(text=text, into=into, hint=hint)]
    if into is None or not into.every:
        raise st.fail(f"{len(texts)} texts are said but one place to type them",
                      example=f"type '{texts[0][0]}' into the first field and '{texts[1][0]}' into the second"
                      .replace("{", "{{").replace("}", "}}"))
    return [it.TypeInto(text=t, into=into.with_(every=False, count=0, ordinal=i + 1), hint=h)
            for i, (t, h) in enumerate(texts)]


def fill(st: State) -> list:
    cur = st.cur
    mark = cur.i
    found = val.text_value(cur, frozenset({"as", "with"}))
    if found is not None and cur.at_word("as"):
        cur.skip(1)
        return [it.TypeInto(text=found[0], into=_ref(st, what="the field"), hint=found[1])]
    cur.i = mark
    target = val.ref_before(cur, frozenset({"with"}))
    if target is None or not cur.at_word("with"):
        cur.i = max(cur.i, mark)
        raise st.fail("the text to fill in is missing")
    cur.skip(1)
    texts = _values(st, frozenset())
    return _distribute(st, texts, _resolve_pronoun(st, target))


def set_(st: State) -> list:
    cur = st.cur
    target = val.ref_before(cur, frozenset({"to", "at", "as"}))
    if target is None or not cur.at_word("to", "at", "as"):
        raise st.fail("the value to set is missing")
    cur.skip(1)
    found = val.text_value(cur, frozenset())
    if found is None:
        raise st.fail("the value to set is missing")
    if found[0].lower() in ("on", "off", "checked", "unchecked"):
        return [it.SetToggle(target=target, on=found[0].lower() in ("on", "checked"))]
    return [it.SetValue(target=_resolve_pronoun(st, target), value=found[0])]


def drag(st: State) -> list:
    cur = st.cur
    to_words = frozenset({"to", "onto", "into", "over", "towards", "until"})
    if cur.at_word("the", k=0) and cur.at_word("mouse", "pointer", "cursor", k=1) or cur.at_word(*to_words):
        cur.skip(2 if cur.at_word("the") else 0)
        if cur.at_word(*to_words):
            cur.skip(1)
        return [it.Hover(target=_ref(st, what="where to move the pointer"))]
    source = val.ref_before(cur, to_words)
    if source is None or not cur.at_word(*to_words):
        raise st.fail("where to drag it is missing")
    cur.skip(1)
    mark = cur.i
    found = val.text_value(cur, frozenset())
    if found is not None and val.is_number(found[0]):
        return [it.SetValue(target=source, value=found[0])]
    cur.i = mark
    return [it.Drag(source=_resolve_pronoun(st, source), to=_ref(st, what="where to drag it"))]


def single(kind: type, field_name: str) -> Callable[[State], list]:
    """A frame whose verb takes one list of targets: hover, focus, clear, expand, collapse."""
    def frame(st: State) -> list:
        extra = {"open": st.verb == "expand"} if kind is it.Expand else {}
        return [kind(**{field_name: r}, **extra) for r in items(st)]
    return frame
