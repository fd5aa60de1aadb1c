"""Any server speaking the OpenAI chat-completions protocol: vLLM, SGLang, Ollama, llama.cpp, LM Studio, OpenAI.

Retries with exponential backoff on 429, 5xx, connection errors and timeouts; a server that rejects an
optional parameter (vLLM's 400 on unknown fields) is asked again without the optional ones.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from models.chat import Message, Meter, ModelError, Reply, Usage, png_data_url
from models.http import JsonClient, Rejected

OPTIONAL = ("temperature", "top_p", "seed", "response_format")


@dataclass
class OpenAICompatible:
    base_url: str  # ends in /v1
    model: str
    api_key: str = "not-needed"
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 0.5
    temperature: float = 0.0
    meter: Meter = field(default_factory=Meter)
    name: str = "openai"
    _drop_optional: bool = False

    def complete(self, messages: list[Message], max_tokens: int = 1024, json_mode: bool = False) -> Reply:
        body: dict[str, Any] = {"model": self.model, "messages": [_wire(m) for m in messages], "max_tokens": max_tokens}
        if not self._drop_optional:
            body["temperature"] = self.temperature
            if json_mode:
                body["response_format"] = {"type": "json_object"}
        data = self._post("/chat/completions", body)
        try:
            text = data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"{self.base_url} answered without a message: {json.dumps(data)[:200]}") from None
        usage = Usage(int(data.get("usage", {}).get("prompt_tokens", 0)),
                      int(data.get("usage", {}).get("completion_tokens", 0)))
        self.meter.add(usage)
        return Reply(text, usage, data.get("model", self.model))

    def models(self) -> list[str]:
        """The server's model list: `deskpilot doctor` uses it to test the connection."""
        data = self._request("GET", "/models", None)
        return [m.get("id", "") for m in data.get("data", [])]

    def _post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._request("POST", path, body)
        except Rejected as exc:
            if self._drop_optional or not any(k in body for k in OPTIONAL):
                raise ModelError(f"{self.base_url} rejected the request: {exc}") from None
            self._drop_optional = True  # remember for the rest of the run
            return self._request("POST", path, {k: v for k, v in body.items() if k not in OPTIONAL})

    def _request(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        client = JsonClient(self.base_url, {"Authorization": f"Bearer {self.api_key}"}, self.timeout, self.retries,
                            self.backoff, "OPENAI_API_KEY or the key in your DeskPilot settings",
                            "the base URL ends in /v1")
        return client.request(method, path, body)


def _wire(m: Message) -> dict[str, Any]:
    if not m.images:
        return {"role": m.role, "content": m.text}
    parts: list[dict[str, Any]] = [{"type": "text", "text": m.text}]
    parts += [{"type": "image_url", "image_url": {"url": png_data_url(png)}} for png in m.images]
    return {"role": m.role, "content": parts}
