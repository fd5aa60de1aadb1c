"""Icons the parser does not report (grounding/icons.py), and "the trash icon" of a row, on synthetic screens."""

from grounding.elements import Box
from grounding.more_widgets import augment
from grounding.parser import ScreenParser
from grounding.router import Router
from planner.language import parse
from tests.render import Canvas, font


def inbox() -> tuple[Canvas, dict[str, Box]]:
    """Three emails, each a sender's name and a line, with a star and a trash can at the row's right end."""
    c = Canvas(640, 400)
    trash: dict[str, Box] = {}
    for i, name in enumerate(["Kiele", "Elsy", "Hana"]):
        y = 40 + 100 * i
        c.text(20, y, name)
        c.text(20, y + 30, "Odio. Lorem.")
        c.draw.text((400, y), "☆", fill=(90, 90, 90), font=font(26))
        c.draw.rectangle((446, y + 6, 462, y + 26), fill=(90, 90, 90))  # a trash can: its body and its lid
        c.draw.rectangle((442, y + 2, 466, y + 5), fill=(90, 90, 90))
        trash[name] = Box(440, y, 468, y + 28)
    return c, trash


def test_the_trash_icon_of_an_email_is_the_picture_in_its_row_no_other_icon_word_names():
    c, trash = inbox()
    screen = augment(ScreenParser().parse(c.array()))
    assert len([e for e in screen.elements if e.role == "image"]) >= 3
    command = "Find the email by Elsy and click the trash icon to delete it."
    target = parse(command)[1].target
    chosen = Router().ground(target, screen, echo=command).match.element
    assert trash["Elsy"].contains_point(*chosen.box.center), chosen


def test_a_buttons_caption_and_a_line_of_text_are_no_icons():
    c = Canvas(640, 300)
    c.button(20, 20, "Submit")
    c.text(20, 100, "Nullam in nisl.")
    screen = augment(ScreenParser().parse(c.array()))
    assert not [e for e in screen.elements if e.role == "image"]


def post_actions(c: Canvas, y: int) -> list[Box]:
    """A post's row of light grey action pictures: a hooked arrow, a loop of arrows, a heart and three dots."""
    grey = (170, 170, 170)
    c.draw.line((24, y + 4, 24, y + 14), fill=grey, width=3)  # a hooked arrow
    c.draw.line((24, y + 4, 36, y + 4), fill=grey, width=3)
    c.draw.rectangle((76, y, 96, y + 16), outline=grey, width=3)  # a loop
    c.draw.ellipse((136, y, 146, y + 10), fill=grey)  # a heart: two lobes and a point
    c.draw.ellipse((144, y, 154, y + 10), fill=grey)
    c.draw.polygon(((136, y + 6), (154, y + 6), (145, y + 16)), fill=grey)
    for x in (196, 203, 210):
        c.draw.ellipse((x, y + 6, x + 4, y + 10), fill=grey)
    return [Box(22, y, 38, y + 16), Box(74, y - 2, 98, y + 18), Box(134, y, 156, y + 18), Box(194, y + 4, 216, y + 12)]


def test_a_row_of_pictures_is_a_row_of_buttons_and_a_picture_alone_is_a_picture():
    c = Canvas(640, 300)
    c.text(20, 20, "Nydia @karrie - 14h ago")
    c.text(20, 50, "Nullam in nisl.")
    row = post_actions(c, 90)
    c.text(20, 180, "Photo of the day")
    c.draw.ellipse((300, 176, 320, 196), fill=(60, 60, 160))  # one picture beside a line: no toolbar
    screen = ScreenParser().parse(c.array())
    buttons = [e for e in screen.by_role("button")]
    assert [sum(1 for e in buttons if b.contains_point(*e.box.center)) for b in row] == [1, 1, 1, 1], buttons
    assert not [e for e in buttons if e.box.y0 > 150]
    assert [e for e in screen.by_role("image") if e.box.y0 > 150]
