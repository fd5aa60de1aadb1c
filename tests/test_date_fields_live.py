"""Date and time fields in Chromium (<input type=date|time>), through a real worker turn: the legend names each as
a text field with its format, `type` fills it part by part in the field's order (not Ctrl+A over the page), and a
`type` the field did not take comes back to the worker as what the field shows."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from app.testing.desktop import Desktop
from grounding.locate import shows
from grounding.parser import ScreenParser
from tests.fakes import RoleScript
from tests.openai_server import ScriptedServer

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "tests" / "pages" / "booking.html").as_uri()


def _run(script: RoleScript, tmp_path: Path, grounding: str) -> tuple[subprocess.CompletedProcess, list[dict]]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "DESKPILOT_DEMOS_DIR": str(tmp_path / "demos")}
    for var in ("OPENAI_API_KEY", "OLLAMA_HOST", "ANTHROPIC_API_KEY"):
        env.pop(var, None)
    with ScriptedServer([script] * 20) as server:
        proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "Book my arrival", "--headless", "--open", PAGE,
                               "--grounding", grounding, "--base-url", server.base_url, "--model", "test-model",
                               "--out", str(tmp_path / "runs")], cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=300)
    run = next((tmp_path / "runs").iterdir())
    return proc, [json.loads(line) for line in (run / "traj.jsonl").read_text().splitlines()]


def _script() -> RoleScript:
    return RoleScript(
        manager=[{"subtasks": [{"title": "fill in the arrival"}]}, {"done": True, "summary": "booked"}],
        worker=[{"thought": "the date first, in words", "actions": [
                    {"type": "type", "text": "soon", "into": "the Arrival date field"}]},
                {"thought": "it needs a date", "actions": [
                    {"type": "type", "text": "12/24/2026", "into": "the Arrival date field", "replace": True},
                    {"type": "type", "text": "7:05 PM", "into": "the Arrival time field"}]},
                {"thought": "both show", "action": {"type": "done", "summary": "arrival filled"}}])


def _typed_part_by_part(script: RoleScript, tmp_path: Path, grounding: str) -> list[dict]:
    """The run's steps, once its worker was told that "soon" left the date field empty and the date and time were
    typed in the fields' own order, never with Ctrl+A (which selects the whole page)."""
    proc, steps = _run(script, tmp_path, grounding)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'the field shows "" after typing' in script.prompts("worker")[1]  # "soon" is no date it can hold
    assert [s["action"]["text"] for s in steps if s["action"]["kind"] == "type"][-2:] == ["12242026", "0705P"]
    assert not any(s["action"]["kind"] == "key" and s["action"]["keys"] == ["ctrl", "a"] for s in steps)
    return steps


@pytest.mark.display
@pytest.mark.browser
def test_date_and_time_fields_read_and_typed_through_the_tree(tmp_path):
    script = _script()
    _typed_part_by_part(script, tmp_path, "accessibility")
    first, _, last = script.prompts("worker")[:3]
    assert 'text field "Arrival date" = "" (mm/dd/yyyy)' in first and "readonly" not in first
    assert 'text field "Arrival time" = "" (hh:mm AM/PM)' in first
    assert '"Arrival date" = "12/24/2026"' in last and '"Arrival time" = "07:05 PM"' in last
    assert "Arriving on 2026-12-24 at 19:05" in last


@pytest.mark.display
@pytest.mark.browser
def test_date_and_time_fields_typed_from_their_placeholders_in_the_pixels(tmp_path):
    steps = _typed_part_by_part(_script(), tmp_path, "pixels")  # the order read off "mm/dd/yyyy" and "--:-- --"
    last = next((tmp_path / "runs").iterdir()) / steps[-1]["screenshot_file"]
    text = ScreenParser(incremental=False).parse(np.asarray(Image.open(last).convert("RGB"))).visible_text()
    assert shows(text, "Arriving on 2026-12-24 at 19:05"), text


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("a11y", [True, False], ids=["tree", "pixels"])
def test_direct_commands_set_and_retype_dates_and_times(tmp_path, a11y):
    with Desktop(tmp_path, 900, 500, a11y=a11y) as d:
        d.launch(open=str(ROOT / "tests" / "pages" / "booking.html"))
        for command in ("set the arrival date to 24 December 2026", "set the arrival time to 7:05 pm",
                        "type 12/25/2027 into Departure date"):
            result = d.do(command)
            assert result.status == "done", (command, result.message)
        assert d.expect("text", "Arriving on 2026-12-24 at 19:05").ok, d.visible_text()
        assert d.expect("text", "Leaving on 2027-12-25").ok, d.visible_text()  # the date it held was replaced
