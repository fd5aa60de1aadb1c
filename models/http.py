"""JSON over HTTP with the retry rules every chat backend shares: backoff on 429, 5xx, timeouts and dropped
connections; a 400 is raised as Rejected so the backend can retry without optional parameters."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any

from models.chat import ModelError


class Rejected(Exception):
    """A 400 answer: the server refused the request's shape (often an optional parameter it does not know)."""


@dataclass
class JsonClient:
    base_url: str
    headers: dict[str, str] = field(default_factory=dict)
    timeout: float = 60.0
    retries: int = 4
    backoff: float = 0.5
    key_hint: str = "the key in your DeskPilot settings"
    url_hint: str = "the base URL is right"

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        """The decoded JSON answer; ModelError with one sentence once the retries are spent."""
        url = self.base_url.rstrip("/") + path
        payload = json.dumps(body).encode() if body is not None else None
        last = ""
        for attempt in range(self.retries + 1):
            if attempt:
                time.sleep(self.backoff * 2 ** (attempt - 1))
            req = urllib.request.Request(url, data=payload, method=method,
                                         headers={"Content-Type": "application/json", **self.headers})
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as resp:
                    return json.loads(resp.read() or b"{}")
            except urllib.error.HTTPError as exc:
                detail = exc.read().decode(errors="replace")[:300]
                if exc.code == 429 or exc.code >= 500:
                    last = f"HTTP {exc.code}: {detail}"
                    continue
                if exc.code == 400:
                    raise Rejected(detail) from None
                if exc.code in (401, 403):
                    raise ModelError(f"{url} refused the API key (HTTP {exc.code}); set {self.key_hint}.") from None
                raise ModelError(f"{url} answered HTTP {exc.code}: {detail}") from None
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                last = str(getattr(exc, "reason", exc))
                continue
        raise ModelError(f"{url} did not answer after {self.retries + 1} tries ({last}); check that the server "
                         f"is running and {self.url_hint}.")
