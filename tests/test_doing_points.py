"""Where a click on what was found lands: the middle of a control, but the name of a tree item, whose row runs
far right of it (a web page's tree opens a node only when its name is clicked)."""

import numpy as np

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.router import Router
from planner.doing.base import Situation
from planner.protocols import Observation


def _situation(elements: tuple[Element, ...], words: tuple[Element, ...]) -> Situation:
    obs = Observation(np.zeros((300, 600, 3), np.uint8), Frame(0, 0, 600, 300))
    return Situation(obs, Screen(600, 300, elements, words), Router())


def test_a_tree_item_is_clicked_on_its_name_and_a_button_in_its_middle():
    node = Element(Box(40, 20, 560, 44), "tree_item", name="Riley Keli", states={"collapsed"}, id=1)
    row = Element(Box(40, 60, 560, 84), "button", name="Susanetta", id=2)
    words = (Element(Box(60, 24, 100, 40), "text", name="Riley", line=0),
             Element(Box(106, 24, 140, 40), "text", name="Keli", line=0),
             Element(Box(60, 64, 130, 80), "text", name="Susanetta", line=1))
    s = _situation((node, row), words)
    click = s.click(node, "Riley Keli")[0]
    assert 60 <= click.x <= 140 and 24 <= click.y <= 40
    click = s.click(row, "Susanetta")[0]
    assert (click.x, click.y) == (300, 72)


def test_a_tree_item_whose_words_are_not_indexed_is_clicked_in_its_middle():
    node = Element(Box(40, 20, 560, 44), "tree_item", name="Riley", id=1)
    click = _situation((node,), ()).click(node, "Riley")[0]
    assert (click.x, click.y) == (300, 32)
