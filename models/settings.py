"""Model settings, layered: the TOML file in the user config dir, then environment variables, then CLI flags.

```toml
# ~/.config/deskpilot/config.toml
[llm]
base_url = "http://127.0.0.1:8000/v1"   # vLLM, SGLang, Ollama (http://127.0.0.1:11434/v1), LM Studio, OpenAI ...
model = "Qwen2.5-VL-7B-Instruct"
api_key = "not-needed"                  # or "keyring": the key is in the desktop's keyring (models.keyring)
```
Environment: DESKPILOT_LLM_PROVIDER, DESKPILOT_LLM_BASE_URL, DESKPILOT_LLM_MODEL, DESKPILOT_LLM_API_KEY,
DESKPILOT_LLM_MAX_COST ...; the usual OPENAI_BASE_URL, OPENAI_API_KEY, OLLAMA_HOST and ANTHROPIC_API_KEY are read
too. ``provider`` is "openai" (any OpenAI-compatible server), "anthropic", or "transformers" (``model`` is then a
local folder or a Hugging Face cache name); when it is not set, a base URL means "openai" and an Anthropic key
alone means "anthropic".

```toml
[vlm]                       # a local vision-language model as one more grounder (Qwen2-VL family)
model = "showui-2b"         # a folder, a known name (`deskpilot models list`) or a Hugging Face repo id
token_ratio = 0.5           # ShowUI's UI-guided visual token selection; 0 turns it off
```
Environment: DESKPILOT_VLM_MODEL, DESKPILOT_VLM_TOKEN_RATIO, DESKPILOT_VLM_DEVICE ...

```toml
[planner]
reflect = "on_trouble"      # always | on_trouble (an action failed or changed nothing) | never
max_batch = 8               # actions of one worker turn that run
```
Environment: DESKPILOT_PLANNER_REFLECT, DESKPILOT_PLANNER_MAX_BATCH ...
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, Field, ValidationError

T = TypeVar("T", bound=BaseModel)


class LLMSettings(BaseModel):
    """Where the language model is and what a run may spend on it."""

    provider: Literal["openai", "anthropic", "transformers", "scripted"] = Field("openai", description="which backend")
    base_url: str = Field("", description="OpenAI-compatible endpoint ending in /v1, or Anthropic's API root")
    model: str = Field("", description="model name as the server knows it")
    api_key: str = Field("not-needed", description="API key; local servers accept any value")
    timeout: float = Field(60.0, gt=0, description="seconds to wait for one answer")
    retries: int = Field(4, ge=0, description="extra tries on 429, 5xx and timeouts")
    max_tokens: int = Field(0, ge=0, description="token budget for a run (0: none)")
    max_cost: float = Field(0.0, ge=0, description="cost budget for a run in dollars (0: none)")
    price_in: float = Field(0.0, ge=0, description="dollars per million prompt tokens")
    price_out: float = Field(0.0, ge=0, description="dollars per million completion tokens")
    script: str = Field("", description="provider scripted: a JSON file of answers by role, to run offline")

    @property
    def configured(self) -> bool:
        if self.provider == "openai":
            return bool(self.base_url and self.model)
        if self.provider == "anthropic":
            return bool(self.model and self.api_key not in ("", "not-needed"))
        if self.provider == "scripted":
            return bool(self.script)
        return bool(self.model)

    def describe(self) -> str:
        """One phrase naming the model and where it runs, for the CLI and the app."""
        if self.provider == "scripted":
            return f"the scripted answers in {self.script}"
        where = {"openai": f"at {self.base_url}", "anthropic": f"on Anthropic ({self.base_url})",
                 "transformers": "with local transformers"}[self.provider]
        return f"{self.model!r} {where}"


class VLMSettings(BaseModel):
    """A local vision-language model used as a grounder, and its visual token selection."""

    model: str = Field("", description="model folder, known name or repo id (or the served model's name with "
                                       "base_url); empty: no VLM grounder")
    base_url: str = Field("", description="an OpenAI-compatible server ending in /v1 (vLLM, SGLang, Ollama) that "
                                          "serves the model; empty: load the weights in-process")
    api_key: str = Field("not-needed", description="the server's API key; local servers accept any value")
    timeout: float = Field(60.0, gt=0, description="seconds to wait for the server's answer")
    device: str = Field("auto", pattern="^(auto|cpu|cuda)$", description="auto: CUDA (bfloat16) when there, else CPU")
    style: str = Field("", pattern="^(|showui|uitars|uitars1000|qwen25|qwen3|holo)$",
                       description="how the model answers; empty: from the known model, else showui")
    token_ratio: float = Field(0.0, ge=0, lt=1, description="share of each UI component's visual tokens to drop")
    threshold: float = Field(1.0, gt=0, description="L2 distance (0-1 RGB, 28x28 cell) under which cells join")
    selection: str = Field("uniform", pattern="^(uniform|random)$", description="which tokens of a component stay")
    aggressive: bool = Field(False, description="thin the interior of large flat areas twice (not ShowUI's rule)")
    from_layer: int = Field(0, ge=0, description="language-model layers that see every visual token before the "
                                                 "unselected ones are dropped (0: all layers, ShowUI's default)")
    prune_vision: bool = Field(False, description="skip the dropped cells in the vision tower too (not ShowUI's "
                                                  "method; changes the kept tokens' features)")
    min_pixels: int = Field(256 * 28 * 28, gt=0, description="smallest image area the processor resizes to")
    max_pixels: int = Field(1344 * 28 * 28, gt=0, description="largest image area (ShowUI: 1344 cells of 28 px)")
    max_new_tokens: int = Field(32, gt=0, description="longest answer")


class PlannerSettings(BaseModel):
    """How the hierarchical planner spends model calls."""

    reflect: Literal["always", "on_trouble", "never"] = Field(
        "on_trouble", description="when a separate reflector call looks at a worker turn: after every turn, only "
                                  "when an action failed or changed nothing, or never")
    max_batch: int = Field(8, ge=1, le=12, description="actions of one worker turn that run")
    image_width: int = Field(1280, ge=320, description="screenshots wider than this are scaled down for the model")
    settle_wait: float = Field(1.0, ge=0, le=10, description="seconds to look once more when an action changed "
                                                             "nothing yet (0: never)")
    repairs: int = Field(2, ge=0, le=10, description="malformed answers sent back before the run fails")
    grounding_retries: int = Field(2, ge=0, le=10, description="targets not found sent back before a subtask fails")
    max_replans: int = Field(20, ge=1, description="manager plans before the run gives up")
    programmer_budget: int = Field(6, ge=1, le=50, description="code runs per programmer subtask")
    code_timeout: float = Field(60.0, gt=0, le=3600, description="seconds one code run may take")


class SettingsError(ValueError):
    """A settings file or variable holds a bad value; the message names it."""


def config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "deskpilot" / "config.toml"


def load(overrides: dict[str, Any] | None = None, path: Path | None = None) -> LLMSettings:
    """File, then environment, then ``overrides`` (CLI flags); later layers win."""
    values = dict(read_config(path).get("llm", {}))
    env = os.environ
    if env.get("OLLAMA_HOST"):
        host = env["OLLAMA_HOST"]
        values["base_url"] = (host if "://" in host else f"http://{host}").rstrip("/") + "/v1"
    for key, var in (("base_url", "OPENAI_BASE_URL"), ("api_key", "OPENAI_API_KEY")):
        if env.get(var):
            values[key] = env[var]
    settings = _validated(LLMSettings, values, "DESKPILOT_LLM_", overrides, _provider_defaults)
    if settings.api_key == "keyring":  # kept in the desktop's keyring, not in the file (models.keyring)
        from models.keyring import KeyringError, fetch

        try:
            settings = settings.model_copy(update={"api_key": fetch()})
        except KeyringError as exc:
            raise SettingsError(f"The API key cannot be read from the keyring: {exc}.") from None
    return settings


def _provider_defaults(values: dict[str, Any]) -> None:
    """An Anthropic key alone selects Anthropic; Anthropic gets its key and API root unless they were given."""
    env = os.environ
    if "provider" not in values and not values.get("base_url") and env.get("ANTHROPIC_API_KEY"):
        values["provider"] = "anthropic"
    if values.get("provider") == "anthropic":
        if values.get("api_key", "not-needed") == "not-needed" and env.get("ANTHROPIC_API_KEY"):
            values["api_key"] = env["ANTHROPIC_API_KEY"]
        values.setdefault("base_url", "https://api.anthropic.com")


def load_vlm(overrides: dict[str, Any] | None = None, path: Path | None = None) -> VLMSettings:
    """The [vlm] table, then DESKPILOT_VLM_* variables, then ``overrides``."""
    settings = read_table("vlm", VLMSettings, path, "DESKPILOT_VLM_", overrides, what="VLM")
    if settings.prune_vision and settings.from_layer:
        raise SettingsError("The VLM settings prune_vision and from_layer cannot be combined: a pruned vision tower "
                            "leaves the first layers nothing to see in the dropped tokens' places; set one of them.")
    return settings


def load_planner(overrides: dict[str, Any] | None = None, path: Path | None = None) -> PlannerSettings:
    """The [planner] table, then DESKPILOT_PLANNER_* variables, then ``overrides``."""
    return read_table("planner", PlannerSettings, path, "DESKPILOT_PLANNER_", overrides)


def read_config(path: Path | None = None) -> dict[str, Any]:
    """The whole config file as a dict of tables ({} when there is none); SettingsError when it is not TOML."""
    path = path or config_path()
    if not path.exists():
        return {}
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path} is not valid TOML ({exc}); fix or remove it.") from None


def read_table(section: str, cls: type[T], path: Path | None = None, env_prefix: str = "",
               overrides: dict[str, Any] | None = None, finish: Callable[[dict[str, Any]], None] | None = None,
               what: str = "") -> T:
    """The one reader of every table: ``[section]`` of the file, then ``env_prefix``+FIELD variables (none when
    the prefix is empty), then ``overrides``; later layers win. A bad value is a SettingsError naming it."""
    values = dict(read_config(path).get(section, {}))
    return _validated(cls, values, env_prefix, overrides, finish, what or section)


def _validated(cls: type[T], values: dict[str, Any], prefix: str, overrides: dict[str, Any] | None,
               finish: Callable[[dict[str, Any]], None] | None = None, what: str = "model") -> T:
    for field_name in cls.model_fields if prefix else ():
        var = f"{prefix}{field_name.upper()}"
        if os.environ.get(var):
            values[field_name] = os.environ[var]
    values.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    if finish is not None:
        finish(values)
    try:
        return cls(**values)
    except ValidationError as exc:
        err = exc.errors()[0]
        raise SettingsError(f"The {what} setting {err['loc'][0]!r} is invalid: {err['msg']}.") from None


def save_tables(tables: dict[str, dict[str, Any]], path: Path | None = None) -> Path:
    """Replace the given tables in the config file, keep the others, and write it atomically, readable by its
    owner only (it may hold an API key)."""
    import tomli_w

    path = path or config_path()
    data = read_config(path)
    for name, table in tables.items():
        data[name] = {k: v for k, v in table.items() if v is not None}
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".toml.tmp")
    write_private(tmp, tomli_w.dumps(data))
    tmp.replace(path)
    return path


def write_private(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` readable and writable by its owner only (0600), whatever the umask."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an existing file keeps its old mode through O_CREAT
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)


def make_model(settings: LLMSettings) -> Any:
    """The chat model the settings describe."""
    from models.chat import Meter

    meter = Meter(settings.price_in, settings.price_out, settings.max_tokens, settings.max_cost)
    if settings.provider == "anthropic":
        from models.anthropic import AnthropicModel

        return AnthropicModel(settings.model, settings.api_key, settings.base_url, settings.timeout,
                              settings.retries, meter=meter)
    if settings.provider == "scripted":
        from models.fake import RoleScript

        return RoleScript.load(Path(settings.script), meter)
    if settings.provider == "transformers":
        from models.local_chat import TransformersChat

        return TransformersChat(settings.model, meter=meter)
    from models.openai_compat import OpenAICompatible

    return OpenAICompatible(settings.base_url, settings.model, settings.api_key, settings.timeout, settings.retries,
                            meter=meter)
