"""Parameters in recorded text: ``{name}`` placeholders, filled in with a replay's values."""

from __future__ import annotations

import re

PARAM_RE = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def render(text: str, values: dict[str, str]) -> str:
    """Fill ``{name}`` placeholders whose names are in ``values``; other braces are left as typed."""
    return PARAM_RE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
