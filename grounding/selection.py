"""What lies inside a control and is no control of its own.

Selected text in a field: the highlight band over the words a field holds selected (a file name offered for
replacing in a Save dialog) is a filled, coloured bar of its own to the outline finder, with words centred on
it, so it passes for a button. It starts where the field's text starts, just inside the field's left edge, and
is no taller than the field: it is the field's value, not a control.

An icon beside a button's caption (a floppy disk before "Save", a red cross before "Cancel") is a small box or
ring to the outline finder, and the words after it pass for its label: it is the button's picture.
"""

from __future__ import annotations

from grounding.elements import Element
from grounding.proposals import Proposal

ENTRY_FACE = 242  # a field's face is white or nearly so (as in grounding/widgets.py)
BAND_FACE = 200  # a highlight band is coloured or dark: well below a field's face
BUTTON_FACE = 250  # a button's face is grey or tinted, if only a little; a field's is white


def selection_in_field(p: Proposal, outlines: list[Proposal], text_height: float) -> bool:
    """Whether ``p`` is a highlight band set at the left end of a white field's outline, or the rest of that
    field's face after the band (traced as an outline of its own from the band's right edge)."""
    if p.shape != "bar":
        return False
    if p.fill >= ENTRY_FACE:
        return any(abs(p.box.x0 - b.box.x1) <= 2 and b.box.y0 >= p.box.y0 - 2 and b.box.y1 <= p.box.y1 + 2
                   and _band_in(b, outlines, text_height) for b in outlines if b is not p)
    return _band_in(p, outlines, text_height)


def _band_in(p: Proposal, outlines: list[Proposal], text_height: float) -> bool:
    if p.shape != "bar" or p.fill >= BAND_FACE:
        return False
    lead = max(8.0, 0.8 * text_height)
    return any(q.shape == "bar" and q.fill >= ENTRY_FACE and q.box.contains(p.box, slack=1)
               and 0 <= p.box.x0 - q.box.x0 <= lead and p.box.height < q.box.height
               and p.box.width < 0.9 * q.box.width for q in outlines if q is not p)



def icon_of_a_button(p: Proposal, held: list[Element], small: set[int], words: list[Element],
                     text_height: float) -> bool:
    """Whether the one small toggle inside the bar ``p`` is the picture of a button: ``p`` is a drawn bar with a
    button's face (not a white field or band), a line or so tall, and words stand inside it after the toggle."""
    if len(held) != 1 or id(held[0]) not in small or held[0].role not in ("checkbox", "radio"):
        return False
    icon = held[0].box
    caption = [w for w in words if p.box.contains_point(*w.box.center) and w.box.x0 >= icon.x1 - 2
               and icon.y0 - text_height <= w.box.center[1] <= icon.y1 + text_height]
    return (p.shape == "bar" and p.drawn and p.fill < BUTTON_FACE and p.box.height <= 3 * text_height
            and bool(caption) and icon.x0 - p.box.x0 < 0.5 * p.box.width)
