"""One rule for secrets: typed text is secret when its field is a password field, or the field's label says so,
or the task marks it. The direct interpreter, the planner's worker, the recorder and replay all ask here, and
everything written or shown after the text is known (trajectories, events, prompts, output) is masked with ``mask``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

MASK = "•" * 8
# "password" and its kin also count inside a run of letters (OCR may glue "EnterPassword"); "pin" and "secret"
# only as words, since they occur inside ordinary ones (spinner, secretary)
_WORDS = re.compile(r"pass\s?(?:word|wort|code|phrase)|\bpins?\b|\bsecrets?\b|\bpwd\b", re.IGNORECASE)
_QUOTED = r"\"([^\"]+)\"|'([^']+)'|“([^”]+)”"
_MARKED = re.compile(r"(?:pass\s?(?:word|wort|code|phrase)|\bpin|\bsecret)s?\b\s*(?:(?:is|of|=|:)\s*)?"
                     rf"(?:{_QUOTED})|(?:pass\s?(?:word|wort|code|phrase)|\bpin|\bsecret)s?\s*(?:is|=|:)\s*([^\s,;]+)",
                     re.IGNORECASE)


def names_a_secret(text: str) -> bool:
    """Whether a label, a name or a clause speaks of a password (password, passcode, PIN, passphrase, secret)."""
    return bool(_WORDS.search(text or ""))


def field_is_secret(element: Any) -> bool:
    """A field is for a secret when the screen model says it is a password field or its name or label says so."""
    if element is None:
        return False
    states = getattr(element, "states", None) or ()
    if "password" in states or getattr(element, "state", "") == "password":
        return True
    return any(names_a_secret(getattr(element, name, "") or "") for name in ("name", "label"))


def marked_secrets(task: str) -> set[str]:
    """Values the task itself marks as secret: quoted text after a secret word (``password "hunter2"``,
    ``PIN: '0000'``), or a word after ``is``, ``:`` or ``=`` (``the password is hunter2``)."""
    found = set()
    for m in _MARKED.finditer(task or ""):
        value = next((g for g in m.groups() if g), "")
        if value.strip():
            found.add(value)
    return found


def typed_is_secret(*, field: Any = None, label: str = "", clause: str = "", text: str = "",
                    marked: Iterable[str] = ()) -> bool:
    """The rule: the target field is a password field, or its label says so, or the task marks the text (the
    clause that types it speaks of a password, or the text is one of the task's marked values)."""
    return (field_is_secret(field) or names_a_secret(label) or names_a_secret(clause)
            or any(m and m in text for m in marked))


def mask(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret replaced by a fixed-width mask (longest first, so no piece of one survives)."""
    for secret in sorted((s for s in secrets if s), key=len, reverse=True):
        text = text.replace(secret, MASK)
    return text


def mask_data(data: Any, secrets: Iterable[str]) -> Any:
    """A copy of a JSON-like value (dicts, lists, strings) with every secret masked in every string."""
    secrets = [s for s in secrets if s]
    if not secrets:
        return data
    if isinstance(data, str):
        return mask(data, secrets)
    if isinstance(data, dict):
        return {k: mask_data(v, secrets) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return type(data)(mask_data(v, secrets) for v in data)
    return data
