"""AT-SPI's role and state numbers, and how they map onto the screen model's roles and states.

The numbers are AT-SPI's own enums (atspi-constants.h: AtspiRole, AtspiStateType); a role or state a newer
toolkit adds past the end of these tables reads as "unknown" and is kept out of the screen.
"""

from __future__ import annotations

import re

ROLE_NAMES = (
    "invalid", "accelerator label", "alert", "animation", "arrow", "calendar", "canvas", "check box",
    "check menu item", "color chooser", "column header", "combo box", "date editor", "desktop icon", "desktop frame",
    "dial", "dialog", "directory pane", "drawing area", "file chooser", "filler", "focus traversable", "font chooser",
    "frame", "glass pane", "html container", "icon", "image", "internal frame", "label", "layered pane", "list",
    "list item", "menu", "menu bar", "menu item", "option pane", "page tab", "page tab list", "panel",
    "password text", "popup menu", "progress bar", "push button", "radio button", "radio menu item", "root pane",
    "row header", "scroll bar", "scroll pane", "separator", "slider", "spin button", "split pane", "status bar",
    "table", "table cell", "table column header", "table row header", "tearoff menu item", "terminal", "text",
    "toggle button", "tool bar", "tool tip", "tree", "tree table", "unknown", "viewport", "window", "extended",
    "header", "footer", "paragraph", "ruler", "application", "autocomplete", "editbar", "embedded", "entry", "chart",
    "caption", "document frame", "heading", "page", "section", "redundant object", "form", "link",
    "input method window", "table row", "tree item", "document spreadsheet", "document presentation",
    "document text", "document web", "document email", "comment", "list box", "grouping", "image map",
    "notification", "info bar", "level bar", "title bar", "block quote", "audio", "video", "definition", "article",
    "landmark", "log", "marquee", "math", "rating", "timer", "static", "math fraction", "math root", "subscript",
    "superscript", "description list", "description term", "description value", "footnote", "content deletion",
    "content insertion", "mark", "suggestion", "push button menu",
)
STATE_NAMES = (
    "invalid", "active", "armed", "busy", "checked", "collapsed", "defunct", "editable", "enabled", "expandable",
    "expanded", "focusable", "focused", "has_tooltip", "horizontal", "iconified", "modal", "multi_line",
    "multiselectable", "opaque", "pressed", "resizable", "selectable", "selected", "sensitive", "showing",
    "single_line", "stale", "transient", "vertical", "visible", "manages_descendants", "indeterminate", "required",
    "truncated", "animated", "invalid_entry", "supports_autocompletion", "selectable_text", "is_default", "visited",
    "checkable", "has_popup", "read_only",
)
LABELLED_BY = 2

# AT-SPI role -> screen-model role; roles that depend on context (menus, list items, text widgets, cells) are
# decided in ``model_role``.
DIRECT = {
    "push button": "button", "toggle button": "button", "push button menu": "button", "link": "link",
    "check box": "checkbox", "radio button": "radio", "combo box": "dropdown", "page tab": "tab",
    "slider": "slider", "spin button": "spin_box", "tree item": "tree_item", "list box": "list_box",
    "heading": "heading", "tool tip": "tooltip", "image": "image", "icon": "image", "dialog": "dialog",
    "alert": "dialog", "file chooser": "dialog", "menu item": "menu_item", "check menu item": "menu_item",
    "radio menu item": "menu_item", "tearoff menu item": "menu_item", "popup menu": "menu",
    "password text": "text_field", "date editor": "text_field", "label": "text", "static": "text",
    "caption": "text", "paragraph": "text",
    "accelerator label": "text", "description term": "text", "description value": "text", "column header": "text",
    "table column header": "text", "row header": "text", "table row header": "text", "status bar": "text",
}
TEXT_WIDGETS = ("text", "entry", "password text", "terminal", "document text")
CONTAINERS_OF_OPTIONS = ("list box", "menu", "popup menu", "combo box")
SELECTION_CONTAINERS = ("list", "tree", "tree table")
HEADERS = ("column header", "table column header", "row header", "table row header")
CELLS = ("table cell",) + HEADERS  # a table's cells: no line of text runs across their edges
PASSWORD_WORDS = re.compile(r"\b(password|passcode|passphrase|pin)\b", re.IGNORECASE)


def role_name(number: int) -> str:
    """AT-SPI's name for a role number."""
    return ROLE_NAMES[number] if 0 <= number < len(ROLE_NAMES) else "unknown"


def state_names(bits: list[int]) -> frozenset[str]:
    """AT-SPI's state set (two 32-bit words) as names."""
    out = set()
    for word, value in enumerate(bits[:2]):
        for bit in range(32):
            if value >> bit & 1 and word * 32 + bit < len(STATE_NAMES):
                out.add(STATE_NAMES[word * 32 + bit])
    return frozenset(out)


def model_role(role: str, states: frozenset[str], parent_role: str, has_children: bool, named: bool) -> str:
    """The screen-model role for a node, or "" for containers and decoration the screen leaves out."""
    if role in TEXT_WIDGETS:
        if role == "password text" or "editable" in states or "focusable" in states:
            return "text_area" if "multi_line" in states else "text_field"
        return "text"
    if role == "menu":
        return "menu_bar_item" if parent_role == "menu bar" else ("menu_item" if parent_role in (
            "menu", "popup menu") else "menu")
    if role == "menu item" and parent_role == "menu bar":
        return "menu_bar_item"
    if role in ("list item", "table row"):
        listed = parent_role in CONTAINERS_OF_OPTIONS and role == "list item"
        return "option" if listed or ("selectable" in states and parent_role in SELECTION_CONTAINERS) else ""
    if role == "table cell":
        return "cell" if "selectable" in states or "focusable" in states else ("text" if not has_children else "")
    if role in HEADERS and has_children:
        return ""  # a web table's header holds its caption as text of its own (a Qt or GTK header has none)
    if role == "list":
        return "list_box" if "selectable" in states or "focusable" in states else "list"
    if role == "grouping":
        return "group" if named else ""
    if role == "file chooser" and parent_role:
        return ""  # GTK's file chooser widget inside its dialog: a container, its name ("File Chooser Widget") internal
    return DIRECT.get(role, "")


def model_states(role: str, model: str, states: frozenset[str], name: str) -> frozenset[str]:
    """The screen model's states for a node: checked, selected, disabled = neither enabled nor sensitive, ..."""
    out = {s for s in ("checked", "selected", "focused", "expanded", "multiselectable", "editable") if s in states}
    if "indeterminate" in states and model in ("checkbox", "menu_item"):
        out.add("mixed")
    if "is_default" in states and model == "button":  # what Enter in its form or dialog presses
        out.add("default")
    if "pressed" in states and role == "toggle button":
        out.add("checked")
    if model in ("text_field", "text_area", "spin_box", "dropdown") and "read_only" in states:
        out.add("readonly")
    if model in ("text_field", "text_area") and "editable" not in states:
        out.add("readonly")
    if "collapsed" in states or (model == "dropdown" and "expanded" not in states):
        out.add("collapsed")
    if model not in ("text", "heading", "tooltip", "image", "group", "dialog", "menu", "list") \
            and not ({"enabled", "sensitive", "read_only"} & states):  # Chromium: a readonly field is not enabled
        out.add("disabled")
    if role == "password text" or (model == "text_field" and PASSWORD_WORDS.search(name)):
        out.add("password")
    if model not in ("dropdown", "tree_item", "menu_bar_item", "menu_item", "button") and "expandable" not in states:
        out.discard("collapsed")
    if model == "tab":  # the open tab is its selected one; its panel's being shown is no state of the tab
        out -= {"expanded", "collapsed"}
    return frozenset(out)
