"""Wrapped text runs split into the lines a person sees, through AT-SPI's Text interface.

A paragraph that wraps is one node with one box around all its lines; the screen model wants lines. A run is
multi-line when its box is much taller than its first character; then its lines are read with
GetStringAtOffset(LINE) and GetRangeExtents, every run's next line in the same pipelined batch.
"""

from __future__ import annotations

from grounding.a11y_tree import TEXT, TreeRead, as_typed
from grounding.atspi_wire import Call, Failed, Wire

RUNS = ("static", "label", "paragraph", "caption", "description value", "description term", "heading", "text")
LINE = 3  # AtspiTextGranularity LINE
MAX_LINES = 60


def split_lines(wire: Wire, read: TreeRead) -> None:
    """Set ``lines`` on every text run that wraps onto several lines (left alone when the toolkit cannot say)."""
    runs = [n for n in read.nodes if n.role in RUNS and n.box and n.name and "editable" not in n.states
            and n.box[3] - n.box[1] > 24]
    firsts = wire.many([Call(n.bus, n.path, TEXT, "GetCharacterExtents", "iu", (0, 0)) for n in runs])
    read.calls += len(runs)
    tall = [n for n, ext in zip(runs, firsts, strict=True)
            if isinstance(ext, tuple) and len(ext) == 4 and 0 < ext[3] and n.box[3] - n.box[1] > 1.6 * ext[3]]
    offsets = {id(n): 0 for n in tall}
    lines: dict[int, list[tuple[str, tuple[int, int, int, int]]]] = {id(n): [] for n in tall}
    todo = list(tall)
    for _ in range(MAX_LINES):
        if not todo:
            break
        replies = wire.many([Call(n.bus, n.path, TEXT, "GetStringAtOffset", "iu", (offsets[id(n)], LINE))
                             for n in todo])
        spans = []
        for n, r in zip(todo, replies, strict=True):
            if isinstance(r, Failed) or not isinstance(r, tuple) or len(r) != 3 or r[2] <= offsets[id(n)]:
                continue
            spans.append((n, r[0], r[1], r[2]))
        boxes = wire.many([Call(n.bus, n.path, TEXT, "GetRangeExtents", "iiu", (s, e, 0)) for n, _, s, e in spans])
        read.calls += len(todo) + len(spans)
        todo = []
        for (n, text, _, end), box in zip(spans, boxes, strict=True):
            if isinstance(box, tuple) and len(box) == 4 and box[2] > 0 and box[3] > 0 and text.strip():
                lines[id(n)].append((as_typed(text).strip(), (box[0], box[1], box[0] + box[2], box[1] + box[3])))
            offsets[id(n)] = end
            todo.append(n)
    for n in tall:
        if len(lines[id(n)]) > 1:
            n.lines = lines[id(n)]
