"""UI-TARS-1.5's text protocol: ``Thought: ...`` then ``Action: click(point='<point>x y</point>')`` and friends.
An answer may hold several actions; ``finished()`` after them ends the task once they went through.

The screenshot is smart-resized here exactly as the model's processor would (sides multiples of 28, at most
16384*28*28 pixels), so the pixels UI-TARS answers in are the pixels of the image it was sent. An answer that
cannot be read, or a point off that image, goes back as a short user message before the next screenshot.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from grounding.coords import ModelImage
from grounding.vlm_tokens import smart_resize
from models.chat import Meter
from models.native_settings import NativeSettings
from planner.actions import Action, ActionError, AskUser, Click, Done, Drag, Key, Scroll, TypeText, Wait
from planner.native import images
from planner.native.base import Call, Pointer, Result, Turn
from planner.native.chat_wire import ChatConversation
from planner.native.keys import split_chord
from planner.native.points import desktop
from planner.prompting import render
from planner.protocols import Observation

FACTOR, MIN_PIXELS, MAX_PIXELS = 28, 100 * 28 * 28, 16384 * 28 * 28
CLICKS = {"click": ("left", 1), "left_single": ("left", 1), "left_double": ("left", 2),
          "right_single": ("right", 1)}
SCROLLS = {"up": (0, 5), "down": (0, -5), "left": (-5, 0), "right": (5, 0)}


@dataclass
class UITarsComputer:
    """Speaks UI-TARS-1.5's grammar over an OpenAI-compatible chat endpoint (vLLM, SGLang, Ollama ...)."""

    settings: NativeSettings
    task: str
    meter: Meter = field(default_factory=Meter)
    name: str = "uitars"
    pointer: Pointer = field(default_factory=Pointer)
    _chat: ChatConversation | None = None

    def acknowledge(self, checks: list[dict[str, Any]]) -> None:
        """UI-TARS has no safety checks to acknowledge."""

    def turn(self, obs: Observation, results: list[Result], note: str) -> Turn:
        if self._chat is None:
            self._chat = ChatConversation(self.settings, self.meter)
        h, w = smart_resize(obs.frame.height, obs.frame.width, FACTOR, MIN_PIXELS,
                            self.settings.max_pixels or MAX_PIXELS)
        view = ModelImage(w, h)
        shot = images.png(obs.image, (w, h))
        if not self._chat.messages:
            self._chat.user([render("native_uitars", task=self.task), note], shot)
        else:
            told = [f"The last action did not go through: {r.text}" for r in results if not r.ok]
            self._chat.user(told + [note], shot)
        text, raw = self._chat.ask()
        thought = _thought(text)
        try:
            actions = parse_actions(text)
        except ActionError as exc:
            bad = Call("", "reply", {"text": text[-300:]}, error=f"{exc}. Answer with Thought: ... then Action: ...")
            return Turn([bad], thought, raw)
        calls: list[Call] = []
        for name, args in actions:
            if name == "finished":
                return Turn(calls, thought, raw, Done(summary=str(args.get("content") or thought or "Finished.")))
            if name == "call_user":
                return Turn(calls, thought, raw, AskUser(question=thought or "The model asks for help."))
            calls.append(self._call(name, args, view, obs))
        return Turn(calls, thought, raw)

    def _call(self, name: str, args: dict[str, Any], view: ModelImage, obs: Observation) -> Call:
        call = Call("", name, args)
        try:
            call.actions = _read(name, args, view, obs, self.pointer)
        except (ActionError, ValueError) as exc:
            call.error = f"{name}: {exc}"
        for action in call.actions:
            self.pointer.after(action)
        return call


def _read(name: str, a: dict[str, Any], view: ModelImage, obs: Observation, pointer: Pointer) -> list[Action]:
    frame = obs.frame
    if name in CLICKS:
        x, y = desktop(_point(a, "start_box"), view, frame, "point")
        button, count = CLICKS[name]
        return [Click(x=x, y=y, button=button, count=count)]
    if name in ("drag", "select"):
        x, y = desktop(_point(a, "start_box"), view, frame, "start_point")
        tx, ty = desktop(_point(a, "end_box"), view, frame, "end_point")
        return [Drag(x=x, y=y, to_x=tx, to_y=ty)]
    if name == "hotkey" or name == "press":
        return [split_chord(str(a.get("key") or a.get("hotkey") or ""), r"[\s+]+")]
    if name == "type":
        content = str(a.get("content", ""))
        enter = content.endswith("\n")
        content = content.rstrip("\n")
        typed: list[Action] = [TypeText(text=content)] if content else []
        if not typed and not enter:
            raise ActionError("content: nothing to type")
        return typed + ([Key(keys=("enter",))] if enter else [])
    if name == "scroll":
        direction = str(a.get("direction", "")).strip().lower()
        if direction not in SCROLLS:
            raise ActionError(f"direction: expected up, down, left or right, got {direction!r}")
        has_point = any(k in a for k in ("point", "start_box"))
        x, y = desktop(_point(a, "start_box"), view, frame, "point") if has_point else \
            (pointer.at or (frame.left + frame.width / frame.scale / 2, frame.top + frame.height / frame.scale / 2))
        dx, dy = SCROLLS[direction]
        return [Scroll(x=x, y=y, dx=dx, dy=dy)]
    if name == "wait":
        return [Wait(seconds=5.0)]
    raise ActionError(f"unknown action {name!r}; use the actions of the Action Space")


def _point(a: dict[str, Any], box_name: str) -> list[float]:
    """'<point>x y</point>', '(x,y)' or a box '(x1,y1,x2,y2)' as [x, y] (a box's centre)."""
    names = {"start_box": ("point", "start_point", "start_box"), "end_box": ("end_point", "end_box")}[box_name]
    raw = next((a[n] for n in names if n in a), None)
    if raw is None:
        raise ActionError(f"{names[0]}: missing")
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", str(raw))]
    if len(numbers) == 4:
        return [(numbers[0] + numbers[2]) / 2, (numbers[1] + numbers[3]) / 2]
    if len(numbers) != 2:
        raise ActionError(f"{names[0]}: expected a point like <point>x y</point>, got {raw!r}")
    return numbers


def _thought(text: str) -> str:
    m = re.search(r"(?:Thought|Action_Summary|Reflection):\s*(.*?)(?=\n\s*Action:|\Z)", text, re.S)
    return m.group(1).strip() if m else ""


def parse_actions(text: str) -> list[tuple[str, dict[str, Any]]]:
    """The calls after ``Action:`` as (name, keyword arguments); ActionError when there is none to read."""
    if "Action:" not in text:
        raise ActionError("the answer has no 'Action:' line")
    body = text.split("Action:")[-1].strip().strip("`").strip()
    chunks = [c.strip() for c in re.split(r"\)\s*\n+\s*(?=[a-z_]+\()", body) if c.strip()]
    out = []
    for i, chunk in enumerate(chunks):
        if i < len(chunks) - 1:
            chunk += ")"
        out.append(_one(chunk))
    return out


def _one(chunk: str) -> tuple[str, dict[str, Any]]:
    m = re.match(r"([a-z_]+)\((.*)\)\s*$", chunk, re.S)
    if not m:
        raise ActionError(f"cannot read the action {chunk[:80]!r}")
    name, inner = m.group(1), m.group(2)
    try:
        call = ast.parse(f"f({inner})", mode="eval").body
        assert isinstance(call, ast.Call)
        return name, {kw.arg: ast.literal_eval(kw.value) for kw in call.keywords if kw.arg}
    except (SyntaxError, ValueError, AssertionError):
        pass
    # content with unescaped quotes: take everything between the first quote and the last one
    text = re.match(r"\s*(\w+)\s*=\s*(['\"])(.*)\2\s*$", inner, re.S)
    if text:
        return name, {text.group(1): text.group(3).replace("\\n", "\n").replace("\\'", "'").replace('\\"', '"')}
    raise ActionError(f"cannot read the arguments of {name}: {inner[:80]!r}")
