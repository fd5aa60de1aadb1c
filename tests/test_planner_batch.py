"""The planner's worker against a loopback OpenAI-protocol server: targets by id, by point and by description; a
bad point or id goes back to the model; batches stop where they must; set reads the state first; the manager's
facts are replaced and dropped. The desktop is a recording driver over parsed screens that change when the app
would (a click on "Export..." brings its dialog to the front)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from app.engine.executor import DesktopExecutor
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from models.chat import Meter
from models.openai_compat import OpenAICompatible
from planner.hierarchy import HierarchicalAgent, PlannerConfig
from planner.loop import Loop
from planner.policy import FixedApprover, Gate, Policy, PolicySettings
from planner.protocols import Observation
from planner.trajectory import Trajectory, load
from tests.fakes import RecordingDriver, RoleScript
from tests.openai_server import ScriptedServer

# an 800x600 screenshot of a HiDPI monitor (2 image pixels per logical pixel) whose origin is at (100, 50)
FRAME = Frame(100, 50, 800, 600, 2.0)
LOGIN = Screen(800, 600, (
    Element(Box(200, 40, 600, 100), "text_field", name="User"),
    Element(Box(200, 120, 600, 180), "text_field", name="Password", states=frozenset({"password"})),
    Element(Box(40, 200, 80, 240), "checkbox", name="Remember me", states=frozenset({"checked"})),
    Element(Box(40, 260, 80, 300), "checkbox", name="Stay signed in"),
    Element(Box(40, 400, 240, 460), "button", name="Log in"),
    Element(Box(400, 400, 640, 460), "button", name="Export…"),
    Element(Box(40, 500, 400, 540), "text", name="Welcome back", line=0),
), title="Login - App")
DIALOG = Screen(800, 600, (
    Element(Box(200, 40, 600, 100), "text_field", name="File name"),
    Element(Box(400, 400, 640, 460), "button", name="Export"),
), title="Export - App")


def centre(box: Box) -> tuple[int, int]:
    """The logical point the driver should get for an element box in image pixels."""
    return round(100 + (box.x0 + box.x1) / 4), round(50 + (box.y0 + box.y1) / 4)


@dataclass
class Desk:
    """A screen that changes with the recording driver's clicks: a click on Export... opens its dialog."""

    driver: RecordingDriver
    captures: int = 0

    def capture(self) -> Observation:
        self.captures += 1
        img = np.full((600, 800, 3), 250, np.uint8)
        img[0, :len(self.driver.calls) + 1] = 0  # every action leaves a mark: the screen changed
        return Observation(img, FRAME)

    def parse(self, image: np.ndarray) -> Screen:
        export = centre(LOGIN.elements[5].box)
        opened = any(c[:3] == ("click", *export) for c in self.driver.calls)
        return typed_into(DIALOG if opened else LOGIN, self.driver.calls)


def typed_into(screen: Screen, calls: list) -> Screen:
    """The screen with what was typed shown in the text field last clicked (Ctrl+A first: over what it held), and
    each checkbox clicked an odd number of times ticked the other way."""
    values: dict[int, str] = {}
    flipped: set[int] = set()
    into = None
    for c in calls:
        if c[0] == "click":
            x, y = (c[1] - 100) * 2, (c[2] - 50) * 2
            into = next((e.id for e in screen.elements if e.role == "text_field" and e.box.contains_point(x, y)), None)
            flipped ^= {e.id for e in screen.elements if e.role == "checkbox" and e.box.contains_point(x, y)}
        elif c[0] == "key" and c[1] == "ctrl+a" and into is not None:
            values[into] = ""
        elif c[0] == "type" and into is not None:
            values[into] = values.get(into, "") + c[1]
    return Screen(screen.width, screen.height, tuple(e.with_(value=values.get(e.id, e.value),
                                                            states=e.states ^ {"checked"} if e.id in flipped
                                                            else e.states) for e in screen.elements),
                  title=screen.title, window=screen.window)


@dataclass
class Editor(Desk):
    """Typing marks the window's title as holding unsaved changes, as GTK editors do ("*Login - App")."""

    def parse(self, image: np.ndarray) -> Screen:
        typed = any(c[0] == "type" for c in self.driver.calls)
        screen = Screen(800, 600, LOGIN.elements, title="*Login - App") if typed else LOGIN
        return typed_into(screen, self.driver.calls)


@dataclass
class Run:
    script: RoleScript
    config: dict = field(default_factory=dict)
    policy: PolicySettings = field(default_factory=PolicySettings)
    events: list = field(default_factory=list)
    desk: type = Desk

    def go(self, tmp_path, max_steps: int = 30):
        with ScriptedServer([self.script] * 100) as server:
            model = OpenAICompatible(server.base_url, "test-model", timeout=10, backoff=0.01, meter=Meter())
            driver = RecordingDriver()
            desk = self.desk(driver)
            loop = Loop(desk, DesktopExecutor(driver, workdir=str(tmp_path)), desk, max_steps=max_steps,
                        settle_timeout=0.05, gate=Gate(Policy(self.policy, str(tmp_path)), FixedApprover("deny")))
            agent = HierarchicalAgent(model, "Sign in as ada", PlannerConfig(workdir=str(tmp_path), image_width=400,
                                                                              settle_wait=0.1, **self.config),
                                      events=self.events.append)
            traj = Trajectory.create(tmp_path / "runs", agent.task)
            result = loop.run(agent, traj)
            self.requests = server.requests
        return result, driver, traj, agent


def turn(*actions, thought="next"):
    return {"thought": thought, "actions": list(actions)} if len(actions) > 1 else {"thought": thought,
                                                                                   "action": actions[0]}


def plan(*titles, **more):
    return {"subtasks": [{"title": t} for t in titles], **more}


def clicks(driver):
    return [c[1:3] for c in driver.calls if c[0] == "click"]


def test_targets_by_id_by_point_and_by_description_each_click_the_right_element(tmp_path):
    # the worker was sent a 400x300 screenshot (image_width 400): its point (30, 140) is on "Stay signed in"
    script = RoleScript(manager=[plan("log in"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#5"},
                                     {"type": "click", "target": {"x": 30, "y": 140}},
                                     {"type": "click", "target": 'the "Welcome back" text', "done": "clicked all"})])
    result, driver, traj, agent = Run(script).go(tmp_path)
    assert result.status == "done"
    assert clicks(driver) == [centre(LOGIN.elements[4].box), centre(LOGIN.elements[3].box),
                              centre(LOGIN.elements[6].box)]
    sources = [s["grounding"]["source"] for s in load(traj.folder) if s.get("grounding")]
    assert sources == ["id", "point", "text"]
    assert agent.calls == {"manager": 2, "worker": 1}  # three clicks, one worker call


def test_a_point_off_the_screenshot_and_an_unknown_id_go_back_to_the_model_and_the_run_recovers(tmp_path):
    script = RoleScript(manager=[plan("log in"), {"done": True}],
                        worker=[turn({"type": "click", "target": {"x": 900, "y": 20}}),
                                turn({"type": "click", "target": "#42"}),
                                turn({"type": "click", "target": "#{Log in}", "done": "logged in"})])
    result, driver, _, _ = Run(script).go(tmp_path)
    assert result.status == "done" and clicks(driver) == [centre(LOGIN.elements[4].box)]
    told = [t for r, t in script.seen if r == "worker"]
    assert "the point (900, 20) is outside the screenshot, which is 400x300 pixels" in told[1]
    assert "there is no element #42 on this screen; ids go from 1 to 7" in told[2]


def test_a_batch_stops_at_a_denied_action(tmp_path):
    script = RoleScript(manager=[plan("log in"), {"impossible": "typing the password was refused"}],
                        worker=[turn({"type": "type", "text": "ada", "into": "#1"},
                                     {"type": "type", "text": "hunter2", "into": "the Password field"},
                                     {"type": "click", "target": "#5", "done": "logged in"}),
                                turn({"type": "fail", "reason": "the policy refuses to type the password"})])
    result, driver, traj, agent = Run(script, policy=PolicySettings(secrets="deny")).go(tmp_path)
    assert result.status == "failed" and result.message == "typing the password was refused"
    assert centre(LOGIN.elements[4].box) not in clicks(driver)  # Log in was never clicked
    assert ("type", "hunter2") not in driver.calls and ("type", "ada") in driver.calls
    second = script.prompts("worker")[1]
    assert "2. type '••••••••' into the Password field -> refused by the policy" in second  # masked, even here
    assert "3. click #5 -> not run: an action before it did not work" in second
    assert 'Your "done" was not taken' in second
    assert "hunter2" not in (traj.folder / "traj.jsonl").read_text()
    assert not [t for _, t in script.seen if "hunter2" in t]


def test_a_batch_stops_at_an_action_that_opened_a_new_window(tmp_path):
    script = RoleScript(manager=[plan("export the report"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#6"},
                                     {"type": "type", "text": "report.pdf", "into": "#1"}),
                                turn({"type": "type", "text": "report.pdf", "into": "#{File name}"},
                                     {"type": "click", "target": "#{Export}", "done": "exported"})])
    result, driver, traj, agent = Run(script).go(tmp_path)
    assert result.status == "done"
    assert [s["action"]["kind"] for s in load(traj.folder)][:2] == ["click", "wait"]  # a new window: one more look
    second = script.prompts("worker")[1]
    assert "2. type 'report.pdf' into #1 -> not run: the window changed to \"Export - App\"" in second
    assert 'the window in front is now "Export - App" (it was "Login - App"): a new window or dialog' in second
    assert '#1 text field "File name"' in second
    assert driver.calls.count(("type", "report.pdf")) == 1  # only into the dialog's field, after it was seen


def test_a_batch_goes_on_into_a_new_window_that_its_next_action_names(tmp_path):
    script = RoleScript(manager=[plan("export the report"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#6"},
                                     {"type": "type", "text": "report.pdf", "window": "Export",
                                      "done": "exported"}),
                                turn({"type": "fail", "reason": "no display here to focus on"})])
    _, _, traj, _ = Run(script).go(tmp_path)
    kinds = [s["action"]["kind"] for s in load(traj.folder)]
    assert kinds[0] == "click" and "focus" in kinds  # the window came to the front, and the batch went on into it
    second = script.prompts("worker")[1]
    assert "2. type 'report.pdf' in the window 'Export' ->" in second and "not run" not in second


def test_a_title_that_gains_an_unsaved_mark_is_the_same_window_and_the_batch_goes_on(tmp_path):
    script = RoleScript(manager=[plan("sign in"), {"done": True}],
                        worker=[turn({"type": "type", "text": "ada", "into": "#1"},
                                     {"type": "type", "text": "secret", "into": "#2"},
                                     {"type": "click", "target": "#5", "done": "signed in"})])
    result, driver, traj, agent = Run(script, desk=Editor).go(tmp_path)
    assert result.status == "done" and agent.calls == {"manager": 2, "worker": 1}  # one worker call for three
    assert ("type", "secret") in driver.calls and centre(LOGIN.elements[4].box) in clicks(driver)
    told = script.prompts("manager")[1]
    assert "a new window" not in told


@dataclass
class Retitled(Desk):
    """A page that counts its edits in its title ("Login - App (1 change)"): the window system's id stays; with
    ``other``, a click on Export opens another window with the same title (a second "Login - App")."""

    other: bool = False

    def parse(self, image: np.ndarray) -> Screen:
        typed = sum(c[0] == "type" for c in self.driver.calls)
        export = centre(LOGIN.elements[5].box)
        if self.other and any(c[:3] == ("click", *export) for c in self.driver.calls):
            return replace(DIALOG, title="Login - App", window=2)
        title = f"Login - App ({typed} change{'s' * (typed != 1)})" if typed else "Login - App"
        return typed_into(replace(LOGIN, title=title, window=1), self.driver.calls)


def test_a_window_that_retitles_itself_is_the_same_window_and_the_batch_goes_on(tmp_path):
    script = RoleScript(manager=[plan("sign in"), {"done": True}],
                        worker=[turn({"type": "type", "text": "ada", "into": "#1"},
                                     {"type": "type", "text": "secret", "into": "#2"},
                                     {"type": "click", "target": "#5"}),
                                turn({"type": "done", "summary": "signed in"})])
    result, driver, traj, agent = Run(script, desk=Retitled).go(tmp_path)
    assert result.status == "done" and agent.calls == {"manager": 2, "worker": 2}
    assert ("type", "secret") in driver.calls and centre(LOGIN.elements[4].box) in clicks(driver)
    told = script.prompts("worker")[1]
    assert "a new window" not in told and "not run" not in told
    assert 'the window\'s title is now "Login - App (2 changes)" (it was "Login - App"): the same window' in told


def test_another_window_with_the_same_title_stops_the_batch(tmp_path):
    script = RoleScript(manager=[plan("export the report"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#6"},
                                     {"type": "type", "text": "report.pdf", "into": "#1"}),
                                turn({"type": "done", "summary": "the dialog is open"})])
    result, driver, traj, agent = Run(script, desk=lambda d: Retitled(d, other=True)).go(tmp_path)
    assert result.status == "done"
    second = script.prompts("worker")[1]
    assert "2. type 'report.pdf' into #1 -> not run: the window changed to \"Login - App\"" in second
    assert ("type", "report.pdf") not in driver.calls


def test_set_leaves_an_already_checked_box_checked_and_ticks_the_other(tmp_path):
    script = RoleScript(manager=[plan("remember me"), {"done": True}],
                        worker=[turn({"type": "set", "target": "#{Remember me}", "value": True},
                                     {"type": "set", "target": "the Stay signed in checkbox", "value": "on",
                                      "done": "both ticked"})])
    result, driver, _, agent = Run(script).go(tmp_path)
    assert result.status == "done"
    assert clicks(driver) == [centre(LOGIN.elements[3].box)]  # only the box that was not ticked yet
    assert agent.actions_done == 2


def test_a_replaced_fact_is_gone_from_the_next_prompt(tmp_path):
    script = RoleScript(
        manager=[plan("look", facts={"display": "shows 0", "saved": "not yet saved"}),
                 plan("look again", facts={"display": "shows 42", "saved": None}),
                 {"done": True, "summary": "read it", "answer": "It shows 42."}],
        worker=[turn({"type": "done", "summary": "looked: it shows 42"}), turn({"type": "done", "summary": "same"})])
    run = Run(script)
    result, _, _, agent = run.go(tmp_path)
    assert result.status == "done" and result.answer == "It shows 42."
    assert [(e.current, e.subtasks) for e in run.events] == [("look", ()), ("look again", ())]  # Planned, each plan
    managers = script.prompts("manager")
    assert "- display: shows 0\n- saved: not yet saved" in managers[1]
    assert "- display: shows 42" in managers[2]
    assert "shows 0" not in managers[2] and "not yet saved" not in managers[2]
    assert "- display: shows 42" in script.prompts("worker")[1]
    assert managers[2].count("looked: it shows 42") == 1  # each finished subtask once, whole


def test_a_type_with_enter_is_one_action_and_the_next_look_follows_it_whole(tmp_path):
    script = RoleScript(manager=[plan("search"), {"done": True}],
                        worker=[turn({"type": "type", "text": "ada", "into": "the User field", "enter": True}),
                                turn({"type": "press", "keys": "shift+tab", "done": "back"})])
    result, driver, traj, agent = Run(script).go(tmp_path)
    assert result.status == "done"
    assert driver.calls[-4:-1] == [("key", "ctrl+a"), ("type", "ada"), ("key", "enter")]
    assert driver.calls[-1] == ("key", "shift+tab")
    second = script.prompts("worker")[1]
    assert "1. type 'ada' into the User field + Enter -> done" in second
    assert agent.calls["worker"] == 2 and "reflector" not in agent.calls


def test_actions_past_the_turns_cap_are_not_run_and_the_worker_is_told(tmp_path):
    script = RoleScript(manager=[plan("tick both"), {"done": True}],
                        worker=[turn({"type": "click", "target": "#3"}, {"type": "click", "target": "#4"},
                                     {"type": "click", "target": "#5", "done": "x"}),
                                turn({"type": "done", "summary": "ticked"})])
    result, driver, _, _ = Run(script, config={"max_batch": 2}).go(tmp_path)
    assert result.status == "done" and len(clicks(driver)) == 2
    assert "(1 more actions were not run: at most 2 run in one turn)" in script.prompts("worker")[1]


ICONS = Screen(800, 600, (
    Element(Box(20, 20, 60, 60), "button"), Element(Box(70, 20, 110, 60), "button"),
    Element(Box(0, 100, 800, 600), "text_area"),
), title="Notes - Editor")


@dataclass
class Toolbar(Desk):
    """Two bare icon buttons: pointing at the first shows its tooltip below it, the second has none."""

    def parse(self, image: np.ndarray) -> Screen:
        moves = [c for c in self.driver.calls if c[0] == "move"]
        if moves and moves[-1][1:] == centre(ICONS.elements[0].box) and self.driver.calls[-1] == moves[-1]:
            tip = Element(Box(30, 66, 150, 86), "text", name="Side-Pane", line=0)
            return Screen(800, 600, (*ICONS.elements, tip), title=ICONS.title)
        return ICONS


def test_a_hover_tells_the_worker_what_tooltip_a_bare_icon_showed(tmp_path):
    script = RoleScript(manager=[plan("show the side pane"), {"done": True}],
                        worker=[turn({"type": "hover", "target": "#2"}, {"type": "hover", "target": "#1"}),
                                turn({"type": "click", "target": "#1", "done": "shown"})])
    result, driver, _, agent = Run(script, desk=Toolbar).go(tmp_path)
    assert result.status == "done"
    assert [c for c in driver.calls if c[0] == "move"] == [("move", *centre(ICONS.elements[1].box)),
                                                             ("move", *centre(ICONS.elements[0].box))]
    second = script.prompts("worker")[1]
    assert "1. hover over #2 -> done: no tooltip showed beside the pointer" in second
    assert '2. hover over #1 -> done: its tooltip says "Side-Pane"' in second
    assert clicks(driver) == [centre(ICONS.elements[0].box)] and agent.calls["worker"] == 2



def test_unsaved_marks_in_window_titles():
    from planner.batch import same_window, unsaved

    for marked, clean in [("*Untitled 1 - Mousepad", "Untitled 1 - Mousepad"), ("● notes.md - Code", "notes.md - Code"),
                          ("notes.txt*", "notes.txt"),
                          ("report (modified)", "report")]:
        assert same_window(marked, clean)
    assert unsaved("*Untitled 1 - Mousepad") and not unsaved("Untitled 1 - Mousepad")
    assert not same_window("Save As", "*Untitled 1 - Mousepad") and not same_window("Export - App", "Login - App")
