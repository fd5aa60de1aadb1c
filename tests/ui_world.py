"""A small simulated UI for interpreter tests: elements that react to clicks, keys and typing as widgets do.

Checkboxes toggle, radios check (and uncheck their siblings), fields take focus and text, list box options select
(ctrl adds), a dropdown opens its options and takes the one clicked, sliders and spin boxes step with the arrow
keys, tabs and sections show what they hide; every click shows in its pixels, as a pressed button or a status
bar does (``silent`` ids show nothing: a button whose handler changes nothing on screen). ``drive`` runs a
CommandAgent against it until the agent is done.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from grounding.coords import Frame
from grounding.elements import Box, Element, Screen
from planner.actions import Click, Done, Drag, Fail, Key, Move, Scroll, TypeText, Wait
from planner.direct import CommandAgent
from planner.protocols import Observation


def el(role: str, name: str = "", box: tuple = (0, 0, 10, 10), **kw: object) -> Element:
    """An element with a box given as a tuple (ids are given by World, in order)."""
    return Element(Box(*box), role, name=name, source="widget", **kw)


@dataclass
class World:
    elements: list[Element]
    hidden: dict[int, list[int]] = field(default_factory=dict)  # opener id -> ids it shows when clicked
    hides: dict[int, list[int]] = field(default_factory=dict)  # id -> ids a click on it hides (a page left)
    log: list[str] = field(default_factory=list)
    focus: int = 0
    selected_all: bool = False
    silent: set[int] = field(default_factory=set)
    size: tuple[int, int] = (800, 600)
    drops: dict[int, int] = field(default_factory=dict)  # field id -> the characters it keeps of what is typed

    def __post_init__(self) -> None:
        self.image = np.zeros((self.size[1], self.size[0], 3), np.uint8)
        self.summary = ""  # the Done summary of the last run driven on it
        self.elements = [e.with_(id=i) for i, e in enumerate(self.elements, 1)]
        self.shown = {i for i in range(1, len(self.elements) + 1)} - {h for hs in self.hidden.values() for h in hs}

    def get(self, id: int) -> Element:
        return self.elements[id - 1]

    def put(self, e: Element) -> None:
        self.elements[e.id - 1] = e

    def screen(self) -> Screen:
        visible = tuple(e.with_(states=e.states | ({"focused"} if e.id == self.focus else set()))
                        for e in self.elements if e.id in self.shown)
        return Screen(*self.size, visible, image=self.image.copy())

    def at(self, x: float, y: float) -> Element | None:
        hits = [e for e in self.elements if e.id in self.shown and e.box.contains_point(x, y)]
        return min(hits, key=lambda e: (not e.is_control, e.box.area), default=None)

    def act(self, action: object) -> None:
        match action:
            case Click(x=x, y=y, hold=hold):
                target = self.at(x, y)
                self.log.append(f"click{'+' + '+'.join(hold) if hold else ''} {target.name if target else '-'}")
                if target is not None:
                    self._click(target, hold)
            case TypeText(text=text):
                self._type(text)
            case Key(keys=keys, repeat=n):
                for _ in range(n):
                    self._key(keys)
            case Move() | Wait() | Scroll() | Drag():
                self.log.append(action.kind)

    def _click(self, e: Element, hold: tuple[str, ...]) -> None:
        self.focus, self.selected_all = e.id, False
        if e.id not in self.silent:  # a status strip along the bottom repaints: under a page-sized change
            self.image[-self.size[1] // 30:] = 255 - self.image[-self.size[1] // 30:]
        if e.role == "checkbox":
            self.put(e.with_(states=e.states ^ {"checked"}))
        elif e.role == "radio":
            for r in self.elements:
                if r.role == "radio":
                    self.put(r.with_(states=r.states - {"checked"}))
            self.put(self.get(e.id).with_(states=e.states | {"checked"}))
        elif e.role == "option" and e.parent and self.get(e.parent).role == "dropdown":
            self.put(self.get(e.parent).with_(value=e.name))
            self.shown -= set(self.hidden.get(e.parent, ()))
        elif e.role == "option" and e.parent:
            if not hold:
                for o in self.elements:
                    if o.parent == e.parent:
                        self.put(o.with_(states=o.states - {"selected"}))
            self.put(self.get(e.id).with_(states=self.get(e.id).states ^ {"selected"}))
        elif e.role in ("tab", "heading", "tree_item") or e.id in self.hidden:
            self.put(e.with_(states=(e.states - {"collapsed"}) | {"expanded"}))
        if e.id in self.hidden:
            self.shown |= set(self.hidden[e.id])
        self.shown -= set(self.hides.get(e.id, ()))

    def _type(self, text: str) -> None:
        self.log.append(f"type {text!r}")
        if not self.focus:
            return
        f = self.get(self.focus)
        value = text if self.selected_all else f.value + text
        self.put(f.with_(value=value[:self.drops[f.id]] if f.id in self.drops else value))
        self.selected_all = False

    def _key(self, keys: tuple[str, ...]) -> None:
        self.log.append("key " + "+".join(keys))
        f = self.get(self.focus) if self.focus else None
        if keys == ("ctrl", "a"):
            self.selected_all = True
        elif f is not None and f.role in ("slider", "spin_box") and keys[0] in ("up", "down", "left", "right"):
            step = 1 if keys[0] in ("up", "right") else -1
            self.put(f.with_(value=str(int(float(f.value or 0)) + step)))
        elif keys == ("delete",) and f is not None and self.selected_all:
            self.put(f.with_(value=""))
        elif keys == ("escape",):  # an open list closes
            self.shown -= {h for hs in self.hidden.values() for h in hs}


def drive(command: str, world: World, limit: int = 80) -> tuple[str, World]:
    """Run ``command`` on ``world``; the run's end ("done" or the failure's sentence) and the world after it."""
    agent = CommandAgent.from_instruction(command, patience=1, retry_wait=0.0)
    for _ in range(limit):
        obs = Observation(world.image.copy(), Frame(0, 0, *world.size))
        decision = agent.decide(obs, world.screen() if agent.wants_screen() else None)
        if isinstance(decision.action, Done):
            world.summary = decision.action.summary
            return "done", world
        if isinstance(decision.action, Fail):
            return decision.action.reason, world
        world.act(decision.action)
    return "too many steps", world


def named(world: World, name: str) -> Element:
    return next(e for e in world.elements if e.name == name)


def states(world: World, role: str) -> list[bool]:
    """Which elements of ``role`` are checked (checkbox, radio) or selected (option), in order."""
    return [("checked" in e.states or "selected" in e.states) for e in world.elements if e.role == role]


def replace_el(world: World, name: str, **changes: object) -> None:
    world.put(replace(named(world, name), **changes))


@dataclass
class WorldParser:
    """The loop's parser for a World: its screen as it is now."""

    world: World

    def parse(self, image: np.ndarray) -> Screen:
        return self.world.screen()
