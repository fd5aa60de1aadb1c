"""Direct commands that choose in dropdowns and lists, on a simulated screen (tests/ui_world.py): a dropdown
opens, then takes its option; a long opened list is scrolled, then typed into; an option the list lacks fails; an
option not in view is looked for in the screen's only dropdown."""

from tests.ui_world import World, drive, el, named


def test_dropdown_opens_then_takes_its_option():
    world = World([el("dropdown", "Height", (20, 20, 200, 50)),
                   el("option", "5ft 9in", (20, 52, 200, 80), parent=1),
                   el("option", "6ft", (20, 82, 200, 110), parent=1),
                   el("button", "Yes", (300, 20, 380, 50))], hidden={1: [2, 3]})
    result, world = drive('Choose 5ft 9in from the dropdown, then click the button labeled "Yes".', world)
    assert result == "done" and named(world, "Height").value == "5ft 9in" and world.log[-1] == "click Yes"


def test_an_option_not_in_view_is_looked_for_in_the_screens_only_dropdown_and_several_ask_which():
    world = World([el("dropdown", "Country", (20, 20, 200, 50), value="United States"),
                   el("option", "Canada", (20, 52, 200, 80), parent=1),
                   el("button", "Save", (300, 20, 380, 50))], hidden={1: [2]})
    result, world = drive("choose Canada", world)
    assert result == "done" and named(world, "Country").value == "Canada"
    two = World([el("dropdown", "Country", (20, 20, 200, 50)), el("dropdown", "Language", (20, 60, 200, 90))])
    result, _ = drive("choose Canada", two)
    assert "say which list holds it (the dropdowns here: 'Country', 'Language')" in result
    radios = World([el("dropdown", "Country", (20, 20, 200, 50)), el("option", "Canada", (20, 52, 200, 80), parent=1),
                    el("radio", "Mexico", (20, 120, 40, 140))], hidden={1: [2]})
    result, world = drive("choose Canada", radios)  # it may be a radio further down: not guessed into the list
    assert result != "done" and named(world, "Country").value == ""


def test_a_long_opened_list_is_scrolled_before_typing():
    world = World([el("dropdown", "Size", (20, 20, 200, 50)), el("option", "Small", (20, 52, 200, 80), parent=1)],
                  hidden={1: [2]})
    result, world = drive("choose Huge from the Size dropdown", world)
    assert result == "done" and world.log[1:] == ["scroll", "wait"] * 6 + ["type 'Huge'", "key enter", "key escape"]
    assert named(world, "Size").value == "Huge"


def test_a_typed_option_the_list_lacks_fails_instead_of_taking_the_nearest():
    class JumpsToALetter(World):  # a closed list jumps to the first option starting with the letter typed
        def _type(self, text: str) -> None:
            self.log.append(f"type {text!r}")
            options = [e.name for e in self.elements if e.role == "option"]
            size = named(self, "Size")
            self.put(size.with_(value=next((o for o in options if o[0].lower() == text[0].lower()), size.value)))
    world = JumpsToALetter([el("dropdown", "Size", (20, 20, 200, 50), value="Small"),
                            el("option", "Small", (20, 52, 200, 80), parent=1),
                            el("option", "Medium", (20, 82, 200, 110), parent=1)], hidden={1: [2, 3]})
    result, world = drive("choose Mega from the Size dropdown", world)
    assert "no option 'Mega'" in result and "'Medium'" in result
