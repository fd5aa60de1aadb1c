"""Chromium's unstyled form controls on synthetic screens: 1 px grey borders round text set smaller than the
page's, a label 2-3 px above its field, native radios in a row with their labels set close, a bold heading."""

from pathlib import Path

import numpy as np
from PIL import Image

from grounding.elements import Box, Element
from grounding.parser import ScreenParser
from grounding.proposals import find_outlines, thin_rings
from grounding.textlines import mark_links
from grounding.toolbar import _stroke_edge
from grounding.widgets import _before_next_toggle, _other_ink
from tests.render import Canvas, font

GREY = "#767676"  # Chromium's default border of <input>, <select> and the rings of radios and checkboxes


def _page(width=640, height=300):
    c = Canvas(width, height)
    c.font = font(16)
    return c


def _field(c, x, y, w=179, h=21, value=""):
    """An unstyled <input>: a 1 px grey border with 2 px rounded corners, 13 px text inside."""
    c.draw.rounded_rectangle((x, y, x + w - 1, y + h - 1), radius=2, fill="white", outline=GREY, width=1)
    if value:
        c.draw.text((x + 3, y + 3), value, fill="black", font=font(13))
    return x, y, x + w, y + h


def test_a_field_lower_than_a_line_and_a_half_with_its_label_close_above_is_found_by_its_thin_ring():
    c = _page()
    label = c.text(8, 130, "Surname")
    field = _field(c, 8, label[3] + 3)
    gray = np.array(c.image.convert("L"))
    assert (1.0, (field[0], field[1], field[2] - field[0], field[3] - field[1])) in thin_rings(gray, 15.0)
    bars = [p.box for p in find_outlines(c.array(), 15.0) if p.shape == "bar"]
    assert any(b.iou(Box(*field)) > 0.9 for b in bars)


def test_a_ring_of_text_or_a_thick_box_is_no_thin_ring():
    c = _page()
    c.draw.rectangle((20, 20, 220, 41), fill="#767676")  # a filled bar: as thick as it is high
    c.draw.rectangle((20, 80, 220, 101), outline="black", width=1)
    c.draw.rectangle((20, 80, 60, 101), fill="black")  # a ring with a block of ink joined to it
    assert thin_rings(np.array(c.image.convert("L")), 15.0) == []


def test_chromiums_unstyled_form_reads_every_field_by_its_label_and_its_heading_as_text():
    """A capture of assets/bench/plain.html at scale 1 (its left half): every control Chromium draws by default."""
    image = np.array(Image.open(Path(__file__).parent / "pages" / "plain_form.png").convert("RGB"))
    screen = ScreenParser(incremental=False).parse(image)
    named = {(e.role, e.name) for e in screen.controls()}
    assert {("dropdown", "Home branch"), ("text_field", "Date of birth"), ("text_field", "First name"),
            ("text_field", "Last name"), ("text_field", "Email address"), ("text_field", "Choose a PIN"),
            ("radio", "Adult"), ("radio", "Teen"), ("radio", "Senior")} <= named
    assert [e.name for e in screen.by_role("heading")] == ["Books and films for everyone"]
    assert not [e for e in screen.controls() if e.box.y1 < 60]  # its large bold letters are no buttons
    last = next(e for e in screen.controls() if e.name == "Last name")
    assert last.value == "Okafor"


def test_radios_in_one_row_with_labels_set_close_are_each_named_by_their_own_label():
    c = _page(640, 120)
    x = 20
    names = ("Early", "Noon", "Late")
    for name in names:
        c.draw.ellipse((x, 40, x + 12, 52), fill="white", outline=GREY, width=1)
        end = c.text(x + 16, 37, name)[2]
        x = end + 8
    c.draw.text((20, 5), "Pick a slot", fill="black", font=font(16))
    screen = ScreenParser(incremental=False).parse(c.array())
    assert sorted(r.name for r in screen.by_role("radio")) == sorted(names)


def test_a_bold_letters_traced_edge_is_a_stroke_a_frame_round_a_picture_is_not():
    c = _page(200, 100)
    c.draw.rectangle((20, 20, 45, 46), fill="black")
    c.draw.rectangle((28, 26, 37, 31), fill="white")  # the counters of a "B"
    c.draw.rectangle((28, 35, 37, 40), fill="white")
    c.draw.rectangle((100, 20, 125, 46), outline="black", width=1)  # a framed picture
    c.draw.rectangle((108, 28, 117, 38), fill="#3050c0")
    image = c.array()
    assert _stroke_edge(image, Box(18, 18, 48, 49))
    assert not _stroke_edge(image, Box(98, 18, 128, 49))


def test_a_rule_under_a_label_that_is_a_controls_top_edge_is_no_underline():
    c = _page(300, 80)
    c.text(10, 10, "Party size")
    word = Element(Box(10, 12, 95, 28), "text", name="Party size", line=0)
    c.draw.line((9, 30, 96, 30), fill=GREY)  # as wide as the label, as a select may be
    image = c.array()
    assert mark_links([word], image, 15.0)[0].role == "link"  # as a rule alone reads
    (kept,) = mark_links([word], image, 15.0, (Box(9, 30, 97, 50),))
    assert kept.role == "text"


def test_a_grey_ring_before_a_black_label_is_told_from_an_o_of_the_word():
    c = _page(300, 60)
    c.draw.ellipse((10, 20, 22, 32), outline=GREY, width=1)
    c.text(25, 16, "Teen")
    c.text(110, 16, "OTeen")
    image = c.array()
    assert _other_ink(image, Box(10, 20, 23, 33), Box(10, 16, 70, 36))
    assert not _other_ink(image, Box(110, 19, 124, 34), Box(110, 16, 180, 36))


def test_a_toggles_label_stops_at_the_next_toggle_of_its_row():
    def word(x0, name):
        return Element(Box(x0, 10, x0 + 30, 24), "text", name=name, line=0)

    first = Element(Box(0, 10, 13, 23), "radio")
    toggles = [first.box, Box(70, 10, 83, 23)]
    words = [word(16, "Adult"), word(86, "Teen"), Element(Box(16, 40, 60, 54), "text", name="below", line=1)]
    assert [w.name for w in _before_next_toggle(first, toggles, words)] == ["Adult", "below"]
    assert _before_next_toggle(Element(Box(0, 60, 100, 80), "button"), toggles, words) == words
