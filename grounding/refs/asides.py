"""What a description says beside the thing it means: a parenthetical aside and a negated alternative.

A language model's description often carries both ("the text 'Canada' (the option in the open Country list),
not the checkbox"): they describe what is around or what is not meant, so their words must never become the
label or the role. `head(description)` keeps the rest; quoted labels ("Do not disturb") are left whole.
"""

from __future__ import annotations

import re

_QUOTED = re.compile(r"[\"“]([^\"“”]+)[\"”]|['‘]([^'‘’]+)['’]")  # each kind of quote closes its own kind
_ASIDE = re.compile(r"\([^()]*\)")
_NEGATED = re.compile(r"(?:^|[,;]|\bbut\b|\band\b)\s*(?:but\s+)?"
                      r"(?:not|never|rather than|instead of|other than)\b[^,;]*", re.I)


def head(description: str) -> str:
    """The description without its asides and negated alternatives; all of it when nothing else would be left."""
    if "(" not in description and not re.search(r"\b(not|never|rather|instead|other)\b", description, re.I):
        return description
    quotes: list[str] = []
    text = _QUOTED.sub(lambda m: quotes.append(m.group(0)) or f"\u0002{len(quotes) - 1}\u0002", description)
    for _ in range(3):  # nested parentheses, innermost first
        text = _ASIDE.sub(" ", text)
    text = _NEGATED.sub(" ", text)
    text = re.sub("\u0002(\\d+)\u0002", lambda m: quotes[int(m.group(1))], text).strip(" ,;")
    return text if text.strip() else re.sub(r"[()]", " ", description).strip()
