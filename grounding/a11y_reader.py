"""The accessibility tree of what is on screen now, as one snapshot: the screen model's records, the windows the
tree covers, the holes in them it cannot describe (canvases, images, embedded views), the title and the cost.

``AccessibilityReader`` keeps one connection to the AT-SPI bus for its life; ``bus_answers`` says whether a
desktop has a bus with a registry that replies (what "auto" grounding asks before it chooses the tree).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from grounding.a11y_lines import split_lines
from grounding.a11y_nodes import icon_sized, to_records
from grounding.a11y_scale import app_scales, rescale
from grounding.a11y_tree import WORLD, RawNode, TreeRead, read_tree
from grounding.a11y_windows import check_windows, clip_to_windows
from grounding.atspi_wire import BusError, Wire, bus_address
from grounding.x11_windows import client_windows

Box4 = tuple[int, int, int, int]
HOLES = ("canvas", "drawing area", "image", "icon", "embedded", "terminal", "unknown", "animation", "chart",
         "video", "image map", "document frame")
ICON_HOLDERS = ("list item", "table row", "table cell", "tree item", "push button", "toggle button", "menu item",
                "page tab", "check box", "radio button", "link")
MENUS = ("menu", "popup menu")  # an open menu lies outside its window: the tree covers it too


@dataclass(frozen=True, kw_only=True)
class TreeSnapshot:
    """One read of the tree, in logical screen pixels."""

    records: tuple[dict[str, Any], ...] = ()
    windows: tuple[Box4, ...] = ()  # what the tree covers: its windows and open menus
    holes: tuple[Box4, ...] = ()  # parts of those the tree cannot describe: pixels read them
    pictures: tuple[Box4, ...] = ()  # the holes that are images: their words count, shapes in them are no controls
    title: str = ""
    apps: tuple[str, ...] = ()
    nodes: int = 0
    calls: int = 0
    ms: float = 0.0


@dataclass
class AccessibilityReader:
    """Reads the focused application's tree from one AT-SPI bus (found from ``session`` or ``display`` when no
    ``address`` is given)."""

    address: str = ""
    session: str = ""
    display: str = ""
    _wire: Wire | None = field(default=None, repr=False)

    def read(self, screen: Box4 = WORLD) -> TreeSnapshot:
        """What the tree shows inside ``screen`` now; raises BusError when no bus answers."""
        t0 = time.perf_counter()
        if self._wire is None:
            self._wire = Wire(self.address or bus_address(self.session, self.display))
        try:
            tree = read_tree(self._wire, screen)
            split_lines(self._wire, tree)
            xwindows = client_windows(self.display) if self.display else None
            rescale(tree, app_scales(tree, xwindows or []))
            clip_to_windows(tree)
            above = check_windows(tree, xwindows)
        except (OSError, TimeoutError, BusError):
            self.close()  # a broken connection is not reused; the next read connects again
            raise
        return snapshot(tree, (time.perf_counter() - t0) * 1000, above)

    def close(self) -> None:
        if self._wire is not None:
            self._wire.close()
            self._wire = None



def wait_for_windows(reader: AccessibilityReader, timeout: float, screen: Box4 = WORLD) -> bool:
    """Until the tree describes a window inside ``screen`` (a page fills its tree in after it draws, a program
    after it maps), at most ``timeout`` seconds; whether one showed. A bus that does not answer yet is asked again."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if reader.read(screen).windows:
                return True
        except (OSError, TimeoutError, BusError):
            pass
        time.sleep(0.2)
    return False


def snapshot(tree: TreeRead, ms: float, above: list[Box4] | None = None) -> TreeSnapshot:
    """The snapshot of one tree read; ``above``: other programs' windows on top of the tree's (holes for pixels)."""
    # every top-level child of an application is a window, whatever its role (a bare Qt widget is a "filler"); a
    # window whose tree says nothing yet (a page still loading its accessibility tree) is left to the pixels
    said = _windows_with_words(tree.nodes)
    windows = [n for i, n in enumerate(tree.nodes) if n.box and "showing" in n.states
               and (n.parent < 0 and i in said or n.role in MENUS)]
    title = next((n.name for n in windows if "active" in n.states and n.name), "")
    title = title or next((n.name for n in windows if n.parent < 0 and n.name), "")
    return TreeSnapshot(records=tuple(to_records(tree.nodes)), windows=tuple(n.box for n in windows if n.box),
                        holes=tuple(_holes(tree.nodes) + list(above or [])),
                        pictures=tuple(_holes(tree.nodes, ("image", "icon"))), title=title, apps=tuple(tree.apps),
                        nodes=len(tree.nodes), calls=tree.calls, ms=ms)


def _windows_with_words(nodes: list[RawNode]) -> set[int]:
    """The top-level nodes with something below them that names or holds a word."""
    top: list[int] = []
    out: set[int] = set()
    for j, n in enumerate(nodes):
        top.append(j if n.parent < 0 else top[n.parent])
        if n.parent >= 0 and "showing" in n.states and (n.name or n.text):
            out.add(top[j])
    return out


def _holes(nodes: list[RawNode], roles: tuple[str, ...] = HOLES) -> list[Box4]:
    """Leaves the tree has no words for: drawn content (a canvas, an image, a terminal without text)."""
    parents = {n.parent for n in nodes}
    out = []
    for i, n in enumerate(nodes):
        if n.box is None or "showing" not in n.states or i in parents:
            continue
        if n.clickable and icon_sized(n.box):
            continue  # a clickable icon is a nameless button of the tree's own
        if icon_sized(n.box) and _in_row(nodes, i):
            continue  # a row's or a button's own icon (a folder beside its name): the control names it already
        if n.role in roles and not (n.role in ("image", "icon") and n.name) and not (n.role == "terminal" and n.text):
            out.append(n.box)
    return out


def _in_row(nodes: list[RawNode], index: int) -> bool:
    """Whether a node lies inside a row or a button that has words of its own or in a label inside it (GTK boxes
    a row's icon and label in panels); a nameless icon button's icon is still left to the pixels."""
    j = nodes[index].parent
    while j >= 0 and nodes[j].role not in ICON_HOLDERS:
        j = nodes[j].parent
    return j >= 0 and (bool(nodes[j].name) or any(m.name and m.role in ("label", "static") and _under(nodes, k, j)
                                                  for k, m in enumerate(nodes)))


def _under(nodes: list[RawNode], index: int, ancestor: int) -> bool:
    j = nodes[index].parent
    while j > ancestor:
        j = nodes[j].parent
    return j == ancestor


def bus_answers(session: str = "", display: str = "", direct: str = "") -> str:
    """The AT-SPI bus address when a bus and its registry answer (see ``bus_address``), else ""."""
    try:
        wire = Wire(bus_address(session, display, direct))
    except BusError:
        return ""
    try:
        wire.applications()
        return wire.address
    except (BusError, OSError, TimeoutError):
        return ""
    finally:
        wire.close()
