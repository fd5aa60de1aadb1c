"""Model settings, layered: the TOML file in the user config dir, then environment variables, then CLI flags.

```toml
# ~/.config/deskpilot/config.toml
[llm]
base_url = "http://127.0.0.1:8000/v1"   # vLLM, SGLang, Ollama (http://127.0.0.1:11434/v1), LM Studio, OpenAI ...
model = "Qwen2.5-VL-7B-Instruct"
api_key = "not-needed"
```
Environment: DESKPILOT_LLM_PROVIDER, DESKPILOT_LLM_BASE_URL, DESKPILOT_LLM_MODEL, DESKPILOT_LLM_API_KEY,
DESKPILOT_LLM_MAX_COST ...; the usual OPENAI_BASE_URL, OPENAI_API_KEY, OLLAMA_HOST and ANTHROPIC_API_KEY are read
too. ``provider`` is "openai" (any OpenAI-compatible server), "anthropic", or "transformers" (``model`` is then a
local folder or a Hugging Face cache name); when it is not set, a base URL means "openai" and an Anthropic key
alone means "anthropic".
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError


class LLMSettings(BaseModel):
    """Where the language model is and what a run may spend on it."""

    provider: Literal["openai", "anthropic", "transformers"] = Field("openai", description="which backend")
    base_url: str = Field("", description="OpenAI-compatible endpoint ending in /v1, or Anthropic's API root")
    model: str = Field("", description="model name as the server knows it")
    api_key: str = Field("not-needed", description="API key; local servers accept any value")
    timeout: float = Field(60.0, gt=0, description="seconds to wait for one answer")
    retries: int = Field(4, ge=0, description="extra tries on 429, 5xx and timeouts")
    max_tokens: int = Field(0, ge=0, description="token budget for a run (0: none)")
    max_cost: float = Field(0.0, ge=0, description="cost budget for a run in dollars (0: none)")
    price_in: float = Field(0.0, ge=0, description="dollars per million prompt tokens")
    price_out: float = Field(0.0, ge=0, description="dollars per million completion tokens")

    @property
    def configured(self) -> bool:
        if self.provider == "openai":
            return bool(self.base_url and self.model)
        if self.provider == "anthropic":
            return bool(self.model and self.api_key not in ("", "not-needed"))
        return bool(self.model)

    def describe(self) -> str:
        """One phrase naming the model and where it runs, for the CLI and the app."""
        where = {"openai": f"at {self.base_url}", "anthropic": f"on Anthropic ({self.base_url})",
                 "transformers": "with local transformers"}[self.provider]
        return f"{self.model!r} {where}"


class SettingsError(ValueError):
    """A settings file or variable holds a bad value; the message names it."""


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "deskpilot" / "config.toml"


def load(overrides: dict[str, Any] | None = None, path: Path | None = None) -> LLMSettings:
    """File, then environment, then ``overrides`` (CLI flags); later layers win."""
    values: dict[str, Any] = {}
    path = path or config_path()
    if path.exists():
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")).get("llm", {}))
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{path} is not valid TOML ({exc}); fix or remove it.") from None
    env = os.environ
    if env.get("OLLAMA_HOST"):
        host = env["OLLAMA_HOST"]
        values["base_url"] = (host if "://" in host else f"http://{host}").rstrip("/") + "/v1"
    for key, var in (("base_url", "OPENAI_BASE_URL"), ("api_key", "OPENAI_API_KEY")):
        if env.get(var):
            values[key] = env[var]
    for field_name in LLMSettings.model_fields:
        var = f"DESKPILOT_LLM_{field_name.upper()}"
        if env.get(var):
            values[field_name] = env[var]
    values.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    if "provider" not in values and not values.get("base_url") and env.get("ANTHROPIC_API_KEY"):
        values["provider"] = "anthropic"
    if values.get("provider") == "anthropic":
        if values.get("api_key", "not-needed") == "not-needed" and env.get("ANTHROPIC_API_KEY"):
            values["api_key"] = env["ANTHROPIC_API_KEY"]
        values.setdefault("base_url", "https://api.anthropic.com")
    try:
        return LLMSettings(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SettingsError(f"The model setting {err['loc'][0]!r} is invalid: {err['msg']}.") from None


def make_model(settings: LLMSettings) -> Any:
    """The chat model the settings describe."""
    from models.chat import Meter

    meter = Meter(settings.price_in, settings.price_out, settings.max_tokens, settings.max_cost)
    if settings.provider == "anthropic":
        from models.anthropic import AnthropicModel

        return AnthropicModel(settings.model, settings.api_key, settings.base_url, settings.timeout,
                              settings.retries, meter=meter)
    if settings.provider == "transformers":
        from models.local_chat import TransformersChat

        return TransformersChat(settings.model, meter=meter)
    from models.openai_compat import OpenAICompatible

    return OpenAICompatible(settings.base_url, settings.model, settings.api_key, settings.timeout, settings.retries,
                            meter=meter)
