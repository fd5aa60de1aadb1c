"""Linked buttons: a frame holding a button and, at its ends, narrower parts with a picture each (GTK's path bar:
a scroll arrow on either side of the folder buttons). Each end part is a button of its own; one whose picture is
far fainter than the other end's is disabled."""

from __future__ import annotations

import numpy as np

from grounding.elements import Box, Element
from grounding.proposals import Proposal
from grounding.toolbar import contrast

FAINT = 0.6  # an end's picture under this fraction of the other end's contrast is greyed out


def end_buttons(image: np.ndarray, outlines: list[Proposal], controls: list[Element],
                words: list[Element]) -> list[Element]:
    """Buttons for the picture-holding ends of each frame that holds one captioned button as tall as itself."""
    out: list[Element] = []
    for p in outlines:
        frame = p.box
        if not p.drawn:
            continue
        held = [c for c in controls if c.role == "button" and c.name and frame.contains(c.box, slack=3)
                and c.box.height >= 0.85 * frame.height and c.box.width < 0.9 * frame.width]
        if len(held) != 1:
            continue
        button = held[0].box
        ends = [Box(frame.x0, frame.y0, button.x0, frame.y1), Box(button.x1, frame.y0, frame.x1, frame.y1)]
        ends = [e for e in ends if 0.4 * frame.height <= e.width <= 1.5 * frame.height]
        inks = {id(e): contrast(image, _inset(e)) for e in ends}
        strongest = max(inks.values(), default=0.0)  # an end read already as a button counts here too
        ends = [e for e in ends if inks[id(e)] >= 40  # a picture in it, not a bare stretch of the frame
                and not any(o.box.intersection(e) > 0.3 * e.area for o in controls + out)
                and not any(w.box.intersection(e) > 0.3 * w.box.area for w in words)]
        for e in ends:
            faint = inks[id(e)] < FAINT * strongest
            out.append(Element(e, "button", states=frozenset({"disabled"}) if faint else frozenset(),
                               source="widget", confidence=0.5))
    return out


def _inset(box: Box) -> Box:
    pad = max(2.0, 0.2 * min(box.width, box.height))
    return Box(box.x0 + pad, box.y0 + pad, box.x1 - pad, box.y1 - pad)
