"""Doing what a direct command's intents say, on the screen in front: ground the targets, then act.

`plan(item, situation)` turns one intent (planner/language/intents.py) or one follow-up (a dropdown that opened,
a slider still to move, something still to find) into a Plan: actions now, follow-ups after the next look.
"""

from __future__ import annotations

from planner.doing import adjusting, choosing, entering, looking, pointing
from planner.doing.base import Memory, Plan, Situation, Step, narrow
from planner.language import intents as it

DOERS = {
    it.Click: pointing.click, it.Hover: pointing.hover, it.Focus: pointing.focus, it.SetToggle: pointing.toggle,
    it.Expand: pointing.expand, it.Close: pointing.close, it.Drag: pointing.drag, it.Submit: pointing.submit,
    it.Press: pointing.press, it.TypeInto: entering.type_into, it.Clear: entering.clear,
    it.Search: entering.search, it.Copy: entering.copy, it.Paste: entering.paste, it.Choose: choosing.choose,
    it.SetValue: adjusting.set_value, it.Scroll: looking.scroll, it.ScrollToEdge: looking.scroll_to_edge,
    it.Wait: looking.wait, it.WaitFor: looking.wait_for, it.Find: looking.find,
    choosing.PickOpened: choosing.pick_opened, choosing.CheckChosen: choosing.check_chosen,
    choosing.NotInMenu: choosing.not_in_menu,
    adjusting.Adjust: adjusting.adjust, adjusting.PickDate: adjusting.pick_date, looking.Looking: looking.look,
    entering.CheckTyped: entering.check_typed,
}

__all__ = ["Memory", "Plan", "Situation", "Step", "narrow", "plan"]


def plan(item: object, situation: Situation) -> Plan:
    """What to do now for ``item``; NotFound when what it points at is not on the screen."""
    return DOERS[type(item)](item, situation)
