"""Bordered grids: the cells of a table, a spreadsheet, a calendar or a tree view with grid lines.

Each cell of a bordered grid traces as a closed box, so on its own it would pass for a button, a field or, stacked
in a column, a list box. What tells it apart is the geometry, not the words: cells tile, each sharing its side with
the next (one ruled line between them, or each cell's own border a few pixels from the next), the cells of a row
of one height, the cells of a column of one width, two rows or more of two cells or more, their lines meeting at
right angles (a keypad's keys, as closely packed, are rounded). A cell's words are text; a control inside a cell
(an Edit button, an input) has an outline of its own inside the cell's border.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grounding.elements import NAMED_FROM_OUTSIDE, Box, Element, reading_order
from grounding.proposals import Proposal

SIDE_SLACK = 2.5  # px: the traced sides of two cells of a row (a column) differ by a pixel or two
MIN_HEIGHT = 1.5  # of the glyph height: a cell holds a line of text and its padding; smaller boxes are toggles
MIN_ROWS = 2
LINE_CONTRAST = 24  # grey levels between a border line and the face it frames
MIN_COLUMNS = 2


@dataclass(frozen=True)
class Grid:
    """One bordered grid: its box and its cells (where its rows and columns cross, and any across several)."""

    box: Box
    cells: tuple[Box, ...]
    sides: np.ndarray = field(init=False, repr=False, compare=False)  # the cells' x0, y0, x1, y1, one row each

    def __post_init__(self) -> None:
        object.__setattr__(self, "sides", np.array([(c.x0, c.y0, c.x1, c.y1) for c in self.cells], float))

    def cell_of(self, box: Box, slack: float = 2.0) -> Box | None:
        """The first cell holding ``box``, if any."""
        hit = np.flatnonzero(self._holding(box, slack))
        return self.cells[int(hit[0])] if hit.size else None

    def cell_at(self, x: float, y: float) -> Box | None:
        """The first cell holding the point, if any."""
        return self.cell_of(Box(x, y, x, y), slack=0.0)

    def held_by(self, box: Box, slack: float) -> int:
        """How many cells lie inside ``box``."""
        c = self.sides
        return int(((c[:, 0] >= box.x0 - slack) & (c[:, 1] >= box.y0 - slack) & (c[:, 2] <= box.x1 + slack)
                    & (c[:, 3] <= box.y1 + slack)).sum())

    def crossed_by(self, box: Box) -> int:
        """How many cells ``box`` overlaps."""
        c = self.sides
        return int(((np.minimum(c[:, 2], box.x1) > np.maximum(c[:, 0], box.x0))
                    & (np.minimum(c[:, 3], box.y1) > np.maximum(c[:, 1], box.y0))).sum())

    def _holding(self, box: Box, slack: float) -> np.ndarray:
        c = self.sides
        return ((box.x0 >= c[:, 0] - slack) & (box.y0 >= c[:, 1] - slack) & (box.x1 <= c[:, 2] + slack)
                & (box.y1 <= c[:, 3] + slack))


def find_grids(outlines: list[Proposal], text_height: float, gray: np.ndarray) -> tuple[list[Proposal], list[Grid]]:
    """``outlines`` (traced on ``gray``) without the cells of bordered grids and the frames that only gather them
    (see of_the_grid), and the grids."""
    cands = [p for p in outlines if p.drawn and p.shape != "circle" and p.box.height >= MIN_HEIGHT * text_height
             and _square_cornered(gray, p)]
    grids = [_grid(_lattice([cands[i].box for i in group])) for group in _tiled(cands, text_height)]
    if not grids:
        return outlines, []
    return [p for p in outlines if not of_the_grid(p.box, grids)], grids


def _grid(cells: list[Box]) -> Grid:
    box = cells[0]
    for c in cells[1:]:
        box = box.union(c)
    return Grid(box, tuple(cells))


def _lattice(cells: list[Box]) -> list[Box]:
    """A grid's cells where its rows and columns cross: every row's band across every column's (a cell whose
    outline did not close, where a button drawn close to its line joins it, is there too), each side where most
    of its row's or column's cells put it (one cell traces at the outer edge of its line, the next at the inner);
    a cell across several columns or rows stays as it was traced."""
    rows = _spans([(c.y0, c.y1) for c in cells])
    columns = _spans([(c.x0, c.x1) for c in cells])
    crossed = [Box(x0, y0, x1, y1) for y0, y1 in rows for x0, x1 in columns]
    sides = np.array([(b.x0, b.y0, b.x1, b.y1) for b in crossed], float)
    return crossed + [c for c in cells  # the traced cells that are no crossing's second trace
                      if not (np.abs(sides - (c.x0, c.y0, c.x1, c.y1)) <= SIDE_SLACK).all(axis=1).any()]


def _spans(pairs: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The distinct (start, end) pairs of a grid's rows or columns: pairs within a pixel or two of each other are
    one, at their median; a pair holding two others is a cell across them, no row or column of its own."""
    groups: list[list[tuple[float, float]]] = []
    for a, b in sorted(pairs):
        group = next((g for g in groups if abs(a - g[0][0]) <= SIDE_SLACK and abs(b - g[0][1]) <= SIDE_SLACK), None)
        if group is None:
            groups.append([(a, b)])
        else:
            group.append((a, b))
    spans = [(float(np.median([a for a, _ in g])), float(np.median([b for _, b in g]))) for g in groups]
    return [(a, b) for a, b in spans
            if sum(a - SIDE_SLACK <= x and y <= b + SIDE_SLACK for x, y in spans) < 3]  # itself and one more at most


def _square_cornered(gray: np.ndarray, p: Proposal) -> bool:
    """Whether a box's border meets at right angles (a grid's lines cross; a button's corners are rounded): at its
    top left and bottom right corners the pixel where the border's two sides meet is as dark as they are."""
    h, w = gray.shape
    x0, y0, x1, y1 = (int(v) for v in p.box.to_list())
    cx, cy = (x0 + x1) // 2, (y0 + y1) // 2
    for x, y in ((x0, y0), (x1 - 1, y1 - 1)):
        left, up = max(0, x - 3), max(0, y - 3)
        side = _line_at(gray[cy, left:min(w, x + 4)], p.fill, x - left)
        top = _line_at(gray[up:min(h, y + 4), cx], p.fill, y - up)
        if side is None or top is None:
            return False
        lx, ly = left + side, up + top
        if abs(int(gray[ly, lx]) - int(gray[cy, lx])) > LINE_CONTRAST // 2:
            return False
    return True


def _line_at(profile: np.ndarray, fill: float, edge: int) -> int | None:
    """The index of the border line in a short run of pixels across a box's side: the pixel standing apart from the
    box's face nearest to the traced ``edge`` (another line a few pixels off is a neighbour's), else None."""
    apart = np.flatnonzero(np.abs(profile.astype(np.int16) - fill) >= LINE_CONTRAST)
    if not apart.size:
        return None
    return int(apart[np.argmin(np.abs(apart - edge))])


def of_the_grid(box: Box, grids: list[Grid]) -> bool:
    """Whether a box traced inside a grid is its cells' own lines: a cell, a cell traced again, a row's, a
    column's or the grid's frame, a box across a line between cells, or the room a cell's lines close off beside
    a control in it; not a control's own outline, which lies within one cell, inside its border."""
    grid = next((g for g in grids if g.box.contains(box, slack=3)), None)
    if grid is None:
        return False
    held = grid.held_by(box, slack=3)
    if held:
        return held >= 2 or grid.cell_of(box, slack=3) is not None
    home = grid.cell_of(box, slack=3)
    if home is None:
        return grid.crossed_by(box) >= 2
    return sum(abs(a - b) <= SIDE_SLACK for a, b in zip(box.to_list(), home.to_list())) >= 3  # three sides its lines


def _tiled(cands: list[Proposal], text_height: float) -> list[list[int]]:
    """Groups of outlines (indices into ``cands``) that tile into two rows or more of two cells or more."""
    if len(cands) < MIN_ROWS * MIN_COLUMNS:
        return []
    b = np.array([(p.box.x0, p.box.y0, p.box.x1, p.box.y1) for p in cands], float)
    x0, y0, x1, y1 = (b[:, i] for i in range(4))
    gap = max(6.0, 0.5 * text_height)  # one ruled line, or two a few pixels apart (cells spaced apart)

    def near(a: np.ndarray) -> np.ndarray:
        return np.abs(a[:, None] - a[None, :]) <= SIDE_SLACK

    def follows(end: np.ndarray, start: np.ndarray) -> np.ndarray:
        d = start[None, :] - end[:, None]
        return (d >= -SIDE_SLACK) & (d <= gap)

    beside = near(y0) & near(y1) & follows(x1, x0)  # [i, j]: j is the next cell right of i
    below = near(x0) & near(x1) & follows(y1, y0)  # [i, j]: j is the next cell under i
    np.fill_diagonal(beside, False)
    np.fill_diagonal(below, False)
    parent = list(range(len(cands)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in zip(*np.nonzero(beside | below)):
        parent[root(int(i))] = root(int(j))
    groups: dict[int, list[int]] = {}
    for i in range(len(cands)):
        groups.setdefault(root(i), []).append(i)
    return [g for g in groups.values() if _rows_of_cells(g, beside, y0)]


def _rows_of_cells(group: list[int], beside: np.ndarray, tops: np.ndarray) -> bool:
    """Whether a group holds two rows or more (apart by their tops), each of two cells or more side by side."""
    members = np.array(group)
    paired = beside[np.ix_(members, members)]
    starts = np.sort(tops[members[paired.any(axis=1)]])  # the cells with a neighbour to their right
    return starts.size >= MIN_ROWS * (MIN_COLUMNS - 1) and bool((np.diff(starts) > SIDE_SLACK).sum() >= MIN_ROWS - 1)


def lines_by_cell(words: list[Element], grids: list[Grid]) -> list[Element]:
    """``words`` with the words of each cell on a line of their own: OCR reads a table's row as one line, and a
    person reads its cells apart."""
    if not grids:
        return words
    fresh = max((w.line for w in words), default=0) + 1
    given: dict[tuple[int, Box], int] = {}
    out = []
    for w in words:
        x, y = w.box.center
        cell = next((c for g in grids if g.box.contains_point(x, y) for c in [g.cell_at(x, y)] if c), None)
        if cell is None:
            out.append(w)
            continue
        if (w.line, cell) not in given:
            given[(w.line, cell)] = fresh
            fresh += 1
        out.append(w.with_(line=given[(w.line, cell)]))
    return out


def in_cells(elements: list[Element], grids: list[Grid], words: list[Element]) -> list[Element]:
    """``elements`` as a grid holds them: what a later pass made of a cell or of the grid's lines (a list row of
    its first column, a picture of a cell) is the cell's text again, or nothing when it says nothing, and each field,
    box or toggle inside a cell is named by the words of its own cell (a caption beside it there), else by its
    column's caption (the words of the column's top cell), never by the cell before it, whose words are the row's
    data, not a label."""
    if not grids:
        return elements
    out = []
    read = [e for e in elements if e.role == "text"]
    for c in elements:
        if (c.is_control or c.role == "image") and of_the_grid(c.box, grids):
            if c.name and not any(t.name == c.name and c.box.contains(t.box, slack=2) for t in read):
                out.append(Element(c.box, "text", name=c.name, line=c.line, source="ocr"))
            continue
        grid = next((g for g in grids if g.cell_of(c.box)), None)
        if grid is None or c.role not in NAMED_FROM_OUTSIDE:
            out.append(c)
            continue
        cell = grid.cell_of(c.box)
        assert cell is not None
        own = [w for w in words if cell.contains_point(*w.box.center) and not c.box.contains_point(*w.box.center)]
        name = _said(own) or _said(_column_caption(cell, grid, words))
        out.append(c if name == c.name else c.with_(name=name))
    return out


def _column_caption(cell: Box, grid: Grid, words: list[Element]) -> list[Element]:
    """The words of the top cell of ``cell``'s column in its grid (none when ``cell`` is that top cell)."""
    middle = cell.center[0]
    top = min((b for b in grid.cells if b.x0 <= middle < b.x1), key=lambda b: b.y0)
    return [] if top == cell else [w for w in words if top.contains_point(*w.box.center)]


def _said(words: list[Element]) -> str:
    return " ".join(w.name for w in reading_order(words)).strip()
