"""Reference pictures of Qt's own standard pixmaps, for naming by likeness the icons Qt widgets draw from them.

A Qt widget application draws some of its buttons' pictures from Qt's built-in resources when no icon theme gives
them (QStyle.StandardPixmap: the file dialog's Parent Directory, Create New Folder, List View, Detail View, ...).
Those pictures are in no icon theme, but DeskPilot ships PySide6, whose Qt holds the same resources: each pixmap
of PIXMAPS is rendered at the sizes a toolbar draws, in each of Qt's own styles, laid on a toolbar face as the
themes' references are (grounding/icon_refs.py), and named as Qt's widgets word it (QFileDialog's tooltips).
The rendering runs once in a child process (a QApplication has no place in a parser's process) and is kept in
the user's cache under PySide6's version; without PySide6, or when the child fails, there are no Qt references.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import subprocess
import sys
import tempfile
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import cv2
import numpy as np

from grounding import disk_cache, qt_resources

# QStyle.StandardPixmap -> (what Qt's widgets call it: QFileDialog's tooltips, QStyle's documentation; the
# freedesktop action it draws, so that a theme's picture of that action is no rival to it). Left out: pictures
# shown beside their own caption (the dialog buttons' OK, Cancel, ...), pictures of things (drives, files) and of
# states (the message boxes' warning, information)
PIXMAPS = {
    "SP_FileDialogToParent": ("Parent Directory", "go-up"),
    "SP_FileDialogNewFolder": ("Create New Folder", "folder-new"),
    "SP_FileDialogListView": ("List View", "view-list-icons"),
    "SP_FileDialogDetailedView": ("Detail View", "view-list-details"),
    "SP_ArrowBack": ("Back", "go-previous"),
    "SP_ArrowForward": ("Forward", "go-next"),
    "SP_BrowserReload": ("Reload", "view-refresh"),
    "SP_BrowserStop": ("Stop", "process-stop"),
    "SP_LineEditClearButton": ("Clear", "edit-clear"),
}
# the pictures of PIXMAPS in a Qt library's resources, by file ("up-16.png", ...): Qt 5's file dialog draws its
# Parent Directory, Back and Forward as arrows on discs (up, left, right), which Qt 6 redrew as bare triangles
FILES = {"up": "SP_FileDialogToParent", "left": "SP_ArrowBack",
         "right": "SP_ArrowForward", "newdirectory": "SP_FileDialogNewFolder", "viewlist": "SP_FileDialogListView",
         "viewdetailed": "SP_FileDialogDetailedView", "refresh": "SP_BrowserReload", "stop": "SP_BrowserStop",
         "cleartext": "SP_LineEditClearButton"}
IMAGES = "/qt-project.org/styles/commonstyle/images"  # where a Qt library keeps them
LIBRARIES = ("/usr/lib/*/libQt5Widgets.so.5", "/usr/lib/*/libQt6Widgets.so.6", "/usr/lib64/libQt5Widgets.so.5",
             "/usr/lib64/libQt6Widgets.so.6")
STYLES = ("Fusion", "Windows")  # the styles every Qt build has (a desktop's own style draws these pixmaps too)
SIZES = (16, 22, 24, 32)  # as the themes' references: a toolbar's 16-24 px, and 16 at scale 2
FACE = 239  # the toolbar face the pictures are laid on, as the themes' are
MARGIN = 2  # px of face around a picture, as a button's padding leaves
PREFIX = "qt-"  # a Qt reference's icon name: "qt-SP_FileDialogToParent"
INK = 40  # a pixel this far from the face's grey is the picture's
PLAIN = 0.9  # ink filling this much of its convex hull is one plain blob (a triangle, a square), no action
RENDER_TIMEOUT = 60  # seconds the child may take (about one on an idle machine)
VERSION = 1  # of what is rendered and how: raise it when that changes, and the cached pictures are made again


def said(name: str) -> str:
    """What Qt's widgets call the pixmap of a Qt reference's icon name, or "" for any other name."""
    return PIXMAPS.get(name.removeprefix(PREFIX), ("", ""))[0] if name.startswith(PREFIX) else ""


def action(name: str) -> str:
    """The freedesktop action a Qt reference draws ("qt-SP_ArrowBack" -> "go-previous"); any other name is its own."""
    return PIXMAPS.get(name.removeprefix(PREFIX), ("", name))[1] if name.startswith(PREFIX) else name


def key() -> str:
    """A digest of PySide6's version, of the system's Qt libraries (their change times) and of what is read from
    them: "" when there is neither (no Qt references)."""
    libraries = [(str(p), p.stat().st_mtime_ns) for p in system_libraries()]
    version = _pyside_version()
    if not version and not libraries:
        return ""
    state = [version, libraries, sorted(PIXMAPS), sorted(FILES.items()), STYLES, SIZES, FACE, MARGIN, INK, PLAIN,
             VERSION]
    return hashlib.sha1(repr(state).encode()).hexdigest()[:16]


def _pyside_version() -> str:
    for dist in ("PySide6-Essentials", "PySide6"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return ""


def system_libraries() -> list[Path]:
    """The system's Qt widget libraries, which the desktop's Qt applications link (Debian's Qt 5 and Qt 6)."""
    return sorted({p.resolve() for pattern in LIBRARIES for p in Path("/").glob(pattern.lstrip("/"))})


def references() -> list[tuple[str, str, np.ndarray]]:
    """(icon name, its source, grey picture on a toolbar face) of each Qt pixmap that is more than a plain blob,
    one picture for each look (a pixmap two styles or two Qt versions draw alike is one reference)."""
    return list(_references())


@lru_cache(maxsize=1)
def _references() -> tuple[tuple[str, str, np.ndarray], ...]:
    k = key()
    if not k:
        return ()
    cache = disk_cache.cache_dir() / f"qt-pixmaps-{k}.npz"
    if (kept := disk_cache.load(cache, ("names", "sources", "dims", "pixels"))) is None:
        rendered = _rendered() if _pyside_version() else []
        kept = _kept([*(rendered or []), *_from_libraries()])
        if rendered is not None:  # a child that failed (a busy machine's timeout) is tried again next time
            disk_cache.save(cache, kept, "qt-pixmaps-")
    pictures = disk_cache.unpack(kept["dims"], kept["pixels"])
    return tuple((str(n), str(s), p) for n, s, p in zip(kept["names"], kept["sources"], pictures))


def _kept(drawn: list[tuple[str, str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The RGBA pictures laid on the face, in grey, packed for the cache: each look once, no plain blob."""
    names, sources, grey, seen = [], [], [], set()
    for name, source, rgba in drawn:
        picture = on_face(rgba)
        look = picture.tobytes() + repr(picture.shape).encode()
        if look in seen or plain(picture):
            continue
        seen.add(look)
        names.append(PREFIX + name)
        sources.append(source)
        grey.append(picture)
    dims, pixels = disk_cache.pack(grey, np.uint8)
    return {"names": np.array(names, dtype=str), "sources": np.array(sources, dtype=str), "dims": dims,
            "pixels": pixels}


def _from_libraries() -> list[tuple[str, str, np.ndarray]]:
    """(pixmap, library, RGBA picture) of FILES in each system Qt library, at each of SIZES (drawn from the
    smallest file at least that big, as QIcon does)."""
    out = []
    for library in system_libraries():
        found = qt_resources.files(library)
        for stem, pixmap in FILES.items():
            files = sorted((int(m.group(1)), blob) for path, blob in found.items()
                           if (m := re.fullmatch(f"{IMAGES}/{re.escape(stem)}-(\\d+)\\.png", path)))
            for size in SIZES if files else ():
                _, blob = next(((n, b) for n, b in files if n >= size), files[-1])
                if (rgba := _decoded(blob, size)) is not None:
                    out.append((pixmap, library.name, rgba))
    return out


def _decoded(blob: bytes, size: int) -> np.ndarray | None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(blob)) as im:
            rgba = im.convert("RGBA")
    except (OSError, ValueError):
        return None
    if rgba.height != size:
        rgba = rgba.resize((round(rgba.width * size / rgba.height), size), Image.LANCZOS)
    return np.asarray(rgba)


def _rendered() -> list[tuple[str, str, np.ndarray]] | None:
    """(pixmap, style, RGBA picture) rendered by PySide6 in a child process; None when it failed."""
    with tempfile.TemporaryDirectory(prefix="deskpilot-qt-") as tmp:
        out = Path(tmp) / "pixmaps.npz"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
               "PYTHONPATH": os.pathsep.join(p for p in (str(Path(__file__).parent.parent),
                                                          os.environ.get("PYTHONPATH", "")) if p)}
        try:
            subprocess.run([sys.executable, "-m", "grounding.qt_pixmaps", str(out)], env=env, timeout=RENDER_TIMEOUT,
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except (OSError, subprocess.SubprocessError):
            return None
        raw = disk_cache.load(out, ("names", "styles", "dims", "pixels"))
    if raw is None:
        return None
    pictures = _rgba(raw["dims"], raw["pixels"])
    return [(str(n), f"Qt {s}", rgba) for n, s, rgba in zip(raw["names"], raw["styles"], pictures)]


def _rgba(dims: np.ndarray, flat: np.ndarray) -> list[np.ndarray]:
    """The child's RGBA pictures (packed as height x width*4)."""
    return [p.reshape(p.shape[0], -1, 4) for p in disk_cache.unpack(dims, flat)]


def on_face(rgba: np.ndarray) -> np.ndarray:
    """An RGBA picture (not premultiplied) laid on the toolbar face with a margin of it, in grey: Qt's file
    dialog pictures fill their square to the edge, and a picture's ink is measured from the face around it."""
    alpha = rgba[:, :, 3:4].astype(np.float32) / 255
    rgb = rgba[:, :, :3].astype(np.float32) * alpha + FACE * (1 - alpha)
    grey = cv2.cvtColor(np.clip(np.rint(rgb), 0, 255).astype(np.uint8), cv2.COLOR_RGB2GRAY)
    return np.pad(grey, MARGIN, constant_values=FACE)


def plain(grey: np.ndarray) -> bool:
    """Whether a picture's ink is one plain blob, too plain to say one action (Qt 6 draws its Back and Forward
    as bare triangles, a scroll arrow's, an expander's or Play's; a square is Stop or a swatch)."""
    ink = (np.abs(grey.astype(np.int16) - FACE) > INK).astype(np.uint8)
    contours, _ = cv2.findContours(ink, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    if not contours:
        return True
    hull = cv2.contourArea(cv2.convexHull(np.concatenate(contours)))
    return hull > 0 and int(ink.sum()) >= PLAIN * hull


def _render(out: str) -> None:
    """In the child: every pixmap of PIXMAPS in every style at every size, as RGBA arrays, written to ``out``."""
    from PySide6.QtGui import QImage
    from PySide6.QtWidgets import QApplication, QStyle, QStyleFactory

    app = QApplication([])  # noqa: F841 (a style draws pixmaps only with an application)
    names, styles, pictures = [], [], []
    for style_name in STYLES:
        style = QStyleFactory.create(style_name)
        if style is None:
            continue
        for pixmap in PIXMAPS:
            icon = style.standardIcon(getattr(QStyle.StandardPixmap, pixmap))
            for size in SIZES:
                image = icon.pixmap(size, size).toImage().convertToFormat(QImage.Format.Format_RGBA8888)
                if image.isNull():
                    continue
                rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
                names.append(pixmap)
                styles.append(style_name)
                pictures.append(rows[:, :image.width() * 4].copy())
    dims, pixels = disk_cache.pack(pictures, np.uint8)
    np.savez(out, names=np.array(names, dtype=str), styles=np.array(styles, dtype=str), dims=dims, pixels=pixels)


if __name__ == "__main__":
    _render(sys.argv[1])
