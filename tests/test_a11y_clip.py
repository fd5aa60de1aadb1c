"""Reading a tree clips what a container scrolls out of sight (grounding/a11y_tree.py), over a fake AT-SPI bus."""

from grounding.a11y_roles import ROLE_NAMES, STATE_NAMES
from grounding.a11y_tree import read_tree
from grounding.atspi_wire import Failed

SHOWING = [1 << STATE_NAMES.index("showing") | 1 << STATE_NAMES.index("sensitive"), 0]


class TreeWire:
    """Answers read_tree's calls from a dict: path -> (role, name, (x, y, w, h), children)."""

    def __init__(self, toolkit: str, nodes: dict[str, tuple[str, str, tuple[int, int, int, int], list[str]]]):
        self.toolkit, self.nodes = toolkit, nodes

    def applications(self):
        return [(":1.1", "/root")]

    def many(self, calls, timeout=2.0):
        return [self._answer(c) for c in calls]

    def _answer(self, c):
        if c.method == "Get":
            name = c.args[1]
            if name == "ToolkitName":
                return self.toolkit
            if name == "Name":
                return self.nodes[c.path][1] if c.path in self.nodes else "app"
            return Failed("no such property")
        if c.method == "GetConnectionUnixProcessID":
            return 42
        if c.method == "GetChildren":
            kids = ["/window"] if c.path == "/root" else self.nodes[c.path][3]
            return [(":1.1", k) for k in kids]
        node = self.nodes.get(c.path)
        if node is None:
            return Failed("unknown object")
        if c.method == "GetRole":
            return ROLE_NAMES.index(node[0])
        if c.method == "GetState":
            return SHOWING
        if c.method == "GetExtents":
            return node[2]
        return Failed("unknown method")


def _scrolled_page(toolkit: str) -> dict:
    # a dialog whose scroll area's viewport (a plain widget: a filler) shows 300 of its page's 600 pixels
    return {"/window": ("dialog", "Preferences", (0, 0, 400, 400), ["/viewport"]),
            "/viewport": ("filler", "", (0, 0, 400, 300), ["/page"]),
            "/page": ("panel", "", (0, 0, 400, 600), ["/seen", "/hidden"]),
            "/seen": ("check box", "Shown", (10, 100, 200, 120), []),
            "/hidden": ("check box", "Scrolled away", (10, 330, 200, 350), [])}


def test_a_qt_viewport_hides_the_rows_its_page_scrolls_out_of_it():
    names = [n.name for n in read_tree(TreeWire("Qt", _scrolled_page("Qt"))).nodes]
    assert "Shown" in names and "Scrolled away" not in names


def test_a_gtk_filler_clips_nothing():
    # GTK hangs a notebook's page below its tab, outside the tab's box: its containers are not assumed to clip
    names = [n.name for n in read_tree(TreeWire("gtk", _scrolled_page("gtk"))).nodes]
    assert "Shown" in names and "Scrolled away" in names
