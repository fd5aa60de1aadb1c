"""Ground truth from AT-SPI for real Debian desktop applications, and the accessibility mode of `bench screen`.

Each scene starts a real application (GTK 3: galculator, mousepad and its Save As and Preferences dialogs; Qt 5:
FeatherPad and its Save As and Preferences dialogs) on a private Xvfb with its own accessibility bus, at device
scale 1 and 2 (GDK_SCALE, QT_SCALE_FACTOR; GTK scales by whole numbers only), reads the tree as the truth
(controls with role, name, value, states and box; text lines) and parses the same screenshot in pixels-only mode,
so the pixel parser is measured on real applications. The accessibility mode is not scored against this truth
(it would be scored against itself); its figures come from the DOM truth of the Chromium pages, read with renderer
accessibility on.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.testing.desktop import Desktop
from grounding.a11y_parser import A11yParser
from grounding.a11y_reader import AccessibilityReader
from grounding.a11y_screen import image_box, tree_elements
from grounding.coords import Frame
from grounding.elements import Box, Element
from grounding.parser import ScreenParser

ROOT = Path(__file__).resolve().parent.parent.parent
SCALE_ENV = {"gtk": "GDK_SCALE", "qt": "QT_SCALE_FACTOR"}
HOME = "letters"  # the scenes' home folder, which their Save As dialogs show: one name every run (a random one, which
# OCR read or missed from run to run, made the scenes differ)


@dataclass(frozen=True, kw_only=True)
class Scene:
    """An application in one state: the command that starts it and the keys that bring it there."""

    name: str
    command: str
    toolkit: str  # "gtk" | "qt"
    keys: tuple[str, ...] = ()
    text: str = ""  # typed before the keys (a document with words in it)
    expect: str = ""  # the name of a control the scene shows once it is there (a dialog's button)


SCENES = (
    Scene(name="galculator", command="galculator", toolkit="gtk"),
    Scene(name="mousepad", command="mousepad", toolkit="gtk", text="Shopping list: milk, eggs, bread"),
    Scene(name="mousepad-save-as", command="mousepad", toolkit="gtk", text="notes", keys=("ctrl+shift+s",),
          expect="Cancel"),
    Scene(name="featherpad", command="featherpad", toolkit="qt", text="Dear Ada, the meeting is at noon."),
    Scene(name="featherpad-save-as", command="featherpad", toolkit="qt", text="notes", keys=("ctrl+shift+s",),
          expect="Cancel"),
    # preference dialogs: rows of check boxes, a spin box, a font button, a dropdown, tabs. Mousepad's Edit menu
    # gives Preferences no shortcut and no mnemonic: it is the menu's last item (End), opened with Return
    Scene(name="mousepad-preferences", command="mousepad", toolkit="gtk", keys=("alt+e", "End", "Return"),
          expect="Show line numbers"),
    Scene(name="featherpad-preferences", command="featherpad", toolkit="qt", keys=("ctrl+shift+p",),
          expect="Syntax Colors"),
)


@dataclass(frozen=True, kw_only=True)
class Shot:
    """One scene at one scale: the screenshot and what the tree says it shows (image pixels)."""

    name: str
    scale: float
    image: np.ndarray
    truth: tuple[Element, ...]
    tooltips: tuple[tuple[str, Box], ...] = ()  # controls the tree names only by their tooltip: name and box


LAUNCH_TIMEOUT = 45.0  # seconds for an application to draw: mousepad at GDK_SCALE=2 took over 20 on a busy 2 cores


def shots(scales: tuple[float, ...] = (1.0, 2.0), scenes: tuple[Scene, ...] = SCENES, width: int = 1280,
          height: int = 800) -> Iterator[Shot]:
    """Every scene at every scale, each on a fresh private desktop that is stopped afterwards (a scaled scene gets
    a screen with as many more pixels, as a HiDPI monitor has)."""
    for scene in scenes:
        for scale in scales:
            w, h = round(width * scale), round(height * scale)
            with tempfile.TemporaryDirectory(prefix="deskpilot-atspi-") as tmp, \
                    Desktop(Path(tmp), w, h, name=scene.name, a11y=True, home_name=HOME) as desk:
                yield _shot(desk, scene, scale)


def _shot(desk: Desktop, scene: Scene, scale: float) -> Shot:
    assert desk.display is not None and desk._bus is not None
    env = f"{SCALE_ENV[scene.toolkit]}={scale:g}" if scale != 1.0 else ""
    desk.launch(f"env {env} {scene.command}".replace("env  ", ""), timeout=LAUNCH_TIMEOUT)
    _settle_keys(desk, scene, scale)
    w, h = desk.width, desk.height
    frame = Frame(0, 0, w, h)
    reader = AccessibilityReader(session=desk._bus.address, display=desk.display.display)
    try:
        _wait_for(reader, scene, (0, 0, w, h))
        desk._settle(3.0)
        image = desk.screenshot()
        tree = reader.read((0, 0, w, h))
        truth = tuple(tree_elements(tree, frame, w, h))
    finally:
        reader.close()
    tooltips = tuple((r["name"], image_box(r["box"], frame)) for r in tree.records if r.get("tooltip"))
    return Shot(name=scene.name, scale=scale, image=image, truth=truth, tooltips=tooltips)


def _wait_for(reader: AccessibilityReader, scene: Scene, screen: tuple[int, int, int, int],
              timeout: float = 15.0) -> None:
    """Until the scene's expected control is in the tree (a dialog takes a moment to open); a scene that never
    shows it is measured as it is."""
    deadline = time.monotonic() + timeout
    while scene.expect and time.monotonic() < deadline:
        if any(r["name"] == scene.expect for r in reader.read(screen).records):
            return
        time.sleep(0.3)


def _settle_keys(desk: Desktop, scene: Scene, scale: float = 1.0) -> None:
    """Type the scene's text and press its keys, waiting for the window to redraw after each."""
    assert desk.display is not None
    env = {**desk.env(), "DISPLAY": desk.display.display}
    # a bare Xvfb has no window manager: keys go to the window under the pointer, and the app sits at the origin;
    # the pointer rests on the same spot of the window at every scale (X pixels: a scaled window is larger), so a
    # scaled scene shows no tooltip the unscaled one does not (at x2, (80, 120) was over FeatherPad's tab)
    x, y = round(80 * scale), round(120 * scale)
    subprocess.run(["xdotool", "mousemove", str(x), str(y)], env=env, timeout=10, check=False)
    if scene.text:
        subprocess.run(["xdotool", "type", "--delay", "5", scene.text], env=env, timeout=30, check=False)
    for key in scene.keys:
        subprocess.run(["xdotool", "key", key], env=env, timeout=10, check=False)
        time.sleep(1.0)
    if scene.keys and fit_windows(desk.display.display):
        time.sleep(1.0)
    desk._settle(3.0)


def fit_windows(display: str) -> int:
    """Move and shrink the top-level windows that stick out of the screen into it, as a window manager keeps a
    dialog on screen (a bare Xvfb has none, and GTK centres its file chooser on a smaller main window, with the
    dialog's top and bottom rows off screen); returns how many windows were moved."""
    from Xlib.display import Display

    x = Display(display)
    try:
        screen = x.screen()
        sw, sh = screen.width_in_pixels, screen.height_in_pixels
        moved = 0
        for win in screen.root.query_tree().children:
            attrs = win.get_attributes()
            if attrs.map_state != 2 or attrs.win_class != 1 or attrs.override_redirect:
                continue  # unmapped, input-only, or a popup (menus and tooltips place themselves)
            g = win.get_geometry()
            w, h = min(g.width, sw), min(g.height, sh)
            left, top = min(max(g.x, 0), sw - w), min(max(g.y, 0), sh - h)
            if (left, top, w, h) != (g.x, g.y, g.width, g.height):
                win.configure(x=left, y=top, width=w, height=h)
                moved += 1
        x.sync()
        return moved
    finally:
        x.close()


def accessibility_parser(stage: Any) -> A11yParser:
    """The accessibility mode for a bench stage (app.bench.screen.Stage: display, frame, bus): the tree of the
    stage's bus first, pixels for the rest."""
    frame = stage.frame
    reader = AccessibilityReader(session=stage.bus.address, display=stage.display)
    screen = (frame.left, frame.top, frame.left + round(frame.width / frame.scale),
              frame.top + round(frame.height / frame.scale))
    return A11yParser(lambda: reader.read(screen), frame, ScreenParser(incremental=False), reader.close)


def truth_of(elements: tuple[Element, ...], tooltips: tuple[tuple[str, Box], ...] = ()) -> Any:
    """The tree's elements as the bench's truth: its controls (a name that is only a tooltip, or a field's that no
    text line on the screen says, marked as drawn nowhere), and its text lines and headings as lines."""
    from app.bench.screen_truth import Truth, TruthControl, TruthLine

    said = {" ".join(e.name.split()) for e in elements if e.role in ("text", "heading")}

    def drawn(e: Element) -> bool:
        if e.role in LABELLED and e.name not in said:
            return False  # a field's name is a label beside it, or no picture's: Qt's sidebar is "Sidebar", and
            # Qt names a field no label is the buddy of after its group box ("Window Settings")
        return not any(e.name == name and e.box.iou(box) >= 0.5 for name, box in tooltips)

    controls, lines = [], [TruthLine(e.name, e.box) for e in elements if e.role in ("text", "heading") and e.name]
    for e in elements:
        if not e.is_control:
            continue
        parts = labelled_toggle(e) if drawn(e) else None
        if parts is None:
            controls.append(TruthControl(e.role, e.name, e.box, e.value, e.states, name_drawn=drawn(e)))
            continue
        indicator, label = parts
        controls.append(TruthControl(e.role, e.name, indicator, e.value, e.states))
        lines.append(TruthLine(e.name, label))
    return Truth(tuple(controls), tuple(lines))


TOGGLES = ("checkbox", "radio")
LABELLED = ("list_box", "text_field", "spin_box", "dropdown", "slider")  # named by a label of their own


def labelled_toggle(e: Element) -> tuple[Box, Box] | None:
    """A GTK or Qt check box or radio button whose box holds its label: its indicator and its label's part, or None
    for any other control.

    The toolkits' tree box covers the indicator and the label (and, in GTK, the blank to the end of its row),
    while the screen model's toggle is the indicator alone, the click target, as a page's <input> box is (its
    <label> is text beside it). The tree says no more than the whole box: neither toolkit gives a check box
    children, GTK 3's has no Text interface (only an Image one with no image) and Qt 5's neither. So this ASSUMES
    the toolkits' layout, left to right: the indicator is a square as tall as the box (the row is as tall as the
    label's line or the indicator, whichever is taller, and the indicator is centred on it) at the box's left edge,
    and the label is the rest. A box without room for a label beside a square (a bare indicator in a list row, a
    Qt icon toggle, which the tree truth already calls a toggle button) is left whole."""
    box = e.box
    if e.role not in TOGGLES or not e.name or box.width < 2 * box.height:
        return None
    side = box.height
    return Box(box.x0, box.y0, box.x0 + side, box.y1), Box(box.x0 + side, box.y0, box.x1, box.y1)


@dataclass
class AtspiApps:
    """The desktop applications' scenes as a `bench screen` source (pixels mode; see the module's docstring)."""

    scenes: tuple[Scene, ...] = SCENES
    width: int = 1280
    height: int = 800
    name: str = "atspi-apps"

    def samples(self, modes: list[Any], scales: tuple[float, ...]) -> Iterator[Any]:
        from app.bench.screen import Stage, parse_all

        scored = [m for m in modes if m.name != "accessibility"]
        for scene in self.scenes:
            for scale in _scales_for(scene, scales):
                for shot in shots((scale,), (scene,), self.width, self.height):
                    h, w = shot.image.shape[:2]
                    stage = Stage("", Frame(0, 0, w, h))
                    truth = truth_of(shot.truth, shot.tooltips)
                    yield from parse_all(stage, scored, shot.image, truth, self.name, scene.name, scale)


def _scales_for(scene: Scene, scales: tuple[float, ...]) -> list[float]:
    return [s for s in scales if scene.toolkit != "gtk" or float(s).is_integer()]


def sources() -> list[AtspiApps]:
    """The sources this module adds to `bench screen`."""
    return [AtspiApps()]
