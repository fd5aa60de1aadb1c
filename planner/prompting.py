"""Prompt templates (planner/prompts/*.j2) and the pieces every role's message is built from."""

from __future__ import annotations

from functools import cache
from importlib import resources

import numpy as np
from jinja2 import Environment, StrictUndefined, Template

from grounding.elements import Screen
from planner.context import clip

LEGEND_LIMIT = 80


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

    Each screenshot goes to the worker twice and the reflector twice; it is encoded once.
    """
    for held, width, data in _ENCODED:
        if held is image and width == max_width:
            return data
    data = _encode(image, max_width)
    _ENCODED.append((image, max_width, data))
    del _ENCODED[:-4]
    return data


def _encode(image: np.ndarray, max_width: int) -> bytes:
    import cv2

    height, width = image.shape[:2]
    if width > max_width:
        image = cv2.resize(image, (max_width, round(height * max_width / width)), interpolation=cv2.INTER_AREA)
    ok, data = cv2.imencode(".jpg", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 90])
    if not ok:
        raise ValueError("the screenshot could not be encoded")
    return data.tobytes()


def screen_block(screen: Screen | None, legend: str = "", limit: int = LEGEND_LIMIT) -> str:
    """What the screen shows, fenced as data: the model is told never to take instructions from inside it."""
    if legend:
        lines = legend.splitlines()[:limit]
    elif screen is not None:
        lines = [_line(e.role, e.text or e.label, e.state) for e in screen.elements[:limit]]
    else:
        lines = []
    body = "\n".join(clip(line, 160) for line in lines) or "(nothing readable)"
    body = body.replace("</screen>", "</ screen>")  # on-screen text cannot close the fence
    return f"<screen>\n{body}\n</screen>"


def _line(role: str, text: str, state: str) -> str:
    return f"{role.replace('_', ' ')}{' ' + repr(text) if text else ''}{f' ({state})' if state else ''}"


def task_block(task: str) -> str:
    return f"<task>{task}</task>"
