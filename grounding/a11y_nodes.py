"""The tree's nodes as the screen model's plain records: role, name, value, states, box and container.

Input is what ``a11y_tree.read_tree`` read (AT-SPI roles, logical screen pixels); output is one dict per element
a person would name - ``{"role", "name", "value", "states", "box", "parent", "atspi"}`` with ``parent`` the index
of the container (a list box, an open menu or dropdown) in the same list, -1 for none - plus text runs merged
into lines. Containers that only lay things out (panels, fillers, scroll panes) are left out. Runs in generic
inline elements come once more with role "inline": a page may make one a link by its colour alone.
"""

from __future__ import annotations

from typing import Any

from grounding.a11y_labels import name_fields
from grounding.a11y_roles import CELLS, TEXT_WIDGETS, model_role, model_states
from grounding.a11y_tree import RawNode
from grounding.dates import Part, field_format, field_value

CONTROLS_WITH_CAPTIONS = ("button", "link", "tab", "checkbox", "radio", "menu_item", "menu_bar_item", "option",
                          "tree_item", "cell", "text_field", "text_area", "spin_box", "dropdown", "slider",
                          "heading", "tooltip")
OPTION_PARENTS = ("list_box", "menu", "dropdown", "list", "menu_bar_item", "menu_item", "tree_item")
HOLDS_OPTIONS = ("option", "menu_item", "tree_item")
PLACEHELD = ("text_field", "text_area", "spin_box", "dropdown")  # the fields that show a placeholder while empty
ROWS = ("option", "tree_item", "cell")  # named by what they hold when the toolkit names them not


def to_records(nodes: list[RawNode]) -> list[dict[str, Any]]:
    """Every element the tree names, parents before children, then its text runs joined into lines."""
    out: list[dict[str, Any]] = []
    emitted: dict[int, int] = {}  # node index -> record index
    clicks = clickable_controls(nodes)
    for i, n in enumerate(nodes):
        parent = nodes[n.parent] if n.parent >= 0 else None
        ancestor = _emitted_ancestor(nodes, emitted, out, i)
        record = _record(n, parent, nodes, i, i in clicks)
        if record is not None:
            record = _completed(record, nodes, i)
        if record is None or _caption_of(ancestor, record):
            continue
        if _hidden_in_dropdown(ancestor, record) or _part_of_field(ancestor, record):
            continue
        if ancestor is not None and ancestor["role"] == "dropdown" and record["role"] in ("menu", "list_box", "list"):
            continue  # an open dropdown's popup: its choices are the dropdown's options
        if record["role"] in HOLDS_OPTIONS and ancestor is not None and ancestor["role"] in OPTION_PARENTS:
            record["parent"] = out.index(ancestor)
            if ancestor["role"] == "dropdown":
                record["role"] = "option"
        emitted[i] = len(out)
        record["cell"] = _cell_of(nodes, i)
        if record["role"] == "text" and parent is not None and parent.role == "section" and not n.lines:
            record["inline"] = True  # a run in a generic inline element (a <span>): a link only its colour shows
        if record["role"] == "text" and n.lines:
            out += [{**record, "name": " ".join(text.split()), "box": list(box)} for text, box in n.lines]
            continue
        out.append(record)
    return name_fields(join_lines(out))


def _record(n: RawNode, parent: RawNode | None, nodes: list[RawNode], index: int,
            clickable: bool = False) -> dict[str, Any] | None:
    if parent is not None and parent.box is not None and _slider_handle(n, parent.box) \
            and not any(m is not n and m.parent == n.parent and "focusable" in m.states for m in nodes):
        return {"role": "slider", "name": "", "value": "", "box": list(parent.box), "parent": -1, "atspi": n.role,
                "states": sorted(model_states(n.role, "slider", n.states, ""))}
    # Qt reports a checkable icon tool button as a check box; with no label of its own (only a tooltip names it)
    # it is drawn as a button that stays pressed, which GTK and the screen model call a toggle button
    atspi = "toggle button" if n.role == "check box" and n.described else n.role
    if n.role == "list" and _chosen_from(nodes, index):
        atspi = "list box"  # Qt says its rows are selectable, not its list: a list one picks rows of is a list box
    role = model_role(atspi, n.states, parent.role if parent else "", n.children > 0, bool(n.name))
    if clickable:
        inline = n.clickable == "inline" and _shows_words(nodes, index)  # a bare icon is a button, not a link
        role = "link" if inline else "tree_item" if _tree_node(nodes, index) else "button"
    if not role or n.box is None or "showing" not in n.states:
        return None
    name, value = n.name, ""
    if clickable and not name:  # a link: its words; a block (a mail row): its first line, the rest stay text
        words = [m.name for m in _descendants(nodes, index) if m.role in ("static", "label") and m.name]
        name = " ".join(words) if n.clickable == "inline" else (words[0] if words else "")
    if role in ("text_field", "text_area", "spin_box"):
        value = n.text if n.text is not None else ""
        if role == "spin_box" and not value and n.value is not None:
            value = _number(n.value)
    elif role == "slider":
        value = _number(n.value) if n.value is not None else ""
    elif role == "dropdown":
        name, value = _dropdown(n, nodes, index)
    elif not name and n.text:
        name = embedded(nodes, index).strip()
    if role in ("text", "heading", "tooltip") and not name:
        return None
    states = model_states(atspi, role, n.states, name)
    out = {"role": role, "name": " ".join(name.split()) if role != "text_area" else name, "value": value,
           "states": sorted(states), "box": list(n.box), "parent": -1, "atspi": n.role}
    if n.described and name == n.name:
        out["tooltip"] = True  # named by its tooltip: the name is not on the screen
    if clickable and n.clickable == "block":
        out["block"] = True
    hint = _placeholder(n, nodes, index) if role in PLACEHELD else ""
    if hint and hint != out["name"]:
        out["placeholder"] = " ".join(hint.split())
    return out


def _placeholder(n: RawNode, nodes: list[RawNode], index: int) -> str:
    """What a field asks for while empty: its own placeholder, or a dropdown's, which its line edit carries."""
    if n.placeholder or n.role != "combo box":
        return n.placeholder
    return next((m.placeholder for m in _descendants(nodes, index) if m.role in TEXT_WIDGETS and m.placeholder), "")


def _completed(record: dict[str, Any], nodes: list[RawNode], index: int) -> dict[str, Any] | None:
    """A row named by the labels inside it (GTK's places sidebar: a label in a box in the row), a submenu's item
    marked collapsed or expanded (what opens a menu of its own), and no empty cell (a file row's blank columns)."""
    if record["role"] in ROWS and not record["name"]:
        record["name"] = " ".join(" ".join(m.name.split()) for m in _descendants(nodes, index)
                                  if m.role in ("label", "static") and m.name and "showing" in m.states)
    if record["role"] == "cell" and not record["name"] and not record["value"]:
        return None
    if nodes[index].role == "date editor" and record["role"] == "text_field":
        return _segmented(record, nodes, index)
    if record["role"] == "tab" and _current_unsaid(nodes, index):
        record["states"] = sorted({*record["states"], "selected"})
    if record["role"] == "menu_item" and nodes[index].role == "menu":
        opened = any(m.parent == index and "showing" in m.states for m in nodes)
        record["states"] = sorted({*record["states"], "expanded" if opened else "collapsed"})
    return record


def _current_unsaid(nodes: list[RawNode], index: int) -> bool:
    """Whether a page tab is its strip's current one though no tab of the strip says selected: Qt 5 marks its
    tab bar's current tab focused, never selected (two strips of one window each have a focused tab)."""
    n = nodes[index]
    strip = [m for m in nodes if m.parent == n.parent and m.role == "page tab"]
    return "focused" in n.states and not any("selected" in m.states for m in strip)


def _segmented(record: dict[str, Any], nodes: list[RawNode], index: int) -> dict[str, Any]:
    """A page's date or time field: its parts' shown text joined as it draws them ("12/24/2026"), its format
    ("mm/dd/yyyy"), and editable (no editable state comes with it, yet it takes keys) unless the page says not."""
    inside = sorted((m for m in _descendants(nodes, index) if m.box is not None and m.role in ("spin button", "static")
                     and "showing" in m.states), key=lambda m: (m.box[1] // 8, m.box[0]))
    parts, separators = [], []
    for m in inside:
        if m.role == "spin button":
            parts.append(Part(m.attrs.get("valuetext", _number(m.value) if m.value else ""),
                              m.attrs.get("placeholder", ""), m.name))
        elif parts and len(separators) < len(parts):
            separators.append(m.name)
    if not parts:
        return record
    states = set(record["states"])
    if "read_only" not in nodes[index].states:
        states.discard("readonly")
    return {**record, "value": field_value(parts, separators), "format": field_format(parts, separators),
            "states": sorted(states)}


def _chosen_from(nodes: list[RawNode], index: int) -> bool:
    """Whether a list's own rows are selectable: it is a list box (a file dialog's places), not a page's bullets."""
    return any(m.parent == index and m.role == "list item" and "selectable" in m.states for m in nodes)


def _slider_handle(n: RawNode, track: tuple[int, int, int, int]) -> bool:
    """Whether a node is a script's slider handle: a focusable generic element without words inside a long, thin
    track (jQuery UI's), the track's one focusable part; the track is the slider."""
    if n.role not in ("section", "panel") or "focusable" not in n.states or n.name or n.box is None:
        return False
    long, thin = max(track[2] - track[0], track[3] - track[1]), min(track[2] - track[0], track[3] - track[1])
    size = max(n.box[2] - n.box[0], n.box[3] - n.box[1])
    centre = ((n.box[0] + n.box[2]) / 2, (n.box[1] + n.box[3]) / 2)
    inside = track[0] - size <= centre[0] <= track[2] + size and track[1] - size <= centre[1] <= track[3] + size
    return long >= 3 * thin and long >= 2 * size and inside


def _tree_node(nodes: list[RawNode], index: int) -> bool:
    """Whether a list item is a node of a tree: its list nests in another item, or it or an item beside it holds a
    list of its own or an expander (a clickable part with no words before its name)."""
    n = nodes[index]
    if n.role != "list item":
        return False
    j = n.parent
    while j >= 0:
        if nodes[j].role == "list item":
            return True
        j = nodes[j].parent
    items = {k for k, m in enumerate(nodes) if m.parent == n.parent and m.role == "list item"}
    return any(m.parent in items and (m.role == "list" or (m.clickable == "block" and not m.name)) for m in nodes)


def _dropdown(n: RawNode, nodes: list[RawNode], index: int) -> tuple[str, str]:
    """A dropdown's label and selected option: GTK names a combo box by its selection, the web by its label."""
    inside = _descendants(nodes, index)
    chosen = next((m.name for m in inside if "selected" in m.states and m.name), "")
    chosen = chosen or next((m.text.strip() for m in inside if m.role in TEXT_WIDGETS and m.text), "")
    label = n.label or n.name
    if not chosen and n.label and n.name and n.name != n.label:
        chosen = n.name  # GTK names a combo box by what it shows and its label says what it is ("Encoding:")
    if chosen:
        return ("" if label == chosen else label), chosen
    text = " ".join(embedded(nodes, index).split())
    if text:
        return ("" if label == text else label), text
    return "", label


OBJECT = "\ufffc"  # where a node's text holds a child object (a span, an image) instead of its characters


def embedded(nodes: list[RawNode], index: int) -> str:
    """A node's text with each object character put back as the words of the child it stands for (a web page's
    custom dropdown `<div><span>Select a course</span> ▾</div>` reads "￼ ▾"): its children in order, those
    whose text is the node's own (static runs) aside."""
    text = nodes[index].text or ""
    if OBJECT not in text:
        return text
    kids = iter(j for j in range(index + 1, len(nodes)) if nodes[j].parent == index and nodes[j].role != "static")
    parts = text.split(OBJECT)
    out = [parts[0]]
    for part in parts[1:]:
        kid = next(kids, None)
        out += [_words_of(nodes, kid) if kid is not None else "", part]
    return "".join(out)


def _words_of(nodes: list[RawNode], index: int) -> str:
    """What a child object says: its own text, else its name, else the words of the text runs inside it."""
    own = " ".join(embedded(nodes, index).split()) or nodes[index].name
    return own or " ".join(m.name for m in _descendants(nodes, index) if m.role in ("static", "label") and m.name)


REAL_CONTROLS = ("push button", "toggle button", "link", "check box", "radio button", "menu item", "page tab",
                 "entry", "password text", "combo box", "list box", "slider", "spin button", "text")


def clickable_controls(nodes: list[RawNode]) -> set[int]:
    """The generic elements a page made clickable that are controls: the outermost that shows words and is not a
    container, or an icon-sized one without words (a bare icon span: a nameless button, offered by its id). A
    container holds a real control or covers a third of its window (a page listening for clicks on its body);
    clickables inside a control are its parts (a star icon in a clickable mail row)."""
    holds = [False] * len(nodes)  # holds a real control below it
    words = [bool(n.name) for n in nodes]  # names something, or holds something that does
    for j in range(len(nodes) - 1, -1, -1):  # children come after their parents: walk back up
        n = nodes[j]
        if n.parent >= 0 and (holds[j] or n.role in REAL_CONTROLS[:-1]):
            holds[n.parent] = True
        if n.parent >= 0 and words[j]:
            words[n.parent] = True
    top = _top_boxes(nodes)
    out: set[int] = set()
    taken = [False] * len(nodes)  # inside a clickable control already
    for j, n in enumerate(nodes):
        taken[j] = n.parent >= 0 and (taken[n.parent] or n.parent in out)
        if n.clickable in ("block", "inline") and not taken[j] and not holds[j] and n.box is not None \
                and (words[j] or icon_sized(n.box)) and _area(n.box) * 3 < _area(top[j]) \
                and not _under_control(nodes, j):
            out.add(j)
    return out


def _shows_words(nodes: list[RawNode], index: int) -> bool:
    return bool(nodes[index].name) or any(m.name for m in _descendants(nodes, index))


def icon_sized(box: tuple[int, int, int, int]) -> bool:
    """Small enough to be an icon (up to 48 logical pixels at device scale 2)."""
    return 4 <= box[2] - box[0] <= 96 and 4 <= box[3] - box[1] <= 96


def _top_boxes(nodes: list[RawNode]) -> list[tuple[int, int, int, int]]:
    out: list[tuple[int, int, int, int]] = []
    for n in nodes:
        out.append((n.box or (0, 0, 10**6, 10**6)) if n.parent < 0 else out[n.parent])
    return out


def _area(box: tuple[int, int, int, int]) -> int:
    return max(0, box[2] - box[0]) * max(0, box[3] - box[1])


def _under_control(nodes: list[RawNode], index: int) -> bool:
    j = nodes[index].parent
    while j >= 0:
        if nodes[j].role in REAL_CONTROLS[:-1]:
            return True
        j = nodes[j].parent
    return False


def _cell_of(nodes: list[RawNode], index: int) -> int:
    """The table cell (or column or row header) a node lies in, itself included: its index, else -1."""
    j = index
    while j >= 0 and nodes[j].role not in CELLS:
        j = nodes[j].parent
    return j


def _descendants(nodes: list[RawNode], index: int) -> list[RawNode]:
    inside, out = {index}, []
    for j in range(index + 1, len(nodes)):
        if nodes[j].parent in inside:
            inside.add(j)
            out.append(nodes[j])
    return out


def _emitted_ancestor(nodes: list[RawNode], emitted: dict[int, int], out: list[dict], i: int) -> dict | None:
    j = nodes[i].parent
    while j >= 0:
        if j in emitted:
            return out[emitted[j]]
        j = nodes[j].parent
    return None


def _hidden_in_dropdown(ancestor: dict | None, record: dict) -> bool:
    """A collapsed dropdown's options are read for its value; the screen does not show them."""
    if ancestor is None or ancestor["role"] != "dropdown":
        return False
    return record["role"] == "text_field" or ("expanded" not in ancestor["states"] and record["role"] in (
        "option", "menu_item", "menu", "list_box", "list"))


def _part_of_field(ancestor: dict | None, record: dict) -> bool:
    """The pieces a field draws inside itself (a date field's month and day, its picker button) are the field."""
    return ancestor is not None and ancestor["role"] in ("text_field", "spin_box", "slider") \
        and record["role"] in CONTROLS_WITH_CAPTIONS


def _caption_of(ancestor: dict | None, record: dict) -> bool:
    """Text inside a control is its caption (a link's or button's words), already its name; an icon inside it is
    part of how it is drawn. What the tree hangs below a control but draws outside its box is not: GTK's notebook
    puts each page's contents below the page's tab."""
    if record["role"] not in ("text", "image") or ancestor is None or ancestor["role"] not in CONTROLS_WITH_CAPTIONS:
        return False
    x0, y0, x1, y1 = ancestor["box"]
    cx, cy = (record["box"][0] + record["box"][2]) / 2, (record["box"][1] + record["box"][3]) / 2
    return not ancestor.get("block") and x0 <= cx <= x1 and y0 <= cy <= y1


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def join_lines(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Text runs that sit side by side on one baseline (a sentence broken by a link or a bold word) become one line;
    a link's words take part in the line and stay a link. No line crosses a table cell's edge."""
    moved = {i: j for j, i in enumerate(i for i, r in enumerate(records) if r["role"] != "text")}
    out = [{**r, "parent": moved.get(r["parent"], -1)} for r in records if r["role"] != "text"]
    runs = [r for r in records if r["role"] in ("text", "link")]
    lines: list[list[dict]] = []
    for run in runs:
        line = lines[-1] if lines else None
        if line is not None and _same_line(line[-1], run):
            line.append(run)
        else:
            lines.append([run])
    out += [{**r, "role": "inline"} for r in runs if r.get("inline")]
    for line in lines:
        if all(r["role"] == "link" for r in line):
            continue
        x0, y0 = min(r["box"][0] for r in line), min(r["box"][1] for r in line)
        x1, y1 = max(r["box"][2] for r in line), max(r["box"][3] for r in line)
        text = " ".join(" ".join(r["name"] for r in line).split())
        out.append({"role": "text", "name": text, "value": "", "states": [], "box": [x0, y0, x1, y1], "parent": -1,
                    "atspi": "+".join(sorted({r["atspi"] for r in line}))})
    return out


def _same_line(a: dict, b: dict) -> bool:
    ay0, ay1, by0, by1 = a["box"][1], a["box"][3], b["box"][1], b["box"][3]
    overlap = min(ay1, by1) - max(ay0, by0)
    height = max(1, min(ay1 - ay0, by1 - by0))
    gap = b["box"][0] - a["box"][2]
    if a.get("cell", -1) != b.get("cell", -1):
        return False
    return overlap >= 0.6 * height and -2 <= gap <= 1.5 * height and max(ay1 - ay0, by1 - by0) < 2.2 * height
