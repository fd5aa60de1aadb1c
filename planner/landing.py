"""What a click or a key press lands on, read from the step's screen, so the policy judges the control it acts on.

An agent that grounded its click on an element says its name (planner/aci.py, the direct interpreter, replay); one
that clicks a bare point (a native computer-use model) does not, so the element under the point is read here. Enter
or space acts on what has the focus: the focused button or link itself, or, for Enter in a one-line text field,
the form's default button (the accessibility tree's ``default`` state). Without a screen, or with nothing there to
name, the action is left as it was.
"""

from __future__ import annotations

from dataclasses import replace

from grounding.coords import Frame, Point, Space, logical_to_image
from grounding.elements import Element, Screen
from planner.actions import Action, Click, Key

PRESSES = {("enter",): "Enter", ("space",): "space"}  # keys that press the focused control, as a ruling says them
SUBMITS = ("text_field",)  # Enter in a one-line field submits its form; space there types a space
TYPES_INTO = ("text_field", "text_area", "spin_box")  # Enter or space there edits the text, and presses nothing


def needs_screen(action: Action) -> bool:
    """Whether the policy needs the step's screen to know what ``action`` acts on."""
    match action:
        case Click(name=""):
            return True
        case Key(name="") if action.keys in PRESSES:
            return True
    return False


def land(action: Action, screen: Screen | None, frame: Frame) -> Action:
    """``action`` with the name and role of what it acts on filled in from ``screen``, where it did not say."""
    if screen is None or not needs_screen(action):
        return action
    match action:
        case Click():
            el = under(screen, frame, action.x, action.y)
            return replace(action, name=el.name, role=action.role or el.role) if el is not None else action
        case Key():
            return _pressed(action, screen)
    return action


def under(screen: Screen, frame: Frame, x: float, y: float) -> Element | None:
    """The element under the logical desktop point (x, y) on ``screen`` (captured on ``frame``)."""
    from grounding.template import element_at  # it brings OpenCV: loaded only when a point needs naming

    p = logical_to_image(Point(x, y, Space.LOGICAL), frame)
    return element_at(screen, p.x, p.y)


def _pressed(key: Key, screen: Screen) -> Key:
    focus = _focused(screen)
    if focus is None:
        return key
    if focus.role in SUBMITS and key.keys == ("enter",):
        default = next((e for e in screen.controls() if "default" in e.states and not e.disabled), None)
        if default is None:
            return key
        return replace(key, name=default.name, role=default.role, focus=focus.name or "a text field")
    if focus.role in TYPES_INTO:
        return key
    return replace(key, name=focus.name, role=focus.role)


def _focused(screen: Screen) -> Element | None:
    try:
        return screen.get(screen.focused) if screen.focused else None
    except KeyError:
        return None
