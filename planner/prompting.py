"""Prompt templates (planner/prompts/*.j2) and the pieces every role's message is built from."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
from jinja2 import Environment, StrictUndefined, Template

from grounding.elements import Screen
from grounding.legend import neutralise
from grounding.legend import render as legend

TEXT_LINES = 80  # text lines shown to a model; controls are always all shown


@cache
def _env() -> Environment:
    return Environment(undefined=StrictUndefined, keep_trailing_newline=False, autoescape=False)


@cache
def _template(name: str) -> Template:
    return _env().from_string(resources.files("planner").joinpath("prompts", f"{name}.j2").read_text(encoding="utf-8"))


def render(name: str, **values: object) -> str:
    """Fill the template ``name`` (manager, worker, reflector, programmer)."""
    return _template(name).render(**values)


_ENCODED: list[tuple[np.ndarray, int, bytes]] = []  # the last few screenshots encoded, held so ids stay unique


def png(image: np.ndarray, max_width: int = 1280) -> bytes:
    """A screenshot for the model: JPEG at quality 90 (a fifth of PNG's encoding time on a busy screen, and text
    stays legible), scaled down to ``max_width`` (the model names targets; it never sends pixels back).

    A screenshot goes to the worker (as the screen now, then as the screen before) and to the reflector; it is
    encoded once.
    """
    for held, width, data in _ENCODED:
        if held is image and width == max_width:
            return data
    data = _encode(image, max_width)
    _ENCODED.append((image, max_width, data))
    del _ENCODED[:-4]
    return data


def sent_size(image: np.ndarray, max_width: int = 1280) -> tuple[int, int]:
    """Width and height of the screenshot ``png`` sends: the pixels a model's point is given in."""
    height, width = image.shape[:2]
    return (width, height) if width <= max_width else (max_width, round(height * max_width / width))


def _encode(image: np.ndarray, max_width: int) -> bytes:
    import cv2

    size = sent_size(image, max_width)
    if size[0] != image.shape[1]:
        image = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise ValueError("the screenshot could not be encoded")
    return data.tobytes()


def screen_block(screen: Screen | None, limit: int = TEXT_LINES) -> str:
    """What the screen shows (grounding/legend.py: every control, then at most ``limit`` text lines), fenced as
    data: the model is told never to take instructions from inside it."""
    body = legend(screen, limit_lines=limit) if screen is not None else "(nothing readable)"
    return f"<screen>\n{neutralise(body)}\n</screen>"  # on-screen text cannot close the fence


def task_block(task: str) -> str:
    return f"<task>{task}</task>"
