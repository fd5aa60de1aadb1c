"""Read the on-screen part of the accessibility tree, one pipelined batch of calls per tree level.

Only what is showing is read: a node that is not SHOWING (a closed menu, a hidden tab page, a window that is
not mapped) is not descended into, and nodes scrolled out of their viewport are clipped away. What comes back
is plain data in logical screen pixels, the raw AT-SPI role and state names included, for ``a11y_nodes``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any

from grounding.a11y_roles import LABELLED_BY, TEXT_WIDGETS, role_name, state_names
from grounding.atspi_wire import ACCESSIBLE, ROOT, Call, Failed, Wire, prop

COMPONENT, TEXT, VALUE = "org.a11y.atspi.Component", "org.a11y.atspi.Text", "org.a11y.atspi.Value"
ACTION = "org.a11y.atspi.Action"
GENERIC = ("section", "panel", "paragraph", "list item", "table cell", "table row", "image", "heading", "static")
# containers whose children scroll inside them; a window is not one: the screen clips it, and Chromium under a
# device scale reports its window in logical pixels but the page in X pixels, so the window's box cuts the page
CLIPS = ("scroll pane", "viewport", "document web", "document frame", "tree table", "table", "list box", "tree")
NATIVE_CLIPS = ("list",)  # a toolkit's list view scrolls its rows (Qt's); a page's <ul> does not clip its items
QT_CLIPS = ("filler",)  # a Qt widget clips its children: a scroll area's viewport is a plain widget (a filler) and
# the page it scrolls, taller than the viewport, still calls the rows scrolled out of it showing
PAGES = ("document web", "document frame")
UNCLIPPED = ("menu", "popup menu", "combo box", "menu bar")  # their popups lie outside their own box
SEGMENTED = ("spin button",)  # a page's spin buttons: the parts of its date and time fields (grounding/dates.py)
KEPT_ATTRS = ("valuetext", "placeholder")
PLACEHOLDERS = ("placeholder-text", "placeholder")  # the attributes GTK 4 and Chromium give a placeholder in
VALUED = ("slider", "spin button", "scroll bar", "progress bar", "dial", "level bar")
TEXT_READ = TEXT_WIDGETS + ("spin button", "combo box")
NEEDS_LABEL = TEXT_READ + ("slider", "check box", "radio button", "list box", "list", "tree table")
DESCRIBED = ("push button", "toggle button", "check box", "radio button", "link", "page tab", "menu item",
             "push button menu", "image", "icon")  # icon-only controls: Qt puts the tooltip in the description
WORLD = (-(10**6), -(10**6), 10**6, 10**6)
CLASS_NAME = re.compile(r"(Gtk|Adw|Gdk|GtkSource)[A-Z][A-Za-z]+")
# what toolkits put into displayed text for layout, not for reading: bidi marks and zero-width spaces go; the
# look-alikes GTK draws in times, sizes and numbers ("05\u200e\u223605") become what a person types ("05:05")
AS_TYPED = str.maketrans({**dict.fromkeys(map(chr, (0x200B, 0x200E, 0x200F, 0x061C, 0xFEFF,
                                                   *range(0x202A, 0x202F), *range(0x2066, 0x206A))), None),
                          "\u2236": ":", "\u2215": "/", "\u2010": "-", "\u2011": "-", "\u2212": "-",
                          "\u00a0": " ", "\u2009": " ", "\u202f": " "})


@dataclass
class RawNode:
    """One node as read: AT-SPI role and states, name, text and value, its box in logical screen pixels."""

    bus: str
    path: str
    parent: int
    role: str = ""
    states: frozenset[str] = frozenset()
    name: str = ""
    text: str | None = None
    value: float | None = None
    box: tuple[int, int, int, int] | None = None
    clip: tuple[int, int, int, int] = WORLD
    labelled_by: tuple[str, str] | None = None
    label: str = ""  # the text of the label that names it, when a label does
    children: int = 0  # how many children it has (known for the nodes whose children were asked for)
    app: str = ""
    lines: list[tuple[str, tuple[int, int, int, int]]] | None = None  # a wrapped run's lines, when split
    clickable: str = ""  # "block" | "inline": a generic element a page made clickable with script (Chromium)
    inside_dropdown: bool = False  # read though hidden: a collapsed dropdown's options tell its value
    in_page: bool = False  # inside a web page's document
    described: bool = False  # the name is the description (an icon-only Qt button's tooltip), not drawn text
    attrs: dict[str, str] = field(default_factory=dict)  # a page's spin button: what it shows, its placeholder
    placeholder: str = ""  # a nameless field's placeholder (what it asks for, drawn while it is empty)


@dataclass
class TreeRead:
    """What one read found: the nodes (parents before children) and how much it cost."""

    nodes: list[RawNode] = field(default_factory=list)
    apps: list[str] = field(default_factory=list)
    pids: dict[str, int] = field(default_factory=dict)  # application bus name -> its process id
    toolkits: dict[str, str] = field(default_factory=dict)  # application bus name -> "gtk", "Qt", "Chromium", ...
    visible_is_showing: dict[str, bool] = field(default_factory=dict)  # per application (GTK 4)
    calls: int = 0
    levels: int = 0


def read_tree(wire: Wire, screen: tuple[int, int, int, int] = WORLD, max_nodes: int = 6000,
              focused_only: bool = True) -> TreeRead:
    """The showing nodes of the focused application (every application when none has an active window)."""
    out = TreeRead()
    apps = wire.applications()
    names = wire.many([prop(bus, path, ACCESSIBLE, "Name") for bus, path in apps])
    kids = wire.many([Call(bus, path, ACCESSIBLE, "GetChildren") for bus, path in apps])
    out.calls += 1 + 2 * len(apps)
    frontier: list[RawNode] = []
    for name, children in zip(names, kids, strict=True):
        if isinstance(children, Failed) or not children:
            continue
        frontier += [RawNode(b, p, -1, app=_text(name)) for b, p in children]
    frontier = _describe(wire, frontier, out)
    _identify(wire, sorted({n.bus for n in frontier}), out)
    if focused_only and any("active" in n.states for n in frontier):
        active = {n.bus for n in frontier if "active" in n.states}
        frontier = [n for n in frontier if n.bus in active]
    while frontier and len(out.nodes) < max_nodes:
        out.levels += 1
        frontier = _expand(wire, frontier, out, screen, max_nodes)
        frontier = _describe(wire, frontier, out)
    _resolve_labels(wire, out)
    _clickables(wire, out)
    out.apps = sorted({n.app for n in out.nodes if n.app})
    return out


def _identify(wire: Wire, buses: list[str], out: TreeRead) -> None:
    """Each application's process id and toolkit (for boxes a self-scaling toolkit reports in its own pixels)."""
    pids = wire.many([Call("org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                           "GetConnectionUnixProcessID", "s", (b,)) for b in buses])
    kits = wire.many([prop(b, ROOT, "org.a11y.atspi.Application", "ToolkitName") for b in buses])
    out.calls += 2 * len(buses)
    for b, pid, kit in zip(buses, pids, kits, strict=True):
        if isinstance(pid, int):
            out.pids[b] = pid
        out.toolkits[b] = _text(kit)


def _describe(wire: Wire, nodes: list[RawNode], out: TreeRead) -> list[RawNode]:
    """Role, states and name of every node, in one batch (children come with the next batch, for showing nodes)."""
    calls = []
    for n in nodes:
        calls += [Call(n.bus, n.path, ACCESSIBLE, "GetRole"), Call(n.bus, n.path, ACCESSIBLE, "GetState"),
                  prop(n.bus, n.path, ACCESSIBLE, "Name")]
    replies = wire.many(calls)
    out.calls += len(calls)
    kept = []
    for i, n in enumerate(nodes):
        role, states, name = replies[3 * i:3 * i + 3]
        if isinstance(role, Failed) or isinstance(states, Failed):
            continue  # gone while we read (a closed popup)
        n.role, n.states, n.name = role_name(role), state_names(list(states)), _text(name)
        kept.append(n)
    _visible_as_showing(kept, out)
    return kept


def _visible_as_showing(nodes: list[RawNode], out: TreeRead) -> None:
    """GTK 4 sets SHOWING on its windows only and VISIBLE on the widgets in them: for an application whose first
    nodes below a window carry VISIBLE and never SHOWING, VISIBLE (under a shown parent) stands for SHOWING."""
    for n in nodes:
        if n.parent >= 0 and out.nodes[n.parent].parent < 0 and n.bus not in out.visible_is_showing:
            out.visible_is_showing[n.bus] = "showing" not in n.states and "visible" in n.states
    for n in nodes:
        if out.visible_is_showing.get(n.bus):
            if "visible" in n.states and not n.inside_dropdown:
                n.states = n.states | {"showing"}
            n.name = _gtk4_name(n.name)


def _gtk4_name(name: str) -> str:
    """GTK 4.8 names a nameless widget by its class ("GtkButton") and a labelled button by its label twice
    ("7 7"); neither is what a person calls it."""
    if CLASS_NAME.fullmatch(name):
        return ""
    words = name.split(" ")
    half = len(words) // 2
    return " ".join(words[:half]) if len(words) % 2 == 0 and half and words[:half] == words[half:] else name


def _expand(wire: Wire, nodes: list[RawNode], out: TreeRead, screen: tuple[int, int, int, int],
            max_nodes: int) -> list[RawNode]:
    """Boxes, text, values and labels of the showing nodes; and their children, the next level."""
    showing = [n for n in nodes if "showing" in n.states or n.role == "combo box" or n.inside_dropdown]
    scrolled = _scrolled_away(nodes)
    calls, slots = [], []
    for n in showing:
        want = [("box", Call(n.bus, n.path, COMPONENT, "GetExtents", "u", (0,)))]
        if n.role in TEXT_READ:
            want.append(("text", Call(n.bus, n.path, TEXT, "GetText", "ii", (0, -1))))
        if n.role in VALUED:
            want.append(("value", prop(n.bus, n.path, VALUE, "CurrentValue")))
        if n.role in NEEDS_LABEL and (not n.name or n.role == "combo box"):
            want.append(("relations", Call(n.bus, n.path, ACCESSIBLE, "GetRelationSet")))
        if n.role in DESCRIBED and not n.name:
            want.append(("description", prop(n.bus, n.path, ACCESSIBLE, "Description")))
        kit = out.toolkits.get(n.bus, "").lower()
        held = n.role in TEXT_READ and not (n.role in SEGMENTED and n.in_page)  # one that may show a placeholder
        if n.role in SEGMENTED and n.in_page or held and (not n.name or kit == "chromium"):
            want.append(("attrs", Call(n.bus, n.path, ACCESSIBLE, "GetAttributes")))
        if held and not n.name and kit == "qt":
            # Qt has no placeholder attribute: a line edit's description is its placeholder unless it was given one
            want.append(("hint", prop(n.bus, n.path, ACCESSIBLE, "Description")))
        if n.role in GENERIC and out.toolkits.get(n.bus, "").lower() == "chromium":
            want.append(("action", Call(n.bus, n.path, ACTION, "GetName", "i", (0,))))
        want.append(("children", Call(n.bus, n.path, ACCESSIBLE, "GetChildren")))
        slots.append(want)
        calls += [c for _, c in want]
    replies = iter(wire.many(calls))
    out.calls += len(calls)
    frontier: list[RawNode] = []
    for n, want in zip(showing, slots, strict=True):
        got = {k: next(replies) for k, _ in want}
        children = got.get("children")
        n.children = len(children) if isinstance(children, list) else 0
        if (n.parent, n.role) in scrolled:
            n.clip = _clip_of_scroller(n, got.get("box"), out.nodes[n.parent].box)
        if not _place(n, got.get("box"), screen):
            continue
        if isinstance(got.get("text"), str):
            n.text = got["text"]
        if isinstance(got.get("value"), int | float):
            n.value = float(got["value"])
        n.labelled_by = _labelled_by(got.get("relations"))
        if not n.name:
            n.name = _plain(_text(got.get("description")))
            n.described = bool(n.name)
        n.clickable = "pending" if got.get("action") == "click" else ""
        if isinstance(got.get("attrs"), dict):
            n.attrs = {k: str(v) for k, v in got["attrs"].items() if k in KEPT_ATTRS}
            if n.role in TEXT_READ and not (n.role in SEGMENTED and n.in_page):  # a page's date part: dates.py's
                _placeholder(n, got["attrs"])
        n.placeholder = n.placeholder or _plain(_text(got.get("hint")))
        index = len(out.nodes)
        out.nodes.append(n)
        if isinstance(children, list) and len(out.nodes) + len(frontier) < max_nodes:
            clips = n.role in CLIPS or (n.role in NATIVE_CLIPS and not n.in_page) \
                or (n.role in QT_CLIPS and out.toolkits.get(n.bus, "").lower() == "qt")
            clip = n.clip if not clips or n.box is None else _intersect(n.clip, n.box)
            if n.role in UNCLIPPED:
                clip = WORLD
            inside = n.role == "combo box" or (n.inside_dropdown and n.role in ("menu", "list", "popup menu"))
            page = n.in_page or n.role in PAGES
            frontier += [RawNode(b, p, index, clip=clip, app=n.app, inside_dropdown=inside, in_page=page)
                         for b, p in children]
    return frontier


def _place(n: RawNode, box: Any, screen: tuple[int, int, int, int]) -> bool:
    """Set the node's box; False when it lies wholly outside the screen or its viewport (scrolled away)."""
    if isinstance(box, tuple) and len(box) == 4:
        x, y, w, h = box
        if w > 0 and h > 0:
            n.box = (x, y, x + w, y + h)
    if n.inside_dropdown and "showing" not in n.states:
        return True  # kept for its dropdown's value only: the screen shows no box of it
    if n.box is None:
        return n.role == "combo box" or n.children > 0  # a box-less container can still hold boxed children
    seen = _intersect(_intersect(n.box, n.clip), screen)
    if seen[2] <= seen[0] or seen[3] <= seen[1]:
        return False
    if n.clip != WORLD:
        n.box = _intersect(n.box, n.clip)  # half scrolled out of its list: a click lands on the part that shows
    return True


def _scrolled_away(nodes: list[RawNode]) -> set[tuple[int, str]]:
    """(parent, role) of the children of the same kind as a sibling that is not showing: where one of the rest
    crosses its parent's edge, the parent scrolls (a <div> with overflow, which Chromium calls a plain section)
    and hid those siblings, rather than letting its content overflow."""
    return {(n.parent, n.role) for n in nodes if n.parent >= 0 and "showing" not in n.states}


def _clip_of_scroller(n: RawNode, box: Any, parent: tuple[int, int, int, int] | None) -> tuple[int, int, int, int]:
    """The node's clip, cut to its parent's box when the node crosses that box's edge."""
    if parent is None or not (isinstance(box, tuple) and len(box) == 4):
        return n.clip
    x, y, w, h = box
    inside = parent[0] <= x and parent[1] <= y and x + w <= parent[2] and y + h <= parent[3]
    return n.clip if inside else _intersect(n.clip, parent)


def _placeholder(n: RawNode, attrs: dict[str, Any]) -> None:
    """A field's placeholder from its attributes; Chromium names a field without a label by its placeholder
    ("name-from": "placeholder"), which then is no name: a label drawn beside the field names it before that."""
    n.placeholder = next((_text(attrs[k]) for k in PLACEHOLDERS if _text(attrs.get(k))), "")
    if attrs.get("name-from") == "placeholder" and n.name:
        n.placeholder, n.name = n.placeholder or n.name, ""


def _labelled_by(relations: Any) -> tuple[str, str] | None:
    if not isinstance(relations, list):
        return None
    for kind, targets in relations:
        if kind == LABELLED_BY and targets:
            return tuple(targets[0])  # type: ignore[return-value]
    return None


def _clickables(wire: Wire, out: TreeRead) -> None:
    """Whether each generic element Chromium can click (a div or span with a click handler) shows as a block (a
    button) or inline (a link), from its CSS display."""
    todo = [n for n in out.nodes if n.clickable == "pending"]
    attrs = wire.many([Call(n.bus, n.path, ACCESSIBLE, "GetAttributes") for n in todo])
    out.calls += len(todo)
    for n, a in zip(todo, attrs, strict=True):
        n.clickable = "inline" if isinstance(a, dict) and str(a.get("display", "")).startswith("inline") else "block"


def _resolve_labels(wire: Wire, out: TreeRead) -> None:
    """Nameless fields take the text of the label that names them (GTK's mnemonic labels, Qt's buddies)."""
    by_ref = {(n.bus, n.path): n for n in out.nodes}
    todo = [n for n in out.nodes if n.labelled_by]
    missing = [n.labelled_by for n in todo if n.labelled_by not in by_ref]
    names = dict(zip(missing, wire.many([prop(b, p, ACCESSIBLE, "Name") for b, p in missing]), strict=True))
    out.calls += len(missing)
    for n in todo:
        label = by_ref.get(n.labelled_by)  # type: ignore[arg-type]
        n.label = label.name if label is not None else _text(names.get(n.labelled_by))  # type: ignore[arg-type]
        n.name = n.name or n.label


def _intersect(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> tuple[int, int, int, int]:
    return max(a[0], b[0]), max(a[1], b[1]), min(a[2], b[2]), min(a[3], b[3])


def _plain(text: str) -> str:
    """A description without the markup Qt tooltips often carry ("<p style=...>Save</p>")."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split()) if "<" in text else text


def _text(value: Any) -> str:
    return as_typed(value).strip() if isinstance(value, str) else ""


def as_typed(text: str) -> str:
    """Displayed text as a person would type it: without bidi marks, with ':' for GTK's ratio sign and the like."""
    return text.translate(AS_TYPED)
