"""The chat-completions conversation the open computer-use models share (UI-TARS, Qwen-VL on vLLM, SGLang,
Ollama, LM Studio): user turns with screenshots, the model's text replies, only the newest screenshots kept."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from models.chat import Meter, ModelError, Usage
from models.http import JsonClient, Rejected
from models.native_settings import NativeSettings
from planner.native import images

OPTIONAL = ("temperature",)


@dataclass
class ChatConversation:
    """Messages in the OpenAI chat format, posted to ``base_url``/chat/completions."""

    settings: NativeSettings
    meter: Meter = field(default_factory=Meter)
    messages: list[dict[str, Any]] = field(default_factory=list)
    _drop_optional: bool = False

    def user(self, texts: list[str], shot: bytes | None) -> None:
        """A user turn: the texts, then the screenshot."""
        parts: list[dict[str, Any]] = [{"type": "text", "text": t} for t in texts if t]
        if shot is not None:
            parts.append({"type": "image_url", "image_url": {"url": images.data_url(shot)}})
        self.messages.append({"role": "user", "content": parts})

    def ask(self) -> tuple[str, dict[str, Any]]:
        """Post the conversation; the reply's text (kept in the conversation) and the raw answer."""
        self._keep_images()
        body: dict[str, Any] = {"model": self.settings.model, "messages": self.messages,
                                "max_tokens": self.settings.reply_tokens}
        if not self._drop_optional:
            body["temperature"] = 0.0
        data = self._post(body)
        try:
            message = data["choices"][0]["message"]
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"{self.settings.base_url} answered without a message: {json.dumps(data)[:200]}") \
                from None
        text = message.get("content") or ""
        for tool_call in message.get("tool_calls") or []:  # a server that parsed the calls out of the text
            fn = tool_call.get("function", {})
            text += f"\n<tool_call>\n{json.dumps({'name': fn.get('name'), 'arguments': _args(fn)})}\n</tool_call>"
        self.messages.append({"role": "assistant", "content": text})
        usage = data.get("usage") or {}
        self.meter.add(Usage(int(usage.get("prompt_tokens", 0)), int(usage.get("completion_tokens", 0))))
        return text, data

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        s = self.settings
        client = JsonClient(s.base_url, {"Authorization": f"Bearer {s.api_key}"}, s.timeout, s.retries,
                            key_hint="[native] api_key", url_hint="the base URL ends in /v1")
        try:
            return client.request("POST", "/chat/completions", body)
        except Rejected as exc:
            if self._drop_optional or not any(k in body for k in OPTIONAL):
                raise ModelError(f"{s.base_url} rejected the request: {exc}") from None
            self._drop_optional = True  # vLLM and others refuse parameters they do not know; ask again without
            return client.request("POST", "/chat/completions", {k: v for k, v in body.items() if k not in OPTIONAL})

    def _keep_images(self) -> None:
        """Only the newest ``keep_images`` screenshots stay; older ones become a line of text."""
        seen = 0
        for message in reversed(self.messages):
            parts = message.get("content")
            if not isinstance(parts, list):
                continue
            for i in range(len(parts) - 1, -1, -1):
                if parts[i].get("type") == "image_url":
                    seen += 1
                    if seen > self.settings.keep_images:
                        parts[i] = {"type": "text", "text": "(an older screenshot, removed)"}


def _args(fn: dict[str, Any]) -> Any:
    raw = fn.get("arguments")
    if isinstance(raw, str):
        try:
            return json.loads(raw)
        except json.JSONDecodeError:
            return raw
    return raw
