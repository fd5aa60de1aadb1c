"""A small form application for replay tests without a display: its fields, a Save button and a result line are
laid out at any position and scale and shown as the screen model would parse them; clicks and typing change it.

It is the screen source, the executor and the parser of a Loop at once, so a replay acts on it and its end state
can be read back. ``unnamed`` leaves the fields without the names a parser attaches (only the captions above
them say what they are); ``misnamed`` gives them all the heading's name (a caption a pixel too low).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from planner.actions import Action, Click, Key, TypeText
from planner.demos import DemoStep, DemoStore
from planner.effects import effect_of
from planner.protocols import Observation, Outcome
from planner.targets import target_at


@dataclass
class FormApp:
    labels: list[str]
    x: float = 20.0
    y: float = 20.0
    scale: float = 1.0
    unnamed: bool = False
    misnamed: bool = False
    values: dict[str, str] = field(default_factory=dict)
    focus: str = ""
    result: str = ""
    changes: int = 0

    def _boxes(self) -> dict[str, Box]:
        s, out = self.scale, {}
        top = self.y + 50 * s
        for i, label in enumerate(self.labels):
            y = top + i * 70 * s
            out[f"label:{label}"] = Box(self.x, y, self.x + 12 * s * len(label), y + 22 * s)
            out[label] = Box(self.x, y + 26 * s, self.x + 300 * s, y + 60 * s)
        y = top + len(self.labels) * 70 * s
        out["Save"] = Box(self.x, y, self.x + 90 * s, y + 40 * s)
        out["result"] = Box(self.x, y + 60 * s, self.x + 400 * s, y + 84 * s)
        return out

    def screen(self) -> Screen:
        b, s = self._boxes(), self.scale
        els = [Element(Box(self.x, self.y, self.x + 200 * s, self.y + 30 * s), "heading", name="Contact details")]
        for label in self.labels:
            els.append(Element(b[f"label:{label}"], "text", name=label, line=len(els)))
            name = "" if self.unnamed else "Contact details" if self.misnamed else label
            states = {"focused"} if self.focus == label else set()
            els.append(Element(b[label], "text_field", name=name, value=self.values.get(label, ""), states=states,
                               source="widget+ocr"))
        els.append(Element(b["Save"], "button", name="Save", source="widget+ocr"))
        if self.result:
            els.append(Element(b["result"], "text", name=self.result, line=len(els)))
        w, h = int(self.x + 500 * s), int(self.y + (140 + 70 * len(self.labels)) * s)
        return Screen(w, h, tuple(els), image=self.image())

    def image(self) -> np.ndarray:
        w, h = int(self.x + 500 * self.scale), int(self.y + (140 + 70 * len(self.labels)) * self.scale)
        img = np.full((h, w, 3), 255, np.uint8)
        img[0, 0] = self.changes % 250  # the screen changes with every action that changes the form
        return img

    def point(self, name: str) -> tuple[float, float]:
        return self._boxes()[name].center

    # the Loop's three seams
    def capture(self) -> Observation:
        img = self.image()
        return Observation(img, Frame(0, 0, img.shape[1], img.shape[0]))

    def parse(self, image: np.ndarray) -> Screen:
        return self.screen()

    def execute(self, action: Action) -> Outcome:
        self.changes += 1
        match action:
            case Click(x=x, y=y):
                hit = next((k for k, b in self._boxes().items() if b.contains_point(x, y) and ":" not in k), "")
                if hit == "Save":  # like the demo form: the name, the city, then any other field that holds text
                    others = "".join(f", {k.lower()} {v}" for k, v in self.values.items() if k not in ("Name", "City"))
                    self.result = f"Saved {self.values.get('Name', '')} from {self.values.get('City', '')}{others}"
                elif hit in self.labels:
                    self.focus = hit
            case TypeText(text=text) if self.focus:
                self.values[self.focus] = self.values.get(self.focus, "") + text
            case Key(keys=("ctrl", "a")):
                pass  # select-all changes nothing here: typing into the field appends, as after a fresh click
        return Outcome(ok=True)


def record(app: FormApp, store: DemoStore, name: str, acts: list[tuple[str, str]]) -> object:
    """A demo recorded on ``app`` the way the recorder grounds one: ("City", "Rome") clicks City and types Rome;
    each step gets the effect seen between the screens before and after it."""
    demo = store.create(name, "fill in the form")
    focus = None
    for where, text in acts:
        before = app.screen()
        x, y = app.point(where)
        target, _ = target_at(before, before.image, x, y)
        app.execute(Click(x=x, y=y))
        demo.steps.append(DemoStep(kind="click", x=x, y=y, target=target,
                                   effect=effect_of("click", target, None, "", before, app.screen())))
        focus = target if target.role == "text_field" else None
        if text:
            before = app.screen()
            app.execute(TypeText(text=text))
            demo.steps.append(DemoStep(kind="type", text=text, into=focus,
                                       effect=effect_of("type", None, focus, text, before, app.screen())))
    demo.meta["complete"] = True
    demo.save()
    return demo
