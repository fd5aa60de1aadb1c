"""Qwen-VL's ``computer_use`` function, called as ``<tool_call>{"name": "computer_use", "arguments": ...}`` in text.

Qwen2.5-VL answers in absolute pixels of the image its processor saw: the screenshot is smart-resized here
(multiples of 28) and that size is the resolution the function description declares. Qwen3-VL answers on a
0-999 grid whatever the image size; its description declares 1000x1000. Each call's result goes back in a
``<tool_response>`` with the next screenshot; ``terminate`` ends the task, ``answer`` is kept as its summary.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from grounding.coords import ModelImage
from grounding.vlm_tokens import smart_resize
from models.chat import Meter
from models.native_settings import NativeSettings
from planner.actions import Action, ActionError, Click, Done, Drag, Fail, Move, Scroll, TypeText, Wait
from planner.native import images
from planner.native.base import Call, Pointer, Result, Turn
from planner.native.chat_wire import ChatConversation
from planner.native.keys import chord
from planner.native.points import desktop
from planner.prompting import render
from planner.protocols import Observation

GRIDS = {"qwen25": (28, 3136, 12845056, 0.0), "qwen3": (32, 4096, 16384 * 32 * 32, 999.0)}
CLICKS = {"left_click": ("left", 1), "right_click": ("right", 1), "middle_click": ("middle", 1),
          "double_click": ("left", 2), "triple_click": ("left", 3)}
ACTIONS = ("key", "type", "mouse_move", "left_click", "left_click_drag", "right_click", "middle_click",
           "double_click", "triple_click", "scroll", "hscroll", "wait", "terminate", "answer")


def function(width: int, height: int) -> dict[str, Any]:
    """The computer_use function as Qwen's agent cookbooks declare it, for a screen of ``width`` x ``height``."""
    about = ("Use a mouse and keyboard to interact with a computer, and take screenshots.\n"
             "* This is an interface to a desktop GUI.\n"
             f"* The screen's resolution is {width}x{height}.\n"
             "* Make sure to click any buttons, links, icons, etc with the cursor tip in the center of the element.")
    actions = ("The action to perform: key (press the keys together), type (type a string), mouse_move, "
               "left_click, left_click_drag (drag from the cursor to the coordinate), right_click, middle_click, "
               "double_click, triple_click (each at a coordinate), scroll / hscroll (pixels: positive up or right), "
               "wait (time in seconds), terminate (status success or failure), answer (text).")
    props = {"action": {"description": actions, "enum": list(ACTIONS), "type": "string"},
             "keys": {"description": "Required only by action=key.", "type": "array"},
             "text": {"description": "Required only by action=type and action=answer.", "type": "string"},
             "coordinate": {"description": "(x, y): pixels from the left and top edges.", "type": "array"},
             "pixels": {"description": "The amount to scroll. Required only by scroll and hscroll.",
                        "type": "number"},
             "time": {"description": "The seconds to wait. Required only by action=wait.", "type": "number"},
             "status": {"description": "Required only by action=terminate.", "type": "string",
                        "enum": ["success", "failure"]}}
    return {"type": "function", "function": {"name": "computer_use", "description": about,
                                             "parameters": {"properties": props, "required": ["action"],
                                                            "type": "object"}}}


@dataclass
class QwenComputer:
    """Speaks Qwen-VL's computer_use function over an OpenAI-compatible chat endpoint (vLLM, Ollama ...)."""

    settings: NativeSettings
    task: str
    meter: Meter = field(default_factory=Meter)
    name: str = "qwen25"
    pointer: Pointer = field(default_factory=Pointer)
    _chat: ChatConversation | None = None
    answer: str = ""  # what the model answered the person (its answer action)

    def acknowledge(self, checks: list[dict[str, Any]]) -> None:
        """Qwen's function has no safety checks to acknowledge."""

    def turn(self, obs: Observation, results: list[Result], note: str) -> Turn:
        view, size = self._view(obs)
        shot = images.png(obs.image, size)
        if self._chat is None:
            self._chat = ChatConversation(self.settings, self.meter)
            declared = (int(view.full_scale) + 1,) * 2 if view.full_scale else (view.width, view.height)
            system = render("native_qwen", tools=json.dumps(function(*declared)))
            self._chat.messages.append({"role": "system", "content": system})
            self._chat.user([self.task, note], shot)
        else:
            self._chat.user([_responses(results), note], shot)
        text, raw = self._chat.ask()
        said = re.sub(r"<tool_call>.*?(</tool_call>|\Z)", "", text, flags=re.S).strip()
        blocks = re.findall(r"<tool_call>\s*(.*?)\s*(?:</tool_call>|\Z)", text, re.S)
        if not blocks:
            bad = Call("", "reply", {"text": text[-300:]}, error="no <tool_call> in the answer; call computer_use")
            return Turn([bad], said, raw)
        calls: list[Call] = []
        for block in blocks:
            call = self._call(block, view, obs)
            if call.name == "terminate" and not call.error:
                ok = call.args.get("status", "success") != "failure"
                summary = self.answer or said or "Task finished."
                return Turn(calls, said, raw, Done(summary=summary) if ok else Fail(reason=said or summary))
            calls.append(call)
        return Turn(calls, said, raw)

    def _view(self, obs: Observation) -> tuple[ModelImage, tuple[int, int]]:
        factor, lo, hi, full = GRIDS[self.name]
        h, w = smart_resize(obs.frame.height, obs.frame.width, factor, lo, self.settings.max_pixels or hi)
        return ModelImage(w, h, full), (w, h)

    def _call(self, block: str, view: ModelImage, obs: Observation) -> Call:
        try:
            data = json.loads(block)
            args = dict(data.get("arguments") or {})
        except (json.JSONDecodeError, AttributeError, TypeError, ValueError):
            return Call("", "tool_call", {"text": block[:300]}, error="the tool call is not valid JSON")
        call = Call("", str(args.get("action", "")), args)
        if data.get("name") != "computer_use":
            call.error = f"unknown function {data.get('name')!r}; call computer_use"
            return call
        try:
            call.actions = self._read(call, view, obs)
        except (ActionError, ValueError) as exc:
            call.error = f"{call.name or 'the action'}: {exc}"
        for action in call.actions:
            self.pointer.after(action)
        return call

    def _read(self, call: Call, view: ModelImage, obs: Observation) -> list[Action]:
        a, name, frame = call.args, call.name, obs.frame
        if name in CLICKS:
            x, y = desktop(a["coordinate"], view, frame) if "coordinate" in a else self._cursor()
            button, count = CLICKS[name]
            return [Click(x=x, y=y, button=button, count=count)]
        if name == "mouse_move":
            x, y = desktop(a.get("coordinate"), view, frame)
            return [Move(x=x, y=y)]
        if name == "left_click_drag":
            x, y = self._cursor()
            tx, ty = desktop(a.get("coordinate"), view, frame)
            return [Drag(x=x, y=y, to_x=tx, to_y=ty)]
        if name == "type":
            return [TypeText(text=str(a.get("text") or ""))]
        if name == "key":
            keys = a.get("keys") or []
            return [chord(keys if isinstance(keys, list) else [str(keys)])]
        if name in ("scroll", "hscroll"):
            pixels = int(float(a.get("pixels", 0)))
            x, y = self.pointer.at or (frame.left + frame.width / frame.scale / 2,
                                       frame.top + frame.height / frame.scale / 2)
            return [Scroll(x=x, y=y, dx=pixels if name == "hscroll" else 0, dy=pixels if name == "scroll" else 0)]
        if name == "wait":
            return [Wait(seconds=float(a.get("time", 1.0)))]
        if name == "answer":
            self.answer = str(a.get("text") or "")
            call.answer = Result(call, True, "Noted.")
            return []
        if name == "terminate":
            return []
        raise ActionError(f"unknown action {name!r}; use one of {', '.join(ACTIONS)}")

    def _cursor(self) -> tuple[float, float]:
        if self.pointer.at is None:
            raise ActionError("coordinate: the mouse has not been moved yet; give a coordinate")
        return self.pointer.at


def _responses(results: list[Result]) -> str:
    """Each call's outcome in Qwen's <tool_response> form."""
    lines = []
    for r in results:
        status = "ok" if r.ok else "error"
        lines.append(f"<tool_response>\n{r.call.name}: {status}{': ' + r.text if r.text else ''}\n</tool_response>")
    return "\n".join(lines)
