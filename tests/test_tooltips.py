"""Icon buttons named by their tooltips: a click whose target no control names points at the unnamed icons in turn,
reads what appears beside the pointer, and clicks the one whose tooltip says it (planner/doing/tooltips.py)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from app.testing.desktop import Desktop
from grounding.theme_icons import LIKENESS
from planner.actions import Move
from planner.doing.tooltips import says
from tests.ui_world import World, drive, el

TIPS = {"": "New tab", "✎": "Show/hide replacement dock", "▥": "Side-Pane"}


@dataclass
class Toolbar(World):
    """A toolbar of pictures whose names show only as tooltips, below the button pointed at."""

    tips: dict[int, int] = field(default_factory=dict)  # button id -> its tooltip's id

    def act(self, action: object) -> None:
        if isinstance(action, Move):
            self.shown -= set(self.tips.values())
            under = self.at(action.x, action.y)
            if under is not None and under.id in self.tips:
                self.shown.add(self.tips[under.id])
        super().act(action)


def toolbar(*pictures: str, guessed: tuple[str, ...] = ()) -> Toolbar:
    """Buttons 30 px wide along the top (a picture's glyph as its name, as OCR reads one), each tooltip hidden
    below its button until it is pointed at; ``guessed`` buttons are named by their look."""
    buttons = [el("button", p, (10 + 40 * i, 10, 40 + 40 * i, 40)) for i, p in enumerate(pictures)]
    buttons += [el("button", g, (10 + 40 * (len(pictures) + i), 10, 40 + 40 * (len(pictures) + i), 40),
                   ).with_(source=LIKENESS) for i, g in enumerate(guessed)]
    n = len(buttons)
    tips = [el("button", TIPS.get(b.name, f"Do {b.name}"), (b.box.x0 + 10, 48, b.box.x0 + 160, 66)) for b in buttons]
    area = el("text_area", "", (0, 80, 800, 600))
    world = Toolbar([*buttons, *tips, area])
    world.tips = {i: n + i for i in range(1, n + 1)}
    world.shown -= set(world.tips.values())
    return world


def pointed(world: Toolbar) -> list[str]:
    return [world.log[i + 1] for i, entry in enumerate(world.log[:-1]) if entry == "move"]


def test_the_button_whose_tooltip_says_the_target_is_clicked_after_pointing_at_the_pictures_before_it():
    world = toolbar("", "✎", "▥", "")
    result, world = drive("click Side-Pane", world)
    assert result == "done", result
    assert world.log[-1] == "click ▥"  # the button, never its tooltip
    assert world.log.count("move") == 4  # three pictures pointed at, then off the toolbar before the click


def test_a_tooltip_that_only_begins_with_the_target_is_taken_once_every_picture_was_read():
    world = toolbar("", "✎", "▥")
    result, world = drive("click Replace", world)
    assert result == "done", result
    assert world.log[-1] == "click ✎"
    assert world.log.count("move") == 4


def test_pictures_named_by_their_look_are_pointed_at_only_when_no_tooltip_says_the_target():
    world = toolbar("", "✎", guessed=("Save",))
    result, world = drive("click Replace", world)
    assert result == "done" and world.log[-1] == "click ✎"
    assert world.log.count("move") == 3  # the two unnamed pictures, then off the toolbar: "Save" is not read


def test_no_tooltip_saying_the_target_fails_in_one_sentence_that_says_what_they_said():
    world = toolbar("", "▥")
    result, world = drive("click Reload", world)
    assert "Reload" in result and "'New tab'" in result and "'Side-Pane'" in result
    assert not any(entry.startswith("click") for entry in world.log)


def test_a_field_or_an_item_of_something_is_not_looked_for_in_tooltips():
    world = toolbar("", "▥")
    result, world = drive("click the Side-Pane field", world)
    assert result != "done" and "move" not in world.log


def test_an_icon_of_several_alike_is_not_guessed_while_their_tooltips_can_say_which():
    world = toolbar("", "✎", "▥")
    result, world = drive("click the Replace icon", world)
    assert result == "done" and world.log[-1] == "click ✎"  # taken for its role alone, it was the first picture


def test_where_no_tooltip_says_it_an_icon_is_still_taken_for_its_role_and_a_lone_one_at_once():
    world = toolbar("", "▥")
    result, world = drive("click the Reload icon", world)
    assert result == "done" and world.log[-1] == "click " and world.log.count("move") == 2
    world = toolbar("")
    result, world = drive("click the trash icon", world)
    assert result == "done" and world.log == ["click "]


def test_what_a_tooltip_says():
    assert says("Side-Pane", "Side-Pane") == 1.0
    assert 0.5 < says("Replace", "Show/hide replacement dock") < 0.9
    assert 0.5 < says("Jump to", "Show/hide jump bar") < 0.9
    assert says("Reload", "Save the current tab") == 0.0


@pytest.mark.display
def test_featherpads_side_pane_is_found_by_its_tooltip_where_no_tree_names_it(tmp_path):
    """Qt's FeatherPad read from pixels alone: its Side-Pane button is a bare picture until pointed at."""
    with Desktop(tmp_path, 900, 640) as d:
        d.launch("featherpad")
        assert not any(e.name == "Side-Pane" for e in d.parser().parse(d.screenshot()).elements)
        result = d.do("click Side-Pane", timeout=90)
        assert result.status == "done", result.message
        assert d.has_text("Filter")  # the side pane's filter box
