"""Fields the tree leaves nameless, named as a person reads them: by the short label drawn beside or above them.

A toolkit names a field by its label only where the program ties the two (GTK's mnemonic label, Qt's buddy, a
page's <label for>); where it does not (FeatherPad's replace dock, Qt's file dialog) the tree gives a nameless
field and, apart from it, a text line "Find:". As with a page's <label>, the line stays text and the field takes
its words, colon and all (what a tied label gives too). The label is a short line (ending in ":" or a few
words) just left of the field on its row, else right above it with the left edges aligned, nothing between
them; each label names one field, a label on the field's row before one above, and a line above names a field
with a placeholder only when it ends in ":". A field no label names is named by its placeholder (what it asks
for), which its record keeps, so the legend can say it is one.
"""

from __future__ import annotations

from typing import Any

LABELLED = ("text_field", "dropdown", "spin_box", "slider", "list_box")
MAX_WORDS = 4  # a caption without a colon: a few words; more is a sentence, a notice or an instruction
MAX_CHARS = 40
REACH = 8.0  # line heights from a label's right end to the field it names (a form's column of labels)
ABOVE = 1.0  # line heights between a caption set above a field and the field
SLACK = 2  # pixels a label's box may run into its field's


def name_fields(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``records`` with every nameless field of ``LABELLED`` named by its label, else by its placeholder."""
    fields = [i for i, r in enumerate(records) if r["role"] in LABELLED and not r["name"] and r.get("cell", -1) < 0]
    if not fields and not any(r.get("placeholder") for r in records):
        return records
    labels = [i for i, r in enumerate(records) if r["role"] == "text" and _caption_like(r["name"])]
    used = _tied(records, labels)
    labels = [t for t in labels if t not in used]
    pairs = []
    for f in fields:
        for t in labels:
            found = _beside(records[t]["box"], records[f]["box"]) or (
                _above(records[t]["box"], records[f]["box"]) if _over(records[t], records[f]) else None)
            if found is not None and not _between(records, t, f, found[0]):
                pairs.append((found, f, t))
    out = list(records)
    named: set[int] = set()
    for _, f, t in sorted(pairs):  # on the row before above, then the nearest
        if f not in named and t not in used:
            named.add(f)
            used.add(t)
            out[f] = {**out[f], "name": records[t]["name"]}
    for i, r in enumerate(out):
        if not r["name"] and r.get("placeholder"):
            out[i] = {**r, "name": r["placeholder"]}  # the legend says it is the placeholder
    return out


def _over(label: dict[str, Any], field: dict[str, Any]) -> bool:
    """Whether a line may name the field it is set above: one with a placeholder only when the line ends in a
    colon, a caption (as the pixels read it: "Name" over a field that asks "Search" may be a column's title)."""
    return not field.get("placeholder") or label["name"].endswith(":")


def _tied(records: list[dict[str, Any]], labels: list[int]) -> set[int]:
    """The labels that name a field already (the toolkit tied them): they name no other field."""
    said = {_plain(r["name"]): r["box"] for r in records if r["role"] in LABELLED and r["name"]}
    return {t for t in labels if (box := said.get(_plain(records[t]["name"]))) is not None
            and (_beside(records[t]["box"], box) or _above(records[t]["box"], box))}


def _plain(text: str) -> str:
    return " ".join(text.split()).rstrip(":").strip().casefold()


def _caption_like(text: str) -> bool:
    words = text.split()
    if not words or len(text) > MAX_CHARS or text.endswith((".", "!", "?")):
        return False
    return text.endswith(":") or len(words) <= MAX_WORDS


def _beside(label: list[int], box: list[int]) -> tuple[int, float] | None:
    """(0, gap) when ``label`` ends just left of ``box`` on its row (a tall box: its first row), else None."""
    h = max(1, label[3] - label[1])
    gap = box[0] - label[2]
    if not -SLACK <= gap <= REACH * h or label[0] >= box[0]:
        return None
    cy = (label[1] + label[3]) / 2
    if box[3] - box[1] > 2.5 * h:  # a list box: the label stands by its top row
        on_row = box[1] - h / 2 <= label[1] and cy <= box[1] + 1.5 * h
    else:
        on_row = abs(cy - (box[1] + box[3]) / 2) <= h / 2
    return (0, float(gap)) if on_row else None


def _above(label: list[int], box: list[int]) -> tuple[int, float] | None:
    """(1, gap) when ``label`` is right above ``box``, the left edges aligned, else None."""
    h = max(1, label[3] - label[1])
    gap = box[1] - label[3]
    if not -SLACK <= gap <= ABOVE * h or abs(label[0] - box[0]) > h or label[0] >= box[2]:
        return None
    return 1, float(gap)


def _between(records: list[dict[str, Any]], t: int, f: int, kind: int) -> bool:
    """Whether another record lies between label ``t`` and field ``f`` (beside: on the label's row; above: over
    the field's left part); a record around both (a panel, a dialog) is not between them."""
    lx0, ly0, lx1, ly1 = records[t]["box"]
    fx0, fy0, fx1, fy1 = records[f]["box"]
    for i, r in enumerate(records):
        if i in (t, f) or r["role"] == "inline":
            continue
        x0, y0, x1, y1 = r["box"]
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if kind == 0 and lx1 - SLACK < cx < fx0 + SLACK and y0 < ly1 and y1 > ly0 and x1 - x0 < fx0 - lx0:
            return True
        if kind == 1 and ly1 - SLACK < cy < fy0 + SLACK and x0 < max(lx1, fx0 + 1) and x1 > fx0 \
                and y1 - y0 < fy0 - ly0:
            return True
    return False
