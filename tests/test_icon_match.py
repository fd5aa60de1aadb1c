"""Icons named by their shape's likeness to the standard actions' pictures of several themes
(grounding/icon_match.py, grounding/icon_refs.py), and left unnamed when nothing is surely like them."""

from pathlib import Path

import cv2
import numpy as np
import pytest

from grounding.elements import Box, Element, Screen
from grounding.icon_match import nearest, shape_name
from grounding.icon_refs import REFERENCE_THEMES, ROOTS, picture, references
from grounding.theme_icons import named_by_theme

BREEZE = Path("/usr/share/icons/breeze/actions/22")
pytestmark = pytest.mark.skipif(not all((ROOTS[0] / t).is_dir() for t in REFERENCE_THEMES),
                                reason="the reference icon themes are not installed (installers/linux.sh)")


@pytest.fixture(scope="module", autouse=True)
def _cache(tmp_path_factory):
    """One fresh cache for the module: the pictures are rendered once, then read back."""
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))
    yield
    mp.undo()


def _restyled(icon: str, size: int, grey: int = 0, face: int = 239, flip: bool = False,
              folder: Path = BREEZE) -> np.ndarray:
    """A theme's picture redrawn as another toolkit would: at another size, in one grey (disabled, or dark on a
    dark face), mirrored if asked; returned as a grey crop with a face margin around it."""
    drawn = picture(folder / f"{icon}.svg", 22).astype(np.float32)
    ink = np.clip((239 - drawn) / 239 * 1.6, 0, 1)  # how much of the theme's ink covers each pixel
    ink = cv2.resize(ink, (size, size), interpolation=cv2.INTER_AREA)
    if flip:
        ink = ink[:, ::-1]
    crop = face + (grey - face) * ink
    return np.pad(crop, 4, constant_values=face).astype(np.uint8)


@pytest.mark.parametrize(("icon", "said"), [("go-up", "Up"), ("edit-undo", "Undo"),
                                            ("edit-redo", "Redo"), ("go-previous", "Back")])
@pytest.mark.parametrize(("size", "grey"), [(20, 40), (30, 40), (22, 170)])
def test_a_standard_action_redrawn_at_another_size_or_greyed_is_named(icon, said, size, grey):
    assert shape_name(_restyled(icon, size, grey)) == said


@pytest.mark.parametrize("icon", ["go-up", "edit-undo", "go-previous"])
def test_a_light_icon_on_a_dark_face_is_named_as_a_dark_one_on_a_light_face(icon):
    assert shape_name(_restyled(icon, 22, grey=230, face=40)) == shape_name(_restyled(icon, 22)) != ""


@pytest.mark.parametrize(("size", "grey"), [(18, 40), (26, 40), (22, 170)])
def test_a_plain_folder_on_a_button_is_open_and_one_with_a_plus_a_new_folder(size, grey):
    # FeatherPad's and Qt's Open draw a plain folder (breeze's places/folder), which no document-open picture is
    assert shape_name(_restyled("folder", size, grey, folder=BREEZE.parent.parent / "places" / "22")) == "Open"
    assert shape_name(_restyled("folder-new", size, grey)) in ("New Folder", "")


def test_a_mirrored_arrow_is_not_named_by_the_arrow_it_mirrors():
    assert shape_name(_restyled("edit-undo", 22, 40, flip=True)) in ("Redo", "")
    assert shape_name(_restyled("go-previous", 22, 40, flip=True)) in ("Forward", "")


def _drawn(draw) -> np.ndarray:
    crop = np.full((26, 26), 239, np.uint8)
    draw(crop)
    return crop


@pytest.mark.parametrize("draw", [
    lambda c: cv2.rectangle(c, (6, 6), (19, 19), 40, -1),  # a colour swatch, or Stop: too plain to say one thing
    lambda c: cv2.rectangle(c, (4, 12), (21, 14), 40, -1),  # a bar: Remove, Minimize, Zoom Out?
    lambda c: cv2.fillPoly(c, [np.array([[8, 5], [8, 21], [20, 13]])], 40),  # Play, or a tree's expander
    lambda c: cv2.putText(c, "Qz", (1, 19), cv2.FONT_HERSHEY_SIMPLEX, 0.6, 40, 2),  # an app's own letters
    lambda c: cv2.circle(c, (13, 13), 8, 40, 2),  # a ring
    lambda c: None,  # an empty face
])
def test_a_picture_like_no_standard_action_stays_unnamed(draw):
    assert shape_name(_drawn(draw)) == ""


@pytest.mark.parametrize("shape", [(14, 0), (0, 0), (2, 30), (30, 1)])
def test_a_crop_too_small_to_hold_a_picture_is_unnamed(shape):
    assert shape_name(np.full(shape, 239, np.uint8)) == ""  # a narrow button once its frame is cut off


def test_noise_is_never_named():
    rng = np.random.default_rng(7)
    named = [shape_name(rng.choice([40, 239], size=(24, 24), p=[0.3, 0.7]).astype(np.uint8)) for _ in range(30)]
    assert named == [""] * 30


def test_the_references_are_read_once_and_kept_in_the_users_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    from grounding.icon_refs import _references

    _references.cache_clear()
    first = references()
    (kept,) = (tmp_path / "deskpilot").glob("icon-refs-*.npz")
    _references.cache_clear()
    again = references()  # read back from the file
    assert len(first) == len(again) > 100 and kept.stat().st_size > 0
    assert {t for _, t, _ in again} == set(REFERENCE_THEMES)
    assert all(a[0] == b[0] and np.array_equal(a[2], b[2]) for a, b in zip(first, again))


def test_a_theme_changed_since_is_read_again_and_its_old_cache_removed(tmp_path, monkeypatch):
    import shutil

    from grounding.icon_refs import library_key

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    actions = tmp_path / "icons" / "Tango" / "22x22" / "actions"
    actions.mkdir(parents=True)
    shutil.copy(ROOTS[0] / "Tango" / "22x22" / "actions" / "edit-undo.png", actions)
    roots, themes = (tmp_path / "icons",), ("Tango",)
    before = library_key(roots, themes)
    assert [n for n, _, _ in references(roots, themes)] == ["edit-undo"]  # a PNG at its own size only
    assert nearest(picture(actions / "edit-undo.png", 22), roots, themes)[0] == "edit-undo"
    shutil.copy(ROOTS[0] / "Tango" / "22x22" / "actions" / "edit-redo.png", actions)
    (tmp_path / "icons" / "Tango" / "index.theme").write_text("[Icon Theme]\nName=Tango\n")  # as an update does
    assert library_key(roots, themes) != before
    from grounding.icon_match import _table
    from grounding.icon_refs import _references

    _references.cache_clear()
    _table.cache_clear()
    assert sorted({n for n, _, _ in references(roots, themes)}) == ["edit-redo", "edit-undo"]
    assert nearest(picture(actions / "edit-redo.png", 22), roots, themes)[0] == "edit-redo"
    kept = sorted(p.name.split("-")[1] for p in (tmp_path / "cache" / "deskpilot").iterdir())
    assert kept == ["descriptors", "refs"]  # one of each: the ones made before the update are gone


def test_the_parser_names_an_unthemed_icon_button_by_its_likeness():
    image = np.full((60, 120, 3), 239, np.uint8)
    crop = _restyled("edit-undo", 20, 40)
    image[14:14 + crop.shape[0], 40:40 + crop.shape[1]] = crop[:, :, None]
    button = Element(Box(36, 10, 72, 46), "button", source="widget")
    screen = named_by_theme(Screen(120, 60, (button,), (), image))
    (named,) = screen.controls()
    assert (named.name, named.source) == ("Undo", "widget+shape")
    name, score, rival = nearest(crop)
    assert name == "edit-undo" and score > rival



def _on_a_disc(glyph: str, size: int = 30) -> np.ndarray:
    """A white glyph cut out of a shaded grey disc, as Qt's file dialog draws its navigation arrows."""
    n = size + 8
    crop = np.full((n, n), 239, np.uint8)
    yy = np.mgrid[:n, :n][0]
    cv2.circle(crop, (n // 2, n // 2), size // 2, 160, -1, lineType=cv2.LINE_AA)
    crop = np.where(crop < 200, crop - (yy - n // 2) // 2, crop).astype(np.uint8)  # lit from above
    c, r = n // 2, size // 3
    if glyph in ("go-previous", "go-up"):  # Adwaita's arrow, drawn white on the disc
        drawn = picture(ROOTS[0] / "Adwaita/scalable/actions" / f"{glyph}-symbolic.svg", 2 * r).astype(np.float32)
        ink = np.clip((239 - drawn) / 239 * 1.6, 0, 1)
        region = crop[c - r:c + r, c - r:c + r].astype(np.float32)
        crop[c - r:c + r, c - r:c + r] = (region + (255 - region) * ink).astype(np.uint8)
    elif glyph == "x":
        cv2.line(crop, (c - r, c - r), (c + r, c + r), 255, 3, cv2.LINE_AA)
        cv2.line(crop, (c - r, c + r), (c + r, c - r), 255, 3, cv2.LINE_AA)
    elif glyph == "tick":
        cv2.polylines(crop, [np.array([(c - r, c), (c - r // 3, c + r // 2), (c + r, c - r // 2)])], False, 255, 3,
                      cv2.LINE_AA)
    elif glyph == "i":
        cv2.circle(crop, (c, c - r), 2, 255, -1)
        cv2.rectangle(crop, (c - 1, c - r // 2), (c + 2, c + r), 255, -1)
    return crop


@pytest.mark.parametrize("size", [18, 30, 44])
@pytest.mark.parametrize(("glyph", "said"), [("go-previous", "Back"), ("go-up", "Up")])
def test_an_arrow_cut_out_of_a_disc_is_named_by_the_arrow(glyph, said, size):
    assert shape_name(_on_a_disc(glyph, size)) == said


def _solid_arrow_on_a_disc(size: int, left: bool) -> np.ndarray:
    """A solid white arrow (a head as tall as the glyph, a shaft a third of it) cut out of a shaded disc: Qt's
    file dialog's Back and Forward, which no theme's go-previous draws (outlined arrows, chevrons)."""
    crop = _on_a_disc("", size)
    n = crop.shape[0]
    c, r = n / 2, size / 3
    pts = np.array([(c - r, c), (c, c - r), (c, c - r / 3), (c + r, c - r / 3), (c + r, c + r / 3), (c, c + r / 3),
                    (c, c + r)])
    if not left:
        pts[:, 0] = n - pts[:, 0]
    cv2.fillPoly(crop, [np.round(pts * 16).astype(np.int32)], 255, cv2.LINE_AA, shift=4)
    return crop


@pytest.mark.parametrize("size", [18, 24])
@pytest.mark.parametrize(("left", "said"), [(True, "Back"), (False, "Forward")])
def test_a_solid_arrow_on_a_disc_is_named_by_the_drawing_tools_arrows(size, left, said):
    assert shape_name(_solid_arrow_on_a_disc(size, left)) == said


@pytest.mark.parametrize("glyph", ["x", "tick", "i", ""])
def test_anything_else_on_a_disc_names_no_action(glyph):
    assert shape_name(_on_a_disc(glyph)) == ""  # a disc with an x or a tick is a status (error, done), not Close


@pytest.mark.parametrize(("icon", "said"), [("edit-paste", "Paste"), ("go-next", "Forward"),
                                            ("view-fullscreen", "Full Screen")])
@pytest.mark.parametrize(("size", "grey"), [(30, 40), (22, 170)])
def test_a_name_the_coarse_grid_leaves_contested_is_settled_on_the_finer_one(icon, said, size, grey, monkeypatch):
    crop = _restyled(icon, size, grey)
    assert shape_name(crop) == said
    monkeypatch.setattr("grounding.icon_match.SETTLERS", {})  # never settled: the coarse grid alone
    assert shape_name(crop) == ""  # a rival within the margins there (Paste's clipboard lines are Align Left's)


@pytest.mark.parametrize(("icon", "said"), [("edit-find", "Find"), ("edit-find-replace", "Find and Replace")])
@pytest.mark.parametrize(("size", "grey"), [(18, 40), (22, 170)])
def test_a_lens_and_a_lens_with_something_in_it_are_told_apart_by_where_the_ink_lies(icon, said, size, grey,
                                                                                      monkeypatch):
    crop = _restyled(icon, size, grey)
    assert shape_name(crop) == said
    monkeypatch.setattr("grounding.icon_match.SETTLERS", {"edges": 0.12})  # their edges alone run alike
    assert shape_name(crop) == ""
