"""Settings for a native computer-use model (the [native] table) and which agent a run uses (the [agent] table).

```toml
[agent]
mode = "native"                 # planner | native | direct

[native]
protocol = "anthropic"          # anthropic | openai | uitars | qwen25 | qwen3
model = "claude-opus-4-5"
# base_url defaults to the vendor's API for anthropic and openai; for uitars and qwen it is your server (/v1)
```
Environment: DESKPILOT_AGENT_MODE, DESKPILOT_NATIVE_PROTOCOL, DESKPILOT_NATIVE_BASE_URL, DESKPILOT_NATIVE_MODEL,
DESKPILOT_NATIVE_API_KEY ...; ANTHROPIC_API_KEY (anthropic) and OPENAI_API_KEY (openai) are read when no key is set.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from models.settings import read_table

PROTOCOLS = ("anthropic", "openai", "uitars", "qwen25", "qwen3")
VENDOR_URLS = {"anthropic": "https://api.anthropic.com", "openai": "https://api.openai.com/v1"}
KEY_VARS = {"anthropic": "ANTHROPIC_API_KEY", "openai": "OPENAI_API_KEY"}


class AgentSettings(BaseModel):
    """Which agent decides the steps of a run."""

    mode: Literal["planner", "native", "direct"] = Field(
        "planner", description="planner: a chat model plans and DeskPilot grounds; native: a computer-use model "
                               "answers with actions and coordinates; direct: the offline command interpreter")
    patience: int = Field(8, ge=0, le=100, description="direct commands: how many more looks (a quarter second "
                                                       "apart) a target not on the screen yet gets before the "
                                                       "command fails; more for slow applications")


class NativeSettings(BaseModel):
    """A computer-use model that looks at the screenshot and answers with actions in its own coordinate frame."""

    protocol: Literal["anthropic", "openai", "uitars", "qwen25", "qwen3"] = Field(
        "anthropic", description="the model's action protocol, which also decides how its coordinates are read")
    base_url: str = Field("", description="API root (Anthropic), or an endpoint ending in /v1 (OpenAI, vLLM, ...)")
    model: str = Field("", description="model name as the server knows it")
    api_key: str = Field("not-needed", description="API key; local servers accept any value")
    timeout: float = Field(120.0, gt=0, description="seconds to wait for one answer")
    retries: int = Field(4, ge=0, description="extra tries on 429, 5xx and timeouts")
    max_tokens: int = Field(0, ge=0, description="token budget for a run (0: none)")
    max_cost: float = Field(0.0, ge=0, description="cost budget for a run in dollars (0: none)")
    price_in: float = Field(0.0, ge=0, description="dollars per million prompt tokens")
    price_out: float = Field(0.0, ge=0, description="dollars per million completion tokens")
    reply_tokens: int = Field(1024, gt=0, description="longest answer per call")
    max_pixels: int = Field(0, ge=0, description="largest screenshot area sent (0: the protocol's own limit)")
    keep_images: int = Field(3, ge=1, description="screenshots kept in the conversation; older ones are dropped")
    legend: bool = Field(False, description="also send the parsed screen as text, fenced in <screen>")
    tool: Literal["computer", "computer_use_preview"] = Field(
        "computer", description="OpenAI only: the GA computer tool or the older preview tool")
    exchanges: int = Field(6, ge=1, description="model calls a step may make while answers carry no action")

    @property
    def configured(self) -> bool:
        if self.protocol in KEY_VARS:
            return bool(self.model and self.api_key not in ("", "not-needed"))
        return bool(self.base_url and self.model)

    def describe(self) -> str:
        """One phrase naming the model, its protocol and where it runs."""
        return f"{self.model!r} ({self.protocol} protocol) at {self.base_url}"

    def missing(self) -> str:
        """What a run still needs, in one sentence (empty when configured)."""
        if self.configured:
            return ""
        if not self.model:
            return "The native agent needs a model: set [native] model (or DESKPILOT_NATIVE_MODEL, or --model)."
        if self.protocol in KEY_VARS:
            return (f"The {self.protocol} computer-use model needs an API key: set {KEY_VARS[self.protocol]} or "
                    "[native] api_key.")
        return (f"The {self.protocol} native agent needs the server's address: set [native] base_url (e.g. "
                "http://127.0.0.1:8000/v1) or --base-url.")


def load_agent(overrides: dict[str, Any] | None = None, path: Path | None = None) -> AgentSettings:
    """The [agent] table, then DESKPILOT_AGENT_MODE and DESKPILOT_AGENT_PATIENCE, then ``overrides``."""
    return read_table("agent", AgentSettings, path, "DESKPILOT_AGENT_", overrides, what="agent")


def load_native(overrides: dict[str, Any] | None = None, path: Path | None = None) -> NativeSettings:
    """The [native] table, then DESKPILOT_NATIVE_* variables, then ``overrides``; vendor defaults filled in."""
    return read_table("native", NativeSettings, path, "DESKPILOT_NATIVE_", overrides, _vendor_defaults, "native")


def _vendor_defaults(values: dict[str, Any]) -> None:
    """Anthropic and OpenAI get their API root and their usual key variable unless they were given."""
    protocol = values.get("protocol", "anthropic")
    if protocol in VENDOR_URLS:
        values.setdefault("base_url", VENDOR_URLS[protocol])
        if values.get("api_key", "not-needed") == "not-needed" and os.environ.get(KEY_VARS[protocol]):
            values["api_key"] = os.environ[KEY_VARS[protocol]]
