"""`bench screen` parses each capture with the live-tree modes first: the page goes on changing after the capture
(a clock ticks), so the tree must be read as close to the capture as it can be."""

import numpy as np

from app.bench.screen import Mode, Stage, parse_all
from app.bench.screen_truth import Truth
from grounding.coords import Frame
from grounding.elements import Screen


def test_modes_that_read_the_live_tree_parse_before_the_pixels():
    order = []

    class Recorder:
        def __init__(self, name):
            self.name = name

        def parse(self, image):
            order.append(self.name)
            return Screen(width=image.shape[1], height=image.shape[0])

    pixels = Mode("pixels", lambda stage: Recorder("pixels"))
    tree = Mode("accessibility", lambda stage: Recorder("accessibility"), needs_bus=True)
    stage = Stage(":0", Frame(0, 0, 40, 30))
    samples = list(parse_all(stage, [pixels, tree], np.zeros((30, 40, 3), np.uint8), Truth((), ()), "pages",
                             "blank", 1.0))
    assert order == ["accessibility", "pixels"]
    assert sorted(s.mode for s in samples) == ["accessibility", "pixels"]
