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


def test_an_outlined_field_the_parser_missed_is_a_field_and_its_icon_is_part_of_it():
    c = Canvas(640, 300)
    c.draw.rectangle((20, 40, 240, 86), outline=(118, 118, 118), fill="white", width=2)  # a time field, empty
    for x in (30, 44, 70, 84, 116, 130):  # its "--:-- --" placeholder, too faint and small to read
        c.draw.line((x, 63, x + 6, 63), fill=(150, 150, 150), width=2)
    c.draw.ellipse((204, 51, 228, 75), outline="black", width=2)  # its clock
    c.draw.line((216, 63, 216, 56), fill="black", width=2)
    c.button(20, 110, "Submit")
    c.draw.rectangle((300, 40, 620, 260), outline=(150, 150, 150), fill="white", width=1)  # a card: not field-shaped
    c.text(320, 60, "Nydia @karrie")
    screen = augment(ScreenParser().parse(c.array()))
    fields = [e for e in screen.elements if e.role == "text_field"]
    assert len(fields) == 1 and fields[0].box.contains(Box(20, 40, 240, 86), slack=3)
    assert not [e for e in screen.controls() if e.role in ("radio", "checkbox")]  # the clock is no radio
    assert [e.name for e in screen.controls() if e.role == "button"] == ["Submit"]


def test_a_text_area_of_one_line_is_known_by_its_resize_grip():
    c = Canvas(640, 300)
    for x0, grip in ((20, True), (340, False)):
        c.draw.rectangle((x0, 40, x0 + 250, 90), outline=(118, 118, 118), fill="white", width=1)
        c.text(x0 + 8, 48, "Recy")
        if grip:  # two short strokes up to the right in the bottom right corner
            c.draw.line((x0 + 236, 86, x0 + 246, 76), fill=(118, 118, 118), width=2)
            c.draw.line((x0 + 241, 86, x0 + 246, 81), fill=(118, 118, 118), width=2)
    screen = augment(ScreenParser().parse(c.array()))
    areas = [e for e in screen.elements if e.role == "text_area"]
    assert len(areas) == 1 and areas[0].box.x0 < 100
