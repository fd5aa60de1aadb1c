"""A day OCR did not read is found where the month grid puts it (planner/doing/month_grid.py), on simulated UIs."""

from dataclasses import replace

from grounding.elements import Box, Screen
from planner.doing.month_grid import day_cell, read_days
from tests.render import Canvas, font
from tests.ui_world import World, drive, el

PITCH_X, PITCH_Y, LEFT, TOP = 40, 30, 20, 140


def cell(day: int, first: int) -> tuple[int, int, int, int]:
    """The box of ``day`` in a grid whose day 1 is in column ``first``."""
    col, row = (day - 1 + first) % 7, (day - 1 + first) // 7
    x, y = LEFT + col * PITCH_X, TOP + row * PITCH_Y
    return (x, y, x + PITCH_X - 4, y + PITCH_Y - 4)


def test_a_day_is_where_the_grid_puts_it_whatever_column_the_month_starts_in():
    for first in range(7):
        read = [d for d in range(1, 31) if d % 3 == 0]  # a third of the days read
        known = [(d, Box(*cell(d, first))) for d in read] + [(3 if first else 4, Box(*cell(13, first)))]  # misread
        middle = LEFT + 3 * PITCH_X + (PITCH_X - 4) / 2
        for day in (1, 2, 10, 13, 29):
            assert Box(*cell(day, first)).contains_point(*day_cell(day, known, middle).center), (first, day)


def test_too_few_days_read_or_none_that_agree_give_no_cell():
    assert day_cell(5, [(1, Box(*cell(1, 2))), (9, Box(*cell(9, 2)))], 160) is None
    scattered = [(d, Box(x, y, x + 10, y + 10)) for d, x, y in ((4, 300, 20), (17, 10, 400), (25, 500, 90))]
    assert day_cell(5, scattered, 160) is None


def test_a_date_whose_day_was_not_read_is_clicked_in_its_cell_not_at_a_number_in_a_sentence_beside_it():
    class Calendar(World):
        clicked: list[int] = []
        words: tuple = ()  # the words OCR read: the grid's rows, and a line of the page beside the calendar

        def _click(self, e, hold):  # remembers which cell was clicked, and writes its day into the field
            self.clicked.append(e.id)
            super()._click(e, hold)
            if e.role == "cell":
                self.put(self.get(1).with_(value=f"03/{e.id - 2:02d}/2018"))

        def screen(self) -> Screen:
            return replace(super().screen(), words=self.words if 2 in self.shown else ())

    first = 4  # the month starts on a Thursday
    unread = (5, 6, 7, 9, 12, 13)
    cells = [el("cell", "", cell(d, first)) for d in range(1, 32)]  # cells whose numbers OCR did not read
    numbers = [el("text", str(d), cell(d, first)) for d in range(1, 32) if d not in unread]
    side = [el("text", w, (400 + 50 * i, 150, 445 + 50 * i, 170), line=90) for i, w in enumerate(("Episodes", "done:",
                                                                                                   "9"))]
    for words in ((), (*[n.with_(line=(int(n.name) - 1 + first) // 7) for n in numbers], *side)):
        world = Calendar([el("text_field", "Date", (20, 20, 200, 50)),
                          el("heading", "March 2018", (100, 100, 240, 120)), *cells, *numbers,
                          el("button", "OK", (400, 20, 460, 50))], hidden={1: list(range(2, 3 + 31 + 25))})
        world.words, world.clicked = words, []
        result, world = drive("pick 03/09/2018 as the date, then press OK", world)
        assert result == "done"
        assert world.clicked[1] == 3 + 8  # day 9's cell (ids: 1 the field, 2 the heading, then the cells in order)


def test_small_day_numbers_in_boxed_cells_are_read_again_where_they_are():
    c = Canvas(400, 300)
    first = 3  # the month starts on a Wednesday
    for d in range(1, 31):
        col, row = (d - 1 + first) % 7, (d - 1 + first) // 7
        x, y = 20 + col * 34, 60 + row * 28
        c.draw.rectangle((x, y, x + 30, y + 24), outline="#c5c5c5", fill="#f6f6f6")
        c.draw.text((x + 16 - 4 * len(str(d)), y + 6), str(d), fill="#454545", font=font(11))
    read = dict(read_days(c.array(), Box(10, 50, 270, 240)))
    assert len(read) >= 20
    for d, box in read.items():
        col, row = (d - 1 + first) % 7, (d - 1 + first) // 7
        assert Box(20 + col * 34, 60 + row * 28, 50 + col * 34, 84 + row * 28).contains_point(*box.center), d
