"""The words the grammar knows: role nouns, determiners, ordinals, number words, relations and key names.

Role nouns name what a thing is ("button", "text input box", "radio option"); each maps to a role key, and each
key to the screen-model roles it may be, the exact one first (grounding/elements.py ROLES). A run of role words
is one role: the longest known compound at its end decides, and the role words before it are part of it.
"""

from __future__ import annotations

ROLE_PHRASES: dict[tuple[str, ...], str] = {
    ("button",): "button", ("btn",): "button", ("push", "button"): "button", ("command", "button"): "button",
    ("link",): "link", ("hyperlink",): "link",
    ("text", "field"): "text_field", ("textfield",): "text_field", ("text", "box"): "text_field",
    ("textbox",): "text_field", ("text", "input"): "text_field", ("input", "field"): "text_field",
    ("input", "box"): "text_field", ("entry", "field"): "text_field", ("entry", "box"): "text_field",
    ("edit", "box"): "text_field", ("edit", "field"): "text_field", ("text", "entry"): "text_field",
    ("input",): "field", ("field",): "field", ("entry",): "field",
    ("search", "box"): "search_box", ("search", "field"): "search_box", ("search", "bar"): "search_box",
    ("searchbox",): "search_box", ("search", "input"): "search_box",
    ("textarea",): "text_area", ("text", "area"): "text_area",
    ("editor",): "text_area", ("text", "editor"): "text_area", ("editing", "area"): "text_area",  # an editor's text
    ("checkbox",): "checkbox", ("check", "box"): "checkbox", ("tickbox",): "checkbox", ("tick", "box"): "checkbox",
    ("check", "button"): "checkbox", ("switch",): "checkbox", ("toggle",): "checkbox",
    ("toggle", "switch"): "checkbox",
    ("radio",): "radio", ("radio", "button"): "radio", ("radio", "option"): "radio", ("option", "button"): "radio",
    ("radio", "box"): "radio",
    ("box",): "box",
    ("dropdown",): "dropdown", ("drop-down",): "dropdown", ("drop", "down"): "dropdown",
    ("dropdown", "list"): "dropdown", ("dropdown", "menu"): "dropdown", ("drop-down", "list"): "dropdown",
    ("drop-down", "menu"): "dropdown", ("drop", "down", "list"): "dropdown", ("drop", "down", "menu"): "dropdown",
    ("combo", "box"): "dropdown", ("combobox",): "dropdown", ("select", "box"): "dropdown",
    ("select", "menu"): "dropdown", ("select", "list"): "dropdown", ("picker",): "dropdown",
    ("list", "box"): "list_box", ("listbox",): "list_box", ("selection", "list"): "list_box",
    ("list",): "list",
    ("option",): "option", ("choice",): "option",
    ("menu",): "menu", ("menu", "item"): "menu_item", ("menu", "entry"): "menu_item", ("menu", "option"): "menu_item",
    ("tab",): "tab",
    ("slider",): "slider", ("range", "slider"): "slider",
    ("spinner",): "spin_box", ("spin", "box"): "spin_box", ("spinbox",): "spin_box", ("spin", "button"): "spin_box",
    ("stepper",): "spin_box", ("number", "spinner"): "spin_box",
    ("tree", "item"): "tree_item", ("node",): "tree_item", ("tree", "node"): "tree_item",
    ("file",): "file", ("folder",): "file", ("directory",): "file",
    ("cell",): "cell", ("display",): "display", ("readout",): "display", ("screen", "display"): "display",
    ("section",): "section", ("panel",): "section", ("accordion",): "section", ("collapsible",): "section",
    ("heading",): "heading", ("title",): "heading", ("header",): "heading", ("headline",): "heading",
    ("window", "title"): "heading", ("title", "bar"): "heading",
    ("dialog",): "dialog", ("dialog", "box"): "dialog", ("dialogue",): "dialog", ("dialogue", "box"): "dialog",
    ("popup",): "dialog", ("pop-up",): "dialog", ("modal",): "dialog", ("window",): "dialog", ("alert",): "dialog",
    ("image",): "image", ("picture",): "image", ("photo",): "image", ("logo",): "image",
    ("icon",): "icon",
    ("text",): "text", ("label",): "text", ("word",): "text", ("line",): "text",
    ("result",): "result", ("search", "result"): "result",
    ("item",): "item", ("row",): "item",
    ("widget",): "widget", ("element",): "widget", ("control",): "widget", ("thing",): "widget",
    ("tree",): "tree", ("file", "tree"): "tree", ("form",): "form", ("page",): "page", ("screen",): "page",
    ("toolbar",): "form", ("sidebar",): "form",
}
ROLE_WORDS = frozenset(w for phrase in ROLE_PHRASES for w in phrase)
LONGEST_ROLE = max(len(p) for p in ROLE_PHRASES)

CONTROL_ROLES = ("button", "link", "text_field", "text_area", "checkbox", "radio", "dropdown", "list_box", "option",
                 "menu_item", "menu_bar_item", "tab", "slider", "spin_box", "tree_item", "cell")
ROLE_FAMILIES: dict[str, tuple[str, ...]] = {
    "button": ("button", "menu_item", "link", "option"),  # "the Block button" may be an entry of an opened menu
    "link": ("link",), "text_field": ("text_field", "text_area", "spin_box"),
    "field": ("text_field", "text_area", "spin_box", "dropdown"), "search_box": ("text_field",),
    "text_area": ("text_area", "text_field", "list_box"),  # lines of text in a box can pass for a list
    "checkbox": ("checkbox",), "radio": ("radio",),
    "box": ("text_field", "checkbox", "text_area", "list_box", "dropdown", "dialog"),
    "dropdown": ("dropdown", "text_field"),  # a closed custom dropdown can look like a field with its choice in it
    "list_box": ("list_box",), "list": ("list_box", "dropdown", "list", "text_field"),
    "option": ("option", "radio", "menu_item"),
    "menu": ("menu", "menu_bar_item", "dropdown"), "menu_item": ("menu_item", "option"),
    "tab": ("tab", "button", "link"),  # tabs are often drawn as buttons or links
    "slider": ("slider",), "spin_box": ("spin_box", "text_field"), "tree_item": ("tree_item",),
    "file": ("tree_item", "link", "text", "image"), "cell": ("cell",),
    "display": ("text_area", "text_field", "text"),  # a calculator's or a meter's readout
    "section": ("heading", "group"), "heading": ("heading", "window_title"),
    "dialog": ("dialog", "window_title"), "image": ("image",), "icon": ("image", "button"),
    "text": ("text", "heading", "link"), "result": ("link", "heading"),
    "item": ("option", "menu_item", "tree_item", "list", "link", "text"), "widget": CONTROL_ROLES,
    "tree": ("group", "list", "tree_item"), "form": ("group", "dialog"), "page": (),
    # what an intent can act on, for a description that names no role ("check Remember me", "type into Name")
    "entry": ("text_field", "text_area", "spin_box", "dropdown"), "toggle": ("checkbox", "radio"),
    "valued": ("slider", "spin_box", "text_field", "dropdown", "text_area", "list_box"),
    "choice": ("checkbox", "radio", "option", "menu_item", "list_box", "tree_item", "tab", "cell", "button",
               "link", "dropdown"),
    "clickable": ("button", "link", "tab", "checkbox", "radio", "option", "menu_item", "menu_bar_item",
                  "tree_item", "cell", "dropdown", "text_field", "text_area", "slider", "spin_box", "list_box"),
}
CONTAINERS = frozenset({"dialog", "form", "page", "tree", "list", "list_box", "section", "menu", "dropdown"})
# role nouns so general that a word before them may still be part of a label ("Rich Text", "Show more options")
WEAK_ROLES = frozenset({"text", "item", "option", "heading", "section", "list", "menu", "field", "box", "widget"})

DETERMINERS = frozenset("the a an this that these those any some its their my your his her".split())
QUANTIFIERS = {"all": 0, "every": 0, "each": 0, "both": 2}
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
                "ten": 10, "eleven": 11, "twelve": 12}
ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
                 "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "last": -1,
                 "penultimate": -2, "final": -1}
FILLER = frozenset("please kindly just now also".split())
# words that end a phrase: how often, and conditions (which no direct command can say)
REPEATS = frozenset({"once", "twice", "thrice"})
CONDITIONS = frozenset({"if", "unless", "when", "whenever", "while", "because", "until"})
# nouns that head a phrase without naming a role ("the email by Bob", "the user @ada"); alone they are labels
KIND_NOUNS = frozenset("email mail message post tweet user person account contact comment reply story article "
                       "product order record event song video document".split())
# role words that belong to the role phrase after them ("text input box" is one role)
ROLE_MODIFIERS = frozenset("text input entry".split())

# relation words that need a head noun before them: without one ("Sort by name", "Save for later") they are label
HEAD_RELATIONS = {("by",): "next_to", ("for",): "label", ("of",): "label", ("with", "label"): "label",
                  ("with", "the", "name"): "label", ("with", "the", "caption"): "label", ("from",): "next_to"}
RELATIONS = {
    ("next", "to"): "next_to", ("beside",): "next_to", ("near",): "next_to", ("close", "to"): "next_to",
    ("nearest", "to"): "next_to", ("alongside",): "next_to",
    ("to", "the", "left", "of"): "left_of", ("left", "of"): "left_of", ("on", "the", "left", "of"): "left_of",
    ("to", "the", "right", "of"): "right_of", ("right", "of"): "right_of", ("on", "the", "right", "of"): "right_of",
    ("below",): "below", ("under",): "below", ("underneath",): "below", ("beneath",): "below",
    ("above",): "above", ("over",): "above",
    ("in",): "in", ("inside",): "in", ("within",): "in", ("on",): "in", ("of",): "in",
    ("labelled",): "label", ("labeled",): "label", ("named",): "label", ("called",): "label",
    ("titled",): "label", ("entitled",): "label", ("marked",): "label", ("that", "says"): "label",
    ("which", "says"): "label", ("saying",): "label", ("reading",): "label", ("with", "the", "text"): "label",
    ("with", "the", "label"): "label", ("with", "text"): "label",
}
# "in" and its kin start a relation only before a determiner, a quote or a container noun ("Sign in", "Log in")
CONTAINED = frozenset({"in", "inside", "within", "on", "of"})

KEY_ALIASES = {"return": "enter", "esc": "escape", "control": "ctrl", "del": "delete", "ins": "insert",
               "pgup": "pageup", "pgdn": "pagedown", "cmd": "cmd", "command": "cmd", "win": "super",
               "windows": "super", "spacebar": "space", "bksp": "backspace", "caps": "capslock"}
KEY_PHRASES = {("page", "up"): "pageup", ("page", "down"): "pagedown", ("caps", "lock"): "capslock",
               ("print", "screen"): "printscreen", ("up", "arrow"): "up", ("down", "arrow"): "down",
               ("left", "arrow"): "left", ("right", "arrow"): "right", ("arrow", "up"): "up",
               ("arrow", "down"): "down", ("arrow", "left"): "left", ("arrow", "right"): "right",
               ("back", "space"): "backspace"}
# named keys a person presses rather than clicks ("press Enter"); a label of one character is a button ("press 7")
PRESSABLE = frozenset("enter tab space backspace delete escape up down left right home end pageup pagedown insert "
                      "capslock printscreen".split() + [f"f{i}" for i in range(1, 25)])

# symbols said in words: a calculator's or an editor's buttons named by their glyphs ("press the times button")
SPOKEN: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("times", "multiply", "multiplied by", "multiplication", "multiplication sign"), ("*", "×")),
    **dict.fromkeys(("plus", "plus sign", "addition"), ("+",)),
    **dict.fromkeys(("minus", "minus sign", "subtract", "subtraction"), ("-", "−")),
    **dict.fromkeys(("divide", "divided by", "division", "division sign", "slash"), ("/", "÷")),
    **dict.fromkeys(("equals", "equal", "equal sign", "equals sign"), ("=",)),
    **dict.fromkeys(("square root", "root", "sqrt", "square-root"), ("sqrt", "√")),
    **dict.fromkeys(("percent", "per cent", "percentage", "percent sign"), ("%",)),
    **dict.fromkeys(("point", "dot", "decimal point", "decimal", "period", "decimal separator"), (".", ",")),
    **dict.fromkeys(("backspace", "back space", "delete last"), ("<-", "⌫", "←", "BS", "Bksp")),
    **dict.fromkeys(("plus minus", "plus/minus", "plus or minus", "change sign", "negate"), ("+/-", "±")),
    **dict.fromkeys(("open bracket", "open parenthesis", "left bracket", "left parenthesis"), ("(",)),
    **dict.fromkeys(("close bracket", "close parenthesis", "right bracket", "right parenthesis"), (")",)),
}


def singular(word: str) -> tuple[str, bool]:
    """The role word ``word`` stands for and whether it was plural ("boxes" -> ("box", True))."""
    if word in ROLE_WORDS:
        return word, False
    for cut, add in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(cut) and word[: -len(cut)] + add in ROLE_WORDS:
            return word[: -len(cut)] + add, True
    return word, False


def family(role: str) -> tuple[str, ...]:
    """The screen-model roles a role key may be, the exact one first."""
    return ROLE_FAMILIES.get(role, (role,) if role else ())


# first words of the command verbs (planner/language/verbs.py): a description ends before "to" + one of them
CLAUSE_VERBS = frozenset((
    "activate adjust browse change check choose clear click close collapse complete copy dblclick "
    "deselect disable dismiss double double-click doubleclick drag empty enable enter erase expand "
    "explore fill find focus fold follow go head hit hover input insert key locate look mark middle "
    "middle-click mouse move navigate open paste pause pick press push put right right-click rightclick "
    "scroll search select set sleep slide submit switch tap tick toggle triple triple-click turn type "
    "uncheck unfold unmark unselect untick use visit wait write"
).split())
# verbs of a purpose that only says why ("click the trash icon to delete it"); the clause ends before them
PURPOSE_VERBS = frozenset("delete remove save confirm continue proceed finish send see show view start begin reveal "
                          "accept agree cancel apply like share sign log get make keep mark buy add create edit "
                          "reply forward archive".split())
