"""Commands a person says to an editor, a calculator and a desktop: nouns that are labels, the editor's text,
menus that lack an item, symbol buttons by their spoken names, reading a display, clearing, typing at the end,
starting a program (a simulated UI)."""

import pytest

from grounding.elements import Box, Element
from grounding.refs.grammar import parse_ref
from planner.actions import Open
from tests.ui_world import World, drive, el, replace_el


@pytest.mark.parametrize("labelled", [True, False])
def test_a_noun_that_is_also_a_fields_label_names_that_field(labelled):
    if labelled:  # the accessibility tree names each field
        fields = [el("text_field", "Full name", (20, 40, 300, 70)), el("text_field", "Email", (20, 100, 300, 130))]
    else:  # pixels: the words above each field name it
        fields = [el("text", "Full", (20, 20, 50, 35), line=0), el("text", "name", (55, 20, 90, 35), line=0),
                  el("text_field", "", (20, 40, 300, 70)), el("text", "Email", (20, 80, 60, 95), line=1),
                  el("text_field", "", (20, 100, 300, 130))]
    result, world = drive("fill in the email with dana@example.org", World(fields))
    assert result == "done"
    assert [e.value for e in world.elements if e.role == "text_field"] == ["", "dana@example.org"]


def editor() -> World:
    """An editor window: a menu bar whose View menu opens three items, and the text area under it."""
    return World([el("menu_bar_item", "Edit", (30, 2, 60, 22)), el("menu_bar_item", "View", (70, 2, 100, 22)),
                  el("menu_item", "Line Numbers", (70, 24, 220, 44), parent=2),
                  el("menu_item", "Status Bar", (70, 46, 220, 66), parent=2),
                  el("menu_item", "Fullscreen", (70, 68, 220, 88), parent=2),
                  el("text_area", "", (0, 30, 800, 580)), el("menu_bar_item", "Document", (110, 2, 180, 22)),
                  el("text", "Edit", (32, 4, 58, 20), line=0), el("text", "Document", (112, 4, 178, 20), line=0)],
                 hidden={2: [3, 4, 5]})


@pytest.mark.parametrize("place", ["the editor", "the document", "the text"])
def test_an_editor_window_s_text_is_its_text_area_not_a_menu_of_a_like_name(place):
    result, world = drive(f"type 'hello world' into {place}", editor())
    assert result == "done" and world.log[0] == "click "  # the text area (it has no name), not Edit or Document
    assert [e.value for e in world.elements if e.role == "text_area"] == ["hello world"]


def test_a_menu_item_the_menu_lacks_is_said_and_nothing_is_typed_into_the_app():
    result, world = drive("choose Word Wrap from the View menu", editor())
    assert result == "The View menu has no item 'Word Wrap' (while doing 'choose Word Wrap from the View menu')."
    assert world.log == ["click View", "key escape"]  # closed, and said at once: looking again shows the same


def test_a_menu_item_the_menu_has_is_clicked():
    result, world = drive("choose Status Bar from the View menu", editor())
    assert result == "done" and world.log == ["click View", "click Status Bar"]


def test_an_editor_is_said_as_a_role_never_as_a_label_that_fuzzy_matching_could_take_for_edit():
    assert parse_ref("the editor").role == "text_area" and parse_ref("the text editor").label == ""


def calculator() -> World:
    """A calculator: its display, digits and operators named by their glyphs, as the accessibility tree names them."""
    keys = ["7", "*", "sqrt", "=", "+", "-", "/", "%", ".", "<-", "C", "AC"]
    return World([el("text_area", "", (10, 10, 300, 40), value="0", states={"readonly"})]
                 + [el("button", k, (10 + 50 * i, 60, 50 + 50 * i, 90)) for i, k in enumerate(keys)])


@pytest.mark.parametrize("command, clicked", [
    ("press the times button", ["*"]), ("click square root", ["sqrt"]), ("press 7, times, 7 and equals",
                                                                          ["7", "*", "7", "="]),
    ("press plus then minus", ["+", "-"]), ("click the divided by button", ["/"]), ("press percent", ["%"]),
    ("press the point", ["."]), ("click the backspace button", ["<-"]),
])
def test_symbol_buttons_are_found_by_their_spoken_names(command, clicked):
    result, world = drive(command, calculator())
    assert result == "done" and world.log == [f"click {k}" for k in clicked]


class Calculator(World):
    """What is typed is a product; its display shows the result once '=' is typed."""

    def _type(self, text: str) -> None:
        self.log.append(f"type {text!r}")
        a, _, b = text.rstrip("=").partition("*")
        self.put(self.get(1).with_(value=str(int(a) * int(b)) if text.endswith("=") else text))


def test_an_expression_typed_into_a_display_that_shows_its_result_is_seen_to_work_and_typed_once():
    result, world = drive("type 12*3= into the display", Calculator(calculator().elements))
    assert result == "done" and [x for x in world.log if x.startswith("type")] == ["type '12*3='"]
    assert world.summary == "1 command: 1 seen to work"


def test_read_says_what_the_display_shows():
    world = calculator()
    world.put(world.get(1).with_(value="36"))
    result, world = drive("read the number on the display", world)
    assert result == "done" and world.summary == "1 command: 1 seen to work; the number on the display shows '36'"


def test_clearing_what_holds_no_text_presses_its_clear_button():
    world = calculator()
    world.elements.append(el("menu_bar_item", "Calculator", (10, 0, 90, 8)).with_(id=len(world.elements) + 1))
    world.shown.add(len(world.elements))
    result, world = drive("clear the calculator", world)
    assert result == "done" and world.log == ["click AC"]


def test_text_typed_at_the_end_of_an_editors_text_is_added_not_typed_over_it():
    world = editor()
    replace_el(world, "", value="eggs\n")
    result, world = drive("type 'milk' at the end of the text", world)
    assert result == "done" and world.summary == "1 command: 1 seen to work"
    assert world.log == ["click ", "key ctrl+end", "type 'milk'"]
    assert [e.value for e in world.elements if e.role == "text_area"] == ["eggs\nmilk"]


class Desktop(World):
    """A desktop that notes the programs started on it."""

    def act(self, action: object) -> None:
        if isinstance(action, Open):
            self.log.append(f"open {action.app}")
        super().act(action)


def test_open_starts_a_program_nothing_on_the_screen_is_called_by_and_clicks_what_is():
    _, world = drive("open sh", Desktop(editor().elements))  # sh: a program every machine has
    assert world.log[0] == "open sh"
    _, world = drive("open the View menu", Desktop(editor().elements))
    assert world.log[0] == "click View"
    _, world = drive("open nosuchprogram", Desktop(editor().elements))
    assert not any(x.startswith("open") for x in world.log)


def test_a_noun_names_the_field_the_tree_labels_not_the_words_of_its_label():
    """The accessibility tree names the fields; the page's own label words are seen in the pixels as well."""
    tree = [Element(Box(20, 40, 300, 70), "text_field", name="Full name", source="a11y"),
            Element(Box(20, 100, 300, 130), "text_field", name="Email address", source="a11y")]
    words = [el("text", "Full", (20, 20, 50, 35), line=0), el("text", "name", (55, 20, 90, 35), line=0),
             el("text", "Email", (20, 80, 60, 95), line=1), el("text", "address", (65, 80, 120, 95), line=1)]
    result, world = drive("fill in the email with dana@example.org", World(tree + words))
    assert result == "done" and world.log[0] == "click Email address"
    assert [e.value for e in world.elements if e.role == "text_field"] == ["", "dana@example.org"]


class Keypad(World):
    """A calculator whose keys repaint nothing but its display: digits show there, '+' shows nothing, '=' the sum."""

    def _click(self, e, hold):
        self.log.append(f"click {e.name}")
        self.pending = getattr(self, "pending", "")
        if e.name.isdigit():
            self.put(self.get(1).with_(value=e.name))
            self.pending += e.name
        elif e.name == "+":
            self.pending += "+"
        elif e.name == "=":
            a, _, b = self.pending.partition("+")
            self.put(self.get(1).with_(value=str(int(a) + int(b))))


def test_a_key_that_changes_only_a_calculators_display_is_seen_to_work():
    keys = ["7", "8", "+", "="]
    world = Keypad([el("text_area", "", (10, 10, 300, 40), value="0", states={"readonly"})]
                   + [el("button", k, (10 + 50 * i, 60, 50 + 50 * i, 90)) for i, k in enumerate(keys)],
                   silent=set(range(2, 6)))
    result, world = drive("click 7, click +, click 8 and click =", world)
    assert result == "done" and world.get(1).value == "15"
    assert world.summary == "4 commands: 3 seen to work, 1 with no visible effect (click +)"
