"""A question a command left open on the screen: a new line ending in "?" with new buttons beside it that answer
it (planner/questions.py)."""

from grounding.elements import Box, Element, Screen
from planner.questions import open_question

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
