"""OpenAI's computer tool over the Responses API (``{"type": "computer"}``, or the older ``computer_use_preview``).

One ``computer_call`` carries a batch of actions (``actions``; the preview tool sends one ``action``); each runs
through DeskPilot's gate, then one ``computer_call_output`` returns the new screenshot. The conversation lives on
the server (``previous_response_id``). ``pending_safety_checks`` go to the person's approver: only a person's yes
puts them in ``acknowledged_safety_checks``; a denial, a failed action or a malformed one is told to the model in
an ``input_text`` beside the screenshot. A reply without a computer call ends the task.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from grounding.coords import ModelImage, fit_within
from models.chat import Meter, ModelError, Usage
from models.http import JsonClient, Rejected
from models.native_settings import NativeSettings
from planner.actions import Action, ActionError, Click, Done, Drag, Fail, Move, Scroll, TypeText, Wait
from planner.native import images
from planner.native.base import Call, Pointer, Result, Turn
from planner.native.keys import chord
from planner.native.points import desktop
from planner.prompting import render
from planner.protocols import Observation

MAX_LONG, MAX_PIXELS = 1920, 1920 * 1200
BUTTONS = {"left": "left", "right": "right", "wheel": "middle", "middle": "middle"}
WHEEL_PIXELS = 100  # the model scrolls in pixels; one wheel notch moves a page about this far


@dataclass
class OpenAIComputer:
    """Speaks the computer tool to an OpenAI model; one ``turn`` is one Responses request."""

    settings: NativeSettings
    task: str
    meter: Meter = field(default_factory=Meter)
    name: str = "openai"
    pointer: Pointer = field(default_factory=Pointer)
    _previous: str = ""
    _acked: list[dict[str, Any]] = field(default_factory=list)
    _view: ModelImage | None = None

    def acknowledge(self, checks: list[dict[str, Any]]) -> None:
        """The person allowed the call these checks came with: send them back as acknowledged."""
        self._acked = [{k: c[k] for k in ("id", "code", "message") if k in c} for c in checks]

    def turn(self, obs: Observation, results: list[Result], note: str) -> Turn:
        w, h = fit_within(obs.frame.width, obs.frame.height, MAX_LONG, self.settings.max_pixels or MAX_PIXELS)
        self._view = ModelImage(w, h)
        url = images.data_url(images.png(obs.image, (w, h)))
        data = self._post(self._input(url, results, note))
        self._previous = data.get("id", "")
        output = data.get("output", [])
        text = "\n".join(p.get("text", "") for item in output if item.get("type") == "message"
                         for p in item.get("content", []) if p.get("type") == "output_text").strip()
        # the reasoning's summary is the model's thought where it wrote no message: it names what a click is for
        thought = "\n".join(p.get("text", "") for item in output if item.get("type") == "reasoning"
                            for p in item.get("summary") or [] if isinstance(p, dict)).strip()
        calls: list[Call] = []
        safety: list[dict[str, Any]] = []
        for item in output:
            if item.get("type") == "computer_call":
                batch = item.get("actions") or ([item["action"]] if item.get("action") else [])
                calls += [self._call(str(item.get("call_id", "")), dict(a), obs) for a in batch]
                safety += list(item.get("pending_safety_checks") or [])
        final = None if calls else _ending(text)
        return Turn(calls, text or thought, data, final, safety)

    def _input(self, url: str, results: list[Result], note: str) -> list[dict[str, Any]]:
        assert self._view is not None
        if not self._previous:
            size = f"The screenshot is {self._view.width}x{self._view.height} pixels."
            text = "\n\n".join(t for t in (self.task, size, note) if t)
            return [{"role": "user", "content": [{"type": "input_text", "text": text},
                                                 {"type": "input_image", "image_url": url, "detail": "original"}]}]
        items: list[dict[str, Any]] = []
        for call_id in dict.fromkeys(r.call.id for r in results):
            out: dict[str, Any] = {"type": "computer_call_output", "call_id": call_id,
                                   "output": {"type": "computer_screenshot", "image_url": url}}
            if self._acked:
                out["acknowledged_safety_checks"], self._acked = self._acked, []
            items.append(out)
        told = [f"{r.call.name}: {r.text}" for r in results if not r.ok]
        told += [f"{r.call.name}: {r.text}" for r in results if r.ok and r.text]
        if told or note:
            words = "\n".join(told + ([note] if note else []))
            items.append({"role": "user", "content": [{"type": "input_text", "text": words}]})
        return items

    def _call(self, call_id: str, a: dict[str, Any], obs: Observation) -> Call:
        call = Call(call_id, str(a.get("type", "")), a)
        try:
            call.actions, answer = _read(a, self._view, obs)  # type: ignore[arg-type]
            if answer:
                call.answer = Result(call, True, answer)
        except (ActionError, ValueError) as exc:
            call.error = f"{call.name or 'the action'}: {exc}"
        if call.actions and a.get("keys") and call.name != "keypress":
            call.error, call.actions = f"{call.name}: holding keys during a mouse action is not supported", []
        for action in call.actions:
            self.pointer.after(action)
        return call

    def _post(self, items: list[dict[str, Any]]) -> dict[str, Any]:
        assert self._view is not None
        s = self.settings
        tool: dict[str, Any] = {"type": "computer"}
        if s.tool == "computer_use_preview":
            tool = {"type": "computer_use_preview", "display_width": self._view.width,
                    "display_height": self._view.height, "environment": "linux"}
        body: dict[str, Any] = {"model": s.model, "tools": [tool], "input": items, "truncation": "auto",
                                "max_output_tokens": s.reply_tokens,
                                "instructions": render("native_system", width=self._view.width,
                                                       height=self._view.height)}
        if self._previous:
            body["previous_response_id"] = self._previous
        client = JsonClient(s.base_url, {"Authorization": f"Bearer {s.api_key}"}, s.timeout, s.retries,
                            key_hint="OPENAI_API_KEY or [native] api_key", url_hint="the base URL ends in /v1")
        try:
            data = client.request("POST", "/responses", body)
        except Rejected as exc:
            raise ModelError(f"{s.base_url} rejected the computer-use request: {exc}") from None
        if "output" not in data:
            raise ModelError(f"{s.base_url} answered without output: {json.dumps(data)[:200]}")
        usage = data.get("usage") or {}
        self.meter.add(Usage(int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))))
        return data


def _read(a: dict[str, Any], view: ModelImage, obs: Observation) -> tuple[list[Action], str]:
    """One action of the batch as DeskPilot actions, or an answer that needs no desktop action."""
    kind, frame = a.get("type"), obs.frame
    if kind in ("click", "double_click"):
        button = BUTTONS.get(str(a.get("button", "left")))
        if button is None:
            raise ActionError(f"button: {a.get('button')!r} cannot be clicked here; use left, right or wheel")
        x, y = desktop(a, view, frame, "x/y")
        return [Click(x=x, y=y, button=button, count=2 if kind == "double_click" else 1)], ""
    if kind == "move":
        x, y = desktop(a, view, frame, "x/y")
        return [Move(x=x, y=y)], ""
    if kind == "drag":
        path = a.get("path") or []
        if len(path) < 2:
            raise ActionError("path: a drag needs at least two points")
        (x, y), (tx, ty) = desktop(path[0], view, frame, "path"), desktop(path[-1], view, frame, "path")
        return [Drag(x=x, y=y, to_x=tx, to_y=ty)], ""
    if kind == "scroll":
        x, y = desktop(a, view, frame, "x/y")
        dx, dy = _notches(a.get("scroll_x", 0)), -_notches(a.get("scroll_y", 0))
        if not dx and not dy:
            raise ActionError("scroll_x/scroll_y: a scroll needs a non-zero distance")
        return [Scroll(x=x, y=y, dx=dx, dy=dy)], ""
    if kind == "type":
        text = a.get("text")
        if not isinstance(text, str) or not text:
            raise ActionError("text: expected a non-empty string")
        return [TypeText(text=text)], ""
    if kind == "keypress":
        return [chord(list(a.get("keys") or []))], ""
    if kind == "wait":
        return [Wait(seconds=2.0)], ""
    if kind == "screenshot":
        return [], "The current screenshot is attached."
    raise ActionError(f"unknown action type {kind!r}")


def _notches(pixels: Any) -> int:
    value = float(pixels or 0)
    if not value:
        return 0
    return int(max(1, round(abs(value) / WHEEL_PIXELS)) * (1 if value > 0 else -1))


def _ending(text: str) -> Action:
    if text.upper().startswith("FAILED:"):
        return Fail(reason=text[7:].strip() or "The model could not do the task.")
    return Done(summary=text or "Task finished.")
