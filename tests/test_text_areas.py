"""Text areas the parser read only as lines (grounding/text_areas.py), on synthetic screens."""

from grounding.elements import Box
from grounding.more_widgets import augment
from grounding.parser import ScreenParser
from tests.render import Canvas


def test_an_outlined_box_of_lines_is_a_text_area_a_banner_and_a_panel_with_a_button_are_not():
    c = Canvas(800, 500)
    c.draw.rectangle((0, 0, 380, 90), fill=(255, 255, 0))  # the instruction's banner: a fill, no outline
    c.text(10, 10, "Copy the text below and")
    c.text(10, 45, "paste it into the box")
    c.draw.rectangle((20, 120, 260, 300), outline=(118, 118, 118), fill="white", width=1)
    for i, word in enumerate(["Elementum", "arcu in. Dis", "rhoncus eu"]):
        c.text(30, 130 + 40 * i, word)
    c.draw.rectangle((420, 120, 780, 400), outline=(150, 150, 150), fill="white", width=1)  # a dialog-like panel
    c.text(440, 140, "Are you sure you")
    c.text(440, 180, "want to leave?")
    c.button(440, 300, "Leave")
    screen = augment(ScreenParser().parse(c.array()))
    areas = [e for e in screen.elements if e.role == "text_area"]
    assert len(areas) == 1
    assert areas[0].box.contains(Box(20, 120, 260, 300), slack=2)
    assert areas[0].value.startswith("Elementum arcu in") and "rhoncus" in areas[0].value
