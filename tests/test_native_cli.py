"""`deskpilot run --agent native` end to end: a Qwen2.5-VL protocol server fills the form in Chromium on Xvfb."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from grounding.locate import shows
from grounding.parser import ScreenParser
from tests.native_models import Qwen
from tests.native_server import ProtocolServer

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "tests" / "pages" / "native_form.html").as_uri()


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "DESKPILOT_DEMOS_DIR": str(tmp_path / "d")}
    for var in ("OPENAI_API_KEY", "OLLAMA_HOST", "ANTHROPIC_API_KEY", "OPENAI_BASE_URL"):
        env.pop(var, None)
    return env


@pytest.mark.display
@pytest.mark.browser
def test_deskpilot_run_with_a_native_agent_fills_the_form(tmp_path):
    script = Qwen()
    with ProtocolServer(script) as server:
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", "run", "Sign Ada Lovelace from London up and save", "--headless",
             "--open", PAGE, "--scale", "2", "--out", str(tmp_path / "runs"), "--agent", "native", "--protocol",
             "qwen25", "--base-url", server.v1, "--model", "test-model"],
            cwd=ROOT, env=cli_env(tmp_path), capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"agent: native computer-use model 'test-model' (qwen25 protocol) at {server.v1}" in proc.stdout
    assert script.problems == [], script.problems
    run = next((tmp_path / "runs").iterdir())
    assert json.loads((run / "task.json").read_text())["agent"] == "native"
    steps = [json.loads(line) for line in (run / "traj.jsonl").read_text().splitlines()]
    last = np.asarray(Image.open(run / steps[-1]["screenshot_file"]).convert("RGB"))
    assert shows(ScreenParser(incremental=False).parse(last).visible_text(),
                 "Saved Ada Lovelace from London, newsletter yes")


def test_a_native_agent_without_a_server_is_one_sentence_and_exit_2(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "click Save", "--agent", "native", "--protocol",
                           "uitars", "--model", "ui-tars", "--display", ":0"], cwd=ROOT, env=cli_env(tmp_path),
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "error: The uitars native agent needs the server's address: set [native] base_url (e.g. "
        "http://127.0.0.1:8000/v1) or --base-url."]
