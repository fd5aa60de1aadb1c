"""Any server speaking the OpenAI chat-completions protocol: vLLM, SGLang, Ollama, llama.cpp, LM Studio, OpenAI.

Retries with exponential backoff on 429, 5xx, connection errors and timeouts; a server that rejects an
optional parameter (vLLM's 400 on unknown fields) is asked again without the optional ones.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from models.chat import Message, Meter, ModelError, Reply, Usage, png_data_url

OPTIONAL = ("temperature", "top_p", "seed")


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

    def complete(self, messages: list[Message], max_tokens: int = 1024) -> Reply:
        body: dict[str, Any] = {"model": self.model, "messages": [_wire(m) for m in messages], "max_tokens": max_tokens}
        if not self._drop_optional:
            body["temperature"] = self.temperature
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
        except _Rejected as exc:
            if self._drop_optional or not any(k in body for k in OPTIONAL):
                raise ModelError(f"{self.base_url} rejected the request: {exc}") from None
            self._drop_optional = True  # remember for the rest of the run
            return self._request("POST", path, {k: v for k, v in body.items() if k not in OPTIONAL})

    def _request(self, method: str, path: str, body: dict[str, Any] | None) -> dict[str, Any]:
        url = self.base_url.rstrip("/") + path
        payload = json.dumps(body).encode() if body is not None else None
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            req = urllib.request.Request(url, data=payload, method=method, headers={
                "Content-Type": "application/json", "Authorization": f"Bearer {self.api_key}"})
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return json.loads(resp.read() or b"{}")
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode(errors="replace")[:300]
                if exc.code == 429 or exc.code >= 500:
                    last = f"HTTP {exc.code}: {detail}"
                    continue
                if exc.code == 400:
                    raise _Rejected(detail) from None
                if exc.code in (401, 403):
                    raise ModelError(f"{url} refused the API key (HTTP {exc.code}); set OPENAI_API_KEY or "
                                     "the key in your DeskPilot settings.") from None
                raise ModelError(f"{url} answered HTTP {exc.code}: {detail}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last = str(getattr(exc, "reason", exc))
                continue
        raise ModelError(f"{url} did not answer after {self.retries + 1} tries ({last}); check that the server "
                         "is running and the base URL ends in /v1.")


class _Rejected(Exception):
    """A 400 answer: the server refused the request's shape (often an optional parameter it does not know)."""


def _wire(m: Message) -> dict[str, Any]:
    if not m.images:
        return {"role": m.role, "content": m.text}
    parts: list[dict[str, Any]] = [{"type": "text", "text": m.text}]
    parts += [{"type": "image_url", "image_url": {"url": png_data_url(png)}} for png in m.images]
    return {"role": m.role, "content": parts}
