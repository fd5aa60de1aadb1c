"""A question the screen asks that a command left open: "Cancel order 1002?" with Yes and No under it.

A click that opens a confirmation has done what was asked (its effect shows), but the act it stands for is not
done until the question is answered, and an agent should not answer it on its own. A person recognises one by a
new line of text that ends in a question mark and new buttons beside it that answer it; the run's summary says
it is open and what it offers, so that "done" does not read as "cancelled".
"""

from __future__ import annotations

from grounding.elements import Element, Screen, reading_order
from planner.dimming import undimmed

REACH = 8  # the answers lie within this many of the question's line heights of it
MOST = 4  # a question offers at most this many answers (Yes / No / Cancel, Save / Don't Save / Cancel)


def open_question(before: Screen, after: Screen) -> str:
    """The question ``after`` asks that ``before`` did not, with its answers ('"Cancel order 1002?" (Yes, No)');
    "" when there is none. What a dialog's overlay dims behind it is neither question nor answer."""
    before, after = undimmed(before, after)
    seen = {(e.role, e.name.strip()) for e in before.elements}
    new_buttons = [e for e in after.controls() if e.role == "button" and e.name.strip()
                   and ("button", e.name.strip()) not in seen]
    for line in after.lines():
        asked = line.name.strip()
        if not asked.endswith("?") or (line.role, asked) in seen:
            continue
        answers = [b for b in new_buttons if _near(b, line)]
        if 0 < len(answers) <= MOST:
            return f"\"{asked}\" ({', '.join(b.name.strip() for b in reading_order(answers))})"
    return ""


def _near(button: Element, line: Element) -> bool:
    """Within reach of the question: its line heights below or above it, and across as far as the dialog's width
    puts its buttons (at its far edge, beside a short question), measured by the larger of line and button."""
    reach = REACH * line.box.height
    across = REACH * max(line.box.height, button.box.height)
    dx = max(line.box.x0 - button.box.x1, 0.0, button.box.x0 - line.box.x1)
    dy = max(line.box.y0 - button.box.y1, 0.0, button.box.y0 - line.box.y1)
    return dx <= across and dy <= reach
