"""The point the grounder returns is the point the click lands on, at device scale factors 1, 1.5 and 2."""

from pathlib import Path

import pytest

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource
from app.desktop.input import make_driver
from app.desktop.xvfb import VirtualDisplay
from app.engine.executor import DesktopExecutor
from grounding.parser import ScreenParser
from planner.direct import CommandAgent
from planner.loop import Loop
from planner.trajectory import Trajectory

pytestmark = [pytest.mark.display, pytest.mark.browser]

PAGE = (Path(__file__).resolve().parent.parent / "assets" / "bench" / "targets.html").as_uri()
COMMANDS = [("click Bravo", "Bravo"), ("click Delta", "Delta"), ('click the link "More details"', "more"),
            ("check Agree", "agree"), ("click the text field", "name"), ("click Foxtrot", "Foxtrot")]


@pytest.mark.parametrize("scale", [1.0, 1.5, 2.0])
def test_clicks_land_on_the_grounded_element(scale, tmp_path):
    with VirtualDisplay(1024, 768) as vd, DrivenChromium(vd.display, 1024, 768, scale, app_url=PAGE) as browser:
        browser.driver.execute_script("return document.readyState")
        source = MssScreenSource(vd.display)
        driver = make_driver("xtest", vd.display)
        try:
            for command, expected in COMMANDS:
                browser.driver.execute_script("window.clicked = [];")
                loop = Loop(source, DesktopExecutor(driver), ScreenParser(), max_steps=10)
                result = loop.run(CommandAgent.from_instruction(command), Trajectory.create(tmp_path, command))
                assert result.status == "done", (scale, command, result.message)
                clicked = browser.driver.execute_script("return window.clicked;")
                if expected == "agree":  # a click on the box or on its label both tick it
                    assert browser.driver.execute_script("return document.getElementById('agree').checked;")
                    assert clicked[-1] == "agree", (scale, clicked)
                else:
                    assert clicked == [expected], (scale, command)
        finally:
            source.close()
            driver.close()
