import pytest

from planner.commands import CommandError, Intent, parse, parse_keys


def verbs(text):
    return [(i.verb, i.target, i.text, i.keys) for i in parse(text)]


def test_click_variants():
    assert verbs("click Save") == [("click", "Save", "", ())]
    assert verbs('Click on the "OK" button.') == [("click", 'the "OK" button', "", ())]
    assert verbs("push the Start button") == [("click", "the Start button", "", ())]
    i = parse("double-click the file report.pdf")[0]
    assert (i.verb, i.count, i.target) == ("click", 2, "the file report.pdf")
    assert parse("right click on the desktop")[0].button == "right"


def test_type_into_with_sequence_and_key():
    assert verbs("type 'hi' into the Name field and press Enter") == [
        ("type", "the Name field", "hi", ()), ("key", "", "", ("enter",))]
    assert verbs('Enter "Bob Smith" into the text field, then press Submit') == [
        ("type", "the text field", "Bob Smith", ()), ("click", "Submit", "", ())]
    assert verbs('fill in the Email box with "a@b.c"') == [("type", "the Email box", "a@b.c", ())]
    assert verbs("type hello") == [("type", "", "hello", ())]


def test_quotes_protect_separators():
    assert verbs('type "salt, pepper and oil" into the Notes field') == [
        ("type", "the Notes field", "salt, pepper and oil", ())]


def test_both_and_all_mark_every_target():
    i = parse('Enter the password "x1" into both text fields')[0]
    assert i.every and i.text == "x1"


def test_select_lists_borrow_the_verb_and_nothing_is_skipped():
    assert verbs("Select kT2ho, Yj and click Submit.") == [
        ("select", "kT2ho", "", ()), ("select", "Yj", "", ()), ("click", "Submit", "", ())]
    assert verbs("Select nothing and click Submit.") == [("click", "Submit", "", ())]
    i = parse("choose Ivory Coast from the country list")[0]
    assert (i.verb, i.target, i.from_list) == ("select", "Ivory Coast", True)
    assert parse("uncheck Newsletter")[0].verb == "uncheck"


def test_focus_expand_close():
    assert verbs("Focus into the textbox.") == [("click", "the textbox", "", ())]
    assert verbs("Expand the section below and click submit.")[0] == ("click", "the section below", "", ())
    assert verbs('Close the dialog box by clicking the "x".') == [("click", 'the "x"', "", ())]
    assert verbs("close the dialog by pressing Escape") == [("key", "", "", ("escape",))]
    assert parse("close the settings window")[0].verb == "close"


def test_keys_scroll_wait_hover():
    assert parse_keys("Ctrl + Shift + T") == ("ctrl", "shift", "t")
    assert parse_keys("the Enter key") == ("enter",)
    assert parse_keys("Submit") is None
    assert parse_keys("x") is None and parse_keys("the x key") == ("x",)
    assert parse("scroll down 3")[0] == Intent("scroll", text="down", amount=3.0, source="scroll down 3")
    assert parse("wait 2 seconds")[0].amount == 2.0
    assert parse("wait 500 ms")[0].amount == 0.5
    assert parse("hover over the Help menu")[0] == Intent("hover", target="the Help menu",
                                                          source="hover over the Help menu")


@pytest.mark.parametrize("text", ["make me a sandwich", "what is the weather", "", "   ", "please be nice"])
def test_unreadable_commands_say_so_and_how_to_go_on(text):
    with pytest.raises(CommandError) as err:
        parse(text)
    message = str(err.value)
    assert "language model" in message and "\n" not in message
