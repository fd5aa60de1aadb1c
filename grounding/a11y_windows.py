"""The tree checked against the X server: windows the toolkit still calls showing after they were unmapped are
dropped, and windows of other programs stacked above the tree's hide what the tree says lies under them."""

from __future__ import annotations

from grounding.a11y_tree import RawNode, TreeRead
from grounding.x11_windows import XWindow

Box4 = tuple[int, int, int, int]
POPUPS = ("menu", "popup menu", "window", "tool tip")  # what they hold may be drawn in a window of its own


def check_windows(tree: TreeRead, windows: list[XWindow] | None) -> list[Box4]:
    """Hide the tree's windows that no mapped X window of their process shows, and every node that a window stacked
    above its own covers (a dialog over its main window, another program on top); return the boxes of windows the
    tree does not describe that lie above its lowest window (the pixels read those). Nothing changes when X
    cannot be asked."""
    if windows is None:
        return []
    level: dict[int, int] = {}  # top-level node index -> its X window's place in the stacking order
    for i, n in enumerate(tree.nodes):
        if n.parent < 0 and n.box and n.bus in tree.pids:
            # the window whose box is the node's own: a dialog lies wholly inside its main window's box too
            mine = [(k, _overlap(n.box, w.box), _iou(n.box, w.box)) for k, w in enumerate(windows)
                    if w.pid == tree.pids[n.bus]]
            best = max(mine, key=lambda m: m[2], default=(-1, 0, 0.0))
            if best[1] > 0.5 * _area(n.box):
                level[i] = best[0]
            else:
                _hide(tree.nodes, i)
    levels = _node_levels(tree, windows, level)
    for j, n in enumerate(tree.nodes):
        k = levels[j]
        if n.box and k >= 0 and n.parent >= 0 and any(_inside(_centre(n.box), w.box) for w in windows[k + 1:]):
            n.states = n.states - {"showing"}
    known = set(level.values()) | {k for k in levels if k >= 0}
    lowest = min(known, default=len(windows))
    return [w.box for k, w in enumerate(windows) if k > lowest and k not in known]


def clip_to_windows(tree: TreeRead) -> None:
    """Hide what lies mostly outside its own window (a page's buttons below the bottom of the browser window,
    which the page still calls showing); run after the boxes are in X pixels."""
    top: list[int] = []
    for j, n in enumerate(tree.nodes):
        top.append(j if n.parent < 0 else top[n.parent])
        window = tree.nodes[top[j]].box
        if n.parent >= 0 and n.box and window and not n.role.startswith(("menu", "popup", "tool tip")) \
                and _overlap(n.box, window) < 0.5 * _area(n.box):
            n.states = n.states - {"showing"}


def _node_levels(tree: TreeRead, windows: list[XWindow], level: dict[int, int]) -> list[int]:
    """Each node's X window in the stacking order: its top-level's; for what an open menu or popup holds - which
    the toolkit maps as a window of its own above its parent's - the highest window of the same process that
    holds it."""
    out: list[int] = []
    popped = [False] * len(tree.nodes)  # inside a menu or popup
    for j, n in enumerate(tree.nodes):
        if n.parent < 0:
            out.append(level.get(j, -1))
            continue
        k = out[n.parent]
        parent = tree.nodes[n.parent]
        popped[j] = popped[n.parent] or parent.role in POPUPS
        if popped[j] and n.box and n.bus in tree.pids:
            pid, centre = tree.pids[n.bus], _centre(n.box)
            own = [m for m, w in enumerate(windows) if m > k and w.pid == pid and _inside(centre, w.box)]
            k = own[-1] if own else k
        out.append(k)
    return out


def _hide(nodes: list[RawNode], index: int) -> None:
    inside = {index}
    nodes[index].states = nodes[index].states - {"showing"}
    for j in range(index + 1, len(nodes)):
        if nodes[j].parent in inside:
            inside.add(j)
            nodes[j].states = nodes[j].states - {"showing"}


def _overlap(a: Box4, b: Box4) -> int:
    w, h = min(a[2], b[2]) - max(a[0], b[0]), min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0


def _iou(a: Box4, b: Box4) -> float:
    inter = _overlap(a, b)
    return inter / (_area(a) + _area(b) - inter)


def _area(box: Box4) -> int:
    return max(1, (box[2] - box[0]) * (box[3] - box[1]))


def _centre(box: Box4) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(p: tuple[float, float], box: Box4) -> bool:
    return box[0] <= p[0] < box[2] and box[1] <= p[1] < box[3]
