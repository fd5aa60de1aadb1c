"""Settings: fill the dialog from the config file, check the values, save them as TOML, test the model.

The [llm], [vlm], [policy] and [app] tables are the ones the command line reads (models.settings, app.config,
planner.policy); other tables in the file are kept as they are."""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.config import AppSettings, ConfigError, check_hotkey, read_tables, save_tables
from app.qt.views.settings_dialog import SettingsDialog
from app.qt.views.settings_form import ProviderChoice, SettingsForm
from models.settings import LLMSettings, VLMSettings, config_path
from planner.policy import PolicySettings

PROVIDERS = [
    ProviderChoice(key="openai", label="OpenAI-compatible server",
                   hint="Ollama, vLLM, SGLang, llama.cpp, LM Studio or OpenAI itself: the endpoint ends in /v1. "
                        "Test connection lists the models it serves.",
                   fields=frozenset({"base_url", "model", "api_key"}), url_placeholder="http://127.0.0.1:11434/v1",
                   model_placeholder="qwen2.5vl:7b"),
    ProviderChoice(key="anthropic", label="Anthropic (Claude)",
                   hint="Claude through Anthropic's API with your key (ANTHROPIC_API_KEY is read too).",
                   fields=frozenset({"model", "api_key"}), model_placeholder="claude-sonnet-4-5"),
    ProviderChoice(key="transformers", label="Local model (transformers)",
                   hint="A model folder on this machine, or a Hugging Face name already downloaded; it runs on the "
                        "GPU when there is one, and loads on the first run.",
                   fields=frozenset({"model", "browse"}), model_placeholder="Qwen/Qwen2.5-VL-3B-Instruct"),
    ProviderChoice(key="scripted", label="Scripted answers (offline demo)",
                   hint="Answers from the JSON file named by [llm] script in the config file: the planner without a "
                        "model, for demonstrations and tests.", fields=frozenset()),
]


@dataclass(frozen=True)
class ConnectionCheck:
    ok: bool
    sentence: str
    names: tuple[str, ...] = ()  # the models the server lists


def check_connection(provider: str, base_url: str, model: str, api_key: str) -> ConnectionCheck:
    """Ask the provider what it serves (or find the local folder); one readable sentence either way."""
    from models.chat import ModelError

    try:
        if provider == "transformers":
            from models.local_chat import resolve

            if not model:
                return ConnectionCheck(False, "Enter a model folder, or a Hugging Face name already downloaded.")
            return ConnectionCheck(True, f"Found {resolve(model)}; it loads on the first run.")
        if provider == "scripted":
            return ConnectionCheck(True, "Scripted answers need no connection.")
        names = _listed(provider, base_url, model, api_key)
    except ModelError as exc:
        return ConnectionCheck(False, str(exc))
    if provider == "openai" and not base_url:
        return ConnectionCheck(False, "Enter an endpoint first, e.g. http://127.0.0.1:11434/v1 (Ollama) or "
                                 "http://127.0.0.1:8000/v1 (vLLM).")
    shown = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    if model and names and model not in names:
        return ConnectionCheck(False, f"It answers, but does not serve {model!r}; pick one it lists: {shown}.",
                          tuple(names))
    return ConnectionCheck(True, f"Connected; it serves {shown}." if names else "Connected.", tuple(names))


def _listed(provider: str, base_url: str, model: str, api_key: str) -> list[str]:
    if provider == "anthropic":
        from models.anthropic import AnthropicModel

        return AnthropicModel(model or "-", api_key, base_url or "https://api.anthropic.com", timeout=8.0,
                              retries=0).models()
    if not base_url:
        return []
    from models.openai_compat import OpenAICompatible

    return OpenAICompatible(base_url, model, api_key or "not-needed", timeout=8.0, retries=0).models()


class SettingsController(QObject):
    """Reads the four tables into the dialog and writes them back; ``tested`` carries a connection test's result."""

    saved = Signal()
    tested = Signal(object)  # ConnectionCheck

    def __init__(self, dialog: SettingsDialog, path: Path | None = None) -> None:
        super().__init__()
        self.dialog = dialog
        self.path = path or config_path()
        dialog.save_clicked.connect(self.save)
        dialog.test_clicked.connect(self.test)
        self.tested.connect(lambda r: dialog.show_test(r.ok, r.sentence, list(r.names)))

    @classmethod
    def build(cls, parent: QWidget | None = None, path: Path | None = None) -> SettingsController:
        """The dialog with the providers and the known vision models, and its controller."""
        from models.vlm import KNOWN

        return cls(SettingsDialog(PROVIDERS, list(KNOWN), parent), path)

    def open(self, tab: str = "") -> None:
        self.load()
        if tab:
            self.dialog.show_tab(tab)
        self.dialog.show()
        self.dialog.raise_()
        self.dialog.activateWindow()

    def load(self) -> None:
        """Put the file's values (or the defaults) into the dialog."""
        d = self.dialog
        d.set_error("")
        d.set_note(f"Saved to {self.path}; the command line reads the same file.")
        d.set_placeholders(str(AppSettings().runs_path()))
        try:
            t = read_tables(self.path)
            llm, vlm = LLMSettings(**t.get("llm", {})), VLMSettings(**t.get("vlm", {}))
            policy, app = PolicySettings(**t.get("policy", {})), AppSettings(**t.get("app", {}))
        except (ConfigError, ValidationError) as exc:
            d.set_error(f"The settings file has a problem and the defaults are shown: {_sentence(exc)}")
            llm, vlm, policy, app = LLMSettings(), VLMSettings(), PolicySettings(), AppSettings()
        d.fill(SettingsForm(
            provider=llm.provider, base_url=llm.base_url, model=llm.model,
            api_key="" if llm.api_key == "not-needed" else llm.api_key, price_in=llm.price_in,
            price_out=llm.price_out, max_cost=llm.max_cost, direct_only=app.direct_only, vlm_model=vlm.model,
            vlm_ratio=vlm.token_ratio, grounding=app.grounding, input=app.input, display=app.display,
            max_steps=app.max_steps, hide_while_running=app.hide_while_running, workdir=app.workdir,
            code=policy.code, secrets=policy.secrets, allow=tuple(policy.allow), deny=tuple(policy.deny),
            hotkey=app.hotkey, failsafe=app.failsafe_corner, runs_dir=app.runs_dir))

    def values(self) -> dict[str, dict[str, Any]]:
        """The dialog's values as the four tables, validated; ConfigError names the first bad one."""
        f = self.dialog.form()
        old = read_tables(self.path)
        uses = next((p.fields for p in PROVIDERS if p.key == f.provider), frozenset())
        llm = {**old.get("llm", {}), "provider": f.provider, "model": f.model, "api_key": f.api_key or "not-needed",
               "price_in": f.price_in, "price_out": f.price_out, "max_cost": f.max_cost, "base_url": f.base_url}
        if "base_url" not in uses:
            llm.pop("base_url")  # Anthropic's own root, or none: an endpoint typed for another provider is not it
        vlm = {**old.get("vlm", {}), "model": f.vlm_model, "token_ratio": f.vlm_ratio}
        policy = {"code": f.code, "secrets": f.secrets, "allow": list(f.allow), "deny": list(f.deny)}
        for pattern in f.allow + f.deny:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"The pattern {pattern!r} is not a valid regular expression ({exc}).") from None
        app = {**old.get("app", {}), "hotkey": check_hotkey(f.hotkey or "<ctrl>+<alt>+s"),
               "failsafe_corner": f.failsafe, "grounding": f.grounding, "runs_dir": f.runs_dir, "display": f.display,
               "input": f.input, "max_steps": f.max_steps, "hide_while_running": f.hide_while_running,
               "direct_only": f.direct_only, "workdir": f.workdir}
        try:
            LLMSettings(**llm)
            VLMSettings(**vlm)
            PolicySettings(**policy)
            AppSettings(**app)
        except ValidationError as exc:
            raise ConfigError(_sentence(exc)) from None
        return {"llm": llm, "vlm": vlm, "policy": policy, "app": app}

    def save(self) -> bool:
        """Validate and write; on a bad value the dialog stays open with one sentence."""
        try:
            save_tables(self.values(), self.path)
        except (ConfigError, OSError) as exc:
            self.dialog.set_error(str(exc))
            return False
        self.saved.emit()
        self.dialog.accept()
        return True

    def test(self) -> threading.Thread:
        """Test the model on a worker thread; the answer comes back through ``tested``."""
        f = self.dialog.form()
        self.dialog.set_testing()
        worker = threading.Thread(target=lambda: self.tested.emit(
            check_connection(f.provider, f.base_url, f.model, f.api_key)), name="settings-test", daemon=True)
        worker.start()
        return worker


def _sentence(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"The setting {'.'.join(map(str, err['loc']))!r} is invalid: {err['msg']}."
    return str(exc)
