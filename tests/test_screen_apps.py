"""The pixel screen model on real desktop applications under Xvfb (no accessibility tree): what the pixels alone
must show of a GTK calculator and a GTK editor."""

from functools import cache

import pytest

from app.testing.desktop import Desktop
from grounding.parser import ScreenParser
from tests.scene_shots import shot as scene_shot

pytestmark = pytest.mark.display


@cache
def _parsed(name: str, scale: float, width: int = 1280, height: int = 800):
    """The scene's shot (once per session) and its pixels-only parse (once per module: several tests read one)."""
    shot = scene_shot(name, scale, width, height)
    return shot, ScreenParser(incremental=False).parse(shot.image)


def test_gtk_calculator_from_pixels_has_its_menu_bar_and_one_glyph_keys(tmp_path):
    with Desktop(tmp_path, 800, 600) as d:
        d.launch("galculator")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    menu = screen.by_role("menu_bar_item")
    assert [e.name for e in menu] == ["File", "Edit", "View", "Calculator", "Help"]
    keys = {e.name for e in screen.by_role("button")}
    # one-glyph captions the text detector passes over are read on their own key
    assert {"7", "8", "0", "1", "(", "="} <= keys
    (display,) = [e for e in screen.controls() if e.value == "0"]
    assert "File" not in display.name  # the menu bar above names no field
    assert all(e.box.y1 <= min(k.box.y0 for k in screen.by_role("button")) for e in menu)


def test_gtk_editor_menu_bar_and_text_area_from_pixels(tmp_path):
    with Desktop(tmp_path, 800, 600) as d:
        d.launch("mousepad")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    names = [e.name for e in screen.by_role("menu_bar_item")]
    assert names[:2] == ["File", "Edit"] and names[-1] == "Help"
    assert not any(e.name in names for e in screen.controls() if e.role != "menu_bar_item")


def test_qt_editor_flat_tool_buttons_are_buttons_named_only_by_a_sure_likeness_and_faint_ones_disabled(tmp_path):
    with Desktop(tmp_path, 900, 640) as d:
        d.launch("featherpad")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    menu = screen.by_role("menu_bar_item")
    assert [e.name for e in menu][:2] == ["File", "Edit"]
    row = [b for b in screen.by_role("button") if menu[0].box.y1 <= b.box.y0 < menu[0].box.y1 + 40]
    assert len(row) >= 8  # New, Open, Save, Undo, Redo, Reload, Find, Replace, ...
    # FeatherPad's own pictures (in no theme) named by their likeness to the standard actions' pictures, or not
    # at all: never by another action's name
    named = {b.name for b in row if b.name}
    assert {"Save", "Undo", "Redo"} <= named <= {"New", "Open", "Save", "Undo", "Redo", "Refresh", "Find",
                                                 "Find and Replace", "Jump to"}
    assert all(b.source == "widget+shape" for b in row if b.name)
    assert any(b.disabled for b in row) and not all(b.disabled for b in row)  # nothing to redo yet
    assert not any(e.role == "text" and len(e.name) <= 2 and e.box.intersection(row[0].box) for e in screen.lines())


def _found(truth, screen, role, name):
    """The parsed control over the true control named ``name`` (pixels only; the tree is the truth)."""
    from app.bench.screen_truth import overlaps

    (t,) = [e for e in truth if e.role == role and e.name == name]
    return next((p for p in screen.controls() if overlaps(p.box, t.box)), None)


def test_qt_save_dialog_from_pixels_at_scale_1_1_5_and_2():
    for shot, screen in (_parsed("featherpad-save-as", scale) for scale in (1.0, 1.5, 2.0)):
        # the tree lists the dialog's own controls, not only the main window's behind it
        assert {"Save", "Cancel", "Back", "Detail View"} <= {e.name for e in shot.truth if e.role == "button"}
        # a list of places to pick from: a list box, as GTK's is (Qt marks its rows selectable, not the list)
        (sidebar,) = [e for e in shot.truth if e.role == "list_box" and e.name == "Sidebar"]
        rows = [e for e in shot.truth if e.parent == sidebar.id]  # Qt reports them wider than the list showing them
        assert len(rows) >= 2 and all(sidebar.box.contains(e.box, slack=1) for e in rows)
        assert _found(shot.truth, screen, "list_box", "Sidebar").role == "list_box"
        field = _found(shot.truth, screen, "text_field", "File name:")
        assert field is not None and field.role == "text_field"  # its selected text is its value, not a button
        assert not any(e.role == "button" and e.name == "Untitled" for e in screen.controls())
        # a row of icons, even where OCR read two of them as "田 目" and one as "↑" (at x1.5)
        for name in ("Back", "Forward", "Parent Directory", "Create New Folder", "List View", "Detail View"):
            assert _found(shot.truth, screen, "button", name).role == "button", (shot.scale, name)
        search = max((e for e in shot.truth if e.role == "dropdown"), key=lambda e: e.box.y0)  # the find bar's
        assert [p.role for p in screen.controls() if p.box.iou(search.box) >= 0.5] == ["dropdown"]  # not + radio


def test_gtk_file_chooser_column_headers_are_text():
    shot, screen = _parsed("mousepad-save-as", 1.0)
    assert not any(e.name.startswith(("Size", "Type", "Modif")) for e in screen.controls())
    assert {"Name", "Size", "Type"} <= {w for e in screen.lines() for w in e.name.split()}  # the titles stay text
    h = shot.image.shape[0]
    assert {"Save", "Cancel"} <= {e.name for e in screen.by_role("button") if e.box.y1 <= h}  # the dialog is on screen


def test_gtk_calculator_at_scale_2_reads_its_dash_dot_and_two_row_equals_keys():
    shot, screen = _parsed("galculator", 2.0, 640, 400)
    for name in ("-", ".", "=", "+", "7"):  # a dash or a dot alone is read with less confidence than a digit
        assert _found(shot.truth, screen, "button", name).name == name, name
    for name in ("MR", "M+"):  # nothing in memory yet: pale keys with grey captions, in a row of keys
        key = _found(shot.truth, screen, "button", name)
        assert (key.role, key.disabled) == ("button", True), name
    assert not _found(shot.truth, screen, "button", "MS").disabled


def test_gtk_file_chooser_create_folder_is_named_by_its_theme_icon_and_the_places_are_a_list():
    from app.bench.screen_atspi import HOME

    for shot, screen in (_parsed("mousepad-save-as", scale) for scale in (1.0, 2.0)):
        # a pale framed square around Adwaita's folder-new icon: no caption, the picture says what it does
        button = _found(shot.truth, screen, "button", "Create Folder")
        assert (button.role, button.name, button.source) == ("button", "New Folder", "widget+icon"), shot.scale
        # the places sidebar has no frame: its selected row's band and the rows aligned with it are the list
        places = [o for o in screen.by_role("option") if o.box.x1 <= 0.2 * shot.image.shape[1]]
        assert [(o.name, o.selected) for o in places][:2] == [("Home", True), ("Desktop", False)], shot.scale
        # the list fills its pane: down the sidebar's separator, under the tooltip the pointer brings up over it
        (pane,) = [e for e in shot.truth if e.role == "list_box"]
        (box,) = [e for e in screen.by_role("list_box") if e.box.iou(pane.box) >= 0.5]
        assert box.box.iou(pane.box) >= 0.9, shot.scale
        # the tooltip lies across the sidebar's separator, which is not drawn under it: it floats, no control
        assert not [e for e in screen.controls() if "other locations" in e.name.lower()], shot.scale
        # the path bar's scroll arrows: the ends of the frame holding the folder button (the scenes' home, named
        # the same every run); nothing to go down to
        (folder,) = [e for e in shot.truth if e.role == "button" and e.name == HOME]
        read = _found(shot.truth, screen, "button", folder.name)
        assert read is not None and (read.role, read.name) == ("button", HOME), shot.scale
        for name, disabled in (("Up Path", False), ("Down Path", True)):
            arrow = _found(shot.truth, screen, "button", name)
            assert arrow is not None and (arrow.role, arrow.disabled) == ("button", disabled), (shot.scale, name)


def test_qt_find_bar_arrows_and_toggles_are_buttons_and_the_tree_calls_the_toggles_toggle_buttons():
    # at x2 Whole Word's frame is not traced (the gap between its neighbours' frames holds its picture); in the
    # Save As scene at x1.5 its "[...]" picture, symmetric both ways, once passed for a close box's x
    for shot, screen in (_parsed("featherpad", 1.0), _parsed("featherpad", 2.0), _parsed("featherpad-save-as", 1.5)):
        # Qt reports its checkable icon tool buttons as check boxes named by their tooltips: toggle buttons
        for name in ("Next (F3)", "Previous (F4)", "Match Case (F5)", "Whole Word (F6)", "Regular Expression (F7)"):
            # flat arrows smaller than icons beside framed pictures OCR read as "AR", "[A[]", "Rx"
            key = _found(shot.truth, screen, "button", name)
            assert key is not None and key.role == "button", (shot.scale, name)
        assert not any(e.role == "text" and e.name in ("AR", "[A[]") for e in screen.elements)


def test_editor_document_areas_by_their_open_tab_or_caret_and_file_lists_are_none():
    # Qt: no outline closes around the page or its only tab; the tab's face runs on into the page below it
    for shot, screen in (_parsed("featherpad", scale) for scale in (1.0, 2.0)):
        area = _found(shot.truth, screen, "text_area", "")
        assert area is not None and area.role == "text_area" and "meeting" in area.value, shot.scale
        tab = _found(shot.truth, screen, "tab", "*Untitled")
        assert tab is not None and (tab.role, tab.name, tab.selected) == ("tab", "*Untitled", True), shot.scale
        assert not any(e.role == "text" and "Untitled" in e.name for e in screen.elements)  # the caption is the tab's
    # GTK at x2: one line and no grip in the frame; the caret after the text says it is edited
    shot, screen = _parsed("mousepad", 2.0)
    assert _found(shot.truth, screen, "text_area", "").role == "text_area"
    # a file dialog's list is a large white area holding lines too, with neither a tab nor a caret on it
    shot, screen = _parsed("featherpad-save-as", 1.0)
    assert not screen.by_role("text_area") and not screen.by_role("tab")


def test_the_tree_truth_leaves_out_what_a_window_stacked_above_covers_at_its_centre():
    shot = scene_shot("featherpad-save-as", 1.0)
    (dialog,) = [e for e in shot.truth if e.role == "dialog"]  # stacked above the editor (X's stacking order)
    names = {e.name for e in shot.truth if e.is_control}
    # the editor's controls whose centres the dialog covers are not visible, as in the DOM truth
    assert not {"Open", "Undo", "Find", "Edit", "Help"} & names
    assert not [e for e in shot.truth if e.role in ("tab", "text_area")]
    # its File menu and New button stick out left of the dialog, centres and all: they are visible
    assert {"File", "New"} <= names
    behind = [e for e in shot.truth if e.is_control and dialog.box.contains_point(*e.box.center)]
    assert {"Save", "Cancel", "Back"} <= {e.name for e in behind}  # the dialog's own
    assert not {"File", "New"} & {e.name for e in behind}
