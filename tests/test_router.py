import numpy as np
import pytest

from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound
from grounding.marks import mark
from grounding.router import Router
from planner.direct import CommandAgent
from planner.loop import Loop
from planner.trajectory import Trajectory, load
from tests.fakes import RecordingExecutor, StillScreen
from tests.ui_world import World, WorldParser

SCREEN = Screen(400, 300, (
    Element(Box(10, 10, 60, 30), "text", name="Name", line=0),
    Element(Box(70, 5, 250, 35), "text_field", name="Name", source="widget"),
    Element(Box(70, 45, 250, 75), "text_field", source="widget+a11y", name="Email"),
    Element(Box(10, 100, 90, 130), "button", name="Save", source="widget"),
    Element(Box(100, 100, 140, 130), "button", name="Delete note", source="a11y"),
))


def test_labels_go_to_text_roles_to_widgets_names_to_the_tree():
    router = Router()
    g = router.ground("the Save button", SCREEN)
    assert g.source == "text" and g.match.element.name == "Save" and g.explanation.startswith("text: ")
    g = router.ground("the 2nd text field", SCREEN)
    assert g.source == "widget" and g.match.element.name == "Email"
    g = router.ground("Delete note", SCREEN)
    assert g.source == "a11y" and g.match.element.box == Box(100, 100, 140, 130)
    assert g.to_json()["box"] == [100, 100, 140, 130]


def test_every_candidate_source_is_explained():
    g = Router().ground("the Email field", SCREEN)
    assert g.match.element.name == "Email"
    sources = {g.source, *(s for s, _ in g.alternatives)}
    assert sources == {"text", "a11y"} and "also" in g.explanation


def test_mark_numbers_and_legend_ids_map_back_to_elements():
    marks = mark(np.zeros((300, 400, 3), np.uint8), SCREEN, include_text=False)
    router = Router(marks=marks)
    g = router.ground("mark 3", SCREEN)
    assert g.source == "marks" and g.match.element.name == "Save"
    assert router.ground("[1]", SCREEN).match.element.name == "Name"
    with pytest.raises(NotFound, match="there is no mark 9"):
        router.ground("mark 9", SCREEN)
    assert Router().ground("#4", SCREEN).match.element.name == "Delete note"  # no marks drawn: the legend's ids
    with pytest.raises(NotFound, match="there is no element #9 on this screen; ids go from 1 to 5"):
        Router().ground("#9", SCREEN)


def test_the_choice_is_recorded_in_the_trajectory(tmp_path):
    world = World(list(SCREEN.elements), size=(SCREEN.width, SCREEN.height))
    loop = Loop(StillScreen(), RecordingExecutor(world=world), WorldParser(world), settle_timeout=0.05)
    traj = Trajectory.create(tmp_path, "click Delete note")
    assert loop.run(CommandAgent.from_instruction("click Delete note"), traj).status == "done"
    grounding = load(traj.folder)[0]["grounding"]
    assert grounding["source"] == "a11y" and grounding["box"] == [100, 100, 140, 130] and grounding["why"]
