import json

import pytest

from planner.actions import (
    ActionError,
    AskUser,
    Click,
    Done,
    Drag,
    Fail,
    Key,
    Move,
    Open,
    RunCode,
    Scroll,
    TypeText,
    Wait,
    describe,
    from_json,
    to_json,
)

EXAMPLES = [
    Click(x=10, y=20), Click(x=1, y=2, button="right"), Click(x=1, y=2, button="middle"), Click(x=5, y=5, count=2),
    Open(app="gedit notes.txt"), Move(x=3, y=4, target="the logo"),
    Drag(x=1, y=2, to_x=30, to_y=40), Scroll(x=100, y=100, dy=-3),
    TypeText(text="hello"), Key(keys=("ctrl", "s")), Key(keys=("enter",)), Wait(seconds=0.5), Done(summary="ok"),
    Fail(reason="no Save button"), AskUser(question="Which file?"), RunCode(language="bash", code="ls"),
    RunCode(language="python", code="print(1)", timeout=5),
]


@pytest.mark.parametrize("action", EXAMPLES, ids=lambda a: a.kind)
def test_json_round_trip(action):
    data = json.loads(json.dumps(to_json(action)))
    assert data["kind"] == action.kind
    assert from_json(data) == action
    assert describe(action)


@pytest.mark.parametrize("build, field", [
    (lambda: Click(x=-1, y=5), "x"),
    (lambda: Click(x=1, y=-5), "y"),
    (lambda: Click(x=1, y=1, button="left2"), "button"),
    (lambda: Click(x=1, y=1, count=4), "count"),
    (lambda: Drag(x=1, y=1, to_x=-2, to_y=1), "to_x"),
    (lambda: TypeText(text=""), "text"),
    (lambda: Key(keys=("hyperspace",)), "keys"),
    (lambda: Key(keys=("s", "ctrl")), "keys"),
    (lambda: Key(keys=()), "keys"),
    (lambda: Scroll(x=1, y=1), "dy"),
    (lambda: Wait(seconds=-1), "seconds"),
    (lambda: RunCode(language="ruby", code="puts 1"), "language"),
    (lambda: RunCode(language="bash", code="  "), "code"),
    (lambda: Fail(reason=" "), "reason"),
])
def test_invalid_values_name_the_field(build, field):
    with pytest.raises(ActionError) as err:
        build()
    assert str(err.value).startswith(f"{field}:")


def test_from_json_rejects_unknown_kind_and_fields():
    with pytest.raises(ActionError, match="^kind: unknown action kind 'teleport'"):
        from_json({"kind": "teleport"})
    with pytest.raises(ActionError, match="^speed: not a field"):
        from_json({"kind": "click", "x": 1, "y": 2, "speed": 3})
    with pytest.raises(ActionError, match="^y:"):
        from_json({"kind": "click", "x": 1})


def test_key_accepts_chord_string_and_normalises_names():
    assert from_json({"kind": "key", "keys": "Ctrl+Shift+T"}).keys == ("ctrl", "shift", "T")
    assert Key(keys=("Return",)).keys == ("enter",)


def test_secret_text_is_masked_in_json():
    data = to_json(TypeText(text="hunter2", secret=True))
    assert data["text"] == "•" * 7
    assert "hunter2" not in describe(TypeText(text="hunter2", secret=True))


def test_actions_are_frozen():
    with pytest.raises(AttributeError):
        Click(x=1, y=2).x = 5  # type: ignore[misc]
