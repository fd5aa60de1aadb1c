"""Ctrl+A selects a field's text only when the click lands in a field: pressed on words, a cell or a button a
description found, it selects the whole page, which then reads as white on blue."""

import numpy as np

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from grounding.locate import Match
from grounding.refs.grammar import Ref
from grounding.router import Router
from planner.actions import Click, Key, TypeText
from planner.doing.base import Situation
from planner.doing.entering import clear, fill
from planner.language.intents import Clear
from planner.protocols import Observation


def _situation(element: Element) -> Situation:
    obs = Observation(np.zeros((300, 600, 3), np.uint8), Frame(0, 0, 600, 300))
    return Situation(obs, Screen(600, 300, (element,), ()), Router())


def _kinds(element: Element) -> list[type]:
    steps = fill(Match(element, 1.0, "said"), "ada", "the name", _situation(element))
    return [type(action) for action, _ in steps]


def test_a_field_holding_text_is_selected_before_typing_over_it():
    field = Element(Box(40, 20, 300, 44), "text_field", name="Name", value="bob", id=1)
    assert _kinds(field) == [Click, Key, TypeText]


def test_words_or_a_button_found_for_the_field_are_clicked_and_typed_at_but_never_select_the_page():
    for role, value in (("text", ""), ("button", ""), ("cell", "bob"), ("link", "")):
        found = Element(Box(40, 20, 300, 44), role, name="bob", value=value, id=1)
        assert _kinds(found) == [Click, TypeText], role


def test_clearing_a_cell_presses_no_select_all_and_a_field_is_emptied():
    cell = Element(Box(40, 20, 300, 44), "cell", name="bob", value="bob", id=1)
    steps = clear(Clear(target=Ref(label="bob", role="cell"), said="clear bob"), _situation(cell)).steps
    assert not [a for a, _ in steps if isinstance(a, Key)]
    field = Element(Box(40, 20, 300, 44), "text_field", name="Search", value="bob", id=1)
    keys = [a.keys for a, _ in clear(Clear(target=Ref(label="Search"), said="clear Search"), _situation(field)).steps
            if isinstance(a, Key)]
    assert keys == [("ctrl", "a"), ("delete",)]
