"""Scripted computer-use models, one per protocol, that fill in tests/pages/native_form.html.

Each looks at the screenshot it received, finds the control it wants by its colour, and answers in its own
protocol and coordinate frame (Claude and OpenAI: pixels of the image sent; UI-TARS and Qwen2.5-VL: pixels of the
smart-resized image; Qwen3-VL: a 0-999 grid). The first answer is deliberately bad (out of range or unreadable);
the script checks that the error came back before it goes on. Shape problems are collected in ``problems``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import numpy as np

from tests.native_server import centre, decode

COLOURS = {"name": (255, 213, 79), "city": (79, 195, 247), "news": (129, 199, 132), "save": (229, 115, 115)}
PLAN = [[("bad",)], [("click", "name"), ("type", "Ada Lovelace")], [("click", "city")], [("type", "London")],
        [("click", "news")], [("click", "save")], [("done", "Saved Ada Lovelace from London")]]


class Script:
    """Plays PLAN (or ``plan``); subclasses speak a protocol."""

    def __init__(self, plan: list[list[tuple]] | None = None) -> None:
        self.plan = plan or PLAN
        self.turn = 0
        self.problems: list[str] = []

    def __call__(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        image = self.image(body)
        if self.turn == 1 and not self.saw_error(body):
            self.problems.append(f"turn 1: the bad answer's error did not come back: {json.dumps(body)[-400:]}")
        ops = self.plan[min(self.turn, len(self.plan) - 1)]
        self.turn += 1
        return 200, self.answer(ops, image, body)

    def where(self, image: np.ndarray, target: str) -> tuple[float, float]:
        found = centre(image, COLOURS[target])
        if found is None:
            self.problems.append(f"turn {self.turn}: {target} is not on the screenshot")
            return 1.0, 1.0
        return found

    def problem(self, cond: bool, what: str) -> None:
        if not cond:
            self.problems.append(f"turn {self.turn}: {what}")


class Claude(Script):
    def image(self, body: dict[str, Any]) -> np.ndarray:
        tool = body["tools"][0]
        self.problem(tool["type"] == "computer_20251124" and tool["name"] == "computer", f"tool {tool}")
        blocks = body["messages"][-1]["content"]
        blocks = blocks + [p for b in blocks if b.get("type") == "tool_result" for p in b["content"]]
        shots = [b for b in blocks if b.get("type") == "image"]
        image = decode(shots[-1]["source"]["data"])
        self.problem((image.shape[1], image.shape[0]) == (tool["display_width_px"], tool["display_height_px"]),
                     f"image {image.shape[:2]} is not the declared {tool['display_width_px']}x"
                     f"{tool['display_height_px']}")
        return image

    def saw_error(self, body: dict[str, Any]) -> bool:
        results = [b for b in body["messages"][-1]["content"] if b.get("type") == "tool_result"]
        return any(r.get("is_error") and "outside" in json.dumps(r["content"]) for r in results)

    def answer(self, ops: list[tuple], image: np.ndarray, body: dict[str, Any]) -> dict[str, Any]:
        blocks: list[dict[str, Any]] = [{"type": "text", "text": f"turn {self.turn}"}]
        for i, op in enumerate(ops):
            if op[0] == "done":
                return {"content": [{"type": "text", "text": op[1]}], "stop_reason": "end_turn",
                        "usage": {"input_tokens": 1000, "output_tokens": 30}}
            args: dict[str, Any] = {"bad": {"action": "left_click", "coordinate": [99999, 5]},
                                    "type": {"action": "type", "text": op[-1]}}.get(op[0], {})
            if op[0] == "click":
                args = {"action": "left_click", "coordinate": [round(v) for v in self.where(image, op[1])]}
            blocks.append({"type": "tool_use", "id": f"toolu_{self.turn}_{i}", "name": "computer", "input": args})
        return {"content": blocks, "stop_reason": "tool_use", "usage": {"input_tokens": 1000, "output_tokens": 30}}


class OpenAI(Script):
    """Batches a whole turn's actions into one computer_call; the Save click carries a pending safety check."""

    def __init__(self, plan: list[list[tuple]] | None = None) -> None:
        super().__init__(plan or [[("bad",)], [("click", "name"), ("type", "Ada Lovelace"), ("click", "city"),
                                               ("type", "London"), ("click", "news")],
                                  [("click", "save", "check")], [("done", "Saved Ada Lovelace from London")]])
        self.acknowledged: list[Any] = []
        self.told: list[str] = []

    def image(self, body: dict[str, Any]) -> np.ndarray:
        self.problem(body["tools"] == [{"type": "computer"}], f"tools {body['tools']}")
        urls = [p["image_url"] for item in body["input"] if item.get("role") == "user"
                for p in item["content"] if p.get("type") == "input_image"]
        outputs = [item for item in body["input"] if item.get("type") == "computer_call_output"]
        urls += [o["output"]["image_url"] for o in outputs]
        for o in outputs:
            self.acknowledged += o.get("acknowledged_safety_checks") or []
        self.told += [p["text"] for item in body["input"] if item.get("role") == "user"
                      for p in item["content"] if p.get("type") == "input_text"]
        self.problem(bool(body.get("previous_response_id")) == (self.turn > 0), "previous_response_id")
        return decode(urls[-1])

    def saw_error(self, body: dict[str, Any]) -> bool:
        return any("outside" in t for t in self.told)

    def answer(self, ops: list[tuple], image: np.ndarray, body: dict[str, Any]) -> dict[str, Any]:
        if ops[0][0] == "done":
            final = "FAILED: the person did not allow saving" if any("declined" in t for t in self.told) else ops[0][1]
            return {"id": f"resp_{self.turn}", "output": [{"type": "message", "role": "assistant", "content": [
                {"type": "output_text", "text": final}]}], "usage": {"input_tokens": 900, "output_tokens": 20}}
        actions, checks = [], []
        for op in ops:
            if op[0] == "bad":
                actions.append({"type": "click", "button": "left", "x": 99999, "y": 3})
            elif op[0] == "type":
                actions.append({"type": "type", "text": op[1]})
            else:
                x, y = self.where(image, op[1])
                actions.append({"type": "click", "button": "left", "x": round(x), "y": round(y)})
                if op[-1] == "check":
                    checks.append({"id": "cu_sc_1", "code": "malicious_instructions",
                                   "message": "The page may be asking you to submit data."})
        call = {"type": "computer_call", "id": f"cu_{self.turn}", "call_id": f"call_{self.turn}",
                "actions": actions, "pending_safety_checks": checks, "status": "completed"}
        return {"id": f"resp_{self.turn}", "output": [{"type": "reasoning", "id": f"rs_{self.turn}", "summary": []},
                                                       call], "usage": {"input_tokens": 900, "output_tokens": 20}}


class ChatScript(Script):
    """The chat-completions side: the newest image_url of the newest user turn."""

    def image(self, body: dict[str, Any]) -> np.ndarray:
        urls = [p["image_url"]["url"] for p in body["messages"][-1]["content"] if p.get("type") == "image_url"]
        image = decode(urls[-1])
        self.check(body, image)
        return image

    def last_text(self, body: dict[str, Any]) -> str:
        return " ".join(p.get("text", "") for p in body["messages"][-1]["content"] if p.get("type") == "text")

    def reply(self, text: str) -> dict[str, Any]:
        return {"choices": [{"message": {"role": "assistant", "content": text}}],
                "usage": {"prompt_tokens": 800, "completion_tokens": 25}}


class UITars(ChatScript):
    def check(self, body: dict[str, Any], image: np.ndarray) -> None:
        self.problem(image.shape[0] % 28 == 0 and image.shape[1] % 28 == 0, f"not smart-resized: {image.shape}")
        self.problem("## Action Space" in json.dumps(body["messages"][0]), "the UI-TARS prompt is missing")

    def saw_error(self, body: dict[str, Any]) -> bool:
        return "did not go through" in self.last_text(body)

    def answer(self, ops: list[tuple], image: np.ndarray, body: dict[str, Any]) -> dict[str, Any]:
        lines = []
        for op in ops:
            if op[0] == "bad":
                return self.reply("Thought: I will click the name field.\nI click it now.")
            if op[0] == "done":
                lines.append(f"finished(content='{op[1]}')")
            elif op[0] == "type":
                lines.append(f"type(content='{op[1]}')")
            else:
                x, y = self.where(image, op[1])
                lines.append(f"click(point='<point>{round(x)} {round(y)}</point>')")
        return self.reply(f"Thought: next I act on the form.\nAction: {chr(10).join(lines)}")


class Qwen(ChatScript):
    def __init__(self, grid: float = 0.0) -> None:
        super().__init__()
        self.grid = grid  # 0: pixels of the resized image (Qwen2.5-VL); 999: Qwen3-VL's grid

    def check(self, body: dict[str, Any], image: np.ndarray) -> None:
        system = body["messages"][0]["content"]
        declared = re.search(r"resolution is (\d+)x(\d+)", system)
        want = (1000, 1000) if self.grid else (image.shape[1], image.shape[0])
        self.problem(declared is not None and tuple(map(int, declared.groups())) == want,
                     f"declared {declared and declared.groups()} but the image is {image.shape[1]}x{image.shape[0]}")
        if not self.grid:
            self.problem(image.shape[0] % 28 == 0 and image.shape[1] % 28 == 0, f"not smart-resized: {image.shape}")

    def saw_error(self, body: dict[str, Any]) -> bool:
        return "error" in self.last_text(body) and "<tool_response>" in self.last_text(body)

    def answer(self, ops: list[tuple], image: np.ndarray, body: dict[str, Any]) -> dict[str, Any]:
        calls = []
        for op in ops:
            if op[0] == "bad":
                return self.reply('I will click.\n<tool_call>\n{"name": "computer_use", "arguments": {"action": '
                                  '"left_click", "coordinate": [12, oops]}}\n</tool_call>')
            if op[0] == "done":
                args: dict[str, Any] = {"action": "terminate", "status": "success"}
            elif op[0] == "type":
                args = {"action": "type", "text": op[1]}
            else:
                x, y = self.where(image, op[1])
                if self.grid:
                    x, y = x / image.shape[1] * self.grid, y / image.shape[0] * self.grid
                args = {"action": "left_click", "coordinate": [round(x), round(y)]}
            calls.append(f"<tool_call>\n{json.dumps({'name': 'computer_use', 'arguments': args})}\n</tool_call>")
        return self.reply("Acting on the form.\n" + "\n".join(calls))
