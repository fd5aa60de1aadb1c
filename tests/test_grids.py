"""A bordered grid's cells are text, its real controls stay controls, and a keypad of buttons is no grid
(grounding/grids.py), on screens drawn with PIL; a parse of one image is the same every time."""

import json
import os
import subprocess
import sys
from pathlib import Path

import cv2
import numpy as np

from grounding.elements import Box
from grounding.grids import find_grids
from grounding.parser import ScreenParser
from grounding.proposals import find_outlines
from tests.render import Canvas

COLUMNS = (("Item", 150), ("Qty", 90), ("Price", 110), ("Note", 190))
ROWS = (("Apples", "12", "3.40"), ("Pears", "7", "2.15"), ("Plums", "30", "9.99"))
ROW_H = 46


def _table(canvas: Canvas, x: int, y: int, spacing: int = 0) -> list[tuple[int, int, int, int]]:
    """A bordered table: a header row and ROWS; the Note column holds a field in the first row and a button in the
    second. ``spacing``: 0 draws one line between cells (collapsed borders), more draws each cell's own border
    that many pixels apart. Returns the boxes of the field and the button."""
    d = canvas.draw
    top = y
    for row in (tuple(c for c, _ in COLUMNS), *ROWS):
        left = x
        for c, (_, width) in enumerate(COLUMNS):
            d.rectangle((left, top, left + width, top + ROW_H), outline="#999999", width=1)
            if c < len(row):
                canvas.text(left + 10, top + 8, row[c])
            left += width + spacing
        top += ROW_H + spacing
    note = x + sum(w for _, w in COLUMNS[:3]) + 3 * spacing
    first, second = y + ROW_H + spacing, y + 2 * (ROW_H + spacing)
    field = canvas.field(note + 8, first + 5, w=150, h=36, value="fragile")
    button = canvas.button(note + 8, second + 3, "Edit", w=80, h=40)
    return [field, button]


def _parse(image: np.ndarray):
    return ScreenParser(incremental=False).parse(image)


def _assert_cells_read_as_text(screen, field_box, button_box):
    cell_words = {c for c, _ in COLUMNS} | {v for row in ROWS for v in row}
    controls = [(c.role, c.name, c.value) for c in screen.controls()]
    assert sorted(controls) == [("button", "Edit", ""), ("text_field", "Note", "fragile")], controls
    assert not screen.by_role("list_box") and not screen.by_role("option")
    lines = [e.name for e in screen.lines()]
    assert cell_words <= set(lines), lines  # each cell a line of its own, not a row run together
    (button,) = screen.by_role("button")
    assert button.name == "Edit" and button.box.iou(_box(button_box)) > 0.6
    (field,) = screen.by_role("text_field")
    assert field.value == "fragile" and field.name == "Note"  # its column's caption, not the price before it
    assert field.box.iou(_box(field_box)) > 0.6


def _box(b: tuple[int, int, int, int]) -> Box:
    return Box(*b)


def test_the_cells_of_a_ruled_table_are_text_and_its_field_and_button_stay_controls():
    canvas = Canvas(760, 300)
    field, button = _table(canvas, 20, 20)
    _assert_cells_read_as_text(_parse(canvas.array()), field, button)


def test_cells_with_borders_of_their_own_a_few_pixels_apart_are_a_table_too():
    canvas = Canvas(780, 320)
    field, button = _table(canvas, 20, 20, spacing=3)
    _assert_cells_read_as_text(_parse(canvas.array()), field, button)


def test_a_keypad_of_buttons_two_pixels_apart_is_no_grid():
    canvas = Canvas(420, 260)
    for i, key in enumerate(("7", "8", "9", "4", "5", "6", "1", "2", "3")):
        canvas.button(20 + (i % 3) * 82, 20 + (i // 3) * 52, key, w=80, h=50)
    image = canvas.array()
    gray = cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)
    outlines = find_outlines(image, 15.0)
    keys = [p for p in outlines if p.drawn and p.box.width > 60]
    assert len(keys) >= 9  # the keys tile as closely as a table's cells, but their corners are round
    assert find_grids(outlines, 15.0, gray) == (outlines, [])
    table = Canvas(760, 300)
    _table(table, 20, 20)
    ruled = table.array()
    (grid,) = find_grids(find_outlines(ruled, 15.0), 15.0, cv2.cvtColor(ruled, cv2.COLOR_RGB2GRAY))[1]
    assert len(grid.cells) == 16


def test_two_parses_of_one_screen_give_the_same_elements_here_and_in_another_process(tmp_path: Path):
    canvas = Canvas(760, 300)
    _table(canvas, 20, 20)
    image = canvas.array()
    first, again = _parse(image), _parse(image.copy())
    assert [e.to_json() for e in first.elements] == [e.to_json() for e in again.elements]
    kept = ScreenParser()  # as a run keeps it: the second frame, unchanged, is parsed from the first's words
    assert [[e.to_json() for e in kept.parse(image).elements] for _ in range(2)] == [[e.to_json() for e in
                                                                                   first.elements]] * 2
    np.save(tmp_path / "table.npy", image)
    code = ("import json, sys, numpy as np; from grounding.parser import ScreenParser; "
            "s = ScreenParser(incremental=False).parse(np.load(sys.argv[1])); "
            "print(json.dumps([e.to_json() for e in s.elements]))")
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "table.npy")], env=env, capture_output=True,
                         text=True, timeout=120, check=True).stdout
    assert json.loads(out) == [e.to_json() for e in first.elements]
