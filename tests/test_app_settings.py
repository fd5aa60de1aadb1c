"""Settings: the dialog and its controller read and write the config file the CLI reads; the hotkey check; history."""

import tomllib

import pytest

from app.config import check_hotkey, load_app, load_history, remember
from app.qt.controllers.settings_controller import SettingsController, check_connection
from models.native_settings import load_agent
from models.settings import SettingsError
from models.settings import load as load_llm
from planner.policy import load_policy
from tests.openai_server import ScriptedServer
from tests.ui import click, part


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "OLLAMA_HOST", "DESKPILOT_LLM_MODEL", "DESKPILOT_LLM_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    return tmp_path / "deskpilot" / "config.toml"


def make(qtbot, path):
    controller = SettingsController.build(None, path)
    qtbot.addWidget(controller.dialog)
    controller.load()
    return controller.dialog, controller


def test_saved_settings_are_what_the_cli_reads_and_other_tables_survive(qtbot, config):
    config.parent.mkdir(parents=True)
    config.write_text('[llm]\ntimeout = 12.0\n\n[recorder]\nfps = 5\n')
    dialog, controller = make(qtbot, config)
    part(dialog, "base_url").setText("http://127.0.0.1:11434/v1")
    part(dialog, "model").setEditText("qwen2.5vl:7b")
    part(dialog, "price_in").setValue(0.5)
    part(dialog, "code").setCurrentText("deny")
    part(dialog, "secrets").setCurrentText("ask")
    part(dialog, "risky_clicks").setCurrentText("deny")
    part(dialog, "deny").setPlainText("git push\n\nrm -rf /srv")
    part(dialog, "hotkey").setText("<ctrl>+<shift>+x")
    part(dialog, "failsafe").setChecked(False)
    part(dialog, "runs_dir").setText(str(config.parent / "my-runs"))
    grounding = part(dialog, "grounding")
    grounding.setCurrentIndex(grounding.findData("accessibility"))
    part(dialog, "max_steps").setValue(12)
    assert part(dialog, "patience").value() == 8  # the default, as the command line has it
    part(dialog, "patience").setValue(3)
    with qtbot.waitSignal(controller.saved, timeout=2000):
        click(qtbot, dialog, "save_button")
    data = tomllib.loads(config.read_text())
    assert data["recorder"] == {"fps": 5}
    llm = load_llm(path=config)
    assert (llm.base_url, llm.model, llm.timeout, llm.price_in) == ("http://127.0.0.1:11434/v1", "qwen2.5vl:7b",
                                                                    12.0, 0.5)
    policy = load_policy(config)
    assert policy.code == "deny" and policy.secrets == "ask" and policy.deny == ["git push", "rm -rf /srv"]
    assert policy.risky_clicks == "deny"
    app = load_app(config)
    assert (app.hotkey, app.failsafe_corner, app.grounding, app.max_steps) == ("<ctrl>+<shift>+x", False,
                                                                               "accessibility", 12)
    assert app.runs_path() == config.parent / "my-runs"
    assert load_agent(path=config).patience == 3
    # and reopening shows the saved values
    shown = make(qtbot, config)[0].form()
    assert shown.model == "qwen2.5vl:7b" and shown.hotkey == "<ctrl>+<shift>+x"
    assert shown.grounding == "accessibility"


def test_a_bad_value_keeps_the_dialog_open_with_one_sentence(qtbot, config):
    dialog, controller = make(qtbot, config)
    part(dialog, "hotkey").setText("s")
    assert controller.save() is False
    assert "needs one or more modifiers" in dialog.error()
    assert not config.exists()
    part(dialog, "hotkey").setText("<ctrl>+<alt>+s")
    part(dialog, "allow").setPlainText("([unclosed")
    assert controller.save() is False
    assert "not a valid regular expression" in dialog.error()


def test_a_broken_file_shows_defaults_and_says_so(qtbot, config):
    config.parent.mkdir(parents=True)
    config.write_text("[app\nhotkey=")
    dialog, _ = make(qtbot, config)
    assert "not valid TOML" in dialog.error()
    assert dialog.form().hotkey == "<ctrl>+<alt>+<shift>+s"


def test_test_connection_against_a_real_loopback_server(qtbot, config):
    with ScriptedServer([], models=("test-model", "other")) as server:
        dialog, controller = make(qtbot, config)
        part(dialog, "base_url").setText(server.base_url)
        part(dialog, "model").setEditText("test-model")
        with qtbot.waitSignal(controller.tested, timeout=10000) as blocker:
            click(qtbot, dialog, "test_button")
        assert blocker.args[0].ok is True and "test-model" in dialog.test_result()
        assert dialog.model_choices() == ["test-model", "other"]  # a picker, not a sentence to copy from
        assert part(dialog, "test_button").isEnabled()
        missing = check_connection("openai", server.base_url, "missing", "")
        assert not missing.ok and "does not serve 'missing'" in missing.sentence
    down = check_connection("openai", "http://127.0.0.1:9/v1", "m", "")
    assert not down.ok and down.sentence.endswith(".") and "did not answer" in down.sentence
    assert check_connection("openai", "", "m", "").sentence.startswith("Enter an endpoint")


@pytest.mark.parametrize("text,normal", [("<ctrl>+<alt>+s", "<ctrl>+<alt>+s"), ("Ctrl+Alt+S", "<ctrl>+<alt>+s"),
                                         ("<ctrl>+<shift>+<esc>", "<ctrl>+<shift>+<esc>"),
                                         ("ctrl+f12", "<ctrl>+<f12>")])
def test_hotkeys_are_normalised(text, normal):
    assert check_hotkey(text) == normal


@pytest.mark.parametrize("text", ["s", "<ctrl>+<alt>", "<ctrl>+a+b", "<ctrl>+<hyper>"])
def test_bad_hotkeys_are_refused_with_a_sentence(text):
    with pytest.raises(SettingsError, match=r"\.$"):
        check_hotkey(text)


def test_history_is_newest_first_without_repeats(config):
    remember("click Save")
    remember("type 'x' into  the Name field")
    assert remember("click Save") == ["click Save", "type 'x' into the Name field"]
    assert load_history() == ["click Save", "type 'x' into the Name field"]


def test_each_provider_shows_its_fields_and_saves_what_the_cli_reads(qtbot, config):
    from app.engine.agents import choose_agent
    from models.native_settings import load_agent, load_native
    from models.settings import load_vlm

    dialog, controller = make(qtbot, config)
    provider = part(dialog, "provider")
    keys = [provider.itemData(i) for i in range(provider.count())]
    assert keys[:4] == ["openai", "anthropic", "transformers", "scripted"]
    assert {"native:anthropic", "native:openai", "native:uitars", "native:qwen25"} <= set(keys)  # the profiles
    assert dialog.shown_fields() == {"base_url", "model", "api_key"}
    provider.setCurrentIndex(keys.index("anthropic"))
    assert dialog.shown_fields() == {"model", "api_key"}  # Anthropic's own API root
    provider.setCurrentIndex(keys.index("transformers"))
    assert dialog.shown_fields() == {"model"} and not part(dialog, "model_browse").isHidden()

    provider.setCurrentIndex(keys.index("native:uitars"))
    part(dialog, "base_url").setText("http://127.0.0.1:8000/v1")
    part(dialog, "model").setEditText("ByteDance-Seed/UI-TARS-1.5-7B")
    part(dialog, "vlm_model").setEditText("showui-2b")
    part(dialog, "vlm_ratio").setValue(0.5)
    assert controller.save()
    assert load_agent(path=config).mode == "native"
    native = load_native(path=config)
    assert (native.protocol, native.base_url, native.model) == ("uitars", "http://127.0.0.1:8000/v1",
                                                                "ByteDance-Seed/UI-TARS-1.5-7B")
    vlm = load_vlm(path=config)
    assert (vlm.model, vlm.token_ratio) == ("showui-2b", 0.5)

    dialog, controller = make(qtbot, config)  # reopened: the native profile is what it shows
    assert dialog.form().provider == "native:uitars" and dialog.form().model == "ByteDance-Seed/UI-TARS-1.5-7B"
    part(dialog, "direct_only").setChecked(True)
    assert dialog.shown_fields() == set() and not part(dialog, "test_button").isEnabled()
    assert controller.save()
    assert load_agent(path=config).mode == "direct" and load_native(path=config).model  # kept for later
    assert choose_agent().mode == "direct"  # the switch the command line obeys too


def test_test_connection_errors_are_whole_sentences(qtbot, config):
    dialog, controller = make(qtbot, config)
    part(dialog, "base_url").setText("http://127.0.0.1:9/v1")
    part(dialog, "model").setEditText("m")
    with qtbot.waitSignal(controller.tested, timeout=20000) as blocker:
        click(qtbot, dialog, "test_button")
    sentence = blocker.args[0].sentence
    assert not blocker.args[0].ok and dialog.test_result() == sentence and sentence.endswith(".")
    assert "127.0.0.1:9" in sentence and part(dialog, "test_result").wordWrap()  # shown whole, never cut


def test_a_native_profile_is_tested_against_its_server(config):
    from app.qt.controllers.providers import check_connection

    with ScriptedServer([], models=("ByteDance-Seed/UI-TARS-1.5-7B",)) as server:
        found = check_connection("native:uitars", server.base_url, "ByteDance-Seed/UI-TARS-1.5-7B", "")
        assert found.ok and found.names == ("ByteDance-Seed/UI-TARS-1.5-7B",)
        wrong = check_connection("native:uitars", server.base_url, "qwen2.5vl:7b", "")
        assert not wrong.ok and "does not serve 'qwen2.5vl:7b'" in wrong.sentence
