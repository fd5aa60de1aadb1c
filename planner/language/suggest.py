"""The closest form to what was said, for a clause the grammar cannot read (planner/language/grammar.py): a verb
it does not know that means one it does ("launch featherpadd" -> "open featherpad", the program's name as it is
installed), a question about what something shows ("what does the display show?" -> "read the display"); and a
text to type that is empty, said in one sentence rather than failing when the typing starts."""

from __future__ import annotations

import difflib
import os
import re

from grounding.refs.errors import LanguageError
from planner.language import intents as it

MEANS = {  # verbs the grammar does not read (planner/language/verbs.py), by the verb it does that means the same
    "launch": "open", "run": "open", "execute": "open", "boot": "open", "spawn": "open", "show": "read",
    "display": "read", "say": "read", "give": "read", "quit": "close", "exit": "close", "kill": "close",
}
ARTICLES = ("the", "a", "an", "my", "this", "that")
QUESTIONS = ("what", "what's", "whats", "which", "how")
AUXILIARIES = ("does", "do", "did", "is", "are", "was", "were", "'s", "much", "many")
SHOWING = r"(?:show|shows|say|says|read|reads|display|displays|contain|contains|hold|holds|have|has)"


def closest(words: list[str], rest: str) -> str:
    """The command the first word and ``rest`` (the clause after it) most likely mean, or "" where none."""
    first = words[0].lower() if words else ""
    if first in QUESTIONS:
        thing = _asked_about(rest)
        return f"read {thing}" if thing else ""
    verb = MEANS.get(first)
    if verb is None:
        return ""
    if verb == "open" and rest:
        name, _, more = rest.partition(" ")
        return " ".join(filter(None, ("open", installed(name), more)))
    return f"{verb} {rest}".strip()


def _asked_about(rest: str) -> str:
    """ "does the display show?" -> "the display"; "'s on the display" -> "the display"."""
    words = rest.rstrip(" ?.!").split()
    while words and words[0].lower() in (*AUXILIARIES, "shown", "displayed", "written", "on", "in", "at"):
        words = words[1:]
    later = next((i for i, w in enumerate(words) if i and w.lower() in AUXILIARIES), len(words))
    words = words[:later]  # "which option is selected": what is asked about ends where its verb starts
    if len(words) > 1 and re.fullmatch(SHOWING, words[-1].lower()) and words[-2].lower() not in ARTICLES:
        words = words[:-1]  # the question's own verb: "show" in "does the display show"
    thing = " ".join(words)
    if thing and thing.split()[0].lower() not in ARTICLES:
        thing = f"the {thing}"
    return thing


def installed(name: str) -> str:
    """``name`` as a program on PATH spells it where one is close ("featherpadd" -> "featherpad"), else as said."""
    if not name or os.path.sep in name:
        return name
    programs = set()
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        try:
            programs.update(os.listdir(folder))
        except OSError:
            continue
    if name.lower() in programs:
        return name
    close = difflib.get_close_matches(name.lower(), sorted(programs), n=1, cutoff=0.85)
    return close[0] if close else name


def nothing_to_type(intents: tuple) -> None:
    """LanguageError where a clause types an empty text ("type '' into the search box"): nothing would be typed."""
    for intent in intents:
        if isinstance(intent, it.TypeInto) and not intent.text.strip():
            into = intent.into.said if intent.into is not None and intent.into.said else "the field"
            raise LanguageError("the text to type is empty", part=intent.said,
                                example=f"clear {into}" if intent.into is not None else "type 'hello'")
