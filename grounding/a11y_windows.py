"""The tree checked against the X server: windows the toolkit still calls showing after they were unmapped are
dropped, and windows of other programs stacked above the tree's hide what the tree says lies under them."""

from __future__ import annotations

from grounding.a11y_tree import RawNode, TreeRead
from grounding.x11_windows import XWindow

Box4 = tuple[int, int, int, int]


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
            mine = [(k, _overlap(n.box, w.box)) for k, w in enumerate(windows) if w.pid == tree.pids[n.bus]]
            best = max(mine, key=lambda m: m[1], default=(-1, 0))
            if best[1] > 0.5 * _area(n.box):
                level[i] = best[0]
            else:
                _hide(tree.nodes, i)
    top = _top_levels(tree.nodes)
    for j, n in enumerate(tree.nodes):
        k = level.get(top[j], -1)
        if n.box and k >= 0 and n.parent >= 0 and any(_inside(_centre(n.box), w.box) for w in windows[k + 1:]):
            n.states = n.states - {"showing"}
    known = set(level.values())
    lowest = min(known, default=len(windows))
    return [w.box for k, w in enumerate(windows) if k > lowest and k not in known]


def _top_levels(nodes: list[RawNode]) -> list[int]:
    out: list[int] = []
    for j, n in enumerate(nodes):
        out.append(j if n.parent < 0 else out[n.parent])
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


def _area(box: Box4) -> int:
    return max(1, (box[2] - box[0]) * (box[3] - box[1]))


def _centre(box: Box4) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def _inside(p: tuple[float, float], box: Box4) -> bool:
    return box[0] <= p[0] < box[2] and box[1] <= p[1] < box[3]
