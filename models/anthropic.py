"""Anthropic's Messages API (hosted Claude, or any server that speaks it), over the shared retrying JSON client."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from models.chat import Message, Meter, ModelError, Reply, Usage, media_type
from models.http import JsonClient, Rejected

API_VERSION = "2023-06-01"


@dataclass
class AnthropicModel:
    model: str
    api_key: str
    base_url: str = "https://api.anthropic.com"
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 0.5
    temperature: float = 0.0
    meter: Meter = field(default_factory=Meter)
    name: str = "anthropic"

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        system = "\n\n".join(m.text for m in messages if m.role == "system")
        body: dict[str, Any] = {"model": self.model, "max_tokens": max_tokens, "temperature": self.temperature,
                                "messages": _turns([m for m in messages if m.role != "system"])}
        if system:
            body["system"] = system
        try:
            data = self._client().request("POST", "/v1/messages", body)
        except Rejected as exc:
            raise ModelError(f"{self.base_url} rejected the request: {exc}") from None
        text = "".join(part.get("text", "") for part in data.get("content", []) if part.get("type") == "text")
        if "content" not in data:
            raise ModelError(f"{self.base_url} answered without content: {json.dumps(data)[:200]}")
        usage = Usage(int(data.get("usage", {}).get("input_tokens", 0)),
                      int(data.get("usage", {}).get("output_tokens", 0)))
        self.meter.add(usage)
        return Reply(text, usage, data.get("model", self.model))

    def models(self) -> list[str]:
        """The models the key may use: `deskpilot doctor` uses it to test the connection."""
        return [m.get("id", "") for m in self._client().request("GET", "/v1/models").get("data", [])]

    def _client(self) -> JsonClient:
        return JsonClient(self.base_url, {"x-api-key": self.api_key, "anthropic-version": API_VERSION},
                          self.timeout, self.retries, self.backoff, "ANTHROPIC_API_KEY or the key in your settings")


def _turns(messages: list[Message]) -> list[dict[str, Any]]:
    """Anthropic wants user and assistant turns to alternate: consecutive turns of one role are joined."""
    turns: list[dict[str, Any]] = []
    for m in messages:
        parts: list[dict[str, Any]] = [
            {"type": "image", "source": {"type": "base64", "media_type": media_type(data),
                                         "data": base64.b64encode(data).decode()}} for data in m.images]
        parts.append({"type": "text", "text": m.text})
        if turns and turns[-1]["role"] == m.role:
            turns[-1]["content"].extend(parts)
        else:
            turns.append({"role": m.role, "content": parts})
    return turns
