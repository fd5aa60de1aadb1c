"""Accessibility first on real applications under Xvfb with a private AT-SPI bus: a GTK calculator, a Qt
editor, Chromium with renderer accessibility, and a window without accessibility that only the pixels can read."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.testing.desktop import Desktop
from grounding.a11y_parser import A11yParser
from grounding.a11y_reader import AccessibilityReader
from grounding.coords import Frame
from grounding.elements import Box
from grounding.legend import render
from grounding.locate import locate
from grounding.parser import ScreenParser

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "assets" / "examples"
pytestmark = pytest.mark.display


def _keys(desk, *args):
    env = {**desk.env(), "DISPLAY": desk.display.display}
    subprocess.run(["xdotool", "mousemove", "80", "120"], env=env, check=True, timeout=10)
    subprocess.run(["xdotool", *args], env=env, check=True, timeout=30)
    time.sleep(0.5)


def _parse(desk):
    parser = desk.parser()
    return parser.parse(desk.screenshot()), parser.stats


def _all(screen, role, name):
    return [e for e in screen.elements if e.role == role and e.name == name]


def _one(screen, role, name):
    found = _all(screen, role, name)
    assert len(found) == 1, f"{role} {name!r}: {[e.to_json() for e in screen.elements]}"
    return found[0]


def test_gtk_calculator_comes_through_with_names_values_and_states(tmp_path):
    with Desktop(tmp_path, 800, 600, a11y=True) as d:
        d.launch("galculator")
        screen, stats = _parse(d)
        assert screen.source == stats.source == "accessibility"
        for name in ("7", "AC", "=", "sqrt"):
            assert _one(screen, "button", name).source == "a11y"
        assert _one(screen, "menu_bar_item", "File").box.y0 < _one(screen, "button", "7").box.y0
        assert _one(screen, "button", "MR").disabled  # memory recall: greyed out until something is stored
        (display,) = [e for e in screen.elements if e.role in ("text_area", "text_field")]
        assert display.value == "0" and "readonly" in display.states
        _keys(d, "type", "12+3=")
        screen, stats = _parse(d)
        (display,) = [e for e in screen.elements if e.role in ("text_area", "text_field")]
        assert display.value == "15"
        # the tree covers the whole window and the rest of the screen is empty: no pixel was read with OCR
        assert stats.pixel_elements == 0 and stats.ocr_regions == []


def test_qt_editor_keeps_the_typed_text_and_names_icon_buttons(tmp_path):
    with Desktop(tmp_path, 900, 640, a11y=True) as d:
        d.launch("featherpad")
        _keys(d, "type", "Dear Ada, the meeting is at noon.")
        screen, _ = _parse(d)
        (area,) = screen.by_role("text_area")
        assert area.value == "Dear Ada, the meeting is at noon." and {"editable", "focused"} <= area.states
        assert screen.focused == area.id
        assert _one(screen, "tab", "*Untitled").source == "a11y"  # the star: a modified document
        assert {"File", "Edit", "Help"} <= {e.name for e in screen.by_role("menu_bar_item")}
        # Qt gives its icon-only tool buttons no name but a description (their tooltip): the reader uses it
        names = {e.name for e in screen.by_role("button")}
        assert {"New", "Open", "Find"} <= names
        assert "Calculate number of words (For huge texts, this may be CPU-intensive.)" in names  # rich text, plain


def test_qt_fields_without_a_buddy_are_named_by_the_label_beside_them(tmp_path):
    # FeatherPad's replace dock ties no label to its line edits: the tree names neither field, and says the labels
    # and the placeholders apart; the fields take the labels' words (with the colon, as a tied label gives them)
    with Desktop(tmp_path, 1000, 700, a11y=True) as d:
        d.launch("featherpad")
        _keys(d, "key", "ctrl+r")
        screen = _until(d, lambda s: any(e.name == "Replace with:" for e in s.by_role("text_field")))
        find, swap = _one(screen, "text_field", "Find:"), _one(screen, "text_field", "Replace with:")
        assert find.box.y1 <= swap.box.center[1] and "focused" in find.states
        assert (find.placeholder, swap.placeholder) == ("To be replaced", "Replacing text")
        legend = render(screen)
        assert 'text field "Find:" (placeholder "To be replaced") = ""' in legend, legend
        assert {"Find:", "Replace with:"} <= {e.name for e in screen.by_role("text")}  # the labels stay text
        search = _one(screen, "dropdown", "Search...")  # the find bar's combo: no label, named by its placeholder
        assert f'#{search.id} dropdown (placeholder "Search...")' in legend, legend
        assert locate("the Find: field", screen).element.id == find.id  # the label said with its colon
        assert locate("the 'Replace with:' box", screen).element.id == swap.id


def test_chromium_form_labels_values_password_and_page_text(tmp_path):
    with Desktop(tmp_path, 1000, 700, a11y=True) as d:
        d.launch(open=str(ROOT / "tests" / "pages" / "a11y_signup.html"))
        screen, stats = _parse(d)
        assert screen.title.startswith("Volunteer sign-up")
        name = _one(screen, "text_field", "Full name")
        assert name.value == "Grace Hopper"  # a filled field keeps its label as its name
        password = _one(screen, "text_field", "Password")
        assert "password" in password.states and "Grace" not in password.value
        assert _one(screen, "checkbox", "I agree to the terms").checked
        country = [e for e in screen.by_role("dropdown")]
        assert len(country) == 1 and country[0].value == "Canada" and "collapsed" in country[0].states
        assert _one(screen, "button", "Delete draft").disabled and not _one(screen, "button", "Sign up").disabled
        assert _one(screen, "link", "Get help").source == "a11y"
        assert _one(screen, "heading", "Volunteer sign-up")
        notice = [e for e in screen.elements if "Close my account" in e.name]
        assert notice and all(e.role == "text" for e in notice)  # page text that says "click X" is no control
        assert all(e.source == "a11y" for e in screen.elements) and stats.pixel_elements == 0


def test_pixels_read_only_the_window_the_tree_does_not_know(tmp_path):
    with Desktop(tmp_path, 1000, 600, a11y=True) as d:
        d.launch("galculator")
        d.launch("xmessage -geometry +520+200 'Backup finished at noon'")  # an X toolkit without accessibility
        screen, stats = _parse(d)
        calc = next(e for e in screen.elements if e.role == "button" and e.name == "7")
        window = Box(0, 0, calc.box.x1 + 300, calc.box.y1 + 150)
        assert stats.ocr_regions and all(not window.intersection(Box(*r)) or Box(*r).x0 >= 330
                                         for r in stats.ocr_regions)
        read = [e for e in screen.elements if "Backup" in e.name or "noon" in e.name]
        assert read and all(e.source != "a11y" for e in read) and read[0].box.x0 >= 500
        assert all(e.source == "a11y" for e in screen.elements if e.box.x1 <= 330)
        assert 0 < stats.ocr_fraction < 0.8


def test_with_no_bus_the_parser_reads_pixels_and_says_why(tmp_path):
    with Desktop(tmp_path, 640, 400) as d:
        d.launch("xmessage -geometry +40+40 'Disk almost full'")
        reader = AccessibilityReader(session="", display=d.display.display)
        parser = A11yParser(lambda: reader.read(), Frame(0, 0, 640, 400), ScreenParser(incremental=False))
        screen = parser.parse(d.screenshot())
        assert screen.source == "pixels" and parser.stats.source == "pixels"
        assert parser.stats.fallback.startswith("the accessibility tree could not be read (no accessibility bus")
        assert "Disk" in screen.visible_text() and all(e.source != "a11y" for e in screen.elements)


def test_an_icon_button_is_found_through_the_tree(tmp_path):
    with Desktop(tmp_path, 800, 500, a11y=True) as d:
        d.launch("python notes_app.py", cwd=EXAMPLES)
        assert d.do('type "Milk" into the Title field').status == "done"
        result = d.do("click Delete note", timeout=8)
        assert result.status == "done", result.message
        assert d.expect("text", "Note deleted", timeout=5).ok


def test_auto_grounding_reads_the_tree_where_a_bus_answers(tmp_path):
    from app.engine.parsers import choose, make_parser

    with Desktop(tmp_path, 640, 480, a11y=True) as d:
        d.launch("galculator")
        choice = choose("auto", d.display.display, session=d._bus.address)
        assert choice.mode == "accessibility" and choice.address
        # without the session bus the display itself says where its bus is (the launcher's AT_SPI_BUS property)
        assert choose("auto", d.display.display, session="").address == choice.address
        parser = make_parser("auto", d.display.display, Frame(0, 0, 640, 480), session=d._bus.address)
        try:
            assert isinstance(parser, A11yParser)
            screen = parser.parse(d.screenshot())
            assert screen.source == "accessibility" and _one(screen, "button", "AC").source == "a11y"
        finally:
            parser.close()


def test_a_window_unmapped_behind_the_toolkits_back_leaves_the_tree(tmp_path):
    with Desktop(tmp_path, 800, 500, a11y=True) as d:
        d.launch("python notes_app.py", cwd=EXAMPLES)
        assert _one(_parse(d)[0], "button", "Delete note").source == "a11y"
        env = {**d.env(), "DISPLAY": d.display.display}
        wid = subprocess.run(["xdotool", "search", "--onlyvisible", "--name", "^Notes$"], env=env,
                             capture_output=True, text=True, check=True).stdout.split()[0]
        subprocess.run(["xdotool", "windowunmap", wid], env=env, check=True)
        time.sleep(0.5)
        screen, stats = _parse(d)  # Qt still calls the window showing; the X server knows better
        assert not [e for e in screen.elements if e.name == "Delete note"]
        assert stats.source == "pixels" and "no application" in stats.fallback


def test_a_window_stacked_on_top_hides_the_tree_under_it_and_is_read_from_pixels(tmp_path):
    with Desktop(tmp_path, 800, 500, a11y=True) as d:
        d.launch("galculator")
        d.launch("xmessage -geometry +90+170 'Printer out of paper'")
        screen, stats = _parse(d)
        env = {**d.env(), "DISPLAY": d.display.display}
        geometry = subprocess.run(["xdotool", "search", "--name", "^xmessage$", "getwindowgeometry", "--shell"],
                                  env=env, capture_output=True, text=True, check=True).stdout
        g = dict(line.split("=") for line in geometry.split() if "=" in line)
        top = Box(int(g["X"]), int(g["Y"]), int(g["X"]) + int(g["WIDTH"]), int(g["Y"]) + int(g["HEIGHT"]))
        under = [e for e in screen.elements if e.source == "a11y" and top.contains_point(*e.box.center)]
        assert under == []  # the calculator keys the message box covers are not offered
        assert _one(screen, "button", "7").source == "a11y"  # keys left of it still are
        assert any(Box(*r).intersection(top) for r in stats.ocr_regions)
        assert "Printer" in " ".join(e.name for e in screen.elements if e.source != "a11y")


def test_the_trajectory_says_which_source_named_the_screen(tmp_path):
    import json

    with Desktop(tmp_path, 800, 500, a11y=True) as d:
        d.launch("python notes_app.py", cwd=EXAMPLES)
        assert d.do("click Delete note", timeout=8).status == "done"
        steps = [json.loads(line) for line in (d.trajectory.folder / "traj.jsonl").open()]
        seen = steps[0]["info"]["screen"]
        assert seen["source"] == "accessibility" and seen["named_by"].get("a11y", 0) >= 5
        assert seen["parse"]["source"] == "accessibility" and seen["parse"]["fallback"] == ""


def _cli(*args, env=None):
    import os
    import sys

    base = {k: v for k, v in os.environ.items() if k not in ("DBUS_SESSION_BUS_ADDRESS", "AT_SPI_BUS_ADDRESS")}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env={**base, **(env or {})},
                          capture_output=True, text=True, timeout=120)


def test_insisting_on_the_tree_where_no_bus_answers_fails_the_run_in_one_sentence(tmp_path):
    from app.desktop.xvfb import VirtualDisplay

    with VirtualDisplay(320, 240) as vd:  # a bare X server: nobody started an accessibility bus for it
        r = _cli("run", "--display", vd.display, "--grounding", "accessibility", "--direct", "--out",
                 str(tmp_path / "bare"), "wait 0.1 seconds", env={"DISPLAY": vd.display})
    assert r.returncode == 2  # a mode that cannot work here, like a display that does not answer
    sentence = [line for line in r.stdout.splitlines() if line.startswith("FAILED: ")]
    assert sentence and "needs an AT-SPI bus, and none answers on display" in sentence[0]
    (run,) = list((tmp_path / "bare").iterdir())
    assert (run / "result.txt").read_text().startswith("failed")
    # the desktop a --headless run starts has its own bus, so insisting on the tree works there
    r = _cli("run", "--headless", "--grounding", "accessibility", "--direct", "--out", str(tmp_path / "headless"),
             "wait 0.1 seconds")
    assert r.returncode == 0, r.stdout + r.stderr


def test_doctor_says_which_grounding_runs_will_use(tmp_path):
    with Desktop(tmp_path, 640, 480, a11y=True) as d:
        with_bus = _cli("doctor", env={"DISPLAY": d.display.display})
        lines = [line for line in with_bus.stdout.splitlines() if " a11y " in line]
        assert len(lines) == 1 and "an AT-SPI accessibility bus answers" in lines[0]
        # nothing publishes a window yet: the line says how applications are made to
        assert "no application shows a window in it yet" in lines[0]
        assert "QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1" in lines[0]
        d.launch("galculator")
        shown = _cli("doctor", env={"DISPLAY": d.display.display})
        (line,) = [line for line in shown.stdout.splitlines() if " a11y " in line]
        assert "showing windows in it: galculator" in line
    without = _cli("doctor", env={"DISPLAY": ":4242"})
    (line,) = [line for line in without.stdout.splitlines() if " a11y " in line]
    assert "no AT-SPI accessibility bus answers on :4242: runs read pixels only" in line


def test_an_open_menu_lists_its_items_under_their_menu(tmp_path):
    with Desktop(tmp_path, 640, 480, a11y=True) as d:
        d.launch("galculator")
        _keys(d, "mousemove", "20", "12", "click", "1")  # the File menu opens in a window of its own
        screen, stats = _parse(d)
        menu = _one(screen, "menu_bar_item", "File")
        quit_item = _one(screen, "menu_item", "Quit")
        assert quit_item.parent == menu.id and quit_item.box.y0 >= menu.box.y1 - 2
        assert stats.ocr_regions == []  # the menu's window is the tree's too: nothing left for OCR


def test_an_open_dropdown_lists_its_choices_as_options(tmp_path):
    with Desktop(tmp_path, 1000, 700, a11y=True) as d:
        d.launch(open=str(ROOT / "tests" / "pages" / "a11y_signup.html"))
        (country,) = _parse(d)[0].by_role("dropdown")
        assert "collapsed" in country.states and not _parse(d)[0].by_role("option")
        x, y = (round(v) for v in country.box.center)
        _keys(d, "mousemove", str(x), str(y), "click", "1")
        time.sleep(1.0)
        screen, stats = _parse(d)
        (country,) = screen.by_role("dropdown")
        options = screen.children(country.id)
        assert "expanded" in country.states and [o.name for o in options] == ["Norway", "Canada", "Chile"]
        assert all(o.role == "option" for o in options) and "selected" in options[1].states


def test_chromium_at_device_scale_2_gives_boxes_in_screen_pixels(tmp_path):
    boxes = {}
    for scale in (1.0, 2.0):
        with Desktop(tmp_path / f"x{scale:g}", round(700 * scale), round(560 * scale), a11y=True) as d:
            d.launch(open=str(ROOT / "tests" / "pages" / "a11y_signup.html"), scale=scale)
            screen, _ = _parse(d)
            boxes[scale] = _one(screen, "button", "Sign up").box
    one, two = boxes[1.0], boxes[2.0]
    assert abs(two.x0 - 2 * one.x0) <= 4 and abs(two.y0 - 2 * one.y0) <= 4
    assert abs(two.width - 2 * one.width) <= 4 and abs(two.height - 2 * one.height) <= 4


def test_bench_truth_from_the_tree_at_scale_1_and_2():
    from tests.scene_shots import scene_shots

    seven = {}
    for shot in scene_shots((1.0, 2.0), ("galculator",), 640, 400):
        assert shot.image.shape[:2] == (round(400 * shot.scale), round(640 * shot.scale))
        (key,) = [e for e in shot.truth if e.role == "button" and e.name == "7"]
        seven[shot.scale] = key.box
    one, two = seven[1.0], seven[2.0]  # GDK_SCALE=2 reports half-size boxes; the truth is in screen pixels
    assert abs(two.x0 - 2 * one.x0) <= 4 and abs(two.width - 2 * one.width) <= 4


@pytest.mark.browser
def test_a_page_opened_on_a_desktop_with_a_bus_publishes_its_tree(tmp_path):
    """`run --display :N --open URL` on a desktop whose bus answers: the page is read through the tree, not from
    pixels (Chromium builds its pages' trees only when asked)."""
    import json

    page = (ROOT / "assets" / "demo" / "form.html").as_uri()
    with Desktop(tmp_path, 1280, 800, a11y=True) as d:
        r = _cli("run", "--display", d.display.display, "--open", page, "--direct", "--out", str(tmp_path / "runs"),
                 "type 'Grace' into the Name field", env={"DISPLAY": d.display.display,
                                                         "DBUS_SESSION_BUS_ADDRESS": d._bus.address})
    assert r.returncode == 0, r.stdout + r.stderr
    (run,) = list((tmp_path / "runs").iterdir())
    seen = json.loads((run / "traj.jsonl").read_text().splitlines()[0])["info"]["screen"]
    assert seen["source"] == "accessibility" and seen["named_by"].get("a11y", 0) >= 3, seen


# a program that shows a window, as one a run opens does (the executor waits for that window, seconds for none),
# until its display goes
WINDOW = """from Xlib import display
x = display.Display()
window = x.screen().root.create_window(0, 0, 200, 100, 0, x.screen().root_depth)
window.set_wm_name("Opened")
window.map()
while True:
    x.next_event()
"""


def test_what_a_run_opens_on_a_desktop_with_a_bus_is_told_to_publish_its_tree(tmp_path, monkeypatch):
    """The desktop's own bus (not one started for the run): a program the agent opens gets the toolkits' switches,
    as a page the run opens does, so it is not left to the pixels."""
    from app.engine.compose import compose
    from app.engine.options import RunOptions
    from planner.actions import Open

    seen, window = tmp_path / "env.txt", tmp_path / "window.py"
    window.write_text(WINDOW)
    with Desktop(tmp_path, 640, 480, a11y=True) as d:
        monkeypatch.setenv("DISPLAY", d.display.display)
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", d._bus.address)
        run = compose(RunOptions(task="wait 0.1 seconds", display=d.display.display, out=tmp_path / "runs"))
        try:
            opened = run.loop.executor.execute(Open(app=f"sh -c 'env > {seen}; exec {sys.executable} {window}'"))
            assert opened.ok and "its window 'Opened' is in front" in opened.output, opened
        finally:
            run.run()
    env = dict(line.split("=", 1) for line in seen.read_text().splitlines() if "=" in line)
    assert env.get("QT_ACCESSIBILITY") == "1" and env.get("NO_AT_BRIDGE") == "0"
    assert env.get("DBUS_SESSION_BUS_ADDRESS") == d._bus.address  # the desktop's own session, as it was


def _until(desk, found, tries=10):
    for _ in range(tries):
        screen, _ = _parse(desk)
        if found(screen):
            return screen
        time.sleep(0.5)
    raise AssertionError(render(screen))


def test_gtk_editor_legend_keeps_lines_submenus_and_names_its_save_dialog_as_shown(tmp_path):
    with Desktop(tmp_path, 1280, 800, a11y=True, home_name="trial7") as d:
        (d.home / "letters").mkdir()
        (d.home / "notes.txt").write_text("eggs")
        d.launch("mousepad")
        _keys(d, "type", "Shopping list")
        _keys(d, "key", "Return")
        _keys(d, "type", "eggs, bread, coffee")
        screen = _until(d, lambda s: s.by_role("text_area"))
        assert '= "Shopping list\\neggs, bread, coffee"' in render(screen)  # two lines, not one sentence
        _keys(d, "key", "alt+v")
        screen = _until(d, lambda s: s.by_role("menu_item"))
        assert "collapsed" in _one(screen, "menu_item", "Color Scheme").states  # it opens a menu of its own
        assert "collapsed" not in _one(screen, "menu_item", "Line Numbers").states
        # GTK draws these ticks without telling the tree: the menu bar is shown, the toolbar is not
        assert _one(screen, "menu_item", "Menubar").checked and not _one(screen, "menu_item", "Toolbar").checked
        assert not any(e.checked for e in screen.by_role("menu_item") if e.name != "Menubar")
        _keys(d, "key", "Escape")
        _keys(d, "key", "ctrl+shift+s")
        screen = _until(d, lambda s: any(e.name == "Cancel" for e in s.by_role("button")))
        legend = render(screen)
        assert {"Home", "Other Locations"} <= {e.name for e in screen.by_role("option")}  # named by their labels
        encoding = _one(screen, "dropdown", "Encoding:")
        assert encoding.value.startswith("Default")  # what it shows, not its label
        cells = screen.by_role("cell")
        assert {"letters", "notes.txt"} <= {e.name for e in cells} and all(e.name for e in cells)
        times = [e.name for e in cells if any(c.isdigit() for c in e.name) and "byte" not in e.name]
        assert times and all(t.isascii() and ":" in t for t in times), times  # "05:49", as typed
        assert "File Chooser Widget" not in legend  # a widget's internal name
        assert not [e for e in screen.elements if e.source != "a11y" and e.role in ("text", "image")], legend
