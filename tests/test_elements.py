"""The screen model's data: roles and states checked, ids numbered controls first, JSON both ways."""

import pytest

from grounding.elements import Box, Element, Screen


def test_ids_number_controls_first_in_reading_order_and_parents_follow():
    screen = Screen(400, 300, (
        Element(Box(10, 10, 200, 30), "text", name="Pick a colour", line=0),
        Element(Box(10, 80, 200, 100), "option", name="Blue", parent=7, id=9),
        Element(Box(10, 40, 200, 60), "dropdown", name="Colour", value="Red", id=7),
        Element(Box(10, 60, 200, 80), "option", name="Red", parent=7, states={"selected", "focused"}, id=8),
    ))
    assert [(e.id, e.role, e.name) for e in screen.elements] == [
        (1, "dropdown", "Colour"), (2, "option", "Red"), (3, "option", "Blue"), (4, "text", "Pick a colour")]
    assert [e.name for e in screen.children(1)] == ["Red", "Blue"] and screen.focused == 2
    assert screen.get(3).name == "Blue" and [e.id for e in screen.controls()] == [1, 2, 3]
    with pytest.raises(KeyError, match="there is no element #12 on this screen; ids go from 1 to 4"):
        screen.get(12)
    subset = Screen(400, 300, tuple(screen.controls()[1:]))
    assert [e.id for e in subset.elements] == [2, 3]  # a subset keeps its numbers


def test_roles_and_states_are_checked():
    with pytest.raises(ValueError, match="role must be one of"):
        Element(Box(0, 0, 1, 1), "widget")
    with pytest.raises(ValueError, match="states must be among .* got ticked"):
        Element(Box(0, 0, 1, 1), "checkbox", states={"ticked"})
    box = Element(Box(0, 0, 1, 1), "checkbox", name="Agree", states=["checked"])
    assert box.checked and box.is_control and not box.disabled and isinstance(box.states, frozenset)


def test_json_round_trip():
    el = Element(Box(1, 2, 30, 40), "text_field", name="Email", value="", states={"focused", "password"}, id=3,
                 source="widget+ocr", confidence=0.7)
    data = el.to_json()
    assert data == {"id": 3, "role": "text_field", "name": "Email", "value": "", "states": ["focused", "password"],
                    "box": [1, 2, 30, 40], "source": "widget+ocr", "confidence": 0.7}
    assert Element.from_json(data) == el.with_(line=-1)
    screen = Screen(100, 100, (el,), title="Sign in")
    assert screen.to_json()["focused"] == 3 and screen.to_json()["title"] == "Sign in"
