"""A model's coordinates read and checked: two numbers on the image it saw, converted to desktop pixels."""

from __future__ import annotations

from typing import Any

from grounding.coords import Frame, ModelImage, model_to_logical
from planner.actions import ActionError


def pair(value: Any, name: str = "coordinate") -> tuple[float, float]:
    """[x, y] (or "x, y", or {"x": .., "y": ..}) as two numbers; ActionError naming the field otherwise."""
    if isinstance(value, dict) and {"x", "y"} <= set(value):
        value = [value["x"], value["y"]]
    if isinstance(value, str):
        value = [v for v in value.replace("(", " ").replace(")", " ").replace(",", " ").split() if v]
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ActionError(f"{name}: expected [x, y], got {value!r}")
    try:
        x, y = float(value[0]), float(value[1])
    except (TypeError, ValueError):
        raise ActionError(f"{name}: expected two numbers, got {value!r}") from None
    return x, y


def desktop(value: Any, view: ModelImage, frame: Frame, name: str = "coordinate") -> tuple[int, int]:
    """The desktop pixel a model's point names; OffImage (a ValueError) when it is off the image it saw."""
    x, y = pair(value, name)
    p = model_to_logical(x, y, view, frame)
    return round(p.x), round(p.y)
