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
