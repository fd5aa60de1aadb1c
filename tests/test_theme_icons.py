"""Icon-only buttons named by the installed icon theme they were drawn from (grounding/theme_icons.py)."""

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image

from grounding.elements import Box, Element, Screen
from grounding.theme_icons import named_by_theme, spoken

ADWAITA = Path("/usr/share/icons/Adwaita")


@pytest.mark.parametrize(("icon", "said"), [
    ("document-save-symbolic", "Save"), ("edit-undo", "Undo"), ("folder-new-symbolic", "New Folder"),
    ("go-previous-symbolic", "Previous"), ("open-menu-symbolic", "Open Menu"), ("pan-start-symbolic", "Left"),
    ("edit-find-replace", "Find Replace"), ("window-maximize-symbolic", "Maximize"), ("list-add", "Add"),
])
def test_freedesktop_names_are_said_as_their_action(icon, said):
    assert spoken(icon) == said


def _button_with(picture: np.ndarray, size: int = 36) -> tuple[np.ndarray, Box]:
    """A pale framed button on a light window, ``picture`` (an alpha mask) drawn dark in its middle."""
    image = np.full((80, 160, 3), 246, np.uint8)
    x0, y0 = 60, 20
    cv2.rectangle(image, (x0, y0), (x0 + size - 1, y0 + size - 1), (190, 190, 190), 1)
    h, w = picture.shape
    top, left = y0 + (size - h) // 2, x0 + (size - w) // 2
    face = image[top:top + h, left:left + w].astype(np.float32)
    alpha = (picture.astype(np.float32) / 255)[:, :, None]
    image[top:top + h, left:left + w] = (face * (1 - alpha) + np.array([46, 52, 54]) * alpha).astype(np.uint8)
    return image, Box(x0, y0, x0 + size, y0 + size)


def _parsed(image: np.ndarray, box: Box) -> Screen:
    button = Element(box, "button", source="widget")
    return named_by_theme(Screen(image.shape[1], image.shape[0], (button,), (), image))


@pytest.mark.skipif(not ADWAITA.is_dir(), reason="the Adwaita icon theme is not installed")
@pytest.mark.parametrize("size", [16, 32])
def test_a_button_drawing_a_theme_icon_is_named_by_it(size, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    png = ADWAITA / f"{size}x{size}" / "actions" / "folder-new-symbolic.symbolic.png"
    picture = np.asarray(Image.open(png).convert("RGBA"))[:, :, 3]
    image, box = _button_with(picture, size=2 * size + 4)
    (button,) = _parsed(image, box).controls()
    assert (button.name, button.source) == ("New Folder", "widget+icon")


@pytest.mark.skipif(not ADWAITA.is_dir(), reason="the Adwaita icon theme is not installed")
def test_a_picture_in_no_theme_stays_unnamed(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    picture = np.zeros((18, 18), np.uint8)
    cv2.putText(picture, "Qz", (0, 15), cv2.FONT_HERSHEY_SIMPLEX, 0.55, 255, 2)  # an app's own drawing
    image, box = _button_with(picture)
    (button,) = _parsed(image, box).controls()
    assert button.name == "" and button.source == "widget"
