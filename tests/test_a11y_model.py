"""The accessibility reader's pure parts: AT-SPI states and roles onto the screen model, records from tree nodes,
line joining, the regions left to the pixels, and the scale correction (no display needed)."""

import numpy as np
import pytest

from app.engine.parsers import GroundingModeError, choose, grounding_line
from grounding.a11y_nodes import join_lines, to_records
from grounding.a11y_parser import A11yParser
from grounding.a11y_reader import TreeSnapshot, snapshot
from grounding.a11y_regions import rectangles, uncovered_regions
from grounding.a11y_roles import STATE_NAMES, model_role, model_states, state_names
from grounding.a11y_scale import app_scales, rescale
from grounding.a11y_tree import RawNode, TreeRead, as_typed
from grounding.atspi_wire import BusError
from grounding.coords import Frame
from grounding.elements import Screen
from grounding.x11_windows import XWindow


def bits(*names):
    words = [0, 0]
    for n in names:
        i = STATE_NAMES.index(n)
        words[i // 32] |= 1 << (i % 32)
    return words


def node(role, parent=-1, name="", states=("showing", "enabled", "sensitive"), box=(0, 0, 10, 10), **kw):
    return RawNode("app", f"/{role}/{name}", parent, role=role, states=frozenset(states), name=name, box=box, **kw)


def test_state_words_read_as_names_across_both_words():
    assert state_names(bits("checked", "focused", "read_only", "showing")) == {"checked", "focused", "read_only",
                                                                                "showing"}


def test_roles_depend_on_their_parent_and_states():
    assert model_role("menu", frozenset(), "menu bar", True, True) == "menu_bar_item"
    assert model_role("menu item", frozenset(), "menu bar", False, True) == "menu_bar_item"
    assert model_role("list item", frozenset(), "list box", False, True) == "option"
    assert model_role("table row", frozenset(), "table", True, False) == ""  # a web page's layout table
    assert model_role("table cell", frozenset({"selectable"}), "tree table", False, True) == "cell"
    assert model_role("text", frozenset({"editable", "multi_line"}), "scroll pane", False, False) == "text_area"
    assert model_role("entry", frozenset({"editable", "single_line"}), "panel", False, False) == "text_field"
    assert model_role("text", frozenset(), "panel", False, True) == "text"  # a read-only label-like text
    assert model_role("filler", frozenset(), "frame", True, False) == ""


def test_states_disabled_password_and_dropdown_collapse():
    s = model_states("push button", "button", frozenset({"showing"}), "Save")
    assert s == {"disabled"}
    s = model_states("password text", "text_field", frozenset({"enabled", "sensitive", "editable", "focused"}), "")
    assert {"password", "editable", "focused"} <= s and "disabled" not in s
    assert "password" in model_states("entry", "text_field", frozenset({"enabled", "editable"}), "Your PIN")
    assert "collapsed" in model_states("combo box", "dropdown", frozenset({"enabled"}), "Country")
    assert "checked" in model_states("toggle button", "button", frozenset({"enabled", "pressed"}), "Bold")
    assert model_states("label", "text", frozenset(), "Name") == frozenset()  # text is never "disabled"
    assert model_states("page tab", "tab", frozenset({"enabled", "selected", "expanded"}), "Tab #1") == {"selected"}


def test_records_keep_labels_values_options_and_drop_captions():
    nodes = [node("frame", name="Sign up", box=(0, 0, 400, 300)),
             node("label", 0, "Email", box=(10, 10, 60, 30)),
             node("entry", 0, "Email", states=("showing", "enabled", "editable"), box=(70, 10, 300, 30),
                  text="grace@navy.mil", label="Email", labelled_by=("app", "/label/Email")),
             node("push button", 0, "Send", box=(10, 40, 80, 60)),
             node("label", 3, "Send", box=(20, 42, 70, 58)),
             node("combo box", 0, "", states=("showing", "enabled"), box=(10, 70, 120, 90), label="Country"),
             node("menu", 5, "", states=("enabled",), box=(10, 90, 120, 140)),
             node("menu item", 6, "Canada", states=("enabled", "selected"), box=(10, 90, 120, 110)),
             node("list box", 0, "Toppings", box=(10, 150, 120, 250)),
             node("list item", 8, "Olives", states=("showing", "enabled", "selected"), box=(10, 150, 120, 170))]
    nodes[5].name = nodes[5].label = "Country"
    records = to_records(nodes)
    by_name = {r["name"]: r for r in records}
    assert by_name["Email"]["role"] == "text"  # the label itself, as a text line
    field = next(r for r in records if r["role"] == "text_field")
    assert (field["name"], field["value"]) == ("Email", "grace@navy.mil")  # a filled field keeps its label
    assert [r["name"] for r in records if r["role"] == "button"] == ["Send"]
    assert not any(r["role"] == "text" and r["name"] == "Send" for r in records)  # a caption is no text line
    dropdown = next(r for r in records if r["role"] == "dropdown")
    assert (dropdown["name"], dropdown["value"], dropdown["states"]) == ("Country", "Canada", ["collapsed"])
    assert not any(r["name"] == "Canada" for r in records)  # a collapsed dropdown's options are not on screen
    olives = by_name["Olives"]
    assert olives["role"] == "option" and records[olives["parent"]]["name"] == "Toppings"
    assert "selected" in olives["states"]


def test_a_gtk_notebook_page_hung_below_its_tab_keeps_its_text_and_the_tab_its_caption():
    nodes = [node("dialog", name="Preferences", box=(0, 0, 400, 300)),
             node("page tab list", 0, box=(0, 0, 400, 300)),
             node("page tab", 1, "View", box=(20, 5, 60, 35)),
             node("label", 2, "View", box=(25, 10, 55, 30)),  # the tab's own caption
             node("filler", 2, box=(10, 40, 390, 290)),  # the page: below the tab in the tree, drawn under it
             node("label", 4, "Display", box=(10, 45, 70, 62)),
             node("check box", 4, "Wrap long lines", box=(20, 70, 390, 92))]
    records = to_records(nodes)
    assert [r["name"] for r in records if r["role"] == "text"] == ["Display"]
    assert [r["name"] for r in records if r["role"] == "tab"] == ["View"]
    assert [r["name"] for r in records if r["role"] == "checkbox"] == ["Wrap long lines"]


def test_a_qt_strips_focused_tab_is_its_selected_one_where_no_tab_says_selected():
    states = ("showing", "enabled", "sensitive", "focusable")
    nodes = [node("frame", name="Preferences", box=(0, 0, 400, 300)),
             node("page tab list", 0, box=(0, 0, 400, 30)),
             node("page tab", 1, "Window", states=states + ("focused",), box=(0, 0, 80, 30)),
             node("page tab", 1, "Text", states=states, box=(80, 0, 140, 30)),
             node("page tab list", 0, box=(0, 40, 400, 70)),  # GTK's: it says which tab is selected
             node("page tab", 4, "View", states=states + ("selected",), box=(0, 40, 80, 70)),
             node("page tab", 4, "Editor", states=states + ("focused",), box=(80, 40, 140, 70))]
    selected = [r["name"] for r in to_records(nodes) if r["role"] == "tab" and "selected" in r["states"]]
    assert selected == ["Window", "View"]


def test_a_list_whose_rows_are_selectable_is_a_list_box_and_a_page_list_is_not():
    # Qt's file dialog sidebar: the list itself has neither selectable nor focusable, its rows have both
    row = ("showing", "enabled", "sensitive", "focusable", "selectable")
    nodes = [node("frame", name="Save as", box=(0, 0, 400, 300)),
             node("list", 0, "Sidebar", states=("showing", "enabled", "sensitive", "manages_descendants"),
                  box=(10, 10, 100, 200)),
             node("list item", 1, "Computer", states=row, box=(10, 10, 100, 30)),
             node("list item", 1, "letters", states=(*row, "selected"), box=(10, 30, 100, 50)),
             node("list", 0, "", box=(120, 10, 300, 60)),  # a page's bullets
             node("list item", 4, "milk", box=(120, 10, 300, 30))]
    records = to_records(nodes)
    sidebar = next(r for r in records if r["name"] == "Sidebar")
    assert sidebar["role"] == "list_box" and "disabled" not in sidebar["states"]
    assert [(r["name"], records[r["parent"]]["name"]) for r in records if r["role"] == "option"] == [
        ("Computer", "Sidebar"), ("letters", "Sidebar")]
    assert not any(r["role"] == "list_box" and r["name"] != "Sidebar" for r in records)


def test_runs_on_one_baseline_join_into_a_line_and_a_link_stays_a_link():
    runs = [{"role": "text", "name": "Read the", "value": "", "states": [], "box": [0, 0, 60, 16], "parent": -1,
             "atspi": "static"},
            {"role": "link", "name": "terms", "value": "", "states": [], "box": [64, 0, 100, 16], "parent": -1,
             "atspi": "link"},
            {"role": "text", "name": "first.", "value": "", "states": [], "box": [104, 0, 140, 16], "parent": -1,
             "atspi": "static"},
            {"role": "text", "name": "Next paragraph", "value": "", "states": [], "box": [0, 40, 100, 56],
             "parent": -1, "atspi": "static"}]
    out = join_lines(runs)
    assert [r["name"] for r in out if r["role"] == "text"] == ["Read the terms first.", "Next paragraph"]
    assert [r["name"] for r in out if r["role"] == "link"] == ["terms"]


def test_rectangles_cut_a_ring_of_desktop_into_bands():
    mask = np.ones((10, 12), bool)
    mask[3:7, 4:9] = False
    rects = rectangles(mask)
    assert sorted(rects) == [(0, 0, 12, 3), (0, 3, 4, 7), (0, 7, 12, 10), (9, 3, 12, 7)]
    assert sum((c1 - c0) * (r1 - r0) for c0, r0, c1, r1 in rects) == mask.sum()


def test_pixels_read_only_outside_the_trees_windows_and_inside_its_holes():
    image = np.full((200, 400, 3), 30, np.uint8)
    image[::7, ::5] = 250  # something drawn everywhere, so no cell is flat
    tree = TreeSnapshot(windows=((0, 0, 200, 200),), holes=((40, 40, 120, 120),))
    regions, fraction = uncovered_regions(image, tree, Frame(0, 0, 400, 200))
    assert (200, 0, 400, 200) in regions and (40, 40, 120, 120) in regions and len(regions) == 2
    assert fraction == pytest.approx((200 * 200 + 80 * 80) / (400 * 200))
    flat = np.full((200, 400, 3), 30, np.uint8)
    assert uncovered_regions(flat, tree, Frame(0, 0, 400, 200)) == ([], 0.0)  # an empty desktop is not read


def test_a_self_scaling_toolkit_is_put_back_into_x_pixels():
    frame = node("frame", name="Calc", box=(0, 0, 331, 343))
    button = node("push button", 0, "7", box=(6, 183, 65, 217))
    tree = TreeRead(nodes=[frame, button], pids={"app": 42}, toolkits={"app": "gtk"})
    scales = app_scales(tree, [XWindow(pid=42, box=(0, 0, 662, 686)), XWindow(pid=7, box=(0, 0, 50, 50))])
    assert scales == {"app": 2.0}
    rescale(tree, scales)
    assert frame.box == (0, 0, 662, 686) and button.box == (12, 366, 130, 434)
    web = TreeRead(nodes=[node("frame", box=(0, 0, 640, 400)), node("link", 0, "Home", box=(500, 20, 560, 50))],
                   pids={"app": 9}, toolkits={"app": "Chromium"})
    rescale(web, {"app": 2.0})  # Chromium: its window in logical pixels, its page already in X pixels
    assert web.nodes[0].box == (0, 0, 1280, 800) and web.nodes[1].box == (500, 20, 560, 50)


class Pixels:
    def __init__(self):
        self.images = []

    def parse(self, image):
        self.images.append(image.shape)
        return Screen(image.shape[1], image.shape[0], ())


def test_without_a_bus_the_parser_falls_back_to_pixels_and_says_so():
    def unreadable():
        raise BusError("no accessibility bus answers (session bus not set, display not set)")

    pixels = Pixels()
    parser = A11yParser(unreadable, Frame(0, 0, 64, 48), pixels)
    screen = parser.parse(np.zeros((48, 64, 3), np.uint8))
    assert screen.source == "pixels" and pixels.images == [(48, 64, 3)]
    assert parser.stats.source == "pixels" and "no accessibility bus answers" in parser.stats.fallback


def test_auto_grounding_without_a_bus_is_pixels_and_insisting_is_one_sentence(monkeypatch):
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.delenv("AT_SPI_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("DISPLAY", ":4242")
    assert choose("auto", ":4242").mode == "pixels"
    assert choose("pixels", ":4242").mode == "pixels"
    with pytest.raises(GroundingModeError, match="needs an AT-SPI bus, and none answers on display :4242"):
        choose("accessibility", ":4242")
    with pytest.raises(GroundingModeError, match="no grounding mode called 'vlm'"):
        choose("vlm", ":4242")
    ok, line = grounding_line(":4242")
    assert ok and line.startswith("no AT-SPI accessibility bus answers on :4242: runs read pixels only")


@pytest.mark.parametrize("call", [
    ("/org/a11y/atspi/accessible/123", "org.a11y.atspi.Component", "GetExtents", "u", (0,)),
    ("/x", "org.freedesktop.DBus.Properties", "Get", "ss", ("org.a11y.atspi.Accessible", "Name")),
    ("/x/y", "org.a11y.atspi.Accessible", "GetRole", "", ()),
    ("/x/yz", "org.a11y.atspi.Text", "GetRangeExtents", "iiu", (3, -1, 0)),
])
def test_hand_built_calls_are_byte_for_byte_what_jeepney_builds(call):
    from jeepney import DBusAddress, new_method_call

    from grounding.atspi_wire import Call, method_call

    path, interface, method, signature, args = call
    ref = new_method_call(DBusAddress(path, ":1.42", interface), method, signature or None, args)
    assert method_call(Call(":1.42", path, interface, method, signature, args), 9) == ref.serialise(serial=9)


def test_gtk4_visible_stands_for_showing_and_class_names_are_no_names():
    from grounding.a11y_tree import _gtk4_name, _visible_as_showing

    frame = node("frame", name="Calculator", states=("showing", "visible", "active"))
    tree = TreeRead(nodes=[frame])
    kids = [node("push button", 0, "7 7", states=("visible", "sensitive")),
            node("push button", 0, "GtkButton", states=("visible", "sensitive"))]
    _visible_as_showing(kids, tree)
    assert all("showing" in k.states for k in kids) and [k.name for k in kids] == ["7", ""]
    assert _gtk4_name("Bye now") == "Bye now" and _gtk4_name("= =") == "="
    gtk3 = TreeRead(nodes=[node("frame", name="Calc")])
    shown = [node("push button", 0, "Bye Bye", states=("showing", "visible"))]
    _visible_as_showing(shown, gtk3)  # a toolkit that sets SHOWING keeps its names as they are
    assert shown[0].name == "Bye Bye"


def test_hung_applications_are_left_out_for_a_while():
    from grounding.atspi_wire import Call, Failed, Wire

    wire = Wire.__new__(Wire)  # no connection needed: every call goes to an application marked hung
    wire.hung = {":1.9": __import__("time").monotonic()}
    assert wire.many([Call(":1.9", "/a", "org.a11y.atspi.Accessible", "GetRole")]) == [Failed("hung")]


def test_auto_grounding_keeps_to_pixels_in_a_wayland_session(monkeypatch):
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    choice = choose("auto", ":0")
    assert choice.mode == "pixels" and "Wayland" in choice.reason


def test_a_blue_inline_run_is_a_link_and_a_black_one_is_not():
    from grounding.a11y_screen import coloured_links

    image = np.full((60, 200, 3), 255, np.uint8)
    shade = np.linspace(0, 40, 48).astype(np.uint8)[None, :, None]  # antialiased glyphs are not one colour
    image[12:20:2, 12:60] = np.array([20, 60, 200], np.uint8) + shade  # blue strokes: a span styled as a link
    image[42:50:2, 12:60] = np.array([20, 20, 20], np.uint8) + shade  # black strokes
    run = {"role": "inline", "value": "", "states": [], "parent": -1, "atspi": "static"}
    tree = TreeSnapshot(records=({**run, "name": "Dignissim", "box": [10, 10, 62, 22]},
                                 {**run, "name": "nibh", "box": [10, 40, 62, 52]}))
    (link,) = coloured_links(tree, Frame(0, 0, 200, 60), image)
    assert (link.role, link.name, link.source) == ("link", "Dignissim", "a11y+widget")


def test_what_the_tree_names_inside_a_hole_is_not_read_again():
    image = np.full((200, 400, 3), 30, np.uint8)
    image[::7, ::5] = 250
    label = {"role": "text", "name": "Episodes done:", "value": "", "states": [], "parent": -1, "atspi": "label"}
    tree = TreeSnapshot(windows=((0, 0, 400, 200),), holes=((200, 0, 360, 200),),
                        records=({**label, "box": [200, 0, 360, 200]},))
    assert uncovered_regions(image, tree, Frame(0, 0, 400, 200)) == ([], 0.0)


def test_a_window_whose_tree_says_nothing_yet_is_left_to_the_pixels():

    loading = TreeRead(nodes=[node("frame", name="New Tab", box=(0, 0, 400, 300)),
                              node("document web", 0, "", box=(0, 0, 400, 300))])
    assert snapshot(loading, 1.0).windows == ()
    loaded = TreeRead(nodes=[*loading.nodes, node("push button", 1, "Sign up", box=(10, 10, 80, 30))])
    assert snapshot(loaded, 1.0).windows == ((0, 0, 400, 300),)


def test_a_dialog_inside_its_main_windows_box_keeps_its_own_controls():
    from grounding.a11y_windows import check_windows

    main = node("frame", name="Editor", box=(0, 0, 700, 500))
    behind = node("push button", 0, "Find", box=(200, 24, 230, 55))
    dialog = node("dialog", name="Save as...", box=(28, 4, 652, 416))  # Qt: the dialog is a top-level of its own
    save = node("push button", 2, "Save", box=(561, 351, 641, 375))
    tree = TreeRead(nodes=[main, behind, dialog, save], pids={"app": 5})
    windows = [XWindow(pid=5, box=(0, 0, 700, 500)), XWindow(pid=5, box=(28, 4, 652, 416))]
    assert check_windows(tree, windows) == []
    assert "showing" in save.states and "showing" in dialog.states  # the dialog is the window above
    assert "showing" not in behind.states  # the main window's button under the dialog is hidden


def test_windows_stacked_above_hide_what_they_cover_but_a_menu_keeps_its_items():
    from grounding.a11y_windows import check_windows

    frame = node("frame", name="Calc", box=(0, 0, 300, 300))
    key = node("push button", 0, "7", box=(100, 100, 140, 130))
    bar = node("menu", 0, "File", box=(0, 0, 40, 20))
    item = node("menu item", 2, "Quit", box=(0, 20, 120, 44))
    tree = TreeRead(nodes=[frame, key, bar, item], pids={"app": 5})
    windows = [XWindow(pid=5, box=(0, 0, 300, 300)), XWindow(pid=5, box=(0, 20, 120, 44)),
               XWindow(pid=0, box=(90, 90, 200, 160))]  # the frame, its open menu, a message box on top
    above = check_windows(tree, windows)
    assert above == [(90, 90, 200, 160)]
    assert "showing" not in key.states and "showing" in item.states and "showing" in frame.states
    unmapped = TreeRead(nodes=[node("frame", box=(0, 0, 300, 300)), node("push button", 0, "OK")], pids={"app": 5})
    check_windows(unmapped, [])  # X answers and shows no window of the process: the toolkit's tree is stale
    assert all("showing" not in n.states for n in unmapped.nodes)
    assert check_windows(unmapped, None) == []  # X cannot be asked: nothing is changed


def test_a_clickable_list_item_of_a_tree_is_a_tree_item_and_of_a_flat_list_a_button():
    def page(*items):
        return [node("document web", box=(0, 0, 800, 600)), node("list", 0, box=(0, 0, 200, 60)), *items]

    tree = page(node("list item", 1, box=(0, 0, 200, 20), clickable="block"),
                node("section", 2, box=(2, 2, 12, 12), clickable="block"),  # its expander: no words
                node("static", 2, "Documents", box=(20, 2, 100, 18)),
                node("list item", 1, box=(0, 20, 200, 40), clickable="block"),
                node("static", 5, "notes.txt", box=(20, 22, 100, 38)))
    flat = page(node("list item", 1, box=(0, 0, 200, 20), clickable="block"),
                node("static", 2, "Inbox", box=(20, 2, 100, 18)))
    def controls(nodes):
        return [(r["role"], r["name"]) for r in to_records(nodes) if r["role"] in ("tree_item", "button")]

    assert controls(tree) == [("tree_item", "Documents"), ("tree_item", "notes.txt")]
    assert controls(flat) == [("button", "Inbox")]


def test_a_scripts_slider_is_its_track_and_a_row_of_focusable_icons_is_no_slider():
    page = [node("document web", box=(0, 0, 800, 600)),
            node("section", 0, box=(10, 100, 210, 112)),  # a jQuery UI slider's track
            node("section", 1, states=("showing", "focusable"), box=(60, 96, 80, 116)),  # its handle
            node("section", 0, box=(10, 300, 400, 330)),  # a toolbar of two nameless focusable icons
            node("section", 3, states=("showing", "focusable"), box=(12, 302, 38, 328)),
            node("section", 3, states=("showing", "focusable"), box=(42, 302, 68, 328))]
    sliders = [r for r in to_records(page) if r["role"] == "slider"]
    assert [r["box"] for r in sliders] == [[10, 100, 210, 112]]


def test_gtk_file_dialog_rows_dropdowns_and_cells_read_as_a_person_names_them():
    # the shape of GTK 3's Save As dialog (mousepad): places rows name nothing themselves, their label sits in
    # boxes inside them; the encoding combo is named by what it shows and labelled "Encoding:"; a file row has
    # blank cells (the icon's, the size of a folder) and times drawn with a bidi mark and a ratio sign
    row = ("showing", "enabled", "sensitive", "selectable")
    nodes = [node("file chooser", name="Save As", box=(0, 0, 800, 600)),
             node("file chooser", 0, "File Chooser Widget", box=(0, 0, 800, 560)),
             node("list box", 1, "", box=(0, 40, 150, 400)),
             node("list item", 2, "", states=(*row, "selected"), box=(0, 40, 150, 70)),
             node("panel", 3, "", box=(0, 40, 150, 70)),
             node("label", 4, "Home", box=(30, 40, 150, 70)),
             node("icon", 4, "", box=(4, 44, 28, 66)),
             node("combo box", 0, "Default (UTF-8)", box=(80, 570, 250, 595), label="Encoding:"),
             node("table", 1, "Files", box=(160, 40, 800, 400)),
             node("table cell", 8, "", states=row, box=(160, 60, 190, 80)),
             node("table cell", 8, "letters", states=row, box=(190, 60, 700, 80)),
             node("table cell", 8, "05:49", states=row, box=(700, 60, 800, 80))]
    records = to_records(nodes)
    assert [(r["role"], r["name"]) for r in records if r["role"] in ("option", "cell", "dialog")] == [
        ("dialog", "Save As"), ("option", "Home"), ("cell", "letters"), ("cell", "05:49")]
    assert not any(r["role"] in ("text", "image") for r in records)  # the row's label and icon are the row
    combo = next(r for r in records if r["role"] == "dropdown")
    assert (combo["name"], combo["value"]) == ("Encoding:", "Default (UTF-8)")
    tree = TreeRead(nodes=nodes)
    assert snapshot(tree, 1.0).pictures == ()  # the row's icon is no picture to read with OCR


def test_displayed_text_reads_as_typed_without_bidi_marks_or_look_alike_punctuation():
    assert as_typed("05\u200e\u223649") == "05:49"  # GTK's file chooser times
    assert as_typed("\u2066r\u00e9sum\u00e9.txt\u2069 \u2212 4\u202fkB") == "r\u00e9sum\u00e9.txt - 4 kB"


def test_an_item_that_opens_a_submenu_says_whether_it_is_open():
    nodes = [node("menu", name="View", box=(0, 0, 40, 20)),
             node("menu item", 0, "Line Numbers", box=(0, 20, 200, 40)),
             node("menu", 0, "Color Scheme", box=(0, 40, 200, 60)),
             node("menu", 0, "Tab Size", box=(0, 60, 200, 80)),
             node("menu item", 3, "Eight", box=(200, 60, 300, 80))]
    states = {r["name"]: r["states"] for r in to_records(nodes) if r["role"] == "menu_item"}
    assert states == {"Line Numbers": [], "Color Scheme": ["collapsed"], "Tab Size": ["expanded"], "Eight": []}


def test_a_nameless_icon_buttons_icon_is_still_left_to_the_pixels():
    nodes = [node("frame", name="Viewer", box=(0, 0, 400, 300)),
             node("push button", 0, "", box=(10, 10, 40, 40)),
             node("icon", 1, "", box=(14, 14, 36, 36))]
    assert snapshot(TreeRead(nodes=nodes), 1.0).pictures == ((14, 14, 36, 36),)


def test_a_web_tables_text_never_joins_across_its_cells_and_a_header_is_its_caption_once():
    nodes = [node("table", box=(20, 100, 500, 170)), node("table row", 0, box=(20, 100, 500, 134)),
             node("table row", 0, box=(20, 134, 500, 168))]
    for name, x0, x1, w in (("Name", 20, 94, 40), ("Role", 94, 200, 40)):
        nodes += [node("column header", 1, name, box=(x0, 100, x1, 134), children=1),
                  node("static", len(nodes), name, box=(x0 + 10, 107, x0 + 10 + w, 127))]
    for name, x0, x1, w in (("alice@example.com", 20, 180, 150), ("Admin", 180, 260, 50)):
        nodes += [node("table cell", 2, name, box=(x0, 134, x1, 168), children=1),
                  node("static", len(nodes), name, box=(x1 - w - 2, 141, x1 - 2, 161))]  # 22 px apart
    nodes.append(node("static", -1, "Not in a cell", box=(262, 141, 340, 161)))
    lines = [r["name"] for r in to_records(nodes) if r["role"] == "text"]
    assert sorted(lines) == ["Admin", "Name", "Not in a cell", "Role", "alice@example.com"]


def test_a_web_dropdowns_object_characters_read_as_the_words_they_stand_for():
    """Chromium's text of `<div role=combobox><span>Select a course</span> ▾</div>` is "\ufffc ▾": the object
    character stands for the span; its static runs are the node's own text."""
    nodes = [node("frame", name="Course signup", box=(0, 0, 400, 300)),
             node("combo box", 0, "", states=("showing", "enabled", "focusable"), box=(10, 10, 210, 40),
                  text="\ufffc \u25be", label="Course"),
             node("section", 1, "", box=(14, 14, 120, 36)),
             node("static", 1, "\u25be", box=(190, 14, 200, 36)),
             node("static", 2, "Select a course", box=(14, 14, 120, 36))]
    nodes[1].name = "Course"
    dropdown = next(r for r in to_records(nodes) if r["role"] == "dropdown")
    assert (dropdown["name"], dropdown["value"]) == ("Course", "Select a course \u25be")
