"""Qt's own standard pixmaps as references for naming icons by likeness (grounding/qt_pixmaps.py,
grounding/qt_resources.py): rendered by PySide6 in a child process, read from the system's Qt 5 library, and
naming the icon buttons of real Qt file dialogs as Qt words them."""

import shlex
import sys
from pathlib import Path

import numpy as np
import pytest

from grounding import qt_pixmaps, qt_resources
from grounding.parser import ScreenParser

QT5 = next(iter(p for p in qt_pixmaps.system_libraries() if p.name.startswith("libQt5Widgets")), None)
needs_pyside = pytest.mark.skipif(not qt_pixmaps._pyside_version(), reason="PySide6 is not installed")
# a real Qt 6 file dialog (Qt's own, not the desktop's), drawing Qt's pixmaps on its tool buttons
DIALOG = ("from PySide6.QtWidgets import QApplication, QFileDialog; app = QApplication([]); "
          "d = QFileDialog(None, 'Save As'); d.setOption(QFileDialog.Option.DontUseNativeDialog); "
          "d.setAcceptMode(QFileDialog.AcceptMode.AcceptSave); d.resize(640, 420); d.show(); app.exec()")


@pytest.fixture(autouse=True)
def _cache(tmp_path, monkeypatch):
    """A fresh cache and fresh references for each test."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    qt_pixmaps._references.cache_clear()
    yield
    qt_pixmaps._references.cache_clear()


@needs_pyside
def test_the_file_dialogs_pixmaps_are_rendered_once_kept_and_plain_triangles_left_out(tmp_path):
    first = qt_pixmaps.references()
    names = {n for n, _, _ in first}
    assert {"qt-SP_FileDialogNewFolder", "qt-SP_FileDialogListView", "qt-SP_FileDialogDetailedView"} <= names
    assert {s for _, s, _ in first} >= {"Qt Fusion"}
    (kept,) = (tmp_path / "cache" / "deskpilot").glob("qt-pixmaps-*.npz")
    qt_pixmaps._references.cache_clear()
    again = qt_pixmaps.references()  # read back from the file
    assert kept.stat().st_size > 0 and len(again) == len(first)
    assert all(a[0] == b[0] and np.array_equal(a[2], b[2]) for a, b in zip(first, again))
    assert qt_pixmaps.said("qt-SP_FileDialogToParent") == "Parent Directory" and qt_pixmaps.said("go-up") == ""
    assert qt_pixmaps.action("qt-SP_FileDialogNewFolder") == "folder-new"


def test_a_bare_triangle_is_too_plain_to_be_a_reference_and_an_arrow_on_a_disc_is_not():
    import cv2

    face = np.full((20, 20), qt_pixmaps.FACE, np.uint8)
    triangle = cv2.fillPoly(face.copy(), [np.array([[14, 3], [14, 16], [5, 10]])], 0)  # Qt 6's Back
    disc = cv2.circle(face.copy(), (10, 10), 8, 90, -1)
    disc = cv2.arrowedLine(disc, (15, 10), (5, 10), 255, 2, tipLength=0.5)  # Qt 5's
    assert qt_pixmaps.plain(triangle) and not qt_pixmaps.plain(disc)


def test_a_child_that_cannot_render_leaves_the_system_librarys_pictures_only_and_nothing_kept(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))
    got = qt_pixmaps.references()
    assert all(not s.startswith("Qt ") for _, s, _ in got)  # none rendered, and no error
    assert not list((tmp_path / "cache").rglob("qt-pixmaps-*"))  # tried again next time


@pytest.mark.skipif(QT5 is None, reason="Debian's Qt 5 widgets library is not installed")
def test_qt5s_disc_arrows_are_read_from_its_library_and_are_references_of_their_glyph():
    found = qt_resources.files(QT5)
    images = qt_pixmaps.IMAGES
    assert {f"{images}/up-16.png", f"{images}/left-32.png", f"{images}/viewlist-16.png"} <= set(found)
    assert all(blob.startswith(qt_resources.PNG) for path, blob in found.items() if path.endswith(".png"))
    drawn = {n for n, s, _ in qt_pixmaps.references() if s.startswith("libQt5")}
    assert {"qt-SP_FileDialogToParent", "qt-SP_ArrowBack", "qt-SP_ArrowForward"} <= drawn


def test_a_file_that_is_no_qt_library_holds_no_resources(tmp_path):
    junk = tmp_path / "libjunk.so"
    junk.write_bytes(b"\x00\x00\x00\x00\x00\x02\x00\x00\x00\x01\x00\x00\x00\x01" * 50 + b"\x89PNG\r\n\x1a\n")
    assert qt_resources.files(junk) == {} and qt_resources.files(tmp_path / "missing.so") == {}


@pytest.mark.display
@needs_pyside
def test_a_qt_file_dialogs_icon_buttons_are_named_by_qts_own_pixmaps(tmp_path):
    from app.testing.desktop import Desktop

    with Desktop(tmp_path, 800, 600) as d:
        d.launch(f"{shlex.quote(sys.executable)} -c {shlex.quote(DIALOG)}")
        screen = ScreenParser(incremental=False).parse(d.screenshot())
    named = {e.name: e for e in screen.by_role("button") if e.source == "widget+shape"}
    # Qt 6's pictures of them are in no icon theme: named by their likeness to Qt's own, as Qt's tooltips say
    assert {"Create New Folder", "List View", "Detail View"} <= set(named)
    row = [named[n].box for n in ("Create New Folder", "List View", "Detail View")]
    assert all(abs(b.y0 - row[0].y0) <= 4 for b in row) and row[0].x1 <= row[1].x0 <= row[2].x0


@pytest.mark.display
@pytest.mark.skipif(QT5 is None or not Path("/usr/bin/featherpad").exists(), reason="FeatherPad (Qt 5) is missing")
def test_a_qt5_file_dialogs_disc_arrows_and_view_buttons_are_named_at_every_scale():
    from tests.scene_shots import scene_shots
    from tests.test_screen_apps import _found

    for shot in scene_shots((1.0, 1.5, 2.0), ("featherpad-save-as",)):  # parsed here, with this test's references
        screen = ScreenParser(incremental=False).parse(shot.image)
        for name in ("Back", "Parent Directory", "Create New Folder", "List View", "Detail View"):
            button = _found(shot.truth, screen, "button", name)
            assert button is not None and button.name == name, (shot.scale, name, button and button.name)
