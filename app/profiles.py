"""Ready model profiles: the exact config each needs, written into the config file on request, and a check that
the chosen one answers. `deskpilot models profiles|use`, `deskpilot doctor` and the app's Settings call these."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Profile:
    name: str
    title: str
    tables: dict[str, dict[str, Any]]  # the config tables it sets, exactly as written
    needs: str  # what the person provides: a key, or the command that serves the model
    env: tuple[str, ...] = field(default_factory=tuple)  # variables the profile reads


PROFILES = (
    Profile(name="claude", title="Claude computer use (Anthropic's computer tool)",
            tables={"agent": {"mode": "native"}, "native": {"protocol": "anthropic", "model": "claude-opus-4-5"}},
            needs="an Anthropic API key in ANTHROPIC_API_KEY", env=("ANTHROPIC_API_KEY",)),
    Profile(name="openai", title="OpenAI computer use (the Responses API computer tool)",
            tables={"agent": {"mode": "native"}, "native": {"protocol": "openai", "model": "gpt-5.4"}},
            needs="an OpenAI API key in OPENAI_API_KEY", env=("OPENAI_API_KEY",)),
    Profile(name="ui-tars-vllm", title="UI-TARS-1.5-7B on vLLM (native)",
            tables={"agent": {"mode": "native"},
                    "native": {"protocol": "uitars", "base_url": "http://127.0.0.1:8000/v1",
                               "model": "ByteDance-Seed/UI-TARS-1.5-7B"}},
            needs="vllm serve ByteDance-Seed/UI-TARS-1.5-7B --port 8000"),
    Profile(name="qwen-ollama", title="Qwen2.5-VL on Ollama (native)",
            tables={"agent": {"mode": "native"},
                    "native": {"protocol": "qwen25", "base_url": "http://127.0.0.1:11434/v1",
                               "model": "qwen2.5vl:7b"}},
            needs="ollama pull qwen2.5vl:7b (Ollama serves on port 11434)"),
    Profile(name="holo-vllm", title="Holo3 on vLLM: plans as the planner's model and grounds its descriptions",
            tables={"agent": {"mode": "planner"},
                    "llm": {"provider": "openai", "base_url": "http://127.0.0.1:8000/v1",
                            "model": "Hcompany/Holo3-35B-A3B"},
                    "vlm": {"model": "Hcompany/Holo3-35B-A3B", "base_url": "http://127.0.0.1:8000/v1",
                            "style": "holo"}},
            needs="vllm serve Hcompany/Holo3-35B-A3B --port 8000"),
    Profile(name="planner", title="The planner with any chat model (OpenAI-compatible: vLLM, Ollama, LM Studio ...)",
            tables={"agent": {"mode": "planner"},
                    "llm": {"provider": "openai", "base_url": "http://127.0.0.1:8000/v1", "model": "your-model"}},
            needs="any OpenAI-compatible server; give its --base-url and --model"),
)


class ProfileError(ValueError):
    """An unknown profile or an override it cannot take; the message says what to do."""


def find(name: str) -> Profile:
    for p in PROFILES:
        if p.name == name:
            return p
    raise ProfileError(f"There is no profile {name!r}; choose one of {', '.join(p.name for p in PROFILES)}.")


def toml_text(profile: Profile, overrides: dict[str, str] | None = None) -> str:
    """The config lines the profile writes (with ``overrides``: base_url, model)."""
    import tomli_w

    return tomli_w.dumps(_tables(profile, overrides or {}))


def write_profile(name: str, overrides: dict[str, str] | None = None, path: Path | None = None) -> Path:
    """Put the profile's tables into the config file (other tables and an API key already there are kept); the
    file is written readable by its owner only, as every settings write is."""
    from models.settings import read_config, save_tables

    current = read_config(path)
    tables = {}
    for table, values in _tables(find(name), overrides or {}).items():
        key = current.get(table, {}).get("api_key")
        tables[table] = dict(values, **({"api_key": key} if key else {}))
    return save_tables(tables, path)


def _tables(profile: Profile, overrides: dict[str, str]) -> dict[str, dict[str, Any]]:
    tables = {t: dict(v) for t, v in profile.tables.items()}
    model_table = "native" if "native" in tables else "llm" if "llm" in tables else "vlm"
    for key, value in overrides.items():
        if not value:
            continue
        if key not in ("base_url", "model"):
            raise ProfileError(f"A profile takes --base-url and --model, not {key!r}.")
        for table in ([model_table] + (["vlm"] if "vlm" in tables and model_table == "llm" else [])):
            tables[table][key] = value
    return tables


def check_agent() -> tuple[bool, str]:
    """Whether the configured agent can run: for a native model, one request to its server."""
    from models.native_settings import load_agent, load_native
    from models.settings import SettingsError

    try:
        mode = load_agent().mode
        if mode != "native":
            return True, f"agent mode {mode} (the planner's model is checked under llm)"
        settings = load_native()
    except SettingsError as exc:
        return False, str(exc)
    if not settings.configured:
        return False, settings.missing()
    return check_native(settings)


def check_native(settings: Any) -> tuple[bool, str]:
    """List the server's models: a readable sentence for an unreachable server, a refused key or a missing model."""
    from models.chat import ModelError
    from models.http import JsonClient

    if settings.protocol == "anthropic":
        client = JsonClient(settings.base_url, {"x-api-key": settings.api_key, "anthropic-version": "2023-06-01"},
                            min(settings.timeout, 10.0), 1, key_hint="ANTHROPIC_API_KEY or [native] api_key")
        path = "/v1/models"
    else:
        client = JsonClient(settings.base_url, {"Authorization": f"Bearer {settings.api_key}"},
                            min(settings.timeout, 10.0), 1, key_hint="[native] api_key",
                            url_hint="the base URL ends in /v1")
        path = "/models"
    try:
        names = [m.get("id", "") for m in client.request("GET", path).get("data", [])]
    except ModelError as exc:
        return False, str(exc)
    served = any(n == settings.model or n.startswith(settings.model + "-") for n in names)
    if not served and settings.protocol not in ("anthropic", "openai"):
        return False, (f"{settings.base_url} answers but does not serve {settings.model!r}; it lists "
                       f"{', '.join(names[:5]) or 'nothing'}: set [native] model to one of them.")
    return True, f"native {settings.protocol} model {settings.model!r}: {settings.base_url} answers"


def check_served_vlm(settings: Any) -> tuple[bool, str]:
    """The [vlm] grounding server answers and serves the model."""
    from grounding.vlm_server import ServerVLM
    from models.chat import ModelError

    served = ServerVLM(settings.base_url, settings.model, settings.style or "uitars", settings.api_key,
                       timeout=min(settings.timeout, 10.0), retries=1)
    try:
        names = served.models()
    except ModelError as exc:
        return False, str(exc)
    if names and settings.model not in names:
        return False, (f"{settings.base_url} answers but does not serve {settings.model!r}; it lists "
                       f"{', '.join(names[:5])}: set [vlm] model to one of them.")
    return True, f"grounding model {settings.model!r} ({served.style} answers) at {settings.base_url}"
