"""Settings: fill the dialog from the config file, check the values, save them as TOML, test the model.

The [agent], [llm] or [native], [vlm], [policy] and [app] tables are the ones the command line reads
(app.engine.agents, models.settings, app.config, planner.policy); other tables in the file are kept as they are."""

from __future__ import annotations

import re
import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from app.config import AppSettings, check_hotkey
from app.qt.controllers.providers import PROVIDERS, check_connection, choice
from app.qt.views.settings_dialog import SettingsDialog
from app.qt.views.settings_form import SettingsForm
from models.native_settings import AgentSettings, NativeSettings
from models.settings import LLMSettings, SettingsError, VLMSettings, config_path, read_config, save_tables
from planner.policy import PolicySettings


class SettingsController(QObject):
    """Reads the four tables into the dialog and writes them back; ``tested`` carries a connection test's result."""

    saved = Signal()
    tested = Signal(object)  # providers.ConnectionCheck

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
            t = read_config(self.path)
            agent, llm = AgentSettings(**t.get("agent", {})), LLMSettings(**t.get("llm", {}))
            native, vlm = NativeSettings(**t.get("native", {})), VLMSettings(**t.get("vlm", {}))
            policy, app = PolicySettings(**t.get("policy", {})), AppSettings(**t.get("app", {}))
        except (SettingsError, ValidationError) as exc:
            d.set_error(f"The settings file has a problem and the defaults are shown: {_sentence(exc)}")
            agent, llm, native = AgentSettings(), LLMSettings(), NativeSettings()
            vlm, policy, app = VLMSettings(), PolicySettings(), AppSettings()
        model: LLMSettings | NativeSettings = native if agent.mode == "native" else llm
        key = f"native:{native.protocol}" if agent.mode == "native" else llm.provider
        d.fill(SettingsForm(
            provider=key, base_url=model.base_url, model=model.model,
            api_key="" if model.api_key in ("not-needed", "keyring") else model.api_key,
            key_kept=model.api_key == "keyring", price_in=model.price_in, price_out=model.price_out,
            max_cost=model.max_cost, direct_only=agent.mode == "direct", patience=agent.patience, vlm_model=vlm.model,
            vlm_ratio=vlm.token_ratio, grounding=app.grounding, input=app.input, display=app.display,
            max_steps=app.max_steps, hide_while_running=app.hide_while_running, workdir=app.workdir,
            code=policy.code, secrets=policy.secrets, risky_clicks=policy.risky_clicks, allow=tuple(policy.allow),
            deny=tuple(policy.deny),
            hotkey=app.hotkey, failsafe=app.failsafe_corner, runs_dir=app.runs_dir))

    def values(self) -> dict[str, dict[str, Any]]:
        """The dialog's values as the config tables, validated; SettingsError names the first bad one."""
        f = self.dialog.form()
        old = read_config(self.path)
        chosen = choice(f.provider)
        model = {**old.get(chosen.table, {}), **chosen.fixed, "model": f.model, "price_in": f.price_in,
                 "price_out": f.price_out, "max_cost": f.max_cost, "base_url": f.base_url,
                 "api_key": f.api_key or _unchanged_key(old.get(chosen.table, {}))}
        if chosen.table == "llm":
            model["provider"] = chosen.key
        if "base_url" not in chosen.fields:
            model.pop("base_url")  # the vendor's own root: an endpoint typed for another provider is not it
        agent = {**old.get("agent", {}), "mode": "direct" if f.direct_only else chosen.mode, "patience": f.patience}
        vlm = {**old.get("vlm", {}), "model": f.vlm_model, "token_ratio": f.vlm_ratio}
        policy = {**old.get("policy", {}), "code": f.code, "secrets": f.secrets, "risky_clicks": f.risky_clicks,
                  "allow": list(f.allow), "deny": list(f.deny)}
        for pattern in f.allow + f.deny:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise SettingsError(f"The pattern {pattern!r} is not a valid regular expression ({exc}).") from None
        app = {**old.get("app", {}), "hotkey": check_hotkey(f.hotkey or AppSettings().hotkey),
               "failsafe_corner": f.failsafe, "grounding": f.grounding, "runs_dir": f.runs_dir, "display": f.display,
               "input": f.input, "max_steps": f.max_steps, "hide_while_running": f.hide_while_running,
               "workdir": f.workdir}
        tables = {"agent": agent, chosen.table: model, "vlm": vlm, "policy": policy, "app": app}
        kinds = {"agent": AgentSettings, "llm": LLMSettings, "native": NativeSettings, "vlm": VLMSettings,
                 "policy": PolicySettings, "app": AppSettings}
        try:
            for name, table in tables.items():
                kinds[name](**table)
        except ValidationError as exc:
            raise SettingsError(_sentence(exc)) from None
        return tables

    def save(self) -> bool:
        """Validate and write; on a bad value the dialog stays open with one sentence."""
        try:
            save_tables(_key_to_keyring(self.values()), self.path)
        except (SettingsError, OSError) as exc:
            self.dialog.set_error(str(exc))
            return False
        self.saved.emit()
        self.dialog.accept()
        return True

    def test(self) -> threading.Thread:
        """Test the model on a worker thread; the answer comes back through ``tested``."""
        f = self.dialog.form()
        self.dialog.set_testing()

        def work() -> None:
            key = f.api_key
            if not key and f.key_kept:  # the key in the keyring is the one to test
                from models import keyring

                try:
                    key = keyring.fetch()
                except keyring.KeyringError:
                    key = ""
            self.tested.emit(check_connection(f.provider, f.base_url, f.model, key))

        worker = threading.Thread(target=work, name="settings-test", daemon=True)
        worker.start()
        return worker


def _sentence(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"The setting {'.'.join(map(str, err['loc']))!r} is invalid: {err['msg']}."
    return str(exc)


def _unchanged_key(table: dict[str, Any]) -> str:
    """An empty key field keeps a key already in the keyring; otherwise it means no key."""
    return "keyring" if table.get("api_key") == "keyring" else "not-needed"


def _key_to_keyring(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Where the desktop has a keyring, the planner's API key goes there and the file only says so
    (models.keyring)."""
    from models import keyring

    if "llm" not in tables:
        return tables
    key = tables["llm"].get("api_key", "not-needed")
    if key in ("not-needed", keyring.MARKER) or keyring.available():
        return tables
    try:
        keyring.store(key)
    except keyring.KeyringError:
        return tables  # the keyring went away meanwhile: the file (written 0600) keeps the key
    return {**tables, "llm": {**tables["llm"], "api_key": keyring.MARKER}}
