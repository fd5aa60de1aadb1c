"""One item of a repeated list: what "the Reply of @bob" may pick when posts, rows or cards repeat.

An item starts with the words that name it (a post's "@bob", an order's "#1042") and runs down to where the next
item starts: the next text of the same form placed where the anchor is in its item (the same column, or the
same word of a line that starts where the anchor's line starts). Plain words are alike too often to tell the
next item's name from a label under a heading ("Username" under "Login"), so only a name with a mark, a digit
or more than letters in it ('@', '#', '1042', 'bob@mail.org') starts items.
"""

from __future__ import annotations

import re

from grounding.elements import Element

TEXTUAL = frozenset({"text", "heading", "link"})


def form(text: str) -> str:
    """The shape of a name: letters as 'a' (capitals 'A'), digits as '9', marks as themselves, each run once
    ('@dolores' -> '@a', 'Order 1042' -> 'Aa 9')."""
    t = text.strip().strip(".,;:!?)(\"'")
    t = re.sub(r"[A-Z]", "A", re.sub(r"[a-z]", "a", re.sub(r"\d", "9", t)))
    return re.sub(r"(.)\1+", r"\1", t)


def marked(text: str) -> bool:
    """Whether a name's form says more than plain words do (a mark or a digit in it)."""
    return bool(re.search(r"[^Aa ]", form(text)))


def next_items(anchor: Element, elements: list[Element]) -> list[Element]:
    """The names of the items after ``anchor``'s in its list, top first (none unless its name is marked)."""
    if anchor.role not in TEXTUAL or not marked(anchor.name):
        return []
    shape, size = form(anchor.name), max(anchor.box.height, 10)
    out = [e for e in elements if e is not anchor and e.role in TEXTUAL and form(e.name) == shape
           and e.box.y0 >= anchor.box.y1 - size / 4 and _placed_alike(anchor, e, elements, size)]
    return sorted(out, key=lambda e: e.box.y0)


def in_item(el: Element, anchor: Element, later: list[Element]) -> bool:
    """Whether ``el`` lies in ``anchor``'s item: above the row where the next item's name is."""
    return not any(el.box.center[1] >= n.box.y0 - n.box.height / 4 for n in later)


def _placed_alike(anchor: Element, other: Element, elements: list[Element], size: float) -> bool:
    if abs(anchor.box.x0 - other.box.x0) < size:
        return True  # the same column
    if anchor.line < 0 or other.line < 0:
        return False
    a, b = _line(anchor, elements), _line(other, elements)
    return abs(a[0].box.x0 - b[0].box.x0) < size and _index(anchor, a) == _index(other, b)


def _line(el: Element, elements: list[Element]) -> list[Element]:
    return sorted((e for e in elements if e.line == el.line and e.role in TEXTUAL), key=lambda e: e.box.x0)


def _index(el: Element, line: list[Element]) -> int:
    return next((i for i, e in enumerate(line) if e is el or e.box == el.box), -1)
