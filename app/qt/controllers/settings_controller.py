"""Settings: fill the dialog from the config file, check the values, save them as TOML, test the endpoint."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QFileDialog

from app.config import AppSettings, ConfigError, check_hotkey, read_tables, save_tables
from app.qt import theme
from app.qt.views.settings_dialog import SettingsDialog
from models.settings import LLMSettings, config_path
from planner.policy import PolicySettings


def check_connection(base_url: str, model: str, api_key: str) -> tuple[bool, str]:
    """List the endpoint's models: (ok, one sentence)."""
    from models.chat import ModelError
    from models.openai_compat import OpenAICompatible

    if not base_url:
        return False, "Enter an endpoint first, e.g. http://127.0.0.1:11434/v1."
    try:
        names = OpenAICompatible(base_url, model, api_key or "not-needed", timeout=8.0, retries=0).models()
    except ModelError as exc:
        return False, str(exc)
    if model and names and model not in names:
        return False, f"It answers, but does not serve {model!r}; it lists {', '.join(names[:4])}."
    listed = f"; it serves {', '.join(names[:3])}" if names else ""
    return True, f"Connected{listed}."


class SettingsController(QObject):
    """Reads and writes the [llm], [policy] and [app] tables of the config file the CLI uses."""

    saved = Signal()
    tested = Signal(bool, str)

    def __init__(self, dialog: SettingsDialog, path: Path | None = None) -> None:
        super().__init__()
        self.dialog = dialog
        self.path = path or config_path()
        dialog.save_button.clicked.connect(self.save)
        dialog.cancel_button.clicked.connect(dialog.reject)
        dialog.test_button.clicked.connect(self.test)
        dialog.browse_button.clicked.connect(self._browse)
        self.tested.connect(self._show_test)

    def load(self) -> None:
        """Put the file's values (or the defaults) into the widgets."""
        d = self.dialog
        d.error.setText("")
        d.test_result.setText("")
        d.path_label.setText(f"Saved to {self.path}; the command line reads the same file.")
        try:
            tables = read_tables(self.path)
            llm = LLMSettings(**tables.get("llm", {}))
            policy = PolicySettings(**tables.get("policy", {}))
            app = AppSettings(**tables.get("app", {}))
        except (ConfigError, ValidationError) as exc:
            d.error.setText(f"The settings file has a problem and the defaults are shown: {_sentence(exc)}")
            llm, policy, app = LLMSettings(), PolicySettings(), AppSettings()
        d.base_url.setText(llm.base_url)
        d.model.setText(llm.model)
        d.api_key.setText("" if llm.api_key in ("not-needed", "keyring") else llm.api_key)
        d.api_key.setPlaceholderText("kept in the keyring" if llm.api_key == "keyring" else "")
        d.price_in.setValue(llm.price_in)
        d.price_out.setValue(llm.price_out)
        d.max_cost.setValue(llm.max_cost)
        d.grounding.setCurrentIndex(max(0, d.grounding.findData(app.grounding)))
        d.input.setCurrentIndex(max(0, d.input.findData(app.input)))
        d.display.setText(app.display)
        d.max_steps.setValue(app.max_steps)
        d.hide_while_running.setChecked(app.hide_while_running)
        d.code.setCurrentText(policy.code)
        d.secrets.setCurrentText(policy.secrets)
        d.allow.setPlainText("\n".join(policy.allow))
        d.deny.setPlainText("\n".join(policy.deny))
        d.hotkey.setText(app.hotkey)
        d.failsafe.setChecked(app.failsafe_corner)
        d.runs_dir.setText(app.runs_dir)
        d.runs_dir.setPlaceholderText(str(AppSettings().runs_path()))

    def values(self) -> dict[str, dict[str, Any]]:
        """The widgets' values as the three tables, validated; ConfigError names the first bad one."""
        import re

        d = self.dialog
        old = read_tables(self.path)
        llm = {**old.get("llm", {}), "base_url": d.base_url.text().strip(), "model": d.model.text().strip(),
               "api_key": d.api_key.text().strip() or _unchanged_key(old), "price_in": d.price_in.value(),
               "price_out": d.price_out.value(), "max_cost": d.max_cost.value()}
        policy = {**old.get("policy", {}), "code": d.code.currentText(), "secrets": d.secrets.currentText(),
                  "allow": _lines(d.allow.toPlainText()), "deny": _lines(d.deny.toPlainText())}
        for pattern in policy["allow"] + policy["deny"]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ConfigError(f"The pattern {pattern!r} is not a valid regular expression ({exc}).") from None
        app = {**old.get("app", {}), "hotkey": check_hotkey(d.hotkey.text() or AppSettings().hotkey),
               "failsafe_corner": d.failsafe.isChecked(), "grounding": d.grounding.currentData(),
               "runs_dir": d.runs_dir.text().strip(), "display": d.display.text().strip(),
               "input": d.input.currentData(), "max_steps": d.max_steps.value(),
               "hide_while_running": d.hide_while_running.isChecked()}
        try:
            LLMSettings(**llm)
            PolicySettings(**policy)
            AppSettings(**app)
        except ValidationError as exc:
            raise ConfigError(_sentence(exc)) from None
        return {"llm": llm, "policy": policy, "app": app}

    def save(self) -> bool:
        """Validate and write; on a bad value the dialog stays open with one sentence."""
        try:
            save_tables(_key_to_keyring(self.values()), self.path)
        except (ConfigError, OSError) as exc:
            self.dialog.error.setText(str(exc))
            return False
        self.saved.emit()
        self.dialog.accept()
        return True

    def test(self) -> threading.Thread:
        """Test the endpoint on a worker thread; the answer comes back through ``tested``."""
        d = self.dialog
        args = (d.base_url.text().strip(), d.model.text().strip(), d.api_key.text().strip())
        d.test_button.setEnabled(False)
        d.test_result.setText("Testing…")
        worker = threading.Thread(target=lambda: self.tested.emit(*check_connection(*args)), daemon=True)
        worker.start()
        return worker

    def _show_test(self, ok: bool, message: str) -> None:
        self.dialog.test_button.setEnabled(True)
        self.dialog.test_result.setText(message)
        self.dialog.test_result.setStyleSheet(f"color:{theme.GOOD if ok else theme.DANGER};")

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self.dialog, "Where runs are kept", self.dialog.runs_dir.text())
        if folder:
            self.dialog.runs_dir.setText(folder)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _sentence(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        return f"The setting {'.'.join(map(str, err['loc']))!r} is invalid: {err['msg']}."
    return str(exc)


def _unchanged_key(tables: dict[str, Any]) -> str:
    """An empty key field keeps a key already in the keyring; otherwise it means no key."""
    return "keyring" if tables.get("llm", {}).get("api_key") == "keyring" else "not-needed"


def _key_to_keyring(tables: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Where the desktop has a keyring, the API key goes there and the file only says so (models.keyring)."""
    from models import keyring

    key = tables["llm"].get("api_key", "not-needed")
    if key in ("not-needed", keyring.MARKER) or keyring.available():
        return tables
    try:
        keyring.store(key)
    except keyring.KeyringError:
        return tables  # the keyring went away meanwhile: the file (written 0600) keeps the key
    return {**tables, "llm": {**tables["llm"], "api_key": keyring.MARKER}}
