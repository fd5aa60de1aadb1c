"""[agent] patience: how many more looks a direct command gives a target that is not on the screen yet, read like
the other tables (file, then DESKPILOT_AGENT_PATIENCE) and carried by compose into the interpreter it builds."""

import pytest

from app.engine.compose import Parts, compose
from app.engine.options import RunOptions
from grounding.elements import Box, Element, Screen
from models.native_settings import load_agent
from models.settings import SettingsError
from planner.actions import Wait
from tests.fakes import FixedParser, RecordingExecutor, StillScreen


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """The test's own config file, empty, and no DESKPILOT_AGENT_PATIENCE but the test's."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.delenv("DESKPILOT_AGENT_PATIENCE", raising=False)
    (tmp_path / "config" / "deskpilot").mkdir(parents=True)
    return tmp_path / "config" / "deskpilot" / "config.toml"


def test_the_agent_tables_patience_then_the_environment(config, monkeypatch):
    assert load_agent().patience == 8  # the default
    config.write_text("[agent]\npatience = 20\n")
    assert load_agent().patience == 20
    monkeypatch.setenv("DESKPILOT_AGENT_PATIENCE", "2")
    assert load_agent().patience == 2


def _click_save(tmp_path):
    """`click Save` on a still screen with only an OK button: what the run ended with and the waits it took."""
    executor = RecordingExecutor()
    screen = Screen(100, 100, (Element(Box(10, 10, 60, 30), "button", name="OK"),))
    options = RunOptions(task="click Save", display=":4242", out=tmp_path / "runs", workdir=str(tmp_path),
                         agent="direct")
    result = compose(options, parts=Parts(source=StillScreen(), executor=executor, parser=FixedParser(screen))).run()
    return result, [a for a in executor.actions if isinstance(a, Wait)]


@pytest.mark.parametrize("patience", [None, 0, 3])
def test_a_direct_command_looks_again_as_often_as_its_patience_says(tmp_path, monkeypatch, patience):
    if patience is not None:
        monkeypatch.setenv("DESKPILOT_AGENT_PATIENCE", str(patience))
    result, waits = _click_save(tmp_path)
    assert result.status == "failed" and result.message.startswith("Nothing on the screen matches"), result.message
    assert len(waits) == (8 if patience is None else patience)


def test_a_bad_patience_fails_the_direct_run_in_one_sentence(config, tmp_path):
    config.write_text("[agent]\npatience = -1\n")
    with pytest.raises(SettingsError, match=r"^The agent setting 'patience' is invalid"):
        load_agent()
    result, waits = _click_save(tmp_path)
    assert result.status == "failed" and result.message.startswith("The agent setting 'patience' is invalid")
    assert waits == []
