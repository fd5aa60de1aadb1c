"""Settings: the dialog and its controller read and write the config file the CLI reads; the hotkey check; history."""

import tomllib

import pytest
from PySide6.QtCore import Qt

from app.config import ConfigError, check_hotkey, load_app, load_history, remember
from app.qt.controllers.settings_controller import SettingsController, check_connection
from app.qt.views.settings_dialog import SettingsDialog
from models.settings import load as load_llm
from planner.policy import load_policy
from tests.openai_server import ScriptedServer


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OLLAMA_HOST", "DESKPILOT_LLM_MODEL", "DESKPILOT_LLM_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "deskpilot" / "config.toml"


def make(qtbot, path):
    dialog = SettingsDialog()
    qtbot.addWidget(dialog)
    controller = SettingsController(dialog, path)
    controller.load()
    return dialog, controller


def test_saved_settings_are_what_the_cli_reads_and_other_tables_survive(qtbot, config):
    config.parent.mkdir(parents=True)
    config.write_text('[llm]\ntimeout = 12.0\n\n[recorder]\nfps = 5\n')
    dialog, controller = make(qtbot, config)
    dialog.base_url.setText("http://127.0.0.1:11434/v1")
    dialog.model.setText("qwen2.5vl:7b")
    dialog.price_in.setValue(0.5)
    dialog.code.setCurrentText("deny")
    dialog.secrets.setCurrentText("ask")
    dialog.deny.setPlainText("git push\n\nrm -rf /srv")
    dialog.hotkey.setText("<ctrl>+<shift>+x")
    dialog.failsafe.setChecked(False)
    dialog.runs_dir.setText(str(config.parent / "my-runs"))
    dialog.grounding.setCurrentIndex(dialog.grounding.findData("accessibility"))
    dialog.max_steps.setValue(12)
    with qtbot.waitSignal(controller.saved, timeout=2000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    data = tomllib.loads(config.read_text())
    assert data["recorder"] == {"fps": 5}
    llm = load_llm(path=config)
    assert (llm.base_url, llm.model, llm.timeout, llm.price_in) == ("http://127.0.0.1:11434/v1", "qwen2.5vl:7b",
                                                                    12.0, 0.5)
    policy = load_policy(config)
    assert policy.code == "deny" and policy.secrets == "ask" and policy.deny == ["git push", "rm -rf /srv"]
    app = load_app(config)
    assert (app.hotkey, app.failsafe_corner, app.grounding, app.max_steps) == ("<ctrl>+<shift>+x", False,
                                                                               "accessibility", 12)
    assert app.runs_path() == config.parent / "my-runs"
    # and reopening shows the saved values
    dialog2, _ = make(qtbot, config)
    assert dialog2.model.text() == "qwen2.5vl:7b" and dialog2.hotkey.text() == "<ctrl>+<shift>+x"
    assert dialog2.grounding.currentData() == "accessibility"


def test_a_bad_value_keeps_the_dialog_open_with_one_sentence(qtbot, config):
    dialog, controller = make(qtbot, config)
    dialog.hotkey.setText("s")
    assert controller.save() is False
    assert "needs one or more modifiers" in dialog.error.text()
    assert not config.exists()
    dialog.hotkey.setText("<ctrl>+<alt>+s")
    dialog.allow.setPlainText("([unclosed")
    assert controller.save() is False
    assert "not a valid regular expression" in dialog.error.text()


def test_a_broken_file_shows_defaults_and_says_so(qtbot, config):
    config.parent.mkdir(parents=True)
    config.write_text("[app\nhotkey=")
    dialog, _ = make(qtbot, config)
    assert "not valid TOML" in dialog.error.text()
    assert dialog.hotkey.text() == "<ctrl>+<alt>+<shift>+s"


def test_test_connection_against_a_real_loopback_server(qtbot, config):
    with ScriptedServer([], models=("test-model", "other")) as server:
        dialog, controller = make(qtbot, config)
        dialog.base_url.setText(server.base_url)
        dialog.model.setText("test-model")
        with qtbot.waitSignal(controller.tested, timeout=10000) as blocker:
            qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
        assert blocker.args[0] is True and "test-model" in dialog.test_result.text()
        assert dialog.test_button.isEnabled()
        ok, message = check_connection(server.base_url, "missing", "")
        assert not ok and "does not serve 'missing'" in message
    ok, message = check_connection("http://127.0.0.1:9/v1", "m", "")
    assert not ok and message.endswith(".") and "did not answer" in message
    assert check_connection("", "m", "")[1].startswith("Enter an endpoint")


@pytest.mark.parametrize("text,normal", [("<ctrl>+<alt>+s", "<ctrl>+<alt>+s"), ("Ctrl+Alt+S", "<ctrl>+<alt>+s"),
                                         ("<ctrl>+<shift>+<esc>", "<ctrl>+<shift>+<esc>"),
                                         ("ctrl+f12", "<ctrl>+<f12>")])
def test_hotkeys_are_normalised(text, normal):
    assert check_hotkey(text) == normal


@pytest.mark.parametrize("text", ["s", "<ctrl>+<alt>", "<ctrl>+a+b", "<ctrl>+<hyper>"])
def test_bad_hotkeys_are_refused_with_a_sentence(text):
    with pytest.raises(ConfigError, match=r"\.$"):
        check_hotkey(text)


def test_history_is_newest_first_without_repeats(config):
    remember("click Save")
    remember("type 'x' into  the Name field")
    assert remember("click Save") == ["click Save", "type 'x' into the Name field"]
    assert load_history() == ["click Save", "type 'x' into the Name field"]
