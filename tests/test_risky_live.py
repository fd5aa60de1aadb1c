"""Risky acts that are no named click, on a real page (tests/pages/orders.html, whose Security section has a
"Delete account" button behind a confirm()): Enter pressed on the focused button, read from Chromium's
accessibility tree, Enter in a form whose default button is Delete account (tests/pages/close_account.html), and a
native computer-use model's click on the button's point, through a loopback server that
speaks Claude's protocol. Nobody can be asked in either run, so both are refused, and the account stays."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.input import make_driver
from app.desktop.xvfb import VirtualDisplay
from app.engine.executor import DesktopExecutor
from app.testing.desktop import Desktop
from grounding.parser import ScreenParser
from models.native_settings import NativeSettings
from planner.loop import Loop
from planner.native import make_agent
from planner.policy import FixedApprover, Gate, Policy
from planner.trajectory import Trajectory, load
from tests.native_models import Claude
from tests.native_server import ProtocolServer, centre

pytestmark = [pytest.mark.display, pytest.mark.browser]
PAGE = Path(__file__).resolve().parent / "pages" / "orders.html"
FORM = Path(__file__).resolve().parent / "pages" / "close_account.html"  # a form whose submit is Delete account
DANGER = (179, 38, 30)  # the Delete account button's red (#b3261e)


def steps_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "traj.jsonl").read_text().splitlines()]


def test_enter_on_the_focused_delete_account_button_is_refused(tmp_path):
    with Desktop(tmp_path, 1000, 700, a11y=True) as d:
        d.launch(open=str(PAGE))
        assert d.do("click Security").status == "done"
        assert d.do("click the New password field, then press Tab").status == "done"  # the focus on the button
        result = d.do("press Enter")
        assert d.expect("no_text", "Account deleted").ok
        assert d.has_text("Delete account")
    (key,) = [s for s in steps_of(d.trajectory.folder) if s["action"]["kind"] == "key"
              and s["action"]["keys"] == ["enter"]]
    assert (key["action"]["name"], key["action"]["role"]) == ("Delete account", "button")
    assert key["policy"]["verdict"] == "deny", key["policy"]
    assert "presses Enter on 'Delete account', which asks first: 'Delete account' deletes" in key["policy"]["reason"]
    assert not key["outcome"]["ok"] and key["outcome"]["error"].startswith("Not run"), key["outcome"]
    assert result.status == "failed", result.message


def test_enter_in_a_field_of_a_form_whose_default_button_deletes_is_refused(tmp_path):
    with Desktop(tmp_path, 1000, 700, a11y=True) as d:
        d.launch(open=str(FORM))
        assert d.do("click the Type DELETE to confirm field, then type DELETE").status == "done"
        result = d.do("press Enter")
        assert d.expect("text", "The account is active").ok  # the form was not submitted
    (key,) = [s for s in steps_of(d.trajectory.folder) if s["action"]["kind"] == "key"
              and s["action"]["keys"] == ["enter"]]
    assert (key["action"]["name"], key["action"]["focus"]) == ("Delete account", "Type DELETE to confirm")
    assert result.status == "failed" and key["policy"]["verdict"] == "deny"
    assert "presses Enter in 'Type DELETE to confirm', which presses the form's default button 'Delete account'" \
        in key["policy"]["reason"]


class ClicksDelete(Claude):
    """Claude's protocol: a bad answer first (the script checks its error came back), then a click on the red
    button's point, then done."""

    def __init__(self) -> None:
        super().__init__([[("bad",)], [("click", "delete")], [("done", "The click was not allowed.")]])

    def where(self, image, target):
        found = centre(image, DANGER)
        self.problem(found is not None, "the Delete account button is not on the screenshot")
        return found or (1.0, 1.0)


def test_a_native_models_click_on_the_delete_account_point_is_refused(tmp_path):
    script = ClicksDelete()
    with ProtocolServer(script) as server, VirtualDisplay(1000, 700) as vd, \
            DrivenChromium(vd.display, 1000, 700, 1.0, app_url=PAGE.as_uri()) as browser:
        deadline = time.monotonic() + 20
        while browser.driver.execute_script("return document.readyState") != "complete":
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.1)
        browser.driver.execute_script("document.querySelector('nav a[data-s=security]').click()")
        wait_for_content(vd.display)
        source, driver = MssScreenSource(vd.display), make_driver("xtest", vd.display)
        settings = NativeSettings(protocol="anthropic", base_url=server.root, model="test-model", api_key="k")
        try:
            loop = Loop(source, DesktopExecutor(driver), ScreenParser(), max_steps=6,
                        gate=Gate(Policy(), FixedApprover("deny", why="nobody can be asked here")))
            trajectory = Trajectory.create(tmp_path / "runs", "check the account", {"agent": "native"})
            result = loop.run(make_agent(settings, "check the account"), trajectory)
            still = browser.driver.execute_script("return !!document.getElementById('del')")
        finally:
            source.close()
            driver.close()
    assert script.problems == [], script.problems
    assert result.status == "done" and still  # the click never ran: no confirm(), the account is there
    (click,) = [s for s in load(Path(result.folder)) if s["action"]["kind"] == "click"]
    assert click["action"]["name"] == "Delete account", click["action"]
    assert click["policy"]["verdict"] == "deny"
    assert click["policy"]["reason"] == ("nobody can be asked here: it clicks 'Delete account', which asks first: "
                                         "'Delete account' deletes")
