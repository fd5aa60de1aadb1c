"""What to draw over a screenshot for one action: the target box, the point, a drag's end and the text to type.

Actions hold logical screen coordinates and grounding boxes hold image pixels; ``action_marks`` puts both in the
image's pixel space so the live view, the run viewer and the HTML export draw the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grounding.coords import Frame, Point, Space, logical_to_image
from planner.trajectory import StepRecord, frame_of


@dataclass(frozen=True)
class Marks:
    """Shapes in image pixels; any of them may be absent."""

    box: tuple[float, float, float, float] | None = None
    point: tuple[float, float] | None = None
    drag_to: tuple[float, float] | None = None
    text: str = ""
    label: str = ""


def _to_image(x: float, y: float, frame: Frame | None) -> tuple[float, float]:
    if frame is None:
        return float(x), float(y)
    p = logical_to_image(Point(float(x), float(y), Space.LOGICAL), frame)
    return p.x, p.y


def action_marks(action: dict[str, Any], grounding: dict[str, Any] | None = None, frame: Frame | None = None) -> Marks:
    """The marks for an action as JSON (``planner.actions.to_json``), its grounding (a box in image pixels) and the
    capture frame its logical points are converted through."""
    kind = action.get("kind", "")
    box = None
    if isinstance(grounding, dict) and isinstance(grounding.get("box"), (list, tuple)) and len(grounding["box"]) == 4:
        box = tuple(float(v) for v in grounding["box"])
    point = _to_image(action["x"], action["y"], frame) if "x" in action and "y" in action else None
    drag_to = _to_image(action["to_x"], action["to_y"], frame) if "to_x" in action else None
    text = ""
    if kind == "type":
        text = str(action.get("text", ""))
    elif kind == "key":
        text = "+".join(action.get("keys", []))
    elif kind == "run_code":
        text = str(action.get("code", ""))
    label = str(action.get("target", "")) or kind.replace("_", " ")
    return Marks(box, point, drag_to, text, label)


def short(text: str, limit: int = 60) -> str:
    """``text`` cut to ``limit`` characters with an ellipsis."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def step_marks(step: StepRecord, image_size: tuple[int, int] | None = None) -> Marks:
    """A recorded step's marks on its own screenshot, through the frame it was captured in."""
    return action_marks(step.action, step.grounding, frame_of(step, image_size))
