"""The models the app's Settings offer: the planner's chat-model backends and the native computer-use profiles
(app.profiles), each with the config table it fills, and a connection test that lists what a server serves."""

from __future__ import annotations

from dataclasses import dataclass

from app.profiles import PROFILES
from app.qt.views.settings_form import ProviderChoice
from models.native_settings import VENDOR_URLS

PLANNER = [
    ProviderChoice(key="openai", label="Planner · OpenAI-compatible server",
                   hint="Ollama, vLLM, SGLang, llama.cpp, LM Studio or OpenAI itself: the endpoint ends in /v1. "
                        "Test connection lists the models it serves.",
                   fields=frozenset({"base_url", "model", "api_key"}), url_placeholder="http://127.0.0.1:11434/v1",
                   model_placeholder="qwen2.5vl:7b"),
    ProviderChoice(key="anthropic", label="Planner · Anthropic (Claude)",
                   hint="Claude plans through Anthropic's API with your key (ANTHROPIC_API_KEY is read too); "
                        "DeskPilot grounds its descriptions on the screen.",
                   fields=frozenset({"model", "api_key"}), model_placeholder="claude-sonnet-4-5"),
    ProviderChoice(key="transformers", label="Planner · local model (transformers)",
                   hint="A model folder on this machine, or a Hugging Face name already downloaded; it runs on the "
                        "GPU when there is one, and loads on the first run.",
                   fields=frozenset({"model", "browse"}), model_placeholder="Qwen/Qwen2.5-VL-3B-Instruct"),
    ProviderChoice(key="scripted", label="Planner · scripted answers (offline demo)",
                   hint="Answers from the JSON file named by [llm] script in the config file: the planner without a "
                        "model, for demonstrations and tests.", fields=frozenset()),
]


def _native_choices() -> list[ProviderChoice]:
    """One entry per native profile: the model answers every step with actions in its own coordinates."""
    choices = []
    for profile in PROFILES:
        native = profile.tables.get("native")
        if profile.tables.get("agent", {}).get("mode") != "native" or not native:
            continue
        vendor = native["protocol"] in VENDOR_URLS
        choices.append(ProviderChoice(
            key=f"native:{native['protocol']}", label=f"Native · {profile.title}", table="native", mode="native",
            fixed={"protocol": native["protocol"]},
            hint=f"A computer-use model decides every step itself (one call a step). It needs {profile.needs}.",
            fields=frozenset({"model", "api_key"} if vendor else {"base_url", "model", "api_key"}),
            url_placeholder=native.get("base_url", ""), model_placeholder=native.get("model", "")))
    return choices


PROVIDERS = PLANNER + _native_choices()


def choice(key: str) -> ProviderChoice:
    """The entry for ``key`` (the first one for a key this list does not have)."""
    return next((p for p in PROVIDERS if p.key == key), PROVIDERS[0])


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    sentence: str
    names: tuple[str, ...] = ()  # the models the server lists


def check_connection(key: str, base_url: str, model: str, api_key: str) -> ConnectionCheck:
    """Ask the provider what it serves (or find the local folder); one readable sentence either way."""
    from models.chat import ModelError

    if key == "scripted":
        return ConnectionCheck(True, "Scripted answers need no connection.")
    try:
        if key == "transformers":
            from models.local_chat import resolve

            if not model:
                return ConnectionCheck(False, "Enter a model folder, or a Hugging Face name already downloaded.")
            return ConnectionCheck(True, f"Found {resolve(model)}; it loads on the first run.")
        url = base_url or _vendor_url(key)
        if not url:
            return ConnectionCheck(False, "Enter an endpoint first, e.g. http://127.0.0.1:11434/v1 (Ollama) or "
                                          "http://127.0.0.1:8000/v1 (vLLM).")
        names = _listed(key, url, model, api_key)
    except ModelError as exc:
        return ConnectionCheck(False, str(exc))
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    if model and names and model not in names:
        return ConnectionCheck(False, f"It answers, but does not serve {model!r}; pick one it lists: {shown}.",
                               tuple(names))
    return ConnectionCheck(True, f"Connected; it serves {shown}." if names else "Connected.", tuple(names))


def _vendor_url(key: str) -> str:
    if key == "anthropic":
        return VENDOR_URLS["anthropic"]
    return VENDOR_URLS.get(key.removeprefix("native:"), "") if key.startswith("native:") else ""


def _listed(key: str, url: str, model: str, api_key: str) -> list[str]:
    if key in ("anthropic", "native:anthropic"):
        from models.anthropic import AnthropicModel

        return AnthropicModel(model or "-", api_key, url, timeout=8.0, retries=0).models()
    from models.openai_compat import OpenAICompatible

    return OpenAICompatible(url, model, api_key or "not-needed", timeout=8.0, retries=0).models()
