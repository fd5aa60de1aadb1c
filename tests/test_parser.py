"""The parser on synthetic screens: text lines over a word index, widget proposals, incremental parsing."""

import numpy as np
from PIL import Image

from grounding.elements import Box
from grounding.parser import ScreenParser, changed_regions
from grounding.widgets import _apart
from tests.render import Canvas, font


def roles(screen):
    return sorted(e.role for e in screen.controls() if e.role != "link")


def test_widgets_are_found_by_their_shapes_and_named_by_their_labels():
    c = Canvas(500, 300)
    c.field(20, 20)
    c.checkbox(20, 80)
    c.text(52, 79, "Remember me")
    c.radio(20, 130)
    c.text(52, 129, "Express")
    c.button(20, 180, "Go")
    screen = ScreenParser().parse(c.array())
    assert roles(screen) == ["button", "checkbox", "radio", "text_field"]
    assert screen.by_role("button")[0].name == "Go"
    box = screen.by_role("checkbox")[0]
    assert box.name == "Remember me" and not box.checked
    assert screen.by_role("radio")[0].name == "Express"


def test_a_box_or_ring_with_nothing_beside_it_is_no_control():
    c = Canvas(300, 120)
    c.checkbox(20, 20)
    c.radio(80, 20)
    assert ScreenParser().parse(c.array()).controls() == []


def test_checked_state():
    c = Canvas(300, 120)
    c.checkbox(20, 20, checked=True)
    c.text(52, 19, "Ticked")
    c.checkbox(20, 60)
    c.text(52, 59, "Empty")
    states = [(e.name, e.checked) for e in ScreenParser().parse(c.array()).by_role("checkbox")]
    assert states == [("Ticked", True), ("Empty", False)]


def test_a_checked_radio_right_before_its_label_is_a_radio_not_a_letter():
    c = Canvas(1680, 240)  # drawn four times over and scaled down: smooth rings, as a browser draws them
    c.font = font(64)
    c.text(40, 76, "Frequency:")
    for x, label, checked in ((440, "Daily", False), (760, "Weekly", True), (1120, "Monthly", False)):
        c.draw.ellipse((x, 80, x + 60, 140), fill="white", outline="#1a73e8" if checked else "#767676", width=6)
        if checked:
            c.draw.ellipse((x + 14, 94, x + 46, 126), fill="#1a73e8")
        # the dotted ring two pixels before its label, as Chromium sets it (an empty ring that close is as much
        # an "O" as a ring, and OCR's word is kept whole)
        c.text(x + (68 if checked else 88), 76, label)
    image = np.array(c.image.resize((420, 60), Image.LANCZOS))
    radios = [(e.name, e.checked) for e in ScreenParser().parse(image).by_role("radio")]
    assert radios == [("Daily", False), ("Weekly", True), ("Monthly", False)]


def test_a_narrow_closed_list_is_a_dropdown_showing_its_choice_and_a_button_stays_a_button():
    c = Canvas(1600, 800)  # drawn four times over and scaled down, as a browser draws a closed <select>
    c.font = font(64)
    c.text(40, 60, "Settings for this account")
    c.text(40, 260, "Language")
    c.draw.rounded_rectangle((380, 240, 704, 332), radius=8, fill="white", outline="#767676", width=4)
    c.text(404, 254, "English")  # its choice near its middle, but from its left, with the arrow at its right end
    c.draw.line([(660, 280), (672, 292), (684, 280)], fill="black", width=6)
    c.draw.rounded_rectangle((40, 440, 364, 532), radius=8, fill="#efefef", outline="#767676", width=4)
    c.text(140, 454, "Save")
    screen = ScreenParser().parse(np.array(c.image.resize((400, 200), Image.LANCZOS)))
    assert [(e.name, e.value) for e in screen.by_role("dropdown")] == [("Language", "English")]
    assert [e.name for e in screen.by_role("button")] == ["Save"]


def test_a_ring_and_its_label_stand_apart_by_the_ring_s_ink_not_its_traced_outline():
    image = np.full((30, 80, 3), 255, np.uint8)
    image[8:22, 10] = image[8:22, 23] = image[8, 10:24] = image[21, 10:24] = 160  # the ring's ink: x 10-23
    image[9:21, 28:30] = 0  # the label's first stem, four blank columns after the ring
    outline = Box(9, 7, 26, 23)  # traced two pixels wide of the ink on its right
    assert _apart(image, outline, Box(10, 7, 60, 23), 13.0)
    image[9:21, 25:27] = 0  # a letter one blank column after: one word
    assert not _apart(image, outline, Box(10, 7, 60, 23), 13.0)


def test_text_is_lines_over_a_word_index():
    c = Canvas(600, 80)
    c.text(10, 20, "alpha beta gamma delta")
    screen = ScreenParser().parse(c.array())
    assert [e.name for e in screen.lines()] == ["alpha beta gamma delta"]
    assert [w.name for w in screen.words] == ["alpha", "beta", "gamma", "delta"]
    assert {w.line for w in screen.words} == {screen.lines()[0].line}


def test_incremental_parse_reads_only_what_changed():
    c = Canvas(900, 600)
    for row in range(8):
        c.text(20, 20 + row * 60, f"Row {row} stays the same here")
    parser = ScreenParser()
    first = parser.parse(c.array())
    c.text(600, 200, "Fresh")
    second = parser.parse(c.array())
    assert parser.stats.changed_fraction < 0.05
    assert "Fresh" in [e.name for e in second.lines()]
    assert len(second.lines()) == len(first.lines()) + 1 and len(second.words) == len(first.words) + 1


def test_changed_regions():
    a = np.zeros((200, 300, 3), np.uint8)
    b = a.copy()
    b[50:60, 100:120] = 255
    boxes, fraction = changed_regions(a, b)
    assert len(boxes) == 1 and boxes[0].x0 <= 100 and boxes[0].x1 >= 120
    assert 0 < fraction < 0.1
    assert changed_regions(a, a) == ([], 0.0)


def test_regions_seen_before_are_not_read_again():
    c = Canvas(700, 300)
    c.text(20, 20, "Status line that stays")
    plain = c.array()
    c.checkbox(20, 120, checked=True)
    c.text(60, 118, "Remember")
    ticked = c.array()
    parser = ScreenParser()
    parser.parse(plain)
    parser.parse(ticked)
    assert parser.stats.cache_misses == 1
    parser.parse(plain)
    parser.parse(ticked)  # the same region with the same pixels: reused, not read again
    assert parser.stats.cache_hits == 1 and parser.stats.cache_misses == 0
    assert "Remember" in [e.name for e in parser.parse(ticked).lines()]


def test_a_sentence_on_a_framed_band_is_a_notice_not_a_button_nor_a_label():
    c = Canvas(760, 360)
    note = "Warning: you are using the root account. You may harm your system."
    c.draw.rectangle((10, 10, 750, 50), fill="#e8e8e8", outline="#767676", width=2)
    tw = c.draw.textlength(note, font=c.font)
    c.text(int(10 + (740 - tw) / 2), 18, note)
    c.field(10, 60, w=740, h=200, value="Shopping list: milk, eggs")
    c.button(10, 300, "Save as", w=120)
    screen = ScreenParser().parse(c.array())
    assert [b.name for b in screen.by_role("button")] == ["Save as"]
    assert any(e.role == "text" and "root account" in e.name for e in screen.lines())
    assert all("Warning" not in e.name for e in screen.controls())


def test_underlined_words_are_links_whatever_their_colour_and_a_ruled_heading_is_not():
    c = Canvas(640, 220)
    c.draw.rectangle((0, 0, 640, 44), fill="#223049")
    box = c.text(20, 10, "Overview", color="white")
    c.draw.line((box[0], box[3] + 2, box[2], box[3] + 2), fill="white", width=1)
    box = c.text(160, 10, "Orders", color="white")
    c.draw.line((box[0], box[3] + 2, box[2], box[3] + 2), fill="white", width=1)
    box = c.text(20, 100, "Quarterly summary")
    c.draw.line((10, box[3] + 3, 630, box[3] + 3), fill="#444444", width=1)  # a heading's rule spans the page
    screen = ScreenParser().parse(c.array())
    assert [e.name for e in screen.by_role("link")] == ["Overview", "Orders"]
    assert any(e.name == "Quarterly summary" and e.role in ("text", "heading") for e in screen.lines())


def test_bold_underlined_blue_titles_are_links_and_plain_or_green_text_is_not():
    from PIL import ImageFont

    bold = ImageFont.truetype("DejaVuSans-Bold.ttf", 30)  # heavy ink: more than a fifth of the word's box
    c = Canvas(600, 400)
    for i, (title, url) in enumerate([("Dolores", "https://www.ornare.gov"), ("Teodoro", "https://massa.gg")]):
        y = 20 + 150 * i
        c.draw.text((10, y), title, fill=(0, 0, 238), font=bold, stroke_width=1, stroke_fill=(0, 0, 238))
        width = int(c.draw.textlength(title, font=bold))
        c.draw.line((10, y + 36, 10 + width, y + 36), fill=(0, 0, 238), width=3)  # the underline
        c.draw.text((10, y + 48), url, fill=(0, 102, 33), font=bold)
        c.draw.text((10, y + 96), "Congue vel.", fill="black", font=bold)
    screen = ScreenParser().parse(c.array())
    assert sorted(e.name for e in screen.elements if e.role == "link") == ["Dolores", "Teodoro"]
