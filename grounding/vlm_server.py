"""A grounding model served over HTTP (OpenAI-compatible chat: vLLM, SGLang, Ollama), as Agent S2/S3 pair their
planner with UI-TARS-1.5-7B on vLLM: the planner's description goes in with the screenshot, a point comes out.

It is a ``PointModel`` for grounding.vlm.VLMGrounder, so answers are read and mapped back exactly as the
in-process model's are. The screenshot is resized here to the size the server's processor would choose (Qwen's
smart resize: multiples of 28, [vlm] min_pixels..max_pixels; 32 for Qwen3-VL and Holo), so answers in pixels of
"the image the model saw" are pixels of the image sent.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np

from grounding.vlm_tokens import MERGED, smart_resize
from models.chat import ModelError, png_data_url
from models.http import JsonClient, Rejected

FACTORS = {"qwen3": 32, "holo": 32}  # patch 16 x 2 merge; the Qwen2-VL family is 28
OPTIONAL = ("temperature", "chat_template_kwargs")


@dataclass(frozen=True)
class Sent:
    """What one request carries: the resized screenshot and its size (w, h), as VLMGrounder reads them."""

    image: np.ndarray
    resized: tuple[int, int]
    grid: tuple[int, int]
    messages: list[dict[str, Any]]


@dataclass
class ServerVLM:
    """``style`` names the answer format (showui, uitars, qwen25, qwen3, holo)."""

    base_url: str
    model: str
    style: str
    api_key: str = "not-needed"
    min_pixels: int = 256 * 28 * 28
    max_pixels: int = 16384 * 28 * 28
    timeout: float = 60.0
    retries: int = 2
    _drop_optional: bool = False

    def encode(self, messages: list[dict], image: np.ndarray) -> Sent:
        import cv2

        factor = FACTORS.get(self.style, MERGED)
        h, w = smart_resize(image.shape[0], image.shape[1], factor, self.min_pixels, self.max_pixels)
        shown = image if (w, h) == (image.shape[1], image.shape[0]) else \
            cv2.resize(image, (w, h), interpolation=cv2.INTER_AREA)
        return Sent(shown, (w, h), (h // factor, w // factor), messages)

    def seen_image(self, encoded: Sent) -> np.ndarray:
        return encoded.image

    def generate(self, encoded: Sent, keep: np.ndarray | None = None, max_new_tokens: int = 32,
                 prune_vision: bool = False, from_layer: int = 0) -> str:
        """The server's answer to the grounding prompt (token selection does not apply to a served model)."""
        url = png_data_url(_png(encoded.image))
        wire = [{"role": m["role"], "content": [_part(p, url) for p in m["content"]]} for m in encoded.messages]
        body: dict[str, Any] = {"model": self.model, "messages": wire, "max_tokens": max(max_new_tokens, 64)}
        if not self._drop_optional:
            body["temperature"] = 0.0
            if self.style == "holo":  # Holo localizes without a thinking trace
                body["chat_template_kwargs"] = {"enable_thinking": False}
        data = self._post(body)
        try:
            return data["choices"][0]["message"]["content"] or ""
        except (KeyError, IndexError, TypeError):
            raise ModelError(f"{self.base_url} answered without a message: {json.dumps(data)[:200]}") from None

    def models(self) -> list[str]:
        """The server's model list (`deskpilot doctor`)."""
        return [m.get("id", "") for m in self._client().request("GET", "/models").get("data", [])]

    def _post(self, body: dict[str, Any]) -> dict[str, Any]:
        try:
            return self._client().request("POST", "/chat/completions", body)
        except Rejected as exc:
            if self._drop_optional or not any(k in body for k in OPTIONAL):
                raise ModelError(f"{self.base_url} rejected the grounding request: {exc}") from None
            self._drop_optional = True
            return self._client().request("POST", "/chat/completions",
                                          {k: v for k, v in body.items() if k not in OPTIONAL})

    def _client(self) -> JsonClient:
        return JsonClient(self.base_url, {"Authorization": f"Bearer {self.api_key}"}, self.timeout, self.retries,
                          key_hint="[vlm] api_key", url_hint="[vlm] base_url ends in /v1")


def _part(part: dict[str, Any], url: str) -> dict[str, Any]:
    if part.get("type") == "image":
        return {"type": "image_url", "image_url": {"url": url}}
    return {"type": "text", "text": part.get("text", "")}


def _png(image: np.ndarray) -> bytes:
    import cv2

    ok, data = cv2.imencode(".png", cv2.cvtColor(image, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        raise ValueError("the screenshot could not be encoded")
    return data.tobytes()
