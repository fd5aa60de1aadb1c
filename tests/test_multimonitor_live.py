"""Two monitors side by side (Xinerama): the page sits on the second one, the agent captures only that monitor,
and the point the grounder returns, shifted by the monitor's origin, is the point the click lands on."""

from pathlib import Path

import numpy as np
import pytest

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.desktop.xvfb import VirtualDisplay
from app.engine.executor import DesktopExecutor
from grounding.parser import ScreenParser
from planner.direct import CommandAgent
from planner.loop import Loop
from planner.trajectory import Trajectory, load

pytestmark = [pytest.mark.display, pytest.mark.browser]

PAGE = (Path(__file__).resolve().parent.parent / "assets" / "bench" / "targets.html").as_uri()


def test_clicks_land_on_the_second_monitor(tmp_path):
    with VirtualDisplay(1024, 768, screens=2) as vd, \
            DrivenChromium(vd.display, 1024, 768, 1.0, app_url=PAGE, at=(1024, 0)) as browser:
        browser.driver.execute_script("return document.readyState")
        second, first = MssScreenSource(vd.display, monitor=2), MssScreenSource(vd.display, monitor=1)
        # xdotool: Xephyr keeps XTest motion (the xtest driver's way) on the first head; xdotool moves across heads
        driver = make_driver("xdotool", vd.display)
        try:
            mons = second.monitors()
            assert [(m["left"], m["top"], m["width"]) for m in mons[1:]] == [(0, 0, 1024), (1024, 0, 1024)]
            obs = second.capture()
            assert obs.frame.left == 1024 and obs.image.shape[:2] == (768, 1024)
            assert obs.image.std() > 8 and first.capture().image.std() < 8  # the page is on monitor 2 only
            for command, expected in [("click Delta", "Delta"), ("click Bravo", "Bravo")]:
                browser.driver.execute_script("window.clicked = [];")
                loop = Loop(second, DesktopExecutor(driver), ScreenParser(), max_steps=10)
                traj = Trajectory.create(tmp_path, command)
                result = loop.run(CommandAgent.from_instruction(command), traj)
                assert result.status == "done", result.message
                assert browser.driver.execute_script("return window.clicked;") == [expected]
                click = load(traj.folder)[0]["action"]
                box = load(traj.folder)[0]["grounding"]["box"]
                assert click["x"] == pytest.approx(1024 + (box[0] + box[2]) / 2, abs=1)  # image -> desktop
                assert np.isfinite(click["y"])
        finally:
            second.close()
            first.close()
            driver.close()
