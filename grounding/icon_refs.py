"""Reference pictures of the standard actions' icons, drawn from several icon themes, for naming icons by shape.

An application that draws its own icons (FeatherPad's compiled-in pictures, Qt's built-in file dialog icons) draws
the same few actions every toolbar has: a page with a plus for New, a floppy for Save, a curved arrow for Undo.
Each theme installed here that is one of REFERENCE_THEMES gives its pictures of the freedesktop names in
ACTIONS (PNG at the sizes a toolbar draws, or its SVG rendered at them); grounding/icon_match.py compares a
drawn icon with all of them. The pictures are read once and kept in the user's cache (~/.cache/deskpilot) until
a theme is updated.
"""

from __future__ import annotations

import hashlib
import io
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from grounding import disk_cache

ROOTS = (Path("/usr/share/icons"),)
# Debian's freedesktop themes of four artists' styles (installers/linux.sh installs them): line art (breeze),
# flat symbolic (Adwaita), shaded colour (oxygen, Tango)
REFERENCE_THEMES = ("breeze", "Adwaita", "oxygen", "Tango")
SIZES = (16, 22, 24, 32)  # drawn sizes (Qt toolbars 24, KDE and GTK 16-22, x2 32): small ones are hinted to pixels
# the standard action icons (freedesktop Icon Naming Specification) and what a person calls each: the labels
# GTK's stock items gave them (gtkstock.c: go-previous "Back", go-up "Up", view-refresh "Refresh"). Left out:
# pictures too plain to say one thing (a bar is Remove, Minimize or Zoom Out; a square is Stop or a colour
# swatch; two bars are Pause or columns; a triangle is Play or a tree's expander)
ACTIONS = {
    "document-new": "New", "document-open": "Open", "document-save": "Save", "document-save-as": "Save As",
    "document-print": "Print", "document-properties": "Properties", "edit-undo": "Undo", "edit-redo": "Redo",
    "edit-cut": "Cut", "edit-copy": "Copy", "edit-paste": "Paste", "edit-delete": "Delete", "edit-find": "Find",
    "edit-find-replace": "Find and Replace", "edit-clear": "Clear", "edit-select-all": "Select All",
    "go-previous": "Back", "go-next": "Forward", "go-up": "Up", "go-down": "Down", "go-home": "Home",
    "go-first": "First", "go-last": "Last", "go-jump": "Jump to", "view-refresh": "Refresh",
    "folder-new": "New Folder", "view-list-details": "Details", "view-list-icons": "Icons", "list-add": "Add",
    "window-close": "Close", "zoom-in": "Zoom In", "zoom-out": "Zoom Out",
    "format-text-bold": "Bold", "format-text-italic": "Italic", "format-text-underline": "Underline",
    "format-justify-left": "Align Left", "format-justify-center": "Center", "format-justify-right": "Align Right",
    "process-stop": "Stop", "application-exit": "Quit", "help-about": "About", "bookmark-new": "Bookmark",
    "mail-send": "Send", "view-fullscreen": "Full Screen", "document-revert": "Revert",
}
# other pictures of the same action, or of the same thing, under another name: not a rival to it (a drawing
# tool's arrow is the very arrow Back, Forward, Up and Down draw)
SYNONYMS = frozenset({"system-search", "document-save-all", "edit-find-next", "edit-find-previous",
                      "draw-arrow-back", "draw-arrow-forward", "draw-arrow-up", "draw-arrow-down"})
# pictures of another name that a toolbar button draws for a standard action: a plain folder opens a file (FeatherPad
# and Qt's open buttons draw breeze's places/folder; the themes' own document-open is a folder with more on it); a
# drawing tool's arrows are the very arrows go-* draw, and oxygen's are solid, as Qt's file dialog draws its Back
# and Forward (the go-* pictures are outlined arrows or chevrons)
DRAWN_AS = {"folder": "document-open", "draw-arrow-back": "go-previous", "draw-arrow-forward": "go-next",
            "draw-arrow-up": "go-up", "draw-arrow-down": "go-down"}
DECOY_SIZE = 22  # the theme's other action pictures, at one size: rivals that leave a look-alike unnamed
FACE = 239  # the grey a toolbar's face is: pictures are laid on it as they are drawn


def references(roots: tuple[Path, ...] = ROOTS,
               themes: tuple[str, ...] = REFERENCE_THEMES) -> list[tuple[str, str, np.ndarray]]:
    """(icon name, theme, grey picture on a toolbar face) for every standard action's picture the themes have,
    and for the themes' other action pictures (decoys: names not in ACTIONS), which name nothing but keep a
    picture that looks more like one of them unnamed (a filled square is a swatch or Stop, not New)."""
    return list(_references(roots, themes))


@lru_cache(maxsize=4)
def _references(roots: tuple[Path, ...], themes: tuple[str, ...]) -> tuple[tuple[str, str, np.ndarray], ...]:
    key = library_key(roots, themes)
    if not key:
        return ()
    cache = disk_cache.cache_dir() / f"icon-refs-{key}.npz"
    if (kept := disk_cache.load(cache, ("names", "themes", "dims", "pixels"))) is not None:
        pictures = disk_cache.unpack(kept["dims"], kept["pixels"])
        return tuple((str(n), str(t), p) for n, t, p in zip(kept["names"], kept["themes"], pictures))
    got = [(name, folder.name, drawn) for folder in _themes(roots, themes)
           for name, path, size in theme_files(folder, drawn_as=True) if (drawn := picture(path, size)) is not None]
    dims, pixels = disk_cache.pack([p for _, _, p in got], np.uint8)
    disk_cache.save(cache, {"names": np.array([n for n, _, _ in got]), "themes": np.array([t for _, t, _ in got]),
                            "dims": dims, "pixels": pixels}, "icon-refs-")
    return tuple(got)


def library_key(roots: tuple[Path, ...] = ROOTS, themes: tuple[str, ...] = REFERENCE_THEMES) -> str:
    """A digest of the themes' folders (their change times) and of what is read from them: "" when none is
    installed. A cache made from other folders, or before a theme was updated, has another key."""
    folders = _themes(roots, themes)
    if not folders:
        return ""
    # a package's update rewrites its index.theme and the icon cache its trigger rebuilds, and changes the folders
    state = [(str(p), p.stat().st_mtime_ns) for f in folders for p in [f, *sorted(f.iterdir())]]
    state += [sorted(ACTIONS), SIZES, DECOY_SIZE, sorted(SYNONYMS), sorted(DRAWN_AS.items())]
    return hashlib.sha1(repr(state).encode()).hexdigest()[:16]


def _themes(roots: tuple[Path, ...], themes: tuple[str, ...]) -> list[Path]:
    return [root / t for root in roots for t in themes if (root / t).is_dir()]


def theme_files(theme: Path, drawn_as: bool = False) -> list[tuple[str, Path, int]]:
    """(icon name, file, size to draw it at) for the theme's pictures of ACTIONS at SIZES (PNGs in their size's
    folder, SVGs in theirs, "actions/22", a scalable or symbolic SVG at every size) and of its decoys; with
    ``drawn_as``, its pictures of DRAWN_AS too, under the action's name."""
    index: dict[str, list[tuple[Path, int | None]]] = {}
    aliases: dict[str, list[tuple[Path, int | None]]] = {}  # DRAWN_AS pictures, apart: they crowd out no own one
    for base, _, files in os.walk(theme):
        rel = Path(base).relative_to(theme)
        size = _size_of(rel)
        for f in files:
            stem = f.split(".")[0].removesuffix("-symbolic")
            if not f.endswith((".png", ".svg", ".svgz")):
                continue
            if drawn_as and stem in DRAWN_AS:
                aliases.setdefault(DRAWN_AS[stem], []).append((Path(base) / f, size))
            elif stem in ACTIONS or "actions" in rel.parts and decoy(stem, Path(base) / f):
                index.setdefault(stem, []).append((Path(base) / f, size))
    out = []
    for name, found in sorted(index.items()) + sorted(aliases.items()):
        for size in SIZES if name in ACTIONS else (DECOY_SIZE,):
            sized = [p for p, s in found if s == size] or [p for p, s in found if s is None and p.suffix != ".png"]
            out += [(name, p, size) for p in sorted(sized)[:2]]  # a colour and a symbolic picture at most
    return out


def decoy(stem: str, path: Path) -> bool:
    """Another action's own picture: not a link to one, not a variant of a standard one ("go-previous-view"),
    not an old alias ("gtk-undo") nor a right-to-left mirror (edit-undo-rtl is Redo's arrow)."""
    parts = stem.split("-")
    return (len(parts) > 1 and not path.is_symlink() and stem not in SYNONYMS and "rtl" not in parts
            and "ltr" not in parts and parts[0] not in ("gtk", "stock") and not stem.startswith("stock_")
            and not any(stem.startswith(a + "-") for a in ACTIONS))


def _size_of(rel: Path) -> int | None:
    """The pixel size a theme folder holds ("16x16/actions", "actions/22"), None for scalable ones."""
    for part in rel.parts:
        head = part.split("x")[0]
        if head.isdigit():
            return int(head)
    return None


def picture(path: Path, size: int) -> np.ndarray | None:
    """The file drawn ``size`` pixels tall, laid on the toolbar face, in grey."""
    from PIL import Image

    try:
        if path.suffix == ".png":
            im = Image.open(path).convert("RGBA")
            if im.height != size:
                im = im.resize((round(im.width * size / im.height), size), Image.LANCZOS)
        else:
            im = Image.open(io.BytesIO(_svg(path, size))).convert("RGBA")
    except (OSError, ValueError, ImportError):
        return None  # a broken file, or no SVG renderer: that picture is not a reference
    face = Image.new("RGBA", im.size, (FACE, FACE, FACE, 255))
    return np.asarray(Image.alpha_composite(face, im).convert("L"))


def _svg(path: Path, size: int) -> bytes:
    import cairosvg

    data = path.read_bytes()
    if path.suffix == ".svgz":
        import gzip

        data = gzip.decompress(data)
    # symbolic SVGs colour their strokes from a style sheet GTK fills in; unstyled they draw black, as wanted
    return cairosvg.svg2png(bytestring=data, output_width=size, output_height=size)
