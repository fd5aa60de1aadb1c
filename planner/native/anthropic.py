"""Anthropic's computer tool (``computer_20251124``, beta ``computer-use-2025-11-24``) over the Messages API.

The screenshot is scaled to fit Anthropic's image limits (1568 px on the long side, about 1.15 megapixels) and
its size is declared in the tool definition (display_width_px/height_px); Claude answers in pixels of that image.
Each ``tool_use`` gets a ``tool_result`` in the next user turn (``is_error`` for malformed, out-of-range, failed or
denied actions), the newest screenshot attached to the last one; ``screenshot``, ``zoom`` and ``cursor_position``
are answered at once. A reply without a tool call ends the task.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from grounding.coords import Frame, ModelImage, Point, Space, fit_within, logical_to_model
from models.chat import Meter, ModelError, Usage
from models.http import JsonClient, Rejected
from models.native_settings import NativeSettings
from planner.actions import Action, ActionError, Click, Done, Drag, Fail, Move, Scroll, TypeText, Wait
from planner.native import images
from planner.native.base import Call, Pointer, Result, Turn
from planner.native.keys import split_chord
from planner.native.points import desktop
from planner.prompting import render
from planner.protocols import Observation

API_VERSION = "2023-06-01"
BETA = "computer-use-2025-11-24"
TOOL_TYPE = "computer_20251124"
MAX_LONG, MAX_PIXELS = 1568, 1_150_000
CLICKS = {"left_click": ("left", 1), "right_click": ("right", 1), "middle_click": ("middle", 1),
          "double_click": ("left", 2), "triple_click": ("left", 3)}
SCROLLS = {"up": (0, 1), "down": (0, -1), "left": (-1, 0), "right": (1, 0)}
UNSUPPORTED = {"left_mouse_down": "use left_click_drag to drag", "left_mouse_up": "use left_click_drag to drag",
               "hold_key": "press the keys together with the key action instead"}


@dataclass
class AnthropicComputer:
    """Speaks the computer tool to Claude; one ``turn`` is one Messages request."""

    settings: NativeSettings
    task: str
    meter: Meter = field(default_factory=Meter)
    name: str = "anthropic"
    pointer: Pointer = field(default_factory=Pointer)
    _messages: list[dict[str, Any]] = field(default_factory=list)
    _view: ModelImage | None = None

    def acknowledge(self, checks: list[dict[str, Any]]) -> None:
        """Claude's tool has no safety checks to acknowledge."""

    def turn(self, obs: Observation, results: list[Result], note: str) -> Turn:
        w, h = fit_within(obs.frame.width, obs.frame.height, MAX_LONG, self.settings.max_pixels or MAX_PIXELS)
        self._view = ModelImage(w, h)
        shot = _image_block(images.png(obs.image, (w, h)))
        if not self._messages:
            text = f"{self.task}\n\n{note}".strip()
            self._messages.append({"role": "user", "content": [{"type": "text", "text": text}, shot]})
        else:
            self._messages.append({"role": "user", "content": self._results(results, shot, note)})
        _keep_images(self._messages, self.settings.keep_images)
        data = self._post()
        content = data.get("content", [])
        self._messages.append({"role": "assistant", "content": content})
        text = "\n".join(b.get("text", "") for b in content if b.get("type") == "text").strip()
        uses = [b for b in content if b.get("type") == "tool_use"]
        calls = [self._call(b, obs) for b in uses]
        final = None if uses else _ending(text, data.get("stop_reason", ""))
        return Turn(calls, text, data, final)

    def _results(self, results: list[Result], shot: dict[str, Any], note: str) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        for i, r in enumerate(results):
            parts: list[dict[str, Any]] = [{"type": "text", "text": r.text or ("done" if r.ok else "failed")}]
            if r.image is not None:
                parts.append(_image_block(images.png(r.image)))
            if i == len(results) - 1:
                parts.append(shot)
            block = {"type": "tool_result", "tool_use_id": r.call.id, "content": parts}
            if not r.ok:
                block["is_error"] = True
            blocks.append(block)
        if not blocks:
            blocks.append(shot)
        if note:
            blocks.append({"type": "text", "text": note})
        return blocks

    def _call(self, block: dict[str, Any], obs: Observation) -> Call:
        args = dict(block.get("input") or {})
        call = Call(str(block.get("id", "")), str(args.get("action", "")), args)
        try:
            self._read(call, obs)
        except (ActionError, ValueError) as exc:
            call.error = f"{call.name or 'the action'}: {exc}"
            call.actions = []
        for action in call.actions:
            self.pointer.after(action)
        return call

    def _read(self, call: Call, obs: Observation) -> None:
        """Fill in the call's actions (or its immediate answer) from the tool input."""
        a, name, view, frame = call.args, call.name, self._view, obs.frame
        assert view is not None
        if name in CLICKS:
            if a.get("text"):
                raise ActionError("text: holding keys during a click is not supported; press them separately")
            x, y = self._at(a, view, frame)
            button, count = CLICKS[name]
            call.actions = [Click(x=x, y=y, button=button, count=count)]
        elif name == "mouse_move":
            call.actions = [Move(x=(p := desktop(a.get("coordinate"), view, frame))[0], y=p[1])]
        elif name == "left_click_drag":
            x, y = desktop(a.get("start_coordinate"), view, frame, "start_coordinate")
            tx, ty = desktop(a.get("coordinate"), view, frame)
            call.actions = [Drag(x=x, y=y, to_x=tx, to_y=ty)]
        elif name == "type":
            call.actions = [TypeText(text=_text(a))]
        elif name == "key":
            call.actions = [split_chord(_text(a))]
        elif name == "scroll":
            call.actions = [_scroll(a, *self._at(a, view, frame))]
        elif name == "wait":
            call.actions = [Wait(seconds=float(a.get("duration", 1.0)))]
        elif name == "screenshot":
            call.answer = Result(call, True, "The current screenshot is attached.")
        elif name == "zoom":
            crop = images.zoom(obs.image, list(a.get("region") or []), view) if len(a.get("region") or []) == 4 \
                else None
            if crop is None:
                raise ActionError("region: expected [x0, y0, x1, y1]")
            call.answer = Result(call, True, "The region at full resolution:", crop)
        elif name == "cursor_position":
            call.answer = Result(call, True, self._cursor(view, frame))
        elif name in UNSUPPORTED:
            raise ActionError(f"not supported here; {UNSUPPORTED[name]}")
        else:
            raise ActionError(f"unknown action {name!r}")

    def _at(self, a: dict[str, Any], view: ModelImage, frame: Frame) -> tuple[float, float]:
        if a.get("coordinate") is not None:
            return desktop(a["coordinate"], view, frame)
        if self.pointer.at is None:
            raise ActionError("coordinate: the mouse has not been moved yet; give a coordinate")
        return self.pointer.at

    def _cursor(self, view: ModelImage, frame: Frame) -> str:
        if self.pointer.at is None:
            return "The cursor position is not known yet; it is wherever the person left it."
        x, y = logical_to_model(Point(*self.pointer.at, Space.LOGICAL), view, frame)
        return f"X={round(x)},Y={round(y)}"

    def _post(self) -> dict[str, Any]:
        assert self._view is not None
        tool = {"type": TOOL_TYPE, "name": "computer", "display_width_px": self._view.width,
                "display_height_px": self._view.height, "enable_zoom": True}
        body = {"model": self.settings.model, "max_tokens": self.settings.reply_tokens, "tools": [tool],
                "system": render("native_system", width=self._view.width, height=self._view.height),
                "messages": self._messages}
        client = JsonClient(self.settings.base_url, {"x-api-key": self.settings.api_key,
                                                     "anthropic-version": API_VERSION, "anthropic-beta": BETA},
                            self.settings.timeout, self.settings.retries, key_hint="ANTHROPIC_API_KEY or [native] "
                            "api_key")
        try:
            data = client.request("POST", "/v1/messages", body)
        except Rejected as exc:
            raise ModelError(f"{self.settings.base_url} rejected the computer-use request: {exc}") from None
        if "content" not in data:
            raise ModelError(f"{self.settings.base_url} answered without content: {json.dumps(data)[:200]}")
        usage = data.get("usage", {})
        self.meter.add(Usage(int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))))
        return data


def _text(a: dict[str, Any]) -> str:
    text = a.get("text")
    if not isinstance(text, str) or not text:
        raise ActionError("text: expected a non-empty string")
    return text


def _scroll(a: dict[str, Any], x: float, y: float) -> Scroll:
    direction = a.get("scroll_direction")
    if direction not in SCROLLS:
        raise ActionError(f"scroll_direction: expected up, down, left or right, got {direction!r}")
    amount = int(a.get("scroll_amount", 3))
    if amount <= 0:
        raise ActionError(f"scroll_amount: expected a positive number, got {amount}")
    dx, dy = SCROLLS[direction]
    return Scroll(x=x, y=y, dx=dx * amount, dy=dy * amount)


def _ending(text: str, stop_reason: str) -> Action:
    if stop_reason == "refusal":
        return Fail(reason=f"The model refused: {text or 'no reason given'}")
    if text.upper().startswith("FAILED:"):
        return Fail(reason=text[7:].strip() or "The model could not do the task.")
    return Done(summary=text or "Task finished.")


def _image_block(data: bytes) -> dict[str, Any]:
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": images.b64(data)}}


def _keep_images(messages: list[dict[str, Any]], keep: int) -> None:
    """Only the newest ``keep`` screenshots stay in the conversation; older ones become a line of text."""
    seen = 0
    for message in reversed(messages):
        for parts in _part_lists(message):
            for i in range(len(parts) - 1, -1, -1):
                if parts[i].get("type") == "image":
                    seen += 1
                    if seen > keep:
                        parts[i] = {"type": "text", "text": "(an older screenshot, removed)"}


def _part_lists(message: dict[str, Any]) -> list[list[dict[str, Any]]]:
    content = message.get("content")
    if not isinstance(content, list):
        return []
    lists = [content]
    lists += [p["content"] for p in content if p.get("type") == "tool_result" and isinstance(p.get("content"), list)]
    return lists
