"""Which clicks ask first: a control whose name says an act that cannot be taken back, or that spends money.

The rule reads the control's name as a person reads a button: an imperative verb that destroys, ends or pays
("Delete account", "Yes, erase everything", "Pay now"); a common verb that is risky only with its object ("Close
account", "Cancel subscription", "Place order", "Empty trash", "Format disk"); a confirming verb with such an act
as its noun ("Confirm payment", "Complete purchase"); or leaving unsaved work ("Close without saving", "Don't
save"). Only those forms count: a folder named "Deleted items", a tab "Payments" or "Cancel" (a dialog's dismiss)
do not ask; a negated verb ("Don't delete") does not; nor a long text (a sentence describes, a control does).
Controls that only choose, focus or open (fields, checkboxes, options, rows, tabs, a menu) never ask: the act is
the button that follows.

A control with no name (a bare icon) is judged by the agent's own words for it instead (``said_risk``: "click the
trash icon to delete the draft"): any act of the same vocabulary in any of its forms, or an icon that shows one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from grounding.textmatch import ICON_GLYPHS

# verbs that say the act by themselves, with what the act does (said in the ruling: "'Delete account' deletes")
ACTS = {
    "delete": "deletes", "remove": "removes", "erase": "erases", "destroy": "destroys", "wipe": "wipes",
    "purge": "purges", "shred": "shreds", "discard": "discards", "uninstall": "uninstalls", "reset": "resets",
    "deactivate": "deactivates", "terminate": "terminates", "revoke": "revokes",
    "pay": "pays", "purchase": "purchases", "buy": "buys", "checkout": "checks out", "donate": "donates",
    "transfer": "transfers", "withdraw": "withdraws",
}
# common verbs that are risky only with one of these objects after them ("Close" alone shuts a window), and what
# the act does ({obj} is the object said)
OBJECT_ACTS = {
    "close": (("account",), "closes the account"),
    "cancel": (("subscription", "membership", "order", "plan", "account", "booking", "reservation", "payment"),
               "cancels the {obj}"),
    "end": (("subscription", "membership"), "ends the {obj}"),
    "place": (("order",), "places an order"),
    "order": (("now",), "places an order"),
    "send": (("money", "payment", "funds"), "sends {obj}"),
    "empty": (("trash", "bin", "wastebasket"), "empties the {obj}"),
    "format": (("disk", "drive", "partition", "volume", "card"), "formats the {obj}"),
}
# a confirming verb and, after it, the act as a noun: "Confirm payment", "Proceed to checkout"
CONFIRMS = ("confirm", "complete", "submit", "make", "proceed", "finalize", "finalise", "authorize", "authorise",
            "approve", "continue")
NOUNS = {"deletion": "deletes", "removal": "removes", "payment": "pays", "purchase": "purchases",
         "checkout": "checks out", "transfer": "transfers", "order": "places an order", "donation": "donates"}
NEGATIONS = ("don't", "dont", "do not", "not", "never")
UNSAVED = (("without", "saving"), ("don't", "save"), ("dont", "save"), ("do", "not", "save"))
# what an unnamed icon shows, in an agent's words for it ("the trash icon"), and the act it stands for
ICONS = {"trash": "deletes", "bin": "deletes", "wastebasket": "deletes", "garbage": "deletes"}
MAX_WORDS = 8  # a name longer than this is a sentence (a link's text, a label), not the name of an act
# roles whose click chooses, focuses, selects or opens, and so does nothing that cannot be taken back
NO_ACT_ROLES = frozenset(("text_field", "text_area", "checkbox", "radio", "dropdown", "list_box", "option", "slider",
                          "spin_box", "tab", "menu", "menu_bar_item", "tree_item", "cell", "heading", "window_title",
                          "tooltip", "dialog", "list", "group"))
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)?")


@dataclass(frozen=True)
class Risk:
    """What a control's name says it does: the words that say it, and the act in a few words."""

    words: tuple[str, ...]
    does: str


def words(text: str) -> list[str]:
    """The lower-case words of ``text`` (a curly apostrophe read as a straight one)."""
    return _WORD.findall(text.lower().replace("\u2019", "'"))


def risk(name: str, role: str = "") -> Risk | None:
    """The irreversible or costly act a click on the control ``name`` (of ``role``) takes, or None."""
    said = words(name)
    if not said or len(said) > MAX_WORDS or role in NO_ACT_ROLES:
        return None
    for i in range(len(said)):
        if _negated(said, i):
            continue
        found = _act_at(said, i)
        if found is not None:
            return found
    for phrase in UNSAVED:
        if _has(said, phrase):
            return Risk(phrase, "closes without saving, losing unsaved work")
    return None


def said_risk(text: str) -> Risk | None:
    """The irreversible or costly act an agent's own words about an unnamed control say it takes ("I'll click the
    trash icon to delete the draft"), or None: the vocabulary above in any form ("deleting"), not negated, at any
    length, or an icon that shows such an act."""
    said = [_stem(w) for w in words(text)]
    for i, word in enumerate(said):
        if _negated(said, i):
            continue
        found = _act_at(said, i) or (Risk((word,), ICONS[word]) if word in ICONS else None)
        if found is not None:
            return found
    return None


def icon_words(name: str) -> str:
    """What a name that is a glyph shows, in words ("🗑": "delete trash"); "" for a name with words."""
    glyph = name.strip()
    return "" if not glyph or words(glyph) else " ".join(sorted(k for k, g in ICON_GLYPHS.items() if glyph in g))


def quote(text: str, found: Risk, around: int = 4) -> str:
    """The few words of ``text`` around the first that says ``found``, as written, for a ruling to quote."""
    spans = [m.span() for m in _WORD.finditer(text.lower().replace("\u2019", "'"))]
    if not spans:
        return text
    at = next((i for i, (a, b) in enumerate(spans) if _stem(text[a:b].lower()) == found.words[0]), 0)
    first, last = spans[max(0, at - around)], spans[min(len(spans), at + around + 1) - 1]
    return ("..." if first[0] > 0 else "") + text[first[0]:last[1]] + ("..." if last[1] < len(text.rstrip(".")) else "")


def asked_for(found: Risk, command: str) -> bool:
    """Whether the person's own words ``command`` say the act: each of its words, in the same forms."""
    said = set(words(command))
    return all(w in said for w in found.words)


def _act_at(said: list[str], i: int) -> Risk | None:
    word, after = said[i], said[i + 1:]
    if word in ACTS:
        return Risk((word,), ACTS[word])
    objects, does = OBJECT_ACTS.get(word, ((), ""))
    obj = next((w for w in after[:3] if w in objects), None)  # "Close my account", "Cancel your subscription"
    if obj is not None:
        return Risk((word, obj), does.format(obj=obj))
    if word in CONFIRMS:
        noun = next((w for w in after[:3] if w in NOUNS), None)
        if noun is not None:
            return Risk((noun,), NOUNS[noun])  # the noun says the act: "click Confirm" alone did not
    return None


_VERBS = frozenset((*ACTS, *OBJECT_ACTS, *CONFIRMS))
_ENDINGS = (("ing", ""), ("ing", "e"), ("ed", ""), ("d", ""), ("es", ""), ("s", ""))


def _stem(word: str) -> str:
    """An act verb in the form an agent writes it in ("deleting", "deleted", "removes") as the verb; other words
    as they are."""
    if word in _VERBS:
        return word
    for ending, back in _ENDINGS:
        base = word[:-len(ending)] + back if word.endswith(ending) else ""
        if base in _VERBS:
            return base
        if base[-2:-1] == base[-1:] and base[:-1] in _VERBS:  # "cancelling"
            return base[:-1]
    return word


def _negated(said: list[str], i: int) -> bool:
    """Whether the word at ``i`` follows a negation ("Don't delete", "Do not remove")."""
    before = " ".join(said[max(0, i - 2):i])
    return any(before == n or before.endswith(" " + n) for n in NEGATIONS)


def _has(said: list[str], phrase: tuple[str, ...]) -> bool:
    n = len(phrase)
    return any(tuple(said[i:i + n]) == phrase for i in range(len(said) - n + 1))
