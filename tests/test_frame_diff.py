"""A screen that holds still but for a small animation (grounding/frame_diff.py): waits go on instead of timing out."""

import sys

import numpy as np
import pytest

from app.testing.desktop import Desktop, DesktopError
from grounding.coords import Frame
from grounding.frame_diff import HOLD, Stillness, changed_cells
from planner.loop import LOOK, Loop
from planner.protocols import Observation


def frame(spin: int = 0, big: bool = False, at: int = 40) -> np.ndarray:
    """A 640x400 screen with a button; ``spin`` turns a 16 px spinner at (``at``, 40); ``big`` repaints half of it."""
    img = np.full((400, 640, 3), 240, np.uint8)
    img[300:340, 500:600] = 90
    img[40:56, at:at + 16] = 240
    img[40 + spin % 4 * 4:44 + spin % 4 * 4, at:at + 16] = 20
    if big:
        img[:200] = 30
    return img


def test_changed_cells_are_the_cells_with_a_pixel_that_moved():
    a, b = frame(0), frame(1)
    cells = changed_cells(a, b)
    assert cells.shape == (25, 40)
    assert {(int(r), int(c)) for r, c in zip(*np.nonzero(cells))} == {(2, 2), (2, 3)}  # the spinner's two cells
    assert not changed_cells(a, a).any()


def test_the_same_look_twice_is_still_at_once():
    looks = Stillness(0.1)
    assert not looks.still(frame())
    assert looks.still(frame())


def test_a_spinner_is_still_once_it_has_turned_alone_for_the_hold():
    now = [0.0]
    looks = Stillness(0.1, clock=lambda: now[0])
    answers = []
    for i in range(12):
        answers.append(looks.still(frame(i)))
        now[0] += 0.1
    first = answers.index(True)
    assert not any(answers[:first]) and all(answers[first:])
    assert 0.1 * first >= HOLD - 1e-9 and first <= round(HOLD / 0.1) + 1  # after the hold, and not much later
    slow = Stillness(0.1, clock=lambda: now[0])  # the same looks, each taking a second: two are enough
    assert not slow.still(frame(0)) and not slow.still(frame(1))
    now[0] += 1.0
    assert slow.still(frame(2))


def test_a_change_beyond_the_spinner_starts_the_count_again():
    now = [0.0]
    looks = Stillness(0.1, clock=lambda: now[0])
    needed = round(HOLD / 0.1)
    for i in range(needed - 1):
        assert not looks.still(frame(i))
        now[0] += 0.1
    assert not looks.still(frame(needed, big=True))  # half the screen repainted: not an animation
    now[0] += 0.1
    assert not looks.still(frame(needed + 1))
    now[0] += 0.1
    assert not looks.still(frame(needed + 2))


def test_small_changes_in_one_place_after_another_add_up_to_more_than_an_animation():
    now = [0.0]
    looks, screens = Stillness(0.1, clock=lambda: now[0]), []
    for i in range(12):  # a 32 px block (4 cells of 1,000) repainted somewhere else on each look: each under 1%
        img = frame()
        y, x = (i % 3) * 128, (i % 4) * 160
        img[y:y + 32, x:x + 32] = 20 * i + 10
        screens.append(img)
    assert all(changed_cells(a, b).mean() <= 0.01 for a, b in zip(screens, screens[1:]))
    answers = []
    for img in screens:
        answers.append(looks.still(img))
        now[0] += 0.1
    assert not any(answers)


class Spinning:
    """A screen source whose spinner turns on every look: after an action the screen changed, then only turns."""

    def __init__(self) -> None:
        self.looks = 0

    def capture(self) -> Observation:
        self.looks += 1
        img = frame(self.looks)
        if self.looks > 2:
            img[300:340, 500:600] = 200  # the button the action pressed now shows pressed
        return Observation(img, Frame(0, 0, 640, 400))


def test_after_an_action_a_screen_with_a_spinner_settles_before_the_patience_runs_out():
    source = Spinning()
    loop = Loop(source, executor=None, parser=None)  # type: ignore[arg-type]  # _settle needs only the source
    assert loop._settle(frame(0), patience=10.0) is True
    assert source.looks <= round(HOLD / LOOK) + 6  # not the 250 looks of the whole patience


CLOCK = """
import sys
from PySide6.QtCore import QTime, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QPushButton, QVBoxLayout, QWidget
app = QApplication(sys.argv)
w = QWidget(); lay = QVBoxLayout(w); clock = QLabel("00.000")
lay.addWidget(QPushButton("Start")); lay.addWidget(clock)
{extra}
timer = QTimer(); timer.timeout.connect(tick); timer.start(40)
w.resize(500, 300); w.show(); app.exec()
"""
TICK = "def tick(): clock.setText(QTime.currentTime().toString('ss.zzz'))"
FLICKER = ("clock.setStyleSheet('font-size: 140px')\n"  # a counter in digits a fifth of the screen high
           "count = [0]\n"
           "def tick():\n"
           "    count[0] += 7; clock.setText(str(count[0]))")


def program(tmp_path, name: str, extra: str) -> str:
    path = tmp_path / f"{name}.py"
    path.write_text(CLOCK.format(extra=extra))
    return f"{sys.executable} {path}"


@pytest.mark.display
def test_a_window_with_a_ticking_clock_is_launched_not_reported_as_nothing(tmp_path):
    with Desktop(tmp_path, 1024, 768) as desk:
        desk.launch(program(tmp_path, "clock", TICK), timeout=20)
        assert desk.has_text("Start")


@pytest.mark.display
def test_a_window_that_never_stops_repainting_itself_is_said_to_keep_changing(tmp_path):
    with Desktop(tmp_path, 800, 600) as desk, pytest.raises(DesktopError, match="kept changing for 4s"):
        desk.launch(program(tmp_path, "flicker", FLICKER), timeout=4)
