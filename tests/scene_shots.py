"""The desktop applications' scenes (app/bench/screen_atspi.py) shot once per test session: each scene at each
scale starts a real application on its own Xvfb and accessibility bus (seconds apiece), and several tests in
several modules read the same shot. A shot is a still picture and its tree; its pixels are made read-only, so a
test that wrote into one would fail rather than change what the next test sees."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from app.bench.screen_atspi import SCENES, Shot, shots


def shot(name: str, scale: float, width: int = 1280, height: int = 800) -> Shot:
    """The scene ``name`` at ``scale`` on a ``width`` x ``height`` screen (before scaling), shot once per session."""
    return _shot(name, float(scale), width, height)


def scene_shots(scales: tuple[float, ...], names: tuple[str, ...], width: int = 1280,
                height: int = 800) -> list[Shot]:
    """Every scene named at every scale, in the order ``shots`` gives them (scene by scene, then scale)."""
    return [shot(name, scale, width, height) for name in names for scale in scales]


@cache
def _shot(name: str, scale: float, width: int, height: int) -> Shot:
    (scene,) = [s for s in SCENES if s.name == name]
    (taken,) = shots((scale,), (scene,), width, height)
    image = taken.image.copy()
    image.flags.writeable = False
    return replace(taken, image=image)
