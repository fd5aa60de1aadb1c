"""Risky acts taken without a named click: Enter or space on the focused control, Enter in a form whose default
button is risky, a native model's click on a bare point, and an unnamed icon judged by the agent's own words; each
ruling says why, in the trajectory's step.policy, through the real loop."""

import json

import numpy as np
import pytest

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.router import Router
from planner.aci import Translator, View
from planner.actions import Click, Done, Key
from planner.landing import land
from planner.loop import Loop
from planner.native.base import Call, NativeAgent, Turn
from planner.policy import FixedApprover, Gate, Policy, PolicySettings
from planner.replies import ClickA
from planner.risky import said_risk
from planner.trajectory import Trajectory, load
from tests.fakes import FixedParser, RecordingExecutor, StillScreen
from tests.test_native import FakeWire

FRAME = Frame(0, 0, 800, 600)


def screen(*elements: Element, focused: int = 0) -> Screen:
    return Screen(800, 600, tuple(e.with_(id=i) for i, e in enumerate(elements, 1)), focused=focused)


FORM = screen(Element(Box(10, 10, 300, 40), "text_field", name="Type DELETE to confirm"),
              Element(Box(10, 60, 200, 90), "button", name="Delete account", states=frozenset({"default"})),
              Element(Box(220, 60, 300, 90), "button", name="Keep it"),
              Element(Box(10, 110, 200, 140), "checkbox", name="Delete my posts too"),
              Element(Box(10, 160, 300, 260), "text_area", name="Why are you leaving?"),
              Element(Box(400, 10, 440, 40), "button"),  # an unnamed icon
              Element(Box(400, 60, 440, 90), "button", name="\U0001F5D1"))  # a trash glyph


def pressed(keys: tuple[str, ...], focused: int, command: str = ""):
    key = land(Key(keys=keys, command=command), screen(*FORM.elements, focused=focused), FRAME)
    return key, Policy().judge(key)


def test_enter_or_space_on_a_focused_risky_button_asks_like_a_click_on_it():
    key, ruling = pressed(("enter",), 2)
    assert (key.name, key.role, key.focus) == ("Delete account", "button", "")
    assert (ruling.verdict, ruling.rule) == ("ask", "risky_clicks: deletes")
    assert ruling.reason == "presses Enter on 'Delete account', which asks first: 'Delete account' deletes"
    assert pressed(("space",), 2)[1].reason.startswith("presses space on 'Delete account', which asks first")
    assert pressed(("enter",), 3)[1].verdict == "allow"  # "Keep it"
    assert pressed(("space",), 4)[1].verdict == "allow"  # a checkbox only chooses


def test_enter_in_a_field_presses_the_forms_default_button():
    key, ruling = pressed(("enter",), 1)
    assert (key.name, key.focus) == ("Delete account", "Type DELETE to confirm")
    assert ruling.verdict == "ask"
    assert ruling.reason == ("presses Enter in 'Type DELETE to confirm', which presses the form's default button "
                             "'Delete account', which asks first: 'Delete account' deletes")
    assert pressed(("space",), 1)[1].verdict == "allow"  # space types a space
    assert pressed(("enter",), 5)[1].verdict == "allow"  # Enter in a text area starts a new line
    no_default = screen(*(e.with_(states=frozenset()) for e in FORM.elements), focused=1)
    assert Policy().judge(land(Key(keys=("enter",)), no_default, FRAME)).verdict == "allow"


def test_a_persons_command_that_says_the_act_presses_it_without_a_second_ask():
    assert pressed(("enter",), 2, command="press Enter to delete the account")[1].verdict == "allow"
    assert pressed(("enter",), 2, command="press Enter")[1].verdict == "ask"


def test_other_keys_and_chords_are_not_judged():
    for keys in (("tab",), ("ctrl", "enter"), ("delete",)):
        assert land(Key(keys=keys), screen(*FORM.elements, focused=2), FRAME).name == ""
    assert Policy().judge(land(Key(keys=("enter",)), FORM, FRAME)).verdict == "allow"  # nothing has the focus


def test_a_click_on_a_bare_point_is_judged_by_the_element_under_it():
    click = land(Click(x=50, y=75), FORM, FRAME)
    assert (click.name, click.role) == ("Delete account", "button")
    assert Policy().judge(click).reason == "clicks 'Delete account', which asks first: 'Delete account' deletes"
    scaled = land(Click(x=25, y=37), FORM, Frame(0, 0, 400, 300, scale=2.0))  # logical points on a HiDPI capture
    assert scaled.name == "Delete account"
    assert land(Click(x=50, y=75, name="Save", role="button"), FORM, FRAME).name == "Save"  # what it was grounded on


@pytest.mark.parametrize("said, verdict", [
    ("the trash icon", "ask"),
    ("I will click the bin icon to get rid of the draft", "ask"),
    ("Deleting the old message now", "ask"),
    ("the gear icon", "allow"),
    ("I must not delete anything; open the settings", "allow"),
    ("", "allow"),
])
def test_an_unnamed_icon_is_judged_by_the_agents_own_words(said, verdict):
    click = land(Click(x=420, y=25, said=said), FORM, FRAME)
    assert (click.name, click.role) == ("", "button")
    assert Policy().judge(click).verdict == verdict


def test_the_ruling_on_an_unnamed_icon_quotes_the_words_and_a_glyph_says_what_it_shows():
    ruling = Policy().judge(land(Click(x=420, y=25, said="Now I'll click the trash icon next to it."), FORM, FRAME))
    assert ruling.reason == ("clicks an unnamed button at (420, 25), which asks first: the agent's words for it "
                             "(\"Now I'll click the trash icon next to it\") say it deletes")
    glyph = Policy().judge(land(Click(x=420, y=75), FORM, FRAME))
    assert glyph.verdict == "ask" and "the icon shows 'delete trash', so it deletes" in glyph.reason
    assert said_risk("the trash icon").does == "deletes"


def test_the_workers_click_on_an_unnamed_icon_carries_its_words_for_it():
    t = Translator(Router(), View(FORM, FRAME, (800, 600)))
    (by_id,) = t.steps(ClickA(type="click", target="#6"))
    assert (by_id.name, by_id.said) == ("", "#6")
    (named,) = t.steps(ClickA(type="click", target="#2"))
    assert named.said == ""  # a named control is judged by its name
    assert Policy().judge(Click(x=by_id.x, y=by_id.y, role="button", said="#6; click the trash icon")).verdict == \
        "ask"


def run_native(tmp_path, turns: list[Turn], settings: PolicySettings = PolicySettings()):
    executor = RecordingExecutor()
    agent = NativeAgent(FakeWire(turns), "task", FixedApprover("deny"))
    image = np.full((600, 800, 3), 255, np.uint8)
    loop = Loop(StillScreen(image), executor, FixedParser(FORM), max_steps=6, settle_timeout=0.05,
                gate=Gate(Policy(settings), FixedApprover("deny", why="nobody can be asked here")))
    result = loop.run(agent, Trajectory.create(tmp_path, "task"))
    lines = [json.loads(line) for line in (tmp_path.glob("*/traj.jsonl").__next__()).read_text().splitlines()]
    return result, executor.actions, lines


def point(x: float, y: float) -> Call:
    return Call("t", "left_click", {"coordinate": [x, y]}, [Click(x=x, y=y)])


def test_a_native_models_point_click_on_delete_account_is_refused_and_recorded(tmp_path):
    # the native agent parses no screen for a click; the loop reads the one the model saw to name the point
    result, ran, steps = run_native(tmp_path, [Turn([point(50, 75)], text="I'll click the red button"),
                                               Turn(final=Done(summary="gave up"))])
    assert ran == [] and result.status == "done"
    (click,) = [s for s in steps if s["action"]["kind"] == "click"]
    assert (click["action"]["name"], click["action"]["role"]) == ("Delete account", "button")
    assert click["policy"] == {"verdict": "deny", "reason": "nobody can be asked here: it clicks 'Delete account', "
                                                            "which asks first: 'Delete account' deletes"}


def test_a_native_models_words_judge_its_click_on_an_unnamed_icon(tmp_path):
    result, ran, steps = run_native(tmp_path, [Turn([point(420, 25)], text="Click the trash icon to delete it."),
                                               Turn([point(420, 25)], text="Open the settings."),
                                               Turn(final=Done(summary="ok"))])
    clicks = [s for s in steps if s["action"]["kind"] == "click"]
    assert clicks[0]["policy"]["verdict"] == "deny" and "('Click the trash icon to delete it') say it deletes" in \
        clicks[0]["policy"]["reason"]
    assert "policy" not in clicks[1] or clicks[1]["policy"] is None
    assert ran == [Click(x=420, y=25)]  # only the second, harmless one ran


def test_with_risky_clicks_allowed_the_loop_does_not_parse_for_it(tmp_path):
    result, ran, steps = run_native(tmp_path, [Turn([point(50, 75)]), Turn(final=Done(summary="ok"))],
                                    PolicySettings(risky_clicks="allow"))
    assert ran == [Click(x=50, y=75)] and "name" not in steps[0]["action"]


ICON_ROW = Screen(160, 120, (
    Element(Box(10, 10, 100, 30), "text", name="Draft: lunch plans", line=0),
    Element(Box(110, 10, 130, 30), "button", source="widget"),  # an unnamed icon
))


def test_the_workers_thought_judges_its_click_on_an_unnamed_icon_by_id(tmp_path):
    from tests.fakes import RoleScript
    from tests.test_planner import run as run_planner

    said = {"thought": "The trash icon beside the draft gets rid of it", "action": {"type": "click", "target": "#1"}}
    script = RoleScript(manager=[{"subtasks": [{"title": "tidy the drafts"}]}, {"done": True, "summary": "left"}],
                        worker=[said, {"thought": "refused", "action": {"type": "done", "summary": "refused"}}])
    result, driver, traj, _ = run_planner(script, tmp_path, screen=ICON_ROW, approver="deny")
    (click,) = [s for s in load(traj.folder) if s["action"]["kind"] == "click"]
    assert not [c for c in driver.calls if c[0] == "click"] and click["policy"]["verdict"] == "deny", click
    assert "clicks an unnamed button at" in click["policy"]["reason"]
    assert "('...The trash icon beside the draft...') say it deletes" in click["policy"]["reason"]


def test_an_openai_models_reasoning_summary_is_the_words_its_click_is_judged_by():
    from models.native_settings import NativeSettings
    from planner.native import make_agent
    from planner.protocols import Observation
    from tests.native_server import ProtocolServer

    def model(path, headers, body):
        return 200, {"id": "resp_1", "output": [
            {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Empty the bin now."}]},
            {"type": "computer_call", "id": "cu_1", "call_id": "call_1", "status": "completed",
             "actions": [{"type": "click", "button": "left", "x": 420, "y": 25}]}]}

    with ProtocolServer(model) as server:
        settings = NativeSettings(protocol="openai", base_url=server.v1, model="test-model", api_key="k")
        agent = make_agent(settings, "tidy up")
        image = np.full((600, 800, 3), 255, np.uint8)
        decision = agent.decide(Observation(image, FRAME), None)
    assert decision.response == "Empty the bin now."
    click = land(decision.action, FORM, FRAME)
    assert Policy().judge(click).reason == ("clicks an unnamed button at (420, 25), which asks first: the agent's "
                                            "words for it ('Empty the bin now') say it empties the bin")


def test_the_interpreters_enter_carries_the_persons_clause():
    from planner.direct import CommandAgent
    from planner.protocols import Observation

    focused = screen(*FORM.elements, focused=2)
    agent = CommandAgent.from_instruction("press Enter", patience=1, retry_wait=0.0)
    key = agent.decide(Observation(np.full((600, 800, 3), 255, np.uint8), FRAME), focused).action
    assert (key.keys, key.command) == (("enter",), "press Enter")
    assert Policy().judge(land(key, focused, FRAME)).verdict == "ask"  # the clause did not say delete
