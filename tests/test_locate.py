"""locate() on screens parsed from synthetic images with the real OCR model and proposals."""

import pytest

from grounding.elements import Box, Element, Screen
from grounding.locate import NotFound, locate, locate_all, text_score
from grounding.parser import ScreenParser
from grounding.refs import parse_ref
from tests.render import Canvas, inside


@pytest.fixture(scope="module")
def form():
    c = Canvas(700, 420)
    boxes = {}
    c.text(20, 20, "Please read the terms and click")
    boxes["link"] = c.text(345, 20, "here", color="#0000ee")
    c.text(400, 20, "to agree.")
    boxes["name_label"] = c.text(20, 80, "Username")
    boxes["name"] = c.field(140, 74)
    c.text(20, 130, "Password")
    boxes["password"] = c.field(140, 124)
    boxes["cb1"] = c.checkbox(20, 180)
    c.text(52, 179, "kT2ho")
    boxes["cb2"] = c.checkbox(20, 220)
    c.text(52, 219, "Remember me")
    boxes["radio"] = c.radio(300, 180)
    c.text(332, 179, "Express")
    boxes["submit"] = c.button(20, 280, "Submit")
    boxes["cancel"] = c.button(160, 280, "Cancel")
    screen = ScreenParser().parse(c.array())
    return screen, boxes


def point(screen, description):
    return locate(description, screen).element.box.center


@pytest.mark.parametrize("description, key", [
    ('the "Submit" button', "submit"),
    ("Cancel", "cancel"),
    ("cancel button", "cancel"),
    ('the link "here"', "link"),
    ("the Username field", "name"),
    ("the Password text field", "password"),
    ("the 2nd text field", "password"),
    ("the first text field", "name"),
    ("the last button", "cancel"),
    ('the checkbox next to "kT2ho"', "cb1"),
    ("Remember me checkbox", "cb2"),
    ("the radio button for Express", "radio"),
    ("the Sbumit button", "submit"),
])
def test_descriptions_land_inside_their_element(form, description, key):
    screen, boxes = form
    assert inside(point(screen, description), boxes[key]), description


def test_link_inside_a_sentence_is_a_word_not_the_line(form):
    screen, boxes = form
    m = locate('the link "here"', screen)
    assert m.element.role == "link"
    assert m.element.box.width < 80


def test_missing_target_raises_a_sentence(form):
    screen, _ = form
    with pytest.raises(NotFound, match='nothing on the screen matches the "Delete" button'):
        locate('the "Delete" button', screen)


def test_every_target():
    screen = Screen(400, 300, (
        Element(Box(10, 10, 200, 40), "text_field", source="widget"),
        Element(Box(10, 60, 200, 90), "text_field", source="widget"),
        Element(Box(10, 110, 100, 140), "button", name="OK", source="widget"),
    ))
    assert len(locate_all("both text fields", screen)) == 2


def test_description_reading():
    q = parse_ref('the 2nd "Save as" button')
    assert (q.label, q.role, q.ordinal) == ("Save as", "button", 2)
    q = parse_ref("the checkbox next to kT2ho")
    assert (q.role, q.relations[0].kind, q.relations[0].anchor.label) == ("checkbox", "next_to", "kT2ho")
    assert parse_ref("the last link").ordinal == -1


def test_text_scores_prefer_exact_case():
    assert text_score("ok", "ok") > text_score("ok", "Ok") > text_score("ok", "okay")
    assert text_score("Submit", "Cancel") == 0


def test_a_label_missing_one_of_its_words_is_another_label_but_misread_letters_are_not():
    assert text_score("Save preferences", "preferences") == 0  # the heading "Notification preferences" beside it
    assert text_score("Close my account", "account") == 0
    assert text_score("Save preferences", "Save preferenees") > 0.8  # OCR misread a letter
    assert text_score("Add to cart", "Add to car") > 0.8
    assert text_score("Sort by name", "Sortbyname") > 0.9  # OCR ran the words together


def test_every_word_asked_for_counts_with_ocr_confusions_and_accents_folded():
    assert text_score("section 1", "Section #l7 of ten") == 0  # 'l7' is not '1'
    assert text_score("Holiday 2019", "Holiday 20l9 photos") == 0.6  # OCR read the 1 as an l
    assert text_score("Crème brûlée", "Creme brulee recipe") == 0.6
    assert text_score("Holiday 2019", "Holiday photos") == 0


def test_the_words_of_an_aside_or_a_negation_never_become_the_label_or_the_role():
    ref = parse_ref("the text 'Canada' (the option in the open Country dropdown list, between 'Belgium' and "
                    "'Chile'), not the checkbox")
    assert (ref.label, ref.role) == ("Canada", "text")
    assert parse_ref('the "Do not disturb" checkbox').label == "Do not disturb"
    assert (parse_ref("the Save button, not the Save As button").label, parse_ref("Save, not Save As").label) == \
        ("Save", "Save")
    assert parse_ref("Not now").label == "Not now"  # a label that starts with "not" is still the label


def test_ordinals_count_a_link_once_when_its_words_are_links_too():
    links = [Element(Box(10, 20 + 60 * i, 100, 40 + 60 * i), "link", name=n, line=i) for i, n in
             enumerate(["Dolores", "Teodoro", "Ada"])]
    words = tuple(Element(Box(12, 22 + 60 * i, 98, 38 + 60 * i), "text", name=e.name, line=i)
                  for i, e in enumerate(links))
    screen = Screen(400, 300, tuple(links), words)
    assert locate("the 2nd link", screen).element.name == "Teodoro"
    assert [m.element.name for m in locate_all("all links", screen)] == ["Dolores", "Teodoro", "Ada"]
    with pytest.raises(NotFound):
        locate("the 4th link", screen)
