"""A question a command left open on the screen: a new line ending in "?" with new buttons beside it that answer
it (planner/questions.py)."""

import numpy as np
from PIL import Image

from grounding.elements import Box, Element, Screen
from planner.dimming import undimmed
from planner.effects import screen_effect
from planner.questions import open_question
from tests.render import Canvas

PAGE = (Element(Box(20, 20, 300, 40), "text", name="Need help?", line=0),
        Element(Box(20, 60, 200, 90), "button", name="Delete"))


def screen(*more: Element) -> Screen:
    return Screen(800, 600, PAGE + more)


def test_a_new_question_with_its_answers_is_said():
    after = screen(Element(Box(300, 200, 520, 220), "text", name="Delete 2 files?", line=1),
                   Element(Box(420, 240, 480, 270), "button", name="No"),
                   Element(Box(340, 240, 400, 270), "button", name="Yes"))
    assert open_question(screen(), after) == '"Delete 2 files?" (Yes, No)'


def test_text_that_asks_nothing_new_is_no_open_question():
    assert open_question(screen(), screen()) == ""  # "Need help?" was there before, with no answers
    far = screen(Element(Box(300, 200, 520, 220), "text", name="Delete 2 files?", line=1),
                 Element(Box(300, 560, 360, 590), "button", name="Yes"))
    assert open_question(screen(), far) == ""  # a button far off answers nothing
    many = screen(Element(Box(300, 200, 520, 220), "text", name="Which one?", line=1),
                  *(Element(Box(300 + 50 * i, 230, 340 + 50 * i, 260), "button", name=f"B{i}") for i in range(5)))
    assert open_question(screen(), many) == ""  # a row of five new buttons is a toolbar, not a question's answers


def dialog_over_a_page() -> tuple[Screen, Screen]:
    """A page with a table, then a browser's confirm over it: the page greyed, its lines read differently."""
    page = Canvas(900, 500)
    rows = [page.text(20, 150 + 34 * i, f"{n}@example.com") for i, n in enumerate(("alice", "bob", "carol"))]
    remove = page.button(400, 150, "Remove", w=100, h=28)
    dimmed = (page.array().astype(np.float32) * 0.4).astype(np.uint8)
    over = Canvas(900, 500)
    over.image.paste(Image.fromarray(dimmed))
    over.draw.rectangle((420, 0, 870, 150), fill="white")
    title, asked = over.text(440, 20, "This page says"), over.text(440, 55, "Remove bob?")
    cancel, ok = over.button(660, 95, "Cancel", w=90, h=40), over.button(760, 95, "OK", w=90, h=40)
    before = Screen(900, 500, (Element(Box(*remove), "button", name="Remove"),
                               *(Element(Box(*r), "text", name=n) for r, n in
                                 zip(rows, ("alice@example.com", "bob@example.com", "carol@example.com")))),
                    image=page.array())
    after = Screen(900, 500, (Element(Box(*remove), "button", name="Re mo ve"), Element(Box(*cancel), "button",
                              name="Cancel"), Element(Box(*ok), "button", name="OK"),
                              *(Element(Box(*r), "text", name=n) for r, n in
                                zip(rows, ("al ice@exa mple.com", "bob@example.com", "carol@exa mple.com"))),
                              Element(Box(*title), "text", name="This page says"),
                              Element(Box(*asked), "text", name="Remove bob?")), image=over.array())
    return before, after


def test_a_dialog_over_a_dimmed_page_is_said_as_its_question_and_the_page_behind_it_does_not_change():
    before, after = dialog_over_a_page()
    assert open_question(before, after) == '"Remove bob?" (Cancel, OK)'
    effect = screen_effect(*undimmed(before, after))
    assert effect is not None and set(effect.appeared) == {"This page says", "Remove bob?", "Cancel"}
    assert not effect.gone
