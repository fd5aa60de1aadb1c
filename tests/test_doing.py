"""Phrasings on screens: which element each command picks and what the screen holds after it (a simulated UI)."""

import pytest

from planner.actions import Scroll
from tests.ui_world import World, drive, el, named, states


def form() -> World:
    """Two checkboxes before two radios, three text fields (a text area between), labelled buttons."""
    return World([
        el("checkbox", "Newsletter", (20, 20, 40, 40)), el("checkbox", "Offers", (20, 60, 40, 80), states={"checked"}),
        el("radio", "Small", (20, 100, 40, 120)), el("radio", "Large", (20, 140, 40, 160)),
        el("text_field", "User name", (200, 20, 400, 50)), el("text_area", "Notes", (200, 60, 400, 120)),
        el("text_field", "Password", (200, 130, 400, 160), states={"password"}),
        el("text_field", "Email", (200, 170, 400, 200)),
        el("button", "Sign in", (20, 300, 120, 330)), el("button", "Sort by name", (140, 300, 260, 330)),
        el("button", "Save for later", (280, 300, 400, 330)),
    ])


@pytest.mark.parametrize("command, role, expected", [
    ("pick the 2nd radio option", "radio", [False, True]),
    ("select the second radio button", "radio", [False, True]),
    ("uncheck the 2nd checkbox", "checkbox", [False, False]),
    ("uncheck the first checkbox", "checkbox", [False, True]),  # already unchecked: left alone
    ("Uncheck all checkboxes", "checkbox", [False, False]),
    ("check all the checkboxes", "checkbox", [True, True]),
    ("check both boxes", "checkbox", [True, True]),
    ("tick Newsletter and untick Offers", "checkbox", [True, False]),
    ("select Newsletter, Offers and Large", "checkbox", [True, True]),
    ("choose Small", "radio", [True, False]),
])
def test_toggles_read_their_state_and_ordinals_count_one_role(command, role, expected):
    result, world = drive(command, form())
    assert result == "done"
    assert states(world, role) == expected


def test_uncheck_never_checks():
    result, world = drive("uncheck Newsletter", form())
    assert result == "done" and world.log == [] and states(world, "checkbox") == [False, True]


@pytest.mark.parametrize("command, field_name, value", [
    ("click into the third text box", "Email", ""),
    ("type 'ada' into the first text field", "User name", "ada"),
    ("type 'x' into the 2nd text input box", "Password", "x"),
    ("enter 'hi' in the Notes text area", "Notes", "hi"),
    ("type hello into Email", "Email", "hello"),
])
def test_fields_by_ordinal_and_label(command, field_name, value):
    result, world = drive(command, form())
    assert result == "done"
    assert world.focus == named(world, field_name).id and named(world, field_name).value == value


def test_values_bind_to_the_fields_their_nouns_name_then_sign_in():
    result, world = drive('Fill in "ada" as the user name and "s3cret" as the password, then press Sign in',
                          form())
    assert result == "done"
    assert named(world, "User name").value == "ada" and named(world, "Password").value == "s3cret"
    assert world.log[-1] == "click Sign in"


def test_gapped_clause_types_into_its_own_field():
    result, world = drive("type 'X' into the username field and 'Y' into the password field", form())
    assert result == "done" and named(world, "User name").value == "X" and named(world, "Password").value == "Y"


def test_values_distribute_over_plural_fields_in_reading_order():
    result, world = drive("type 'a', 'b' and 'c' into the text fields", form())
    assert result == "done"
    assert [named(world, n).value for n in ("User name", "Password", "Email")] == ["a", "b", "c"]


def test_one_value_into_both_fields():
    world = World([el("text_field", "", (20, 20, 200, 50)), el("text_field", "", (20, 70, 200, 100)),
                   el("button", "Submit", (20, 120, 100, 150))])
    result, world = drive('Enter the password "x1" into both text fields and press submit.', world)
    assert result == "done" and [e.value for e in world.elements[:2]] == ["x1", "x1"]
    assert world.log[-1] == "click Submit"


@pytest.mark.parametrize("command, clicked", [
    ("click Sort by name", "Sort by name"),
    ("click Save for later", "Save for later"),
    ("Click 'Sign in'. Then type 'bob' into the username field", "Sign in"),
])
def test_labels_with_relation_words_stay_labels(command, clicked):
    result, world = drive(command, form())
    assert result == "done" and world.log[0] == f"click {clicked}"


def number_pad(*names: str) -> World:
    return World([el("button", n, (20 + 60 * i, 20, 70 + 60 * i, 60)) for i, n in enumerate(names)])


@pytest.mark.parametrize("names, command, clicked", [
    (("ONE", "Two", "Three"), "press Two", "Two"),
    (("Two", "ONE", "Three"), "click ONE", "ONE"),
    (("Alpha", "Beta", "Gamma"), "press Two", "Beta"),  # no label says Two: the second button
    (("Alpha", "Beta", "Gamma"), "click the first", "Alpha"),
    (tuple("789456123"), "click 7", "7"),
    (("Café", "Ελληνικά", "日本語"), "click Ελληνικά", "Ελληνικά"),
    (("Café", "Ελληνικά", "日本語"), "click 日本語", "日本語"),
    (("Cafe", "Café"), "click Café", "Café"),
    (("+", "−", "×", "÷", "="), "click ÷", "÷"),
])
def test_number_words_and_single_characters(names, command, clicked):
    result, world = drive(command, number_pad(*names))
    assert result == "done" and world.log == [f"click {clicked}"]


def test_tick_the_box_next_to_words():
    world = World([el("text", "I agree to the terms", (50, 20, 250, 40), line=0),
                   el("checkbox", "", (20, 20, 40, 40)), el("checkbox", "", (20, 80, 40, 100)),
                   el("text", "Send me mail", (50, 80, 200, 100), line=1), el("text_field", "Box", (300, 20, 400, 40))])
    result, world = drive("tick the box next to 'I agree to the terms'", world)
    assert result == "done" and states(world, "checkbox") == [True, False]


def list_of_cities() -> World:
    box = el("list_box", "Cities", (20, 40, 220, 200), states={"multiselectable"})
    options = [el("option", c, (22, 42 + 30 * i, 218, 70 + 30 * i), parent=1) for i, c in
               enumerate(["London", "Paris", "Madrid", "Rome"])]
    return World([box, *options, el("button", "Submit", (20, 220, 100, 250))])


def test_multi_select_list_box_ctrl_clicks_every_option():
    result, world = drive("choose Paris and Rome in the list of cities", list_of_cities())
    assert result == "done" and world.log == ["click Paris", "click+ctrl Rome"]
    assert states(world, "option") == [False, True, False, True]




@pytest.mark.parametrize("command, start, end", [
    ("drag the slider to 5", "0", "5"),
    ("Select -3 with the slider and hit Submit.", "2", "-3"),
    ("set the volume slider to 12", "10", "12"),
])
def test_sliders_close_the_loop_on_their_value(command, start, end):
    world = World([el("slider", "Volume", (20, 20, 220, 40), value=start), el("button", "Submit", (20, 60, 100, 90))])
    result, world = drive(command, world)
    assert result == "done" and named(world, "Volume").value == end


def test_spin_box_steps_to_its_value():
    world = World([el("spin_box", "Count", (20, 20, 120, 50), value="0"), el("button", "Submit", (20, 60, 100, 90))])
    result, world = drive("Select -3 with the spinner and hit Submit.", world)
    assert result == "done" and named(world, "Count").value == "-3" and world.log[-1] == "click Submit"


def test_clear_and_search_and_enter_at_the_focus():
    world = World([el("text_field", "Name", (20, 20, 200, 50), value="Bob"),
                   el("text_field", "Search", (300, 20, 500, 50))])
    result, world = drive("clear the Name field, then search for 'cats'", world)
    assert result == "done" and named(world, "Name").value == "" and named(world, "Search").value == "cats"
    assert world.log[-1] == "key enter"
    result, world = drive("enter hello", world)  # where the focus is: after what the field holds
    assert result == "done" and named(world, "Search").value == "catshello"


def test_tabs_and_sections_are_explored_to_find_a_link():
    world = World([el("tab", "Tab #1", (20, 20, 100, 40), states={"selected"}), el("tab", "Tab #2", (110, 20, 190, 40)),
                   el("link", "lorem", (20, 60, 80, 80)), el("link", "target", (20, 90, 80, 110))],
                  hidden={2: [4]})
    result, world = drive('Switch between the tabs to find and click on the link "target".', world)
    assert result == "done" and world.log == ["click Tab #2", "wait", "click target"]
    world = World([el("heading", "Section #1", (20, 20, 300, 40), states={"collapsed"}),
                   el("link", "x", (20, 50, 60, 70)),
                   el("heading", "Section #2", (20, 80, 300, 100), states={"collapsed"}),
                   el("link", "abc", (20, 110, 60, 130))], hidden={1: [2], 3: [4]})
    result, world = drive('Expand the sections below, to find and click on the link "abc".', world)
    assert result == "done" and world.log == ["click Section #1", "wait", "click Section #2", "wait", "click abc"]


def test_go_to_a_tab():
    world = World([el("tab", "General", (20, 20, 100, 40)), el("tab", "Settings", (110, 20, 190, 40))])
    result, world = drive("go to the Settings tab", world)
    assert result == "done" and "expanded" in named(world, "Settings").states


def test_whose_button_is_the_one_beside_its_owner():
    world = World([el("text", "@ada", (20, 20, 80, 40), line=0), el("button", "Reply", (20, 60, 80, 80)),
                   el("text", "@bob", (20, 120, 80, 140), line=1), el("button", "Reply", (20, 160, 80, 180))])
    result, world = drive("For the user @bob, click the Reply button.", world)
    assert result == "done" and world.at(50, 170).name == "Reply" and world.focus == 4


def test_missing_target_fails_with_a_sentence():
    result, _ = drive("click Delete", form())
    assert result.startswith('Nothing on the screen matches the "Delete" element') and result.endswith(
        "(while doing 'click Delete').")


def test_results_are_counted_down_the_list_and_across_pages():
    results = [el("link", n, (20, 40 + 60 * i, 120, 60 + 60 * i)) for i, n in enumerate(["Alan", "Vina", "Teo"])]
    later = [el("link", n, (20, 40 + 60 * i, 120, 60 + 60 * i)) for i, n in enumerate(["Ada", "Bo", "Cy"])]
    pages = [el("link", n, (20 + 30 * i, 240, 40 + 30 * i, 260)) for i, n in enumerate(["1", "2", "3", ">"])]
    world = World([*results, *later, *pages], hidden={10: [4, 5, 6]}, hides={10: [1, 2, 3]})
    result, world = drive("find and click the 5th search result", world)
    assert result == "done" and world.log == ["click >", "click Bo"]


def test_a_date_picker_opens_and_its_day_is_clicked():
    class Picker(World):  # a day clicked is written into the field, and the calendar closes
        def _click(self, e, hold):
            super()._click(e, hold)
            if e.role == "text" and e.name.isdigit():
                self.put(self.get(1).with_(value=f"12/{int(e.name):02d}/2016"))
                self.shown -= set(self.hidden[1])

    days = [el("text", str(d), (20 + 30 * ((d - 1) % 7), 120 + 25 * ((d - 1) // 7), 40 + 30 * ((d - 1) % 7),
                                  140 + 25 * ((d - 1) // 7))) for d in range(1, 32)]
    world = Picker([el("text_field", "Date", (20, 20, 200, 50)), el("heading", "December 2016", (40, 80, 200, 100)),
                   *days, el("button", "Submit", (300, 20, 380, 50))], hidden={1: list(range(2, 34))})
    result, world = drive("Select 12/23/2016 as the date and hit submit.", world)
    assert result == "done" and world.log == ["click Date", "click 23", "click Submit"]


def test_a_time_the_field_does_not_take_is_typed_another_way():
    class TimeField(World):
        def _type(self, text: str) -> None:  # a time field ignores what has a space in it
            super()._type("" if " " in text else text)
    world = TimeField([el("text_field", "Time", (20, 20, 200, 50)), el("button", "Submit", (20, 60, 100, 90))])
    result, world = drive("Enter 10:39 PM as the time and press submit.", world)
    assert result == "done" and named(world, "Time").value == "10:39PM" and world.log[-1] == "click Submit"








@pytest.mark.parametrize("command, checked, language", [
    ("set the frequency to daily", "Daily", "English"),
    ("Set the language to Deutsch; set the frequency to Monthly", "Monthly", "Deutsch"),
    ("set frequency to Weekly", "Weekly", "English"),
])
def test_set_a_group_to_one_of_its_radios(command, checked, language):
    world = World([el("text", "Frequency:", (20, 20, 100, 40)), el("radio", "Daily", (110, 22, 126, 38)),
                   el("radio", "Weekly", (200, 22, 216, 38), states={"checked"}),
                   el("radio", "Monthly", (290, 22, 306, 38)),
                   el("text", "Language", (20, 60, 100, 80)),
                   el("dropdown", "Language", (110, 58, 200, 82), value="English"),
                   el("option", "English", (110, 84, 200, 104), parent=6),
                   el("option", "Deutsch", (110, 106, 200, 126), parent=6)], hidden={6: [7, 8]})
    result, world = drive(command, world)
    assert result == "done"
    assert [e.name for e in world.elements if e.role == "radio" and "checked" in e.states] == [checked]
    assert next(e for e in world.elements if e.role == "dropdown").value == language


def test_a_sentence_that_is_only_a_label_clicks_it():
    result, world = drive("Uncheck Offers. Sign in.", form())
    assert result == "done" and world.log == ["click Offers", "click Sign in"]


def test_a_spinner_that_looks_like_a_field_is_stepped_not_typed():
    class Spinner(World):  # a text input that steps with the arrow keys and ignores typing (jQuery UI's spinner)
        def _type(self, text: str) -> None:
            self.log.append(f"type {text!r}")

        def _key(self, keys: tuple[str, ...]) -> None:
            if keys in (("up",), ("down",)):
                f = self.get(self.focus)
                self.put(f.with_(value=str(int(f.value) + (1 if keys == ("up",) else -1))))
            super()._key(keys)
    world = Spinner([el("text_field", "Select a value", (20, 20, 220, 50), value="0")])
    result, world = drive("Select -2 with the spinner", world)
    assert result == "done" and named(world, "Select a value").value == "-2"
    assert world.log == ["click Select a value", "key down", "key down"]


def test_the_command_shown_over_several_lines_is_never_a_target():
    world = World([el("text", "Expand the sections below, to", (0, 0, 300, 20), line=0),
                   el("text", "find and click on the link", (0, 22, 300, 42), line=1),
                   el("text", '"augue".', (0, 44, 90, 64), line=2),
                   el("heading", "Section #1", (0, 100, 300, 120)), el("link", "augue", (0, 130, 60, 150))],
                  hidden={4: [5]})
    result, world = drive('Expand the sections below, to find and click on the link "augue".', world)
    assert result == "done" and world.log == ["click Section #1", "wait", "click augue"]


def test_what_is_not_in_view_is_looked_for_in_the_owners_overflow_menu():
    world = World([el("text", "Ada @ada · 1h", (20, 20, 200, 40), line=0),
                   el("text", "…", (300, 60, 320, 80), line=1), el("text", "Bo @bo · 2h", (20, 120, 200, 140), line=2),
                   el("text", "…", (300, 160, 320, 180), line=3),
                   el("menu_item", "Block", (240, 190, 360, 210)), el("menu_item", "Mute", (240, 215, 360, 235))],
                  hidden={4: [5, 6]})
    result, world = drive('For the user @bo, click on the "Block" button.', world)
    assert result == "done" and world.log == ["click …", "click Block"]


def test_an_icon_word_finds_the_glyph_that_stands_for_it():
    world = World([el("text", "Margarita", (20, 20, 120, 40), line=0), el("text", "☆", (200, 20, 220, 40), line=0),
                   el("text", "Zea", (20, 80, 120, 100), line=1), el("text", "☆", (200, 80, 220, 100), line=1)])
    result, world = drive("Find the email by Zea and click the star icon to mark it as important.", world)
    assert result == "done" and world.log == ["click ☆"] and world.focus == 4


def test_a_time_field_that_kept_the_digits_but_not_pm_is_typed_again():
    class TimeField(World):
        def _type(self, text: str) -> None:  # a space ends the typing: "10:39 PM" leaves "10:39 --"
            super()._type(text.split(" ")[0] + " --" if " " in text else text)
    world = TimeField([el("text_field", "Time", (20, 20, 200, 50)), el("button", "Submit", (20, 60, 100, 90))])
    result, world = drive("set the time to 7:05 am, then click Submit", world)
    assert result == "done" and named(world, "Time").value == "7:05am" and world.log[-1] == "click Submit"


def test_an_opened_list_option_is_its_whole_line_not_a_word_of_a_longer_one():
    line = el("text", "6ft 1in", (20, 92, 200, 118), line=3)
    words = (el("text", "6ft", (20, 92, 60, 118), line=3), el("text", "1in", (70, 92, 110, 118), line=3))

    class Opened(World):
        def screen(self):
            s = super().screen()
            return s.__class__(s.width, s.height, s.elements, words if 3 in self.shown else ())
    world = Opened([el("dropdown", "Height", (20, 20, 200, 50)), el("text", "5ft 11in", (20, 60, 200, 86), line=2),
                    line], hidden={1: [2, 3]})
    result, world = drive("Choose 6 ft from the dropdown", world)
    assert "click 6ft 1in" not in world.log and "click 6ft" not in world.log


def test_paste_goes_elsewhere_than_where_the_text_was_copied_from():
    world = World([el("text_area", "", (20, 20, 240, 110), value="In at. Ornare potenti."),
                   el("text_field", "potenti.", (170, 55, 238, 90)),  # a selected text area misread as a field
                   el("text_field", "", (20, 130, 240, 170)), el("button", "Submit", (20, 190, 120, 230))])
    result, world = drive("Copy the text in the textarea below, paste it into the textbox and press Submit.", world)
    assert result == "done"
    clicks = [x for x in world.log if x.startswith("click")]
    assert clicks == ["click ", "click ", "click Submit"]  # the text area, the other field, Submit


def test_looking_further_down_scrolls_the_list_the_results_are_in():
    class Feed(World):  # only the results' own box scrolls: the pager comes into view under them
        def act(self, action):
            if isinstance(action, Scroll) and action.x < 130 and action.y < 200:
                self.shown |= {7, 8, 9}
            super().act(action)
    results = [el("link", n, (20, 40 + 50 * i, 120, 60 + 50 * i)) for i, n in enumerate(["Alan", "Vina", "Teo"])]
    later = [el("link", n, (20, 40 + 50 * i, 120, 60 + 50 * i)) for i, n in enumerate(["Ada", "Bo", "Cy"])]
    pages = [el("link", n, (20 + 30 * i, 190, 40 + 30 * i, 200)) for i, n in enumerate(["1", "2", ">"])]
    world = Feed([*results, *later, *pages], hidden={0: [4, 5, 6, 7, 8, 9]}, hides={9: [1, 2, 3]})
    world.hidden = {9: [4, 5, 6]}  # after the pager shows: ">" shows the next page's results
    result, world = drive("find and click the 4th search result", world)
    assert result == "done" and world.log == ["scroll", "click >", "click Ada"]


def test_a_section_opened_is_not_clicked_again_when_it_reads_otherwise_and_alike_ones_are_told_by_place():
    class Reread(World):  # an opened header is read back as a bare word; the other headers read the same word
        def screen(self):
            s = super().screen()
            return s.__class__(s.width, s.height, tuple(
                e.with_(role="text", name="Section", box=e.box.__class__(e.box.x0 + 4, e.box.y0 + 2, 90,
                                                                          e.box.y1 - 2))
                if e.role == "heading" and self.log else e for e in s.elements), image=s.image)
    world = Reread([el("heading", "Section #1", (20, 20, 300, 40)), el("link", "x", (20, 50, 60, 70)),
                    el("heading", "Section #2", (20, 80, 300, 100)), el("link", "abc", (20, 110, 60, 130))],
                   hidden={1: [2], 3: [4]})
    result, world = drive('Expand the sections below, to find and click on the link "abc".', world)
    assert result == "done"
    assert [x for x in world.log if x != "wait"] == ["click Section #1", "click Section #2", "click abc"]
