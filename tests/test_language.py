"""Direct commands as a language: the phrasing tables, the tokenizer, readings and the unreadable sentence."""

import pytest

from grounding.refs.tokens import tokenize
from planner.language import LanguageError, parse, parse_ref
from planner.language import intents as it
from planner.language.intents import brief_ref
from tests.phrases_dev import DEV
from tests.phrases_general import GENERAL, REFS, UNREADABLE


def briefs(command: str) -> str:
    return " ; ".join(i.brief() for i in parse(command))


@pytest.mark.parametrize("command, expected", DEV + GENERAL)
def test_command_reads_as(command, expected):
    assert briefs(command) == expected


@pytest.mark.parametrize("description, expected", REFS)
def test_description_reads_as(description, expected):
    assert brief_ref(parse_ref(description)) == expected


@pytest.mark.parametrize("command, part, closest", UNREADABLE)
def test_unreadable_command_names_the_part_and_the_closest_form(command, part, closest):
    with pytest.raises(LanguageError) as err:
        parse(command)
    error = err.value
    assert (error.part, error.example) == (part, closest)
    sentence = str(error)
    assert "\n" not in sentence and sentence.endswith(".") and part in sentence and closest in sentence


def test_what_is_no_command_points_to_a_language_model():
    with pytest.raises(LanguageError, match="language model"):
        parse("make me a sandwich")
    with pytest.raises(LanguageError, match="the command is empty"):
        parse("   ")


@pytest.mark.parametrize("text, kinds", [
    ("type 'don't' into it", ["word", "quote", "word", "word"]),
    ("type don't stop", ["word", "word", "word"]),
    ("click O'Brien", ["word", "word"]),
    ('type “curly” and ‘single’ and «guillemets»', ["word", "quote", "word", "quote", "word", "quote"]),
    ("open report.pdf. Then wait 2.5 s", ["word", "word", "sep", "word", "word", "word", "word"]),
    ("enter 10:30 and 1,000", ["word", "word", "word", "word"]),
    ("Note: click OK", ["word", "sep", "word", "word"]),
    ("click A \u2014 then B", ["word", "word", "sep", "word", "word"]),
])
def test_tokens(text, kinds):
    assert [t.kind for t in tokenize(text)] == kinds


def test_quotes_keep_separators_and_case():
    (intent,) = parse('type "salt, pepper. And Oil" into the Notes field')
    assert intent.text == "salt, pepper. And Oil"


def test_a_number_word_keeps_both_readings_label_first():
    ref = parse_ref("Two")
    assert [brief_ref(r) for r in ref.readings()] == ["Two", "#2"]
    assert parse_ref("the Two button").alternative is None


def test_intents_are_typed_and_keep_their_clause():
    first, second = parse("uncheck the 2nd checkbox and check Remember me")
    assert isinstance(first, it.SetToggle) and first.on is False and first.target.ordinal == 2
    assert isinstance(second, it.SetToggle) and second.on is True and second.said == "check Remember me"


def test_values_are_distributed_in_reading_order():
    a, b = parse("type 'ada' and 's3cret' into the text fields")
    assert (a.text, a.into.ordinal, b.text, b.into.ordinal) == ("ada", 1, "s3cret", 2)
    assert not a.into.every and a.into.role == "text_field"


def test_from_the_list_binds_to_every_item():
    (choose,) = parse("select Red, Green and Blue from the Colors list")
    assert [o.label for o in choose.options] == ["Red", "Green", "Blue"]
    assert (choose.within.role, choose.within.label) == ("list", "Colors")


def test_scope_says_whose_button():
    (click,) = parse('For the user @ada, click on the "Retweet" button.')
    (rel,) = click.target.relations
    assert rel.kind == "of" and rel.anchor.label == "@ada" and rel.anchor.noun == "user"


def test_ref_json_leaves_empty_fields_out():
    ref = parse_ref('the 2nd "Save" button next to Name')
    assert ref.to_json() == {"label": "Save", "exact": True, "role": "button", "ordinal": 2,
                             "relations": [{"kind": "next_to", "anchor": {"label": "Name"}}]}
    assert ref.describe() == 'the 2nd "Save" button next to the "Name" element'


def test_an_unknown_verb_for_starting_a_program_suggests_open_with_the_installed_programs_name(tmp_path, monkeypatch):
    (tmp_path / "featherpad").write_text("")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(LanguageError) as caught:
        parse("launch featherpadd")
    assert caught.value.example == "open featherpad"
