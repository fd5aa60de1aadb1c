"""A step names what it acts on in the command's own words for that thing, never the clause with its verb
("click the Name field", not "click clear the Name field"): the terminal and the trajectory print it."""

import pytest

from tests.ui_world import World, drive, el


class Told(World):
    """Keeps what each click and hover says it acts on."""

    said: list[str]

    def act(self, action: object) -> None:
        target = getattr(action, "target", None)
        if target:
            self.said.append(target)
        super().act(action)


def world() -> Told:
    w = Told([el("text", "Name", (10, 10, 60, 30)), el("text_field", "Name", (70, 10, 250, 30), value="Ada"),
              el("button", "Help", (10, 50, 80, 70)), el("spin_box", "Copies", (10, 130, 80, 150), value="1")])
    w.said = []
    return w


@pytest.mark.parametrize("command, words", [("clear the Name field", "the Name field"),
                                            ("hover over the Help button", "the Help button"),
                                            ("set Copies to 3", "Copies")])
def test_a_steps_target_is_the_things_words_not_the_clause(command, words):
    result, w = drive(command, world())
    assert result == "done" and w.said and set(w.said) == {words}
