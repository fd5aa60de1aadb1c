"""Icon-only buttons named by the icon theme they were drawn from.

A GTK application draws its icons from the icon themes installed on the machine (/usr/share/icons: Adwaita,
hicolor, ...), at the size the theme ships them, recoloured. The shape of an unnamed button's picture is compared
with the theme's pictures of the same size; when one matches it closely and no picture of another name comes near,
the button is named from the icon's freedesktop name ("folder-new-symbolic" -> "New Folder", "edit-find" ->
"Find"). An application's own pictures (FeatherPad's, compiled into it; Qt's built-in file dialog icons) are in
no theme: those are named by their shape's likeness to the standard actions' pictures of several themes and to
Qt's own pixmaps (grounding/icon_match.py: FeatherPad's curved arrow is Undo, Qt's four squares List View), or
stay unnamed when none is surely like them.
"""

from __future__ import annotations

import hashlib
import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from grounding import disk_cache
from grounding.elements import Element, Screen
from grounding.icon_match import shape_name

ROOTS = (Path("/usr/share/icons"), Path.home() / ".local/share/icons")
SIZES = (16, 22, 24, 32, 48)  # the pixel sizes a toolbar or button draws, at scale 1 and 2
SKIPPED = frozenset({"apps", "mimetypes", "categories", "emotes"})  # pictures of things, not of actions
ALPHA = 100  # a theme picture's pixels at least this opaque are its shape
CONTRAST = 60  # a drawn pixel this far from the face's grey is the picture's
MATCH = 0.85  # the shapes' overlap (IoU) that names a button
MARGIN = 0.12  # a picture of another name must stay this much further off
# a button's frame and padding, as shares of its side: its usual inset; then, where the picture lies wholly
# inside the crop, a deeper one inside the frame a checked tool button draws around its picture (Qt's pressed
# Detail View) and none for a flat button whose box hugs a picture framed to its edge (Qt's List View): the ink
# is measured from the face around the picture, not from its frame
INSETS = (0.12, 0.2, 0.0)
ROLES = ("button", "image", "text", "heading")  # a picture OCR read as a stray glyph ("三") is a text line
SOURCE = "widget+icon"  # a shape named by the theme icon it shows
LIKENESS = "widget+shape"  # a shape named by the standard action's pictures it looks like
# the freedesktop naming spec's context words: "edit-undo" is said "Undo"
CONTEXTS = frozenset({"document", "edit", "view", "go", "list", "format", "media", "object", "mail", "window",
                      "zoom", "system", "tools", "insert", "process", "pan", "action", "actions", "application",
                      "dialog", "help"})
VERBS = frozenset({"new", "add", "remove", "delete", "open", "save", "edit", "find", "close"})  # "folder-new"


def named_by_theme(screen: Screen, roots: tuple[Path, ...] = ROOTS) -> Screen:
    """``screen`` with its unnamed icon buttons and pictures (or named by a stray glyph only) named by the theme
    icon each was drawn from."""
    if screen.image is None:
        return screen
    targets = [e for e in screen.elements if e.role in ROLES and _unnamed(e.name)]
    if not targets:
        return screen
    gray = cv2.cvtColor(screen.image, cv2.COLOR_RGB2GRAY).astype(np.int16)
    names = {id(e): named for e in targets if (named := _name_of(gray, e, roots))}
    if not names:
        return screen
    return screen.with_elements([_named(e, *names[id(e)]) if id(e) in names else e for e in screen.elements])


def _name_of(gray: np.ndarray, e: Element, roots: tuple[Path, ...]) -> tuple[str, str] | None:
    """(name, source) for the picture in ``e``: the theme icon it is drawn from, else the action it looks like
    (a button only: a stray glyph OCR read is more often a letter than an icon)."""
    if _library(roots) and (icon := icon_name(drawn_shape(gray, e), roots)):
        return spoken(icon), SOURCE
    if e.role != "button":
        return None
    for depth, crop in enumerate(_inside(gray, e, inset) for inset in INSETS):
        if (depth == 0 or _padded(crop)) and (said := shape_name(crop)):
            return said, LIKENESS
    return None


def _padded(crop: np.ndarray) -> bool:
    """Whether the crop's edge is all face (one grey): the picture lies inside it, none of it cut off."""
    if min(crop.shape) < 3:
        return False
    ring = np.concatenate([crop[0], crop[-1], crop[1:-1, 0], crop[1:-1, -1]])
    return bool(np.all(np.abs(ring - np.median(ring)) <= CONTRAST))


def _named(e: Element, name: str, source: str) -> Element:
    role = e.role if e.role in ("button", "image") else "image"  # the glyph OCR read was the picture
    return e.with_(role=role, name=name, source=source, line=-1 if role != e.role else e.line)


def _unnamed(name: str) -> bool:
    """No name, or only the stray glyph OCR read over a picture ("↩", "田"): no letter or digit in it."""
    t = name.strip()
    return len(t) <= 2 and not any(c.isalnum() and c.isascii() for c in t)


def drawn_shape(gray: np.ndarray, e: Element) -> np.ndarray | None:
    """The picture's shape inside a control's box (its frame and padding cut off), tight to its ink."""
    crop = _inside(gray, e)
    if crop.size == 0:
        return None
    return _tight(np.abs(crop - np.median(crop)) > CONTRAST)


def _inside(gray: np.ndarray, e: Element, depth: float = INSETS[0]) -> np.ndarray:
    """The grey pixels inside a control's box, its frame and padding (``depth`` of its side) cut off."""
    x0, y0, x1, y1 = (int(round(v)) for v in e.box.to_list())
    inset = max(2, round(depth * min(x1 - x0, y1 - y0))) if e.role == "button" and depth else 0
    return gray[max(0, y0 + inset):y1 - inset, max(0, x0 + inset):x1 - inset]


def icon_name(shape: np.ndarray | None, roots: tuple[Path, ...] = ROOTS) -> str:
    """The theme icon ``shape`` is, or "" when none matches it surely."""
    if shape is None or min(shape.shape) < 6:
        return ""
    h, w = shape.shape
    scores: dict[str, float] = {}
    for dh in (-1, 0, 1):
        for dw in (-1, 0, 1):
            for name, mask in _library(roots).get((h + dh, w + dw), ()):
                m = cv2.resize(mask.astype(np.uint8), (w, h), interpolation=cv2.INTER_NEAREST).astype(bool)
                iou = float((m & shape).sum()) / max(1, int((m | shape).sum()))
                scores[name] = max(scores.get(name, 0.0), iou)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])
    if not ranked or ranked[0][1] < MATCH:
        return ""
    best, score = ranked[0]
    rival = next((s for n, s in ranked[1:] if spoken(n) != spoken(best)), 0.0)
    return best if score - rival >= MARGIN else ""


def spoken(icon: str) -> str:
    """What a person calls the action of a freedesktop icon name: "document-save-symbolic" -> "Save"."""
    parts = [p for p in icon.removesuffix(".symbolic").removesuffix("-symbolic").split("-") if p != "ltr"]
    if len(parts) == 2 and parts[0] == "pan":  # GNOME's arrows: "pan-start" points left on a left-to-right screen
        parts = [{"start": "left", "end": "right"}.get(parts[1], parts[1])]
    elif len(parts) > 1 and parts[0] in CONTEXTS:
        parts = parts[1:]
    elif len(parts) == 2 and parts[1] in VERBS:
        parts = [parts[1], parts[0]]
    return " ".join(p.capitalize() for p in parts)


@lru_cache(maxsize=4)
def _library(roots: tuple[Path, ...]) -> dict[tuple[int, int], list[tuple[str, np.ndarray]]]:
    """Every theme picture of the sizes drawn, by its shape's tight height and width (read once, then kept in
    the user's cache until a theme folder changes: reading them all takes a second)."""
    folders = _folders(roots)
    key = hashlib.sha1(repr([(str(f), f.stat().st_mtime_ns) for f in folders]).encode()).hexdigest()[:16]
    cache = disk_cache.cache_dir() / f"theme-icons-{key}.npz"
    if (kept := disk_cache.load(cache, ("names", "dims", "bits"))) is not None:
        shapes = list(zip((str(n) for n in kept["names"]), disk_cache.unpack(kept["dims"], kept["bits"])))
    else:
        shapes = [(path.name.removesuffix(".png"), shape) for path in _pictures(folders)
                  if "rtl" not in path.name.split(".")[0].split("-") and (shape := _shape_of(path)) is not None]
        # a right-to-left picture mirrors another action's (redo-rtl is undo's): a left-to-right screen has none
        dims, bits = disk_cache.pack([s for _, s in shapes], bool)
        disk_cache.save(cache, {"names": np.array([n for n, _ in shapes]), "dims": dims, "bits": bits},
                        "theme-icons-")
    out: dict[tuple[int, int], list[tuple[str, np.ndarray]]] = defaultdict(list)
    for name, shape in shapes:
        out[shape.shape].append((name, shape))
    return dict(out)


def _shape_of(path: Path) -> np.ndarray | None:
    from PIL import Image

    try:
        with Image.open(path) as im:
            return _tight(np.asarray(im.convert("RGBA"))[:, :, 3] >= ALPHA)
    except (OSError, ValueError):
        return None  # a broken or unreadable file in a theme: not a picture to match


def _folders(roots: tuple[Path, ...]) -> list[Path]:
    """The themes' folders of pictures at the sizes drawn (16x16/actions, ...), apart from pictures of things."""
    found = []
    for root in roots:
        if root.is_dir():
            for theme in sorted(root.iterdir()):
                for size in SIZES:
                    folder = theme / f"{size}x{size}"
                    if folder.is_dir():
                        found += [d for d in sorted(folder.iterdir()) if d.is_dir() and d.name not in SKIPPED]
    return found


def _pictures(folders: list[Path]) -> list[Path]:
    return [Path(base) / f for folder in folders for base, _, files in os.walk(folder) for f in sorted(files)
            if f.endswith(".png")]


def _tight(mask: np.ndarray) -> np.ndarray | None:
    ys, xs = np.nonzero(mask)
    if len(ys) == 0:
        return None
    return mask[ys.min():ys.max() + 1, xs.min():xs.max() + 1]
