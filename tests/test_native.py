"""The native agent's pieces without a display: coordinate frames, key names, UI-TARS's grammar, batches,
safety checks, password typing and the model's words in the trajectory."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from grounding.coords import (
    Frame,
    ModelImage,
    OffImage,
    Point,
    Space,
    fit_within,
    logical_to_model,
    model_to_image,
    model_to_logical,
)
from grounding.elements import Box, Element, Screen
from models.chat import Meter
from planner.actions import ActionError, Click, Done, Key, TypeText
from planner.loop import Loop
from planner.native.base import Call, NativeAgent, Turn
from planner.native.keys import chord, split_chord
from planner.native.uitars import parse_actions
from planner.policy import FixedApprover
from planner.protocols import Outcome
from planner.trajectory import Trajectory
from tests.fakes import FixedParser, RecordingExecutor, StillScreen


def test_a_smart_resized_answer_maps_back_axis_by_axis():
    frame = Frame(100, 0, 1600, 1000)  # a second monitor at x=100
    view = ModelImage(1596, 1008)  # Qwen's smart resize of 1600x1000: neither axis keeps its exact scale
    p = model_to_logical(798, 504, view, frame)
    assert (round(p.x, 6), round(p.y, 6)) == (900.0, 500.0)
    assert logical_to_model(Point(900, 500, Space.LOGICAL), view, frame) == pytest.approx((798, 504))


def test_grid_answers_and_the_far_edge():
    assert model_to_image(999, 999, ModelImage(640, 400, 999.0), (1280, 800)) == Point(1279, 799, Space.IMAGE)
    assert model_to_image(499.5, 0, ModelImage(640, 400, 999.0), (1280, 800)).x == pytest.approx(640)
    with pytest.raises(OffImage, match="outside the 0-999 grid"):
        model_to_image(1200, 5, ModelImage(640, 400, 999.0), (1280, 800))
    with pytest.raises(OffImage, match="outside the 1356x847 screenshot"):
        model_to_image(1400, 5, ModelImage(1356, 847), (1600, 1000))


def test_fit_within_keeps_the_aspect_and_never_grows():
    assert fit_within(1600, 1000, 1568, 1_150_000) == (1356, 847)
    assert fit_within(3840, 2160, 1568) == (1568, 882)
    assert fit_within(800, 600, 1568, 1_150_000) == (800, 600)


def test_key_names_from_every_protocol():
    assert split_chord("ctrl+shift+t").keys == ("ctrl", "shift", "t")
    assert split_chord("Return").keys == ("enter",)
    assert split_chord("ctrl c", r"\s+").keys == ("ctrl", "c")
    assert chord(["CTRL", "A"]).keys == ("ctrl", "a")
    assert chord(["ArrowLeft"]).keys == ("left",)
    assert split_chord("super_L").keys == ("super",)
    with pytest.raises(ActionError, match="'hyper' is not a key"):
        split_chord("hyper+x")


def test_ui_tars_grammar():
    text = ("Thought: fill it in.\nAction: click(start_box='<|box_start|>(12,34)<|box_end|>')\n\n"
            "type(content='it\\'s done\\n')")
    assert parse_actions(text) == [("click", {"start_box": "<|box_start|>(12,34)<|box_end|>"}),
                                   ("type", {"content": "it's done\n"})]
    assert parse_actions("Action: type(content='say 'hi' loudly')") == [("type", {"content": "say 'hi' loudly"})]
    assert parse_actions("Action: drag(start_point='<point>1 2</point>', end_point='<point>3 4</point>')")[0][1] \
        == {"start_point": "<point>1 2</point>", "end_point": "<point>3 4</point>"}
    with pytest.raises(ActionError, match="no 'Action:' line"):
        parse_actions("Thought: hmm")


@dataclass
class FakeWire:
    """A protocol adapter with its answers given: each item makes one Turn from the observation."""

    turns: list
    name: str = "fake"
    meter: Meter = field(default_factory=Meter)
    sent: list = field(default_factory=list)
    acked: list = field(default_factory=list)

    def turn(self, obs, results, note):
        self.sent.append([(r.call.name, r.ok, r.text) for r in results])
        return self.turns.pop(0)

    def acknowledge(self, checks):
        self.acked.append(checks)


@dataclass
class Person:
    answer: str = "once"
    asked: list = field(default_factory=list)

    def approve(self, action, ruling):
        self.asked.append(ruling.reason)
        return self.answer


def click(name: str, x: float = 10, y: float = 10) -> Call:
    return Call("c1", name, {}, [Click(x=x, y=y)])


def run(wire: FakeWire, tmp_path, approver=None, screen: Screen | None = None, executor=None):
    agent = NativeAgent(wire, "task", approver or FixedApprover("deny"))
    loop = Loop(StillScreen(), executor or RecordingExecutor(), FixedParser(screen or Screen(160, 120)), max_steps=8,
                settle_timeout=0.05)
    return loop.run(agent, Trajectory.create(tmp_path, "task")), agent


SAFETY = [{"id": "sc1", "code": "irrelevant_domain", "message": "The page is off task."}]


@pytest.mark.parametrize("approver", [FixedApprover("once"), FixedApprover("always")])
def test_a_fixed_answer_never_acknowledges_a_safety_check(tmp_path, approver):
    wire = FakeWire([Turn([click("click")], safety=SAFETY), Turn(final=Done(summary="ok"))])
    executor = RecordingExecutor()
    result, _ = run(wire, tmp_path, approver, executor=executor)
    assert wire.acked == [] and executor.actions == []
    assert wire.sent[1] == [("click", False, "Not run: the person declined it after the safety check "
                                             "(The page is off task.).")]


def test_a_person_acknowledges_a_safety_check(tmp_path):
    person, executor = Person("once"), RecordingExecutor()
    wire = FakeWire([Turn([click("click")], safety=SAFETY), Turn(final=Done(summary="ok"))])
    result, _ = run(wire, tmp_path, person, executor=executor)
    assert result.status == "done" and wire.acked == [SAFETY] and len(executor.actions) == 1
    assert "irrelevant_domain: The page is off task." in person.asked[0]


@dataclass
class FailingOnType(RecordingExecutor):
    def execute(self, action):
        if isinstance(action, TypeText):
            return Outcome(ok=False, error="the keyboard is gone")
        return super().execute(action)


def test_a_failed_action_drops_the_rest_of_its_batch_and_the_model_hears_why(tmp_path):
    batch = [click("click"), Call("c2", "type", {}, [TypeText(text="x")]), Call("c3", "key", {}, [Key(keys=("a",))])]
    wire = FakeWire([Turn(batch), Turn(final=Done(summary="ok"))])
    executor = FailingOnType()
    result, _ = run(wire, tmp_path, executor=executor)
    assert result.status == "done" and [a.kind for a in executor.actions] == ["click"]
    assert wire.sent[1] == [("click", True, ""), ("type", False, "the keyboard is gone"),
                            ("key", False, "Not run: an earlier action in this batch did not go through.")]


def test_answers_without_an_action_are_sent_back_until_the_budget_runs_out(tmp_path):
    bad = [Turn([Call("", "reply", error="no tool call")]) for _ in range(6)]
    result, _ = run(FakeWire(bad), tmp_path)
    assert result.status == "failed" and "6 times in a row" in result.message


def password_screen() -> Screen:
    named = {"name": "Password"} if "name" in Element.__dataclass_fields__ else {"label": "Password"}
    return Screen(160, 120, (Element(Box(0, 0, 80, 30), "text_field", **named),),
                  image=np.zeros((120, 160, 3), np.uint8))


def test_text_typed_after_clicking_a_password_field_is_secret_everywhere(tmp_path):
    wire = FakeWire([Turn([click("left_click", 20, 15)], text="click the password field"),
                     Turn([Call("t", "type", {"text": "hunter2"}, [TypeText(text="hunter2")])],
                          text="typing", raw={"content": [{"type": "tool_use", "input": {"text": "hunter2"}}]}),
                     Turn(final=Done(summary="signed in"))])
    executor = RecordingExecutor()
    result, agent = run(wire, tmp_path, screen=password_screen(), executor=executor)
    assert result.status == "done" and agent.secrets == {"hunter2"}
    assert executor.actions[1] == TypeText(text="hunter2", secret=True)
    written = "".join(p.read_text() for p in tmp_path.rglob("*.json*"))
    assert "hunter2" not in written and '"replies"' in written


def claude_zoom_script(requests: list):
    """A Claude that zooms, asks where the cursor is, moves, asks again, then finishes."""
    answers = [[{"action": "zoom", "region": [0, 0, 40, 30]}, {"action": "cursor_position"}],
               [{"action": "mouse_move", "coordinate": [80, 60]}], [{"action": "cursor_position"}], []]

    def model(path, headers, body):
        requests.append(body)
        uses = answers.pop(0)
        if not uses:
            return 200, {"content": [{"type": "text", "text": "Looked closely."}], "stop_reason": "end_turn"}
        return 200, {"content": [{"type": "tool_use", "id": f"t{len(requests)}{i}", "name": "computer", "input": u}
                                 for i, u in enumerate(uses)], "stop_reason": "tool_use"}
    return model


def test_claude_zoom_and_cursor_position_are_answered_without_touching_the_desktop(tmp_path):
    from models.native_settings import NativeSettings
    from planner.native import make_agent
    from tests.native_server import ProtocolServer, decode

    requests: list = []
    with ProtocolServer(claude_zoom_script(requests)) as server:
        settings = NativeSettings(protocol="anthropic", base_url=server.root, model="m", api_key="k", legend=True)
        executor = RecordingExecutor()
        loop = Loop(StillScreen(np.full((600, 800, 3), 200, np.uint8)), executor, FixedParser(password_screen()),
                    max_steps=5, settle_timeout=0.05)
        result = loop.run(make_agent(settings, "look closely"), Trajectory.create(tmp_path, "look closely"))
    assert result.status == "done" and result.message == "Looked closely."
    assert [a.kind for a in executor.actions] == ["move"]
    zoom, cursor = requests[1]["messages"][-1]["content"][:2]
    image = decode(zoom["content"][1]["source"]["data"])
    assert zoom["tool_use_id"] == "t10" and image.shape[:2] == (600, 800)  # a 40x30 region shown full size
    assert "not known yet" in cursor["content"][0]["text"]
    assert requests[3]["messages"][-1]["content"][0]["content"][0]["text"] == "X=80,Y=60"
    assert "<screen>" in json_text(requests[0]["messages"][0]) and "Password" in json_text(requests[0]["messages"][0])


def json_text(value) -> str:
    import json

    return json.dumps(value)


def test_openai_preview_tool_declares_the_screen_size(tmp_path):
    from models.native_settings import NativeSettings
    from planner.native import make_agent
    from tests.native_server import ProtocolServer

    bodies: list = []

    def model(path, headers, body):
        bodies.append(body)
        return 200, {"id": "r1", "output": [{"type": "message", "content": [{"type": "output_text",
                                                                              "text": "nothing to do"}]}]}

    with ProtocolServer(model) as server:
        settings = NativeSettings(protocol="openai", base_url=server.v1, model="m", api_key="k",
                                  tool="computer_use_preview", max_pixels=400 * 300)
        loop = Loop(StillScreen(np.full((600, 800, 3), 200, np.uint8)), RecordingExecutor(), FixedParser(Screen(1, 1)))
        result = loop.run(make_agent(settings, "t"), Trajectory.create(tmp_path, "t"))
    assert result.status == "done"
    assert bodies[0]["tools"] == [{"type": "computer_use_preview", "display_width": 400, "display_height": 300,
                                   "environment": "linux"}]
    assert "400x300" in bodies[0]["input"][0]["content"][0]["text"]


def test_actions_before_the_end_run_first_and_a_failure_cancels_the_end(tmp_path):
    wire = FakeWire([Turn([click("click")], final=Done(summary="clicked and done"))])
    result, _ = run(wire, tmp_path)
    assert result.status == "done" and len(wire.sent) == 1  # no second model call
    failing = FakeWire([Turn([Call("t", "type", {}, [TypeText(text="x")])], final=Done(summary="typed")),
                        Turn(final=Done(summary="the keyboard failed, so I stopped"))])
    result, _ = run(failing, tmp_path / "second", executor=FailingOnType())
    assert result.message == "the keyboard failed, so I stopped"
    assert failing.sent[1] == [("type", False, "the keyboard is gone")]
