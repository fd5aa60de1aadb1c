"""Each recorded step's effect, read off the screenshots around it: the one taken before the step, and the one
taken before the next step (for the last step, the one taken when the recording stopped)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import replace
from pathlib import Path

from grounding.elements import Screen
from planner.demos import DemoStep
from planner.effects import effect_of
from planner.targets import load_png


class Screens:
    """Parsed screenshots of one demo folder by file name, parsed once; the pixels are read back from the file
    when an effect needs them (keeping every frame's pixels in memory would grow with the recording)."""

    def __init__(self, folder: Path, parse: Callable[..., Screen]) -> None:
        self.folder = Path(folder)
        self.parse = parse
        self._parsed: dict[str, Screen] = {}

    def keep(self, shot: str, screen: Screen) -> None:
        """Remember a screen already parsed while the step was grounded (without its pixels)."""
        if shot:
            self._parsed[shot] = replace(screen, image=None)

    def get(self, shot: str) -> Screen | None:
        """The parsed screenshot with its pixels (None when the file is missing)."""
        path = self.folder / shot
        if not shot or not path.exists():
            return None
        image = load_png(path)
        if shot not in self._parsed:
            self._parsed[shot] = replace(self.parse(image), image=None)
        return replace(self._parsed[shot], image=image)


def with_effects(steps: list[DemoStep], screens: Screens, final_shot: str,
                 secrets: Collection[str] = ()) -> list[DemoStep]:
    """The steps, each with the effect seen between its screenshot and the next one (None where nothing was
    seen, or where both are the same frame: nothing visibly changed)."""
    out = []
    for i, step in enumerate(steps):
        after_shot = steps[i + 1].screenshot if i + 1 < len(steps) else final_shot
        effect = None
        if step.screenshot and after_shot and after_shot != step.screenshot and not step.secret:
            before, after = screens.get(step.screenshot), screens.get(after_shot)
            if before is not None and after is not None:
                effect = effect_of(step.kind, step.target, step.into, step.text, before, after, secrets)
        out.append(replace(step, effect=effect))
    return out
