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


def test_buttons_beside_a_field_are_buttons_and_a_sentence_above_names_no_field():
    c = Canvas(760, 240)
    c.text(20, 20, "This list refreshes every few seconds so that you can watch it change")
    c.button(20, 60, "Pause", w=90)
    c.button(116, 60, "Reset", w=90)
    c.field(212, 62, w=300, value="search")  # its bottom edge runs on past the buttons: no tab strip
    screen = ScreenParser().parse(c.array())
    assert sorted(b.name for b in screen.by_role("button")) == ["Pause", "Reset"]
    assert not screen.by_role("tab")
    (field,) = screen.by_role("text_field")
    assert field.value == "search" and field.name == ""  # the words of the sentence over it are no caption


def _arrow(c: Canvas, x: int, y: int) -> None:
    c.draw.polygon([(x, y), (x + 10, y), (x + 5, y + 6)], fill="#333333")  # a dropdown's down arrow


def test_a_dropdown_opened_over_its_list_is_a_dropdown_and_a_list_and_a_full_one_closed_is_no_button():
    c = Canvas(760, 420)
    c.text(40, 10, "Shipping method")
    c.field(40, 40, w=300, h=36, value="Courier (next day)")
    _arrow(c, 316, 56)
    c.draw.rectangle((40, 80, 340, 80 + 4 * 30 + 8), fill="white", outline="#9ca3af", width=1)  # its list, apart
    for n, item in enumerate(("Letter post", "Courier (next day)", "Parcel locker", "Collect")):
        y = 84 + 30 * n
        if n == 1:
            c.draw.rectangle((41, y, 339, y + 30), fill="#2563eb")
        c.text(52, y + 4, item, color="white" if n == 1 else "black")
    c.text(40, 300, "Size")
    c.draw.rectangle((100, 296, 208, 326), fill="white", outline="#767676", width=1)  # its choice fills it
    c.text(104, 300, "Medium")
    _arrow(c, 192, 308)
    screen = ScreenParser().parse(c.array())
    opened = next(e for e in screen.by_role("dropdown") if e.value == "Courier (next day)")
    assert opened.name == "Shipping method" and opened.expanded
    (lst,) = screen.by_role("list_box")
    assert lst.box.y0 >= opened.box.y1 - 2  # the list is below the dropdown, not around it
    items = [o for o in screen.by_role("option") if o.parent in (lst.id, opened.id)]
    assert [o.name for o in items] == ["Letter post", "Courier (next day)", "Parcel locker", "Collect"]
    assert [o.name for o in items if o.selected] == ["Courier (next day)"]
    closed = next(e for e in screen.by_role("dropdown") if e.value == "Medium")
    assert closed.name == "Size" and not screen.by_role("button")


def test_an_underlined_link_of_several_words_is_one_link_and_a_rule_under_a_row_is_none():
    c = Canvas(760, 240)
    c.draw.rectangle((0, 0, 760, 44), fill="#223049")
    for x, words in ((20, "Start"), (120, "Report a problem")):
        box = c.text(x, 10, words, color="#dbe4ff")
        c.draw.line((box[0], box[3] + 2, box[2], box[3] + 2), fill="#dbe4ff", width=1)
    a = c.text(30, 120, "Order 1187")
    c.text(300, 120, "shipped on Monday")
    c.draw.line((10, a[3] + 3, 740, a[3] + 3), fill="#444444", width=1)  # a table's row rule, edge to edge
    screen = ScreenParser().parse(c.array())
    assert [e.name for e in screen.by_role("link")] == ["Start", "Report a problem"]


def test_a_filled_field_in_small_type_keeps_its_value_and_its_caption_is_no_heading():
    from tests.render import font

    c = Canvas(760, 200)
    c.text(20, 40, "Display name")
    c.draw.rectangle((170, 34, 420, 66), fill="white", outline="#767676", width=1)
    c.draw.text((176, 42), "Grace Hopper", fill="black", font=font(15))  # smaller than the label, anti-aliased
    c.text(20, 110, "Email")
    c.draw.rectangle((170, 104, 420, 136), fill="white", outline="#767676", width=1)
    c.draw.text((176, 112), "you@example.com", fill="#757575", font=font(15))  # a placeholder
    screen = ScreenParser().parse(c.array())
    name, email = sorted(screen.by_role("text_field"), key=lambda f: f.box.y0)
    assert (name.name, name.value) == ("Display name", "Grace Hopper")
    assert email.value == ""
    assert not screen.by_role("heading")


def test_the_underline_under_a_links_space_read_as_an_underscore_is_a_space():
    import numpy as np

    from grounding.elements import Box, Element
    from grounding.textlines import mark_links

    word = Element(Box(10, 10, 120, 24), "link", name="Privacy_policy", line=0)
    (link,) = mark_links([word], np.full((40, 200, 3), 255, np.uint8), 14.0)
    assert (link.role, link.name) == ("link", "Privacy policy")


def test_a_dropdown_whose_arrow_ocr_reads_as_a_letter_is_a_dropdown_showing_its_choice():
    c = Canvas(640, 200)
    c.text(20, 60, "Region")
    c.draw.rectangle((110, 54, 260, 88), fill="white", outline="#767676", width=1)
    c.text(116, 60, "Europe")
    c.text(240, 58, "v")  # a narrow arrow, read as a "v"
    screen = ScreenParser().parse(c.array())
    (region,) = screen.by_role("dropdown")
    assert (region.name, region.value) == ("Region", "Europe") and not screen.by_role("button")


def test_a_word_read_twice_by_overlapping_lines_is_one_word():
    from grounding.elements import Box, Element
    from grounding.words import without_echoes

    words = [Element(Box(10, 10, 120, 30), "text", name="questions", line=3),
             Element(Box(112, 10, 118, 28), "text", name="s", line=4),  # a second detection of its last letter
             Element(Box(130, 10, 150, 28), "text", name="or", line=4)]
    assert [w.name for w in without_echoes(words)] == ["questions", "or"]


def test_a_checkbox_drawn_much_fainter_than_the_others_is_disabled():
    c = Canvas(640, 240)
    c.checkbox(20, 20)
    c.text(52, 20, "Wrap long lines")
    c.draw.rounded_rectangle((20, 70, 42, 92), radius=3, fill="white", outline="#d6d6d6", width=2)  # greyed out
    c.text(52, 70, "Experimental renderer")
    c.checkbox(20, 120, checked=True)
    c.text(52, 120, "Show line numbers")
    screen = ScreenParser().parse(c.array())
    states = {b.name: b.disabled for b in screen.by_role("checkbox")}
    assert states == {"Wrap long lines": False, "Experimental renderer": True, "Show line numbers": False}


def test_a_date_field_with_its_calendar_icon_is_a_field_and_a_small_arrow_makes_a_dropdown():
    c = Canvas(640, 200)
    c.draw.rectangle((20, 40, 250, 76), fill="white", outline="#767676", width=1)
    c.text(28, 46, "mm/dd/yyyy")
    c.draw.rectangle((222, 48, 240, 68), outline="black", width=2)  # a calendar icon, as tall as the text
    c.draw.line((222, 53, 240, 53), fill="black", width=3)
    c.draw.rectangle((20, 120, 250, 156), fill="white", outline="#767676", width=1)
    c.text(28, 126, "Oslo")
    c.draw.polygon([(226, 134), (238, 134), (232, 141)], fill="#333333")  # a dropdown's small arrow
    screen = ScreenParser().parse(c.array())
    assert [(e.role, e.value) for e in screen.controls()] == [("text_field", "mm/dd/yyyy"), ("dropdown", "Oslo")]


def test_a_post_with_its_icons_is_no_text_area_and_a_box_of_plain_lines_is_one():
    c = Canvas(760, 300)
    for x0, icons in ((20, True), (400, False)):
        c.draw.rectangle((x0, 30, x0 + 320, 170), fill="white", outline="#9a9a9a", width=1)
        c.text(x0 + 10, 40, "Christi @tristique 3h")
        c.text(x0 + 10, 70, "Aliquet velit ullamcorper")
        if icons:  # reply, like and more, drawn in grey below the text
            c.draw.arc((x0 + 14, 130, x0 + 36, 152), 180, 360, fill="#888888", width=3)
            c.draw.ellipse((x0 + 80, 130, x0 + 102, 152), outline="#888888", width=3)
            for k in range(3):
                c.draw.ellipse((x0 + 150 + 9 * k, 138, x0 + 156 + 9 * k, 144), fill="#888888")
    screen = ScreenParser().parse(c.array())
    areas = [e for e in screen.controls() if e.role == "text_area"]
    assert [a.box.x0 > 300 for a in areas] == [True]


def test_white_words_on_a_blue_header_are_no_link_and_blue_words_on_white_are():
    c = Canvas(640, 200)
    c.draw.rounded_rectangle((10, 20, 300, 44), radius=3, fill="#1a73e8")  # an accordion's header, say
    c.text(16, 22, "Section 4", color="white")
    c.text(16, 100, "Read the guide", color="#1a0dab")
    screen = ScreenParser().parse(c.array())
    assert [e.name for e in screen.by_role("link")] == ["Read the guide"]


def test_a_square_button_whose_border_is_traced_twice_is_one_named_button():
    from pathlib import Path

    import numpy as np
    from PIL import Image

    # a MiniWoB++ click-button-sequence screen at device scale 1.5 (Chromium): two 60 px square buttons
    image = np.array(Image.open(Path(__file__).parent / "pages" / "square_buttons.png").convert("RGB"))
    screen = ScreenParser().parse(image)
    assert sorted(b.name for b in screen.by_role("button")) == ["ONE", "TWO"]  # no unnamed outer twin


def test_an_x_has_strokes_along_both_diagonals_and_brackets_around_dots_are_none():
    from grounding.proposals import _x_shape

    x = np.zeros((16, 16), bool)
    for i in range(16):
        x[i, max(0, i - 1):i + 2] = x[i, max(0, 14 - i):17 - i] = True
    assert _x_shape(x) > 0.6
    rows = ["#######........#######", "#######........#######"] + ["##..................##"] * 4 \
        + ["##...###.####.###...##"] * 4 + ["##..................##"] * 4 \
        + ["#######........#######", "#######........#######"]
    brackets = np.array([[c == "#" for c in r] for r in rows])  # FeatherPad's Whole Word "[...]" at x1.5
    assert _x_shape(brackets) == 0.0
    gap, top, bar = "." * 20, "...##############...", "..################.."
    lines = [gap, top, bar, bar, gap, top, bar, bar, gap, top, bar, bar, gap, bar, bar, bar] + [gap] * 3
    bars = np.array([[c == "#" for c in r] for r in lines])  # Qt's Detail View picture at x2
    assert _x_shape(bars) == 0.0
    rows = [".#####......#####.", "#######....#######", "########..########"] + ["#" * 18] * 3 \
        + [".################.", "..##############..", "...############..."]
    bold = np.array([[c == "#" for c in r] for r in rows + rows[::-1]])  # jQuery UI's dialog close x at x2
    assert _x_shape(bold) > 0.6


def test_a_checkbox_label_that_wraps_under_the_box_is_read_whole_and_a_description_below_is_not():
    c = Canvas(640, 300)
    c.checkbox(20, 20, size=18)
    c.text(46, 18, "Experimental")
    c.text(18, 46, "renderer")  # the label flows round its box: its next line starts under the box
    c.checkbox(20, 110, size=18, checked=True)
    c.text(46, 108, "Send reports")
    c.text(46, 136, "Helps us fix crashes")  # a description set under the label, not under the box
    c.checkbox(20, 200, size=18)
    c.text(46, 198, "Apples")
    c.checkbox(20, 230, size=18)
    c.text(46, 228, "Pears")  # the next option's label, beside its own box
    screen = ScreenParser().parse(c.array())
    assert sorted(e.name for e in screen.by_role("checkbox")) == ["Apples", "Experimental renderer", "Pears",
                                                                  "Send reports"]


def _fusion_box(c, x, y, size=22, ticked=False):
    """Qt Fusion's check box: a grey frame round a white face, ticked with a bold black stroke (a fifth of the box
    wide, as Fusion draws it at scale 1 and 2)."""
    c.draw.rectangle((x, y, x + size, y + size), fill="white", outline=(188, 188, 188), width=1)
    if ticked:
        s = size
        c.draw.line([(x + 0.25 * s, y + 0.5 * s), (x + 0.42 * s, y + 0.75 * s), (x + 0.75 * s, y + 0.22 * s)],
                    fill="black", width=round(s / 5))


def test_a_white_box_ticked_in_black_is_a_ticked_checkbox_and_leaves_its_unticked_like_enabled():
    c = Canvas(640, 240)
    c.draw.rectangle((0, 0, 640, 240), fill=(236, 236, 236))
    for i, (label, ticked) in enumerate([("Remember window size", True), ("Start with side pane", False),
                                         ("Do not show toolbar", False), ("Always show status bar", True)]):
        _fusion_box(c, 20, 20 + 50 * i, ticked=ticked)
        c.text(56, 20 + 50 * i, label)
    screen = ScreenParser().parse(c.array())
    states = {b.name: sorted(b.states) for b in screen.by_role("checkbox")}
    assert states == {"Remember window size": ["checked"], "Start with side pane": [], "Do not show toolbar": [],
                      "Always show status bar": ["checked"]}


def test_glyphs_on_flat_tool_buttons_are_no_ticked_boxes():
    c = Canvas(300, 80)
    c.draw.rectangle((0, 0, 300, 80), fill=(241, 241, 241))
    for x in (20, 60, 100):  # three toggle tool buttons: a frame only round the pressed one
        c.text(x + 4, 22, "Rx")
    c.draw.rounded_rectangle((96, 16, 130, 50), radius=3, outline=(200, 200, 200), width=1)
    screen = ScreenParser().parse(c.array())
    assert not screen.by_role("checkbox") and not screen.by_role("radio")


def test_an_indented_toggle_does_not_take_the_next_rows_label_starting_under_it():
    c = Canvas(640, 200)
    c.checkbox(20, 20, size=18)
    c.text(46, 18, "Start with side pane")
    c.checkbox(46, 60, size=18, checked=True)  # a sub-option, indented by a box and a gap
    c.text(72, 58, "Remember splitter")
    c.checkbox(20, 100, size=18)
    c.text(46, 98, "Do not show toolbar")  # the next row's label starts under the indented box
    screen = ScreenParser().parse(c.array())
    assert sorted(e.name for e in screen.by_role("checkbox")) == ["Do not show toolbar", "Remember splitter",
                                                                  "Start with side pane"]
