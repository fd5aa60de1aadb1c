"""Sliders and tree expanders from their shapes (grounding/more_widgets.py), on synthetic screens."""

import cv2
import numpy as np
from PIL import Image, ImageDraw

from grounding.elements import Box
from grounding.more_widgets import augment, expander_sign, find_sliders
from grounding.parser import ScreenParser
from tests.render import Canvas, font


def gray(img: Image.Image) -> np.ndarray:
    return cv2.cvtColor(np.array(img), cv2.COLOR_RGB2GRAY)


def slider(draw: ImageDraw.ImageDraw, x: int, y: int, length: int, at: float, vertical: bool = False) -> None:
    """A jQuery-UI-like slider: an outlined track 12 px thick and a 24 px square thumb across it."""
    if vertical:
        draw.rounded_rectangle((x, y, x + 12, y + length), radius=4, outline="#c5c5c5", width=2, fill="#fff")
        cy = y + int(length * at)
        draw.rounded_rectangle((x - 6, cy - 12, x + 18, cy + 12), radius=3, outline="#c5c5c5", width=2, fill="#f6f6f6")
    else:
        draw.rounded_rectangle((x, y, x + length, y + 12), radius=4, outline="#c5c5c5", width=2, fill="#fff")
        cx = x + int(length * at)
        draw.rounded_rectangle((cx - 12, y - 6, cx + 12, y + 18), radius=3, outline="#c5c5c5", width=2, fill="#f6f6f6")


def test_sliders_horizontal_and_vertical_are_found_scrollbars_and_text_are_not():
    img = Image.new("RGB", (640, 400), "white")
    d = ImageDraw.Draw(img)
    slider(d, 40, 60, 240, 0.3)
    slider(d, 400, 40, 200, 0.9, vertical=True)
    d.rectangle((40, 200, 300, 214), outline="#aaa", width=2)  # a scrollbar: its thumb is as thick as its track
    d.rectangle((120, 200, 180, 214), fill="#888")
    d.line((40, 260, 300, 260), fill="#333", width=2)  # a rule
    d.text((40, 300), "Volume — — — o — — —", fill="black", font=font(22))
    found = sorted(e.box.to_list() for e in find_sliders(gray(img)))
    assert len(found) == 2
    (h, v) = found
    assert h[0] <= 42 and h[2] >= 280 and 50 <= h[1] <= 56 and 76 <= h[3] <= 82
    assert v[1] <= 42 and v[3] >= 240 and 392 <= v[0] <= 396


def expander(draw: ImageDraw.ImageDraw, x: int, y: int, sign: str) -> Box:
    draw.rectangle((x, y, x + 14, y + 14), outline="#888", width=1)
    draw.line((x + 3, y + 7, x + 11, y + 7), fill="#333", width=2)
    if sign == "+":
        draw.line((x + 7, y + 3, x + 7, y + 11), fill="#333", width=2)
    return Box(x, y, x + 15, y + 15)


def test_expander_signs_and_what_is_not_one():
    img = Image.new("RGB", (200, 60), "white")
    d = ImageDraw.Draw(img)
    plus, minus = expander(d, 10, 10, "+"), expander(d, 40, 10, "-")
    d.rectangle((70, 10, 84, 24), outline="#888", width=1)  # an empty box
    d.line((73, 17, 76, 21), fill="#333", width=2)  # a tick
    d.line((76, 21, 82, 12), fill="#333", width=2)
    g = gray(img)
    assert expander_sign(g, plus) == "+" and expander_sign(g, minus) == "-"
    assert expander_sign(g, Box(70, 10, 85, 25)) is None
    assert expander_sign(g, Box(100, 10, 115, 25)) is None  # blank


def test_augment_adds_a_slider_and_keeps_the_rest():
    c = Canvas(640, 300)
    slider(c.draw, 40, 60, 240, 0.5)
    c.text(300, 52, "5")
    c.button(40, 140, "Submit")
    screen = augment(ScreenParser().parse(c.array()))
    roles = [e.role for e in screen.controls()]
    assert roles.count("slider") == 1 and "button" in roles
    assert not [e for e in screen.controls() if e.role in ("radio", "checkbox")]


def test_a_tree_row_is_its_expander_box_and_the_line_beside_it():
    c = Canvas(640, 300)
    rows = [(40, 40, "+", "Documents"), (40, 80, "-", "Pictures"), (70, 120, "+", "Holidays 2019")]
    for x, y, sign, name in rows:
        expander(c.draw, x, y, sign)
        c.draw.rectangle((x + 22, y + 1, x + 38, y + 13), outline="#c9a227", fill="#f5d76e")  # a folder icon
        c.text(x + 46, y - 4, name)
    c.checkbox(40, 200)
    c.text(72, 198, "Remember me")  # a checkbox and its label are not a tree row
    screen = augment(ScreenParser().parse(c.array()))
    # the name is the line beside the box (OCR may read the folder icon into it as a glyph)
    items = {e.name.lstrip("■□▪ "): e.states for e in screen.elements if e.role == "tree_item"}
    assert set(items) == {"Documents", "Pictures", "Holidays 2019"}
    assert "collapsed" in items["Documents"] and "expanded" in items["Pictures"]
    assert [e for e in screen.controls() if e.role == "checkbox"]


def test_the_parser_itself_reports_a_slider_and_a_text_area_named_by_the_labels_of_their_form():
    c = Canvas(760, 360)
    c.text(20, 30, "Speed")  # a column of labels: the slider's stands further off than a caption would
    slider(c.draw, 230, 36, 260, 0.4)
    c.text(20, 100, "Comments")
    c.field(230, 96, w=420, h=120, value="Bring a torch")  # a text area: its label beside its first row
    c.draw.text((238, 130), "and spare batteries.", fill="black", font=c.font)
    c.text(20, 260, "Please read the notice below before you send the form to us.")
    c.field(20, 290, w=420, h=60)  # a sentence above is an instruction, not this box's caption
    screen = ScreenParser().parse(c.array())  # no augment: the parser does it
    (s,) = screen.by_role("slider")
    assert s.name == "Speed"
    area = next(e for e in screen.controls() if e.role == "text_area" and "torch" in e.value)
    assert area.name == "Comments"
    assert all("notice" not in e.name for e in screen.controls())


def test_stacked_fields_and_a_button_are_no_slider_and_keep_the_button():
    from pathlib import Path

    # a MiniWoB++ click-button screen at scale 1 (Chromium): two fields, a button and two fields stacked
    image = np.array(Image.open(Path(__file__).parent / "pages" / "stacked_fields.png").convert("RGB"))
    screen = ScreenParser().parse(image)
    assert not screen.by_role("slider")
    assert [b.name for b in screen.by_role("button")] == ["next"]
    assert len(screen.by_role("text_field")) == 4


def test_a_vertical_slider_at_its_end_above_a_button_and_a_thin_one_with_its_thumb_off_centre():
    """use-slider's shape: a thin vertical track whose thumb (a little wider) sits at its bottom end, two pixels
    above a Submit button; and a short horizontal track whose thumb stands out 4 px above it and 2 px below."""
    c = Canvas(640, 400)
    c.draw.rounded_rectangle((40, 40, 50, 150), radius=4, outline="#c5c5c5", width=1, fill="#fff")
    c.draw.rounded_rectangle((38, 144, 52, 158), radius=3, outline="#c5c5c5", width=1, fill="#f6f6f6")
    c.text(60, 146, "0")
    c.button(40, 161, "Submit")
    c.draw.rounded_rectangle((300, 60, 380, 74), radius=4, outline="#c5c5c5", width=1, fill="#fff")
    c.draw.rounded_rectangle((340, 56, 356, 76), radius=3, outline="#c5c5c5", width=1, fill="#f6f6f6")
    screen = ScreenParser().parse(c.array())
    sliders = sorted(s.box.to_list() for s in screen.by_role("slider"))
    assert len(sliders) == 2, sliders
    assert Box(*sliders[0]).contains_point(45, 100) and Box(*sliders[1]).contains_point(320, 67)
    assert [b.name for b in screen.by_role("button")] == ["Submit"]
    assert not screen.by_role("checkbox")  # the thumb beside its value is no checkbox "0"
