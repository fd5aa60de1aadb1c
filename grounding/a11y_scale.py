"""Boxes from toolkits that scale themselves, put back into X screen pixels.

Under GDK_SCALE=2 or QT_SCALE_FACTOR=2 on X11, GTK and Qt report extents in their own logical pixels (half the
X pixels); Chromium with a device scale factor reports its window in logical pixels but its web content in X
pixels. The application's X window (matched by process id) shows the real size, and so the factor.
"""

from __future__ import annotations

from grounding.a11y_tree import RawNode, TreeRead
from grounding.x11_windows import XWindow

FACTORS = (1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0)
WINDOW_ROLES = ("frame", "dialog", "window", "alert", "file chooser")


def app_scales(tree: TreeRead, windows: list[XWindow]) -> dict[str, float]:
    """Per application bus name, X pixels per reported pixel (only factors other than 1)."""
    out = {}
    for bus, pid in tree.pids.items():
        frames = [n for n in tree.nodes if n.bus == bus and n.parent < 0 and n.box]
        mine = [w for w in windows if w.pid == pid]
        factor = _factor(frames, mine)
        if factor != 1.0:
            out[bus] = factor
    return out


def _factor(frames: list[RawNode], windows: list[XWindow]) -> float:
    for f in sorted(frames, key=lambda n: -_area(n.box)):  # type: ignore[arg-type]
        fw, fh = f.box[2] - f.box[0], f.box[3] - f.box[1]  # type: ignore[index]
        for w in windows:
            rx, ry = (w.box[2] - w.box[0]) / fw, (w.box[3] - w.box[1]) / fh
            near = min(FACTORS, key=lambda s: abs(s - rx))
            if abs(rx - ry) < 0.04 and abs(near - rx) < 0.04:
                return near
    return 1.0


def rescale(tree: TreeRead, scales: dict[str, float]) -> None:
    """Multiply the boxes of every scaled application's nodes (only its windows' for Chromium)."""
    for n in tree.nodes:
        s = scales.get(n.bus, 1.0)
        if s == 1.0 or (tree.toolkits.get(n.bus, "").lower() == "chromium" and n.role not in WINDOW_ROLES):
            continue
        n.box = _times(n.box, s) if n.box else None
        n.clip = _times(n.clip, s)
        if n.lines:
            n.lines = [(text, _times(box, s)) for text, box in n.lines]


def _times(box: tuple[int, int, int, int], s: float) -> tuple[int, int, int, int]:
    return round(box[0] * s), round(box[1] * s), round(box[2] * s), round(box[3] * s)


def _area(box: tuple[int, int, int, int]) -> int:
    return (box[2] - box[0]) * (box[3] - box[1])
