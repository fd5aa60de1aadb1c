"""The tree checked against the X server: windows the toolkit still calls showing after they were unmapped are
dropped, and windows of other programs stacked above the tree's hide what the tree says lies under them."""

from __future__ import annotations

from grounding.a11y_tree import RawNode, TreeRead
from grounding.x11_windows import XWindow

Box4 = tuple[int, int, int, int]


def check_windows(tree: TreeRead, windows: list[XWindow] | None) -> list[Box4]:
    """Hide the tree's windows that no mapped X window of their process shows; return the boxes of other programs'
    windows stacked above the tree's (the pixels read those). Nothing changes when X cannot be asked."""
    if windows is None:
        return []
    pids = set(tree.pids.values())
    for i, n in enumerate(tree.nodes):
        if n.parent < 0 and n.box and n.bus in tree.pids:
            mine = [w.box for w in windows if w.pid == tree.pids[n.bus]]
            if not any(_overlap(n.box, b) > 0.5 * _area(n.box) for b in mine):
                _hide(tree.nodes, i)
    lowest = min((k for k, w in enumerate(windows) if w.pid in pids), default=len(windows))
    above = [w.box for w in windows[lowest + 1:] if w.pid not in pids]
    for n in tree.nodes:
        if n.box and n.parent >= 0 and any(_inside(_centre(n.box), b) for b in above):
            n.states = n.states - {"showing"}
    return above


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
