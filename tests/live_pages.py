"""Live pages waited for by what shows, not by fixed pauses.

``LivePage``: a page opened once on a test Desktop (app/testing/desktop.py) for a whole module, and brought back to
how it opened before each case: reloaded with keys sent straight to the display, then waited for until it looks as
it did when it opened (sending the keys as commands of their own cost two runs of the interpreter a case, each
reading the screen before and after its key). ``page_shown``: a driven browser's page once it has drawn a frame and the
display holds still."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource, still_frame
from app.desktop.input import InputDriver, make_driver
from app.testing.desktop import Desktop

RELOAD = 1.0  # seconds a reload is given where the page already looked as it opened, so nothing shows it done


@dataclass
class LivePage:
    """``desk`` showing the page it opened, and ``look``: the screen just after it opened, the pointer parked."""

    desk: Desktop
    look: np.ndarray

    @classmethod
    def open(cls, desk: Desktop, page: Path) -> LivePage:
        desk.launch(open=str(page))
        _parked(desk).close()  # the pointer out of the way before the page's look is kept
        return cls(desk, still(desk.screenshot))

    def afresh(self, timeout: float = 10.0) -> Desktop:
        """The page reloaded at its top, once it looks as it opened (AssertionError when it does not in time)."""
        with _keys(self.desk) as keys:
            keys.press(("ctrl", "home"))  # at the top first: a reload keeps where the page was scrolled to
            before = still(self.desk.screenshot)
            keys.press(("f5",))
        if np.array_equal(before, self.look):
            time.sleep(RELOAD)
        deadline = time.monotonic() + timeout
        while not np.array_equal(self.desk.screenshot(), self.look):
            assert time.monotonic() < deadline, "the reloaded page does not look as it did when it opened"
            time.sleep(0.1)
        self.desk._wait_for_tree(timeout)
        return self.desk


@contextmanager
def _keys(desk: Desktop) -> Iterator[InputDriver]:
    """OS input on the desktop's display, the pointer parked in its bottom right corner first, where no control
    under it shows a hover."""
    driver = _parked(desk)
    try:
        yield driver
    finally:
        driver.close()


def _parked(desk: Desktop) -> InputDriver:
    """An input driver on the desktop's display, the pointer moved to its bottom right corner."""
    assert desk.display
    driver = make_driver("xtest", desk.display.display)
    driver.move(desk.width - 1, desk.height - 1)
    return driver


def page_shown(display: str, browser: DrivenChromium) -> np.ndarray:
    """The screen once the page in ``browser`` has drawn a frame since it was loaded or changed by a script, and
    ``display`` holds still: what a fixed pause after ``driver.get`` waited for."""
    browser.driver.execute_async_script("const done = arguments[arguments.length - 1]; "
                                        "requestAnimationFrame(() => requestAnimationFrame(done));")
    source = MssScreenSource(display)
    try:
        return still(lambda: source.capture().image)
    finally:
        source.close()


def still(capture: Callable[[], np.ndarray], timeout: float = 5.0) -> np.ndarray:
    """The screen once two looks in a row are the same."""
    frame = still_frame(capture, timeout, 0.1)
    assert frame is not None, f"the screen did not hold still within {timeout:g}s"
    return frame
