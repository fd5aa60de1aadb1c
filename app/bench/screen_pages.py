"""Chromium pages as screen bench sources: the bundled pages and MiniWoB++ tasks, with DOM ground truth."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.bench import screen_dom
from app.bench.screen import ROOT, Mode, Sample, Stage, close_parsers, parse_all
from grounding.coords import Frame

PAGE_FILES = ("assets/demo/form.html", "assets/examples/login.html", "assets/bench/dense.html",
              "assets/bench/targets.html", "assets/bench/ticker.html", "assets/screen/signup.html",
              "assets/screen/help.html", "assets/screen/listbox.html", "assets/screen/combobox.html",
              "assets/screen/widgets.html", "assets/screen/titlebar.html", "assets/screen/grid.html",
              "assets/bench/plain.html")
# the 13 development tasks and others of the same and other families (forms, choices, navigation, composites)
MINIWOB_PAGES = ("click-button", "click-link", "click-dialog", "click-dialog-2", "click-checkboxes", "click-option",
                 "enter-text", "enter-password", "focus-text", "click-tab", "click-collapsible", "choose-list",
                 "click-test", "login-user", "use-spinner", "use-slider", "click-button-sequence", "search-engine",
                 "click-tab-2", "form-sequence", "enter-date", "multi-layouts", "social-media", "email-inbox",
                 "navigate-tree", "book-flight", "click-checkboxes-soft", "text-transform")


@contextmanager
def shown_page(url: str, width: int, height: int, scale: float, bus: bool) \
        -> Iterator[tuple[Stage, Callable[[], np.ndarray], Any]]:
    """A private display showing ``url`` in Chromium under chromedriver (with an accessibility bus and renderer
    accessibility when ``bus``): the stage, a capture function and the WebDriver."""
    from app.desktop.a11y_bus import AccessibilityBus, chromium_flags
    from app.desktop.browser import DrivenChromium
    from app.desktop.capture import MssScreenSource
    from app.desktop.xvfb import VirtualDisplay

    with VirtualDisplay(width, height) as vd:
        accessibility = None
        if bus:
            accessibility = AccessibilityBus(vd.display).start()
        extra = chromium_flags(accessibility.address if accessibility else "")
        env = accessibility.app_env() if accessibility else {}
        source = MssScreenSource(vd.display)
        stage = Stage(vd.display, Frame(0, 0, width, height), accessibility)
        try:
            # the window's size is in device-independent pixels: at scale 2 a window the size of the screen is
            # half its pixel size
            with DrivenChromium(vd.display, round(width / scale), round(height / scale), scale, app_url=url,
                                extra=extra, env=env) as browser:
                yield stage, lambda: source.capture().image, browser.driver
        finally:
            close_parsers(stage)
            source.close()
            if accessibility:
                accessibility.stop()


def settle(capture: Callable[[], np.ndarray], timeout: float = 4.0) -> np.ndarray:
    """A capture once two in a row are equal (the page has painted and holds still), or the last one."""
    last = capture()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.15)
        image = capture()
        if np.array_equal(image, last) and image.std() > 2:
            return image
        last = image
    return last


@dataclass
class PageFiles:
    """The bundled pages and the screen model's own test pages, shown at 1280x800."""

    pages: tuple[str, ...] = PAGE_FILES
    width: int = 1280
    height: int = 800
    name: str = "pages"

    def samples(self, modes: list[Mode], scales: tuple[float, ...]) -> Iterator[Sample]:
        bus = any(m.needs_bus for m in modes)
        for scale in scales:
            first = (ROOT / self.pages[0]).as_uri()
            with shown_page(first, self.width, self.height, scale, bus) as (stage, capture, driver):
                for page in self.pages:
                    driver.get((ROOT / page).as_uri())
                    image = settle(capture)
                    truth = screen_dom.read(driver, image.shape)
                    yield from parse_all(stage, modes, image, truth, self.name, Path(page).stem, scale)


@dataclass
class MiniwobPages:
    """MiniWoB++ tasks at 800x600, ``episodes`` seeded problems each."""

    pages: tuple[str, ...] = MINIWOB_PAGES
    episodes: int = 1
    seed: int = 0
    width: int = 800
    height: int = 600
    name: str = "miniwob"

    def samples(self, modes: list[Mode], scales: tuple[float, ...]) -> Iterator[Sample]:
        from app.bench.miniwob import MiniwobBench, task_url

        bus = any(m.needs_bus for m in modes)
        for scale in scales:
            with shown_page(task_url(self.pages[0]), self.width, self.height, scale, bus) as (stage, capture, driver):
                for page in self.pages:
                    driver.get(task_url(page))
                    MiniwobBench._wait_ready(driver)
                    driver.execute_script(f"Math.seedrandom && Math.seedrandom('{self.seed}-{page}');")
                    for _ in range(self.episodes):
                        driver.execute_script("core.startEpisodeReal();")
                        time.sleep(0.3)
                        image = settle(capture, 2.0)
                        truth = screen_dom.read(driver, image.shape)
                        yield from parse_all(stage, modes, image, truth, self.name, page, scale)
                        driver.execute_script("core.endEpisode(0);")
