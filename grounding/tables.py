"""Tables found on a parsed Screen: a web <table>, an ARIA grid, a GTK tree view or a Qt table, read from the
pixels or the accessibility tree alike, by how its elements stand.

The evidence is the layout, not the words: three or more bands of elements one above the other, each band two or
more side by side, whose left or right edges line up band to band (columns), at an even pitch, two or more of the
columns saying something in every data row (a keypad of buttons, a form's labels and fields, are no table). A top
band of short captions with no number among them (text, or the buttons that sort a GTK or Qt column) is the header
that names the columns. The text or heading just above names the table. An element spanning several of its band's
(a row's whole name as the tree gives it) is no cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from grounding.elements import Box, Element, Screen
from grounding.refs.matches import overlap

MIN_ROWS = 2  # data rows: with fewer, nothing is told apart by its row
PITCH_TOLERANCE = 0.4  # of the previous pitch: an even run of rows
CELL_ROLES = ("text", "cell", "link")  # what a data row shows, besides the controls it offers
DATA_COLUMNS = 2  # columns with a cell that says something in every row: a grid of controls is no table
LEFT_OUT = ("window_title", "dialog", "menu", "list", "group", "tooltip", "heading", "text_area", "list_box")
HEADER_WORDS = 4  # a column's caption is a few words
HEADER_ROLES = ("text", "button", "menu_bar_item")
CELL_GAP = 0.8  # of a line's height: items closer than this side by side are one cell


@dataclass(frozen=True)
class Table:
    """A table's name (the caption above it, if any), its column names ('' where a column has none), and its
    data rows, each a tuple of cells (one per column, each the elements in it, left to right)."""

    name: str
    columns: tuple[str, ...]
    rows: tuple[tuple[tuple[Element, ...], ...], ...]
    header: tuple[tuple[Element, ...], ...] = ()  # each column's caption, as elements (a button, where sorting)
    spans: frozenset[int] = frozenset()  # elements across several cells (a row's name as the tree gives it)

    @property
    def members(self) -> frozenset[int]:
        """The ids of every element the table shows (its header's too, and what spans its cells)."""
        cells = frozenset(e.id for row in self.rows for cell in row for e in cell)
        return frozenset(e.id for cell in self.header for e in cell) | cells | self.spans

    def row_box(self, index: int) -> Box:
        """The band of a data row: the union of its cells."""
        boxes = [e.box for cell in self.rows[index] for e in cell]
        out = boxes[0]
        for b in boxes[1:]:
            out = out.union(b)
        return out

    def row_of(self, element: Element) -> int:
        """The data row an element is a cell of (or lies level with), else -1."""
        for i, row in enumerate(self.rows):
            if any(e.id == element.id for cell in row for e in cell):
                return i
        return -1

    def cell_text(self, index: int, column: int) -> str:
        said = dict.fromkeys(e.name or e.value for e in self.rows[index][column])  # a link the tree gives on its text
        return " ".join(said).strip()

    def row_says(self, index: int) -> str:
        """A row in words, by what its cells say: '1002, Desk lamp, Processing'."""
        cells = [c for c in range(len(self.columns)) if any(says(e) for e in self.rows[index][c])]
        return ", ".join(self.cell_text(index, c) for c in cells)


@dataclass(frozen=True, eq=False)
class _Cell:
    """Elements side by side with no more than a space between them (a link inside a line, an icon by its name):
    one cell, never two columns."""

    elements: tuple[Element, ...]

    @property
    def box(self) -> Box:
        out = self.elements[0].box
        for e in self.elements[1:]:
            out = out.union(e.box)
        return out

    @property
    def says(self) -> bool:
        return any(e.role in CELL_ROLES for e in self.elements)


Band = list[_Cell]


def says(e: Element) -> bool:
    """Whether a cell's element says something of its row (text, a link, the tree's own cell), not a control the
    row offers."""
    return e.role in CELL_ROLES or not e.is_control


def tables(screen: Screen) -> list[Table]:
    """Every table on ``screen``, top down."""
    out = []
    for run in _runs(_bands(_items(screen))):
        table = _table(run, screen)
        if table is not None:
            out.append(table)
    return out


def _items(screen: Screen) -> list[Element]:
    """What can be a cell: text and controls of a line's size, not an option of a list, not a box around others."""
    heights = sorted(e.box.height for e in screen.elements if e.role == "text") or [20.0]
    line = heights[len(heights) // 2]
    kept = [e for e in screen.elements if e.role not in LEFT_OUT and not e.parent and e.box.height <= 4 * line
            and e.box.width <= 0.6 * screen.width and (e.name or e.value or e.is_control)]
    return [e for e in kept if sum(1 for o in kept if o is not e and e.box.contains(o.box, slack=2)) < 2]


def _bands(items: list[Element]) -> list[Band]:
    """Items side by side (centres within half the taller's height), grouped top down, each band's cells left to
    right."""
    bands: list[list[Element]] = []
    for e in sorted(items, key=lambda e: e.box.center[1]):
        last = bands[-1] if bands else None
        if last and abs(e.box.center[1] - _centre(last)) <= 0.5 * max(e.box.height, min(o.box.height for o in last)):
            last.append(e)
        else:
            bands.append([e])
    return [_cells(sorted(b, key=lambda e: e.box.x0)) for b in bands]


def _cells(band: list[Element]) -> Band:
    """A band's items, those a space apart joined into one cell (the pieces of a line of text stay one)."""
    out: list[list[Element]] = []
    for e in band:
        last = out[-1][-1] if out else None
        if last is not None and e.box.x0 - last.box.x1 < CELL_GAP * min(e.box.height, last.box.height) \
                and {e.role, last.role} <= {"text", "link"} and (e.role == "text" or last.role == "text"):
            # the pieces of a line: text and the links in it (two buttons, or the tree's own cells, stay apart)
            out[-1].append(e)
        else:
            out.append([e])
    return [_Cell(tuple(c)) for c in out]


def _centre(band: list[Element] | Band) -> float:
    return sum(e.box.center[1] for e in band) / len(band)


def _runs(bands: list[Band]) -> list[list[Band]]:
    """Runs of bands stacked at an even pitch whose cells line up in columns band to band."""
    runs: list[list[Band]] = []
    run: list[Band] = []
    for band in bands + [[]]:
        if len(band) >= 2 and run and _follows(run, band):
            run.append(band)
            continue
        if len(band) == 1 and run and _beside(run, band[0]):
            continue  # a panel's line level with the table (a sidebar's link) breaks no run of its rows
        if len(run) >= 1 + MIN_ROWS:
            runs.append(run)
        # the band the run broke at the pitch of may start the next one (a toolbar above a list's first row)
        restart = len(run) == 2 and len(band) >= 2 and _follows(run[-1:], band)
        run = run[-1:] + [band] if restart else [band] if len(band) >= 2 else []
    return runs


def _beside(run: list[Band], cell: _Cell) -> bool:
    x0 = min(c.box.x0 for band in run for c in band)
    x1 = max(c.box.x1 for band in run for c in band)
    return cell.box.x1 <= x0 or cell.box.x0 >= x1


def _follows(run: list[Band], band: Band) -> bool:
    last = run[-1]
    height = max(c.box.height for c in last + band)
    gap = min(c.box.y0 for c in band) - max(c.box.y1 for c in last)
    if gap > 3 * height:
        return False
    if len(run) >= 2:
        pitch, before = _centre(band) - _centre(last), _centre(last) - _centre(run[-2])
        if abs(pitch - before) > PITCH_TOLERANCE * before:
            return False
    aligned = sum(1 for c in band if any(_same_column(c.box, o.box) for o in last))
    return aligned >= 2 and aligned >= 0.5 * min(len(band), len(last))


def _same_column(a: Box, b: Box) -> bool:
    """Left edges, right edges or most of their spans together."""
    tol = max(8.0, 0.6 * min(a.height, b.height))
    return abs(a.x0 - b.x0) <= tol or abs(a.x1 - b.x1) <= tol or overlap(a.x0, a.x1, b.x0, b.x1) >= 0.5


def _table(run: list[Band], screen: Screen) -> Table | None:
    if len(run) > 1 + MIN_ROWS and not _is_header(run[0]) and _is_header(run[1]):
        run = run[1:]  # a toolbar above the header row (a search field, its button) at the rows' pitch
    columns = [c for c in _columns(run) if len(c) >= 0.5 * len(run)]  # a panel beside it that a band crosses
    run = [kept for band in run if (kept := [c for c in band if any(c in col for col in columns)])]
    header = run[0] if _is_header(run[0]) else []
    body = run[1:] if header else run
    if header:
        columns = _under_captions(columns, header)
    data = [col for col in columns if all(any(c in col and c.says for c in band) for band in body)]
    if len(body) < MIN_ROWS or len(data) < DATA_COLUMNS or len(columns) < (2 if header else 3):
        return None
    rows = tuple(tuple(_elements(band, col) for col in columns) for band in body)
    heads = tuple(_elements(header, col) for col in columns)
    names = tuple(" ".join(e.name for e in head if e.name).strip() for head in heads)
    cells = [e for band in run for c in band for e in c.elements]
    spans = frozenset(e.id for e in screen.elements if e.role == "text" and not any(e is c for c in cells)
                      and sum(1 for c in cells if e.box.contains(c.box, slack=2)) >= 2)
    caption = _caption(screen, run, min(c.box.y0 for c in run[0]))
    said = caption.name.split() if caption is not None else []
    if not header and len(said) == len(columns) and caption.role == "text" \
            and sum(1 for col in columns if caption.box.x0 - 2 <= min(c.box.x0 for c in col) < caption.box.x1) \
            == len(columns):  # the tree's header row as one line over the columns ("Name Size Type Modified")
        return Table("", tuple(said), rows, tuple(() for _ in columns), spans | {caption.id})
    return Table(caption.name if caption is not None else "", names, rows, heads, spans)


def _under_captions(columns: list[list[_Cell]], header: Band) -> list[list[_Cell]]:
    """A column with no caption of its own joins the one whose caption reaches over it (one header cell over a
    row's Edit and Remove buttons, its caption centred between them)."""
    out: list[list[_Cell]] = []
    for col in columns:
        head = [c for c in header if c in col]
        prev = [c for c in header if out and c in out[-1]]
        if out and (not head and prev and _reaches(prev, col) or head and not any(c in header for c in out[-1])
                    and _reaches(head, out[-1])):
            out[-1] = out[-1] + col
        else:
            out.append(col)
    return out


def _reaches(head: list[_Cell], col: list[_Cell]) -> bool:
    return all(any(h.box.x0 < c.box.x1 and c.box.x0 < h.box.x1 for h in head) for c in col if c not in head)


def _elements(band: Band, col: list[_Cell]) -> tuple[Element, ...]:
    return tuple(e for c in band if c in col for e in c.elements)


def _is_header(band: Band) -> bool:
    """Two or more captions, a few words each, no number among them: text, or buttons (a column sorted by a click
    on its header, as GTK's and Qt's are; the pixels may take a row of them for a menu bar)."""
    named = [e for c in band for e in c.elements if e.name.strip()]  # an unnamed box ticks every row (or is a
    # misreading)
    return len(named) >= 2 and all(e.role in HEADER_ROLES and len(e.name.split()) <= HEADER_WORDS
                                   and not any(ch.isdigit() for ch in e.name) for e in named)


def _columns(run: list[Band]) -> list[list[_Cell]]:
    """The run's cells gathered into columns (a cell joins the column one of whose cells it lines up with), left
    to right."""
    cols: list[list[_Cell]] = []
    for cell in sorted((c for band in run for c in band), key=lambda c: c.box.x0):
        col = next((k for k in cols if any(_same_column(cell.box, o.box) for o in k)), None)
        if col is None:
            cols.append([cell])
        else:
            col.append(cell)
    return sorted(cols, key=lambda k: min(c.box.x0 for c in k))


def _caption(screen: Screen, run: list[Band], top: float) -> Element | None:
    """The heading (else the text) just above the table, over its columns."""
    x0 = min(c.box.x0 for band in run for c in band)
    x1 = max(c.box.x1 for band in run for c in band)
    height = max(c.box.height for c in run[0])
    above = [e for e in screen.elements if e.role in ("heading", "text") and e.name and e.box.y1 <= top + 2
             and top - e.box.y1 <= 4 * height and overlap(x0, x1, e.box.x0, e.box.x1) > 0.5]
    above.sort(key=lambda e: (e.role != "heading", top - e.box.y1))
    return above[0] if above else None
