"""Ready model profiles: `deskpilot models profiles|use` writes the exact config, `doctor` tests the chosen one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

from tests.native_server import ProtocolServer
from tests.test_native_cli import cli_env

ROOT = Path(__file__).resolve().parent.parent


def cli(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env={**cli_env(tmp_path), **env},
                          capture_output=True, text=True, timeout=120)


def config(tmp_path: Path) -> Path:
    return tmp_path / "config" / "deskpilot" / "config.toml"


def test_profiles_list_their_exact_config(tmp_path):
    out = cli(tmp_path, "models", "profiles").stdout
    for name in ("claude", "openai", "ui-tars-vllm", "qwen-ollama", "holo-vllm", "planner"):
        assert f"\n{name}: " in "\n" + out
    assert 'protocol = "anthropic"' in out and 'protocol = "qwen25"' in out and 'style = "holo"' in out


def test_use_writes_the_profile_and_keeps_the_rest_of_the_file(tmp_path):
    path = config(tmp_path)
    path.parent.mkdir(parents=True)
    path.write_text('[policy]\ncode = "deny"\n\n[native]\nprotocol = "uitars"\napi_key = "sk-kept"\n'
                    'base_url = "http://127.0.0.1:8000/v1"\n')
    proc = cli(tmp_path, "models", "use", "claude")
    assert proc.returncode == 0, proc.stderr
    data = tomllib.loads(path.read_text())
    assert data["policy"] == {"code": "deny"} and data["agent"] == {"mode": "native"}
    assert data["native"] == {"protocol": "anthropic", "model": "claude-opus-4-5", "api_key": "sk-kept"}
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    bad = cli(tmp_path, "models", "use", "gemini")
    assert bad.returncode == 2 and bad.stderr.startswith("error: There is no profile 'gemini'; choose one of")


def test_doctor_tests_a_native_profile_against_its_server(tmp_path):
    with ProtocolServer(lambda *a: (404, {}), ("ByteDance-Seed/UI-TARS-1.5-7B",)) as server:
        assert cli(tmp_path, "models", "use", "ui-tars-vllm", "--base-url", server.v1).returncode == 0
        ok = cli(tmp_path, "doctor").stdout
        assert f"ok  agent     native uitars model 'ByteDance-Seed/UI-TARS-1.5-7B': {server.v1} answers" in ok
        cli(tmp_path, "models", "use", "ui-tars-vllm", "--base-url", server.v1, "--model", "ui-tars-72b")
        wrong = cli(tmp_path, "doctor").stdout
        assert f"!!  agent     {server.v1} answers but does not serve 'ui-tars-72b'" in wrong
    gone = cli(tmp_path, "doctor").stdout
    assert "!!  agent" in gone and "did not answer" in gone and "check that the server is running" in gone


def test_doctor_tests_claude_with_the_key_and_holo_grounding(tmp_path):
    with ProtocolServer(lambda *a: (404, {}), ("claude-opus-4-5-20251101", "Hcompany/Holo3-35B-A3B")) as server:
        cli(tmp_path, "models", "use", "claude", "--base-url", server.root)
        out = cli(tmp_path, "doctor", ANTHROPIC_API_KEY="sk-test").stdout
        assert f"ok  agent     native anthropic model 'claude-opus-4-5': {server.root} answers" in out
        missing = cli(tmp_path, "doctor").stdout
        assert "!!  agent     The anthropic computer-use model needs an API key: set ANTHROPIC_API_KEY" in missing
        cli(tmp_path, "models", "use", "holo-vllm", "--base-url", server.v1)
        holo = cli(tmp_path, "doctor").stdout
        assert f"ok  vlm       grounding model 'Hcompany/Holo3-35B-A3B' (holo answers) at {server.v1}" in holo
        assert "ok  agent     agent mode planner" in holo
