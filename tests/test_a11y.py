"""Accessibility trees as a grounding source: AT-SPI from a Qt app on Xvfb, merged with the pixels."""

from pathlib import Path

import pytest

from app.testing.desktop import Desktop
from grounding.a11y import merge, to_elements
from grounding.coords import Frame
from grounding.elements import Box, Element, Screen

EXAMPLES = Path(__file__).resolve().parent.parent / "assets" / "examples"


def test_merge_names_widgets_and_adds_unseen_ones():
    screen = Screen(400, 300, (Element(Box(70, 30, 300, 60), "text_field", source="widget"),
                               Element(Box(10, 100, 90, 130), "button", name="Save", source="widget")))
    nodes = [{"role": "text", "name": "Title", "box": [70, 30, 300, 60]},
             {"role": "push button", "name": "Save", "box": [10, 100, 90, 130]},
             {"role": "push button", "name": "Delete note", "box": [100, 100, 140, 130]}]
    merged = merge(screen, to_elements(nodes, Frame(0, 0, 400, 300)))
    field, save, delete = merged.elements
    assert (field.name, field.source) == ("Title", "widget+a11y")
    assert save.name == "Save" and delete.name == "Delete note" and delete.source == "a11y"


def test_tree_boxes_follow_the_frame():
    nodes = [{"role": "check box", "name": "Pinned", "box": [1930, 40, 1950, 60]}]
    (el,) = to_elements(nodes, Frame(left=1920, top=0, width=2560, height=1600, scale=2.0))
    assert el.box == Box(20, 80, 60, 120) and el.name == "Pinned"


@pytest.mark.display
@pytest.mark.parametrize("a11y", [True, False])
def test_icon_button_is_found_only_through_the_tree(tmp_path, a11y):
    with Desktop(tmp_path, 800, 500, a11y=a11y) as d:
        d.launch("python notes_app.py", cwd=EXAMPLES)
        d.do('type "Milk" into the Title field')
        result = d.do("click Delete note", timeout=6)
        if a11y:
            assert result.status == "done", result.message
            assert d.expect("text", "Note deleted", timeout=5).ok
        else:
            assert result.status in ("failed", "timeout")
            assert "Delete note" in result.message or "time" in result.message
