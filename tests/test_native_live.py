"""Native computer-use agents fill in a form in Chromium on Xvfb, each through a loopback server that speaks its
protocol, at device scales 1 and 2: every click lands where the model pointed, in the model's own frame."""

from __future__ import annotations

import subprocess
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from app.desktop.browser import DrivenChromium
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.input import make_driver
from app.desktop.xvfb import VirtualDisplay
from app.engine.executor import DesktopExecutor
from grounding.parser import ScreenParser
from models.native_settings import NativeSettings
from planner.actions import Action
from planner.loop import Loop
from planner.native import make_agent
from planner.policy import FixedApprover, Gate, Policy, Ruling
from planner.trajectory import Trajectory, load
from tests.native_models import Claude, OpenAI, Qwen, UITars
from tests.native_server import ProtocolServer

pytestmark = [pytest.mark.display, pytest.mark.browser]

PAGE = (Path(__file__).resolve().parent / "pages" / "native_form.html").as_uri()
TASK = "Sign Ada Lovelace from London up for the newsletter and save"
STATE = ("var g = function (i) { return document.getElementById(i); };"
         "return [g('name').value, g('city').value, g('news').className, g('result').textContent, window.clicks];")


@dataclass
class Person:
    """An approver that is a person (not a fixed answer), answering as told and remembering what it was asked."""

    answer: str = "once"
    asked: list[tuple[Action, Ruling]] = field(default_factory=list)

    def approve(self, action: Action, ruling: Ruling) -> str:
        self.asked.append((action, ruling))
        return self.answer


@pytest.fixture(scope="module")
def browsers():
    """One Xvfb with Chromium per device scale for the module, started on first use (starting them was most of a
    run's cost); each run loads the page afresh, so its fields and its log of clicks start empty."""
    with ExitStack() as stack:
        started: dict[float, tuple[VirtualDisplay, DrivenChromium]] = {}

        def at(scale: float) -> tuple[VirtualDisplay, DrivenChromium]:
            if scale not in started:
                vd = stack.enter_context(VirtualDisplay(1600, 1000))
                started[scale] = vd, stack.enter_context(DrivenChromium(vd.display, 1600, 1000, scale, app_url=PAGE))
            return started[scale]

        yield at


def run_native(browsers, tmp_path: Path, protocol: str, script: object, scale: float, approver: object = None,
               max_pixels: int = 0) -> tuple:
    vd, browser = browsers(scale)
    browser.driver.get(PAGE)
    subprocess.run(["xdotool", "mousemove", "800", "500"], env=vd.env(), timeout=10, check=True)  # where a fresh
    # display has the pointer: over no control
    with ProtocolServer(script) as server:
        deadline = time.monotonic() + 20
        while browser.driver.execute_script("return document.readyState") != "complete":
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.1)
        wait_for_content(vd.display)
        source, driver = MssScreenSource(vd.display), make_driver("xtest", vd.display)
        base = server.root if protocol == "anthropic" else server.v1
        settings = NativeSettings(protocol=protocol, base_url=base, model="test-model", api_key="test-key",
                                  max_pixels=max_pixels)
        try:
            loop = Loop(source, DesktopExecutor(driver), ScreenParser(), max_steps=25,
                        gate=Gate(Policy(), FixedApprover("deny")))
            trajectory = Trajectory.create(tmp_path / "runs", TASK, {"agent": "native"})
            result = loop.run(make_agent(settings, TASK, approver), trajectory)
            return result, browser.driver.execute_script(STATE), server.requests, load(Path(result.folder))
        finally:
            source.close()
            driver.close()


def assert_filled(result, state, script) -> None:
    assert script.problems == [], script.problems
    assert result.status == "done", result.message
    name, city, news, saved, clicks = state
    assert (name, city, news) == ("Ada Lovelace", "London", "on"), state
    assert saved == "Saved Ada Lovelace from London, newsletter yes"
    assert [c[0] for c in clicks] == ["name", "city", "news", "save"], clicks


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_claude_computer_tool_fills_the_form(browsers, tmp_path, scale):
    script = Claude()
    result, state, requests, steps = run_native(browsers, tmp_path, "anthropic", script, scale)
    assert_filled(result, state, script)
    path, headers, body = requests[0]
    assert path == "/v1/messages" and headers["anthropic-beta"] == "computer-use-2025-11-24"
    assert headers["x-api-key"] == "test-key" and headers["anthropic-version"] == "2023-06-01"
    tool = body["tools"][0]
    assert (tool["display_width_px"], tool["display_height_px"]) == (1356, 847)  # 1600x1000 fitted to 1.15 MP
    ids = [b["id"] for b in requests[2][2]["messages"][-2]["content"] if b.get("type") == "tool_use"]
    answered = [b["tool_use_id"] for b in requests[2][2]["messages"][-1]["content"] if b["type"] == "tool_result"]
    assert len(ids) == 2 and answered == ids  # two tool_use blocks in one answer, each with its result
    first = steps[0]["info"]["native"]
    assert first["protocol"] == "anthropic" and len(first["replies"]) == 2  # the bad answer and the retry
    assert first["calls"][0]["name"] == "left_click" and steps[0]["response"] == "turn 2"
    assert steps[-1]["action"]["kind"] == "done" and steps[-1]["usage"]["prompt_tokens"] >= 7000


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_openai_computer_tool_fills_the_form_in_batches(browsers, tmp_path, scale):
    script, person = OpenAI(), Person("once")
    result, state, requests, steps = run_native(browsers, tmp_path, "openai", script, scale, person,
                                                max_pixels=1280 * 800)
    assert_filled(result, state, script)
    assert all(path == "/v1/responses" for path, _, _ in requests) and len(requests) == 4
    assert len(person.asked) == 1 and "malicious_instructions" in person.asked[0][1].reason
    assert script.acknowledged == [{"id": "cu_sc_1", "code": "malicious_instructions",
                                    "message": "The page may be asking you to submit data."}]
    assert steps[-2]["info"]["native"]["safety_checks"]["answer"] == "once"
    assert sum(1 for s in steps if "replies" in s["info"].get("native", {})) == 3  # one model call per batch


def test_a_declined_safety_check_goes_back_to_the_model(browsers, tmp_path):
    script, person = OpenAI(), Person("deny")
    result, state, requests, steps = run_native(browsers, tmp_path, "openai", script, 1.0, person)
    assert script.problems == [], script.problems
    assert result.status == "failed" and "did not allow" in result.message
    assert state[3] == "" and "save" not in [c[0] for c in state[4]]  # the Save click never ran
    assert script.acknowledged == [] and any("declined" in t for t in script.told)
    assert len(person.asked) == 1


def test_a_fixed_answer_never_acknowledges_a_safety_check(browsers, tmp_path):
    script = OpenAI()
    result, state, requests, steps = run_native(browsers, tmp_path, "openai", script, 1.0, FixedApprover("once"))
    assert result.status == "failed" and script.acknowledged == [] and state[3] == ""


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_ui_tars_grammar_fills_the_form(browsers, tmp_path, scale):
    script = UITars()
    result, state, requests, steps = run_native(browsers, tmp_path, "uitars", script, scale)
    assert_filled(result, state, script)
    assert all(path == "/v1/chat/completions" for path, _, _ in requests)
    assert "Action: click(point='<point>" in steps[0]["info"]["native"]["replies"][-1]["choices"][0]["message"][
        "content"]


@pytest.mark.parametrize(("protocol", "grid", "scale"), [("qwen25", 0.0, 1.0), ("qwen25", 0.0, 2.0),
                                                         ("qwen3", 999.0, 1.0), ("qwen3", 999.0, 2.0)])
def test_qwen_computer_use_function_fills_the_form(browsers, tmp_path, protocol, grid, scale):
    script = Qwen(grid)
    result, state, requests, steps = run_native(browsers, tmp_path, protocol, script, scale)
    assert_filled(result, state, script)
    assert "<tools>" in requests[0][2]["messages"][0]["content"]
