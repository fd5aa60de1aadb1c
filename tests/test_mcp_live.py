"""`deskpilot mcp` driven by the MCP SDK's own client over stdio: it lists the tools, runs direct commands on
Xvfb in Chromium and reads the screen back; a denied action comes back as a tool error."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "assets" / "examples" / "login.html").as_uri()

pytestmark = [pytest.mark.display, pytest.mark.browser]


def text_of(result) -> str:
    return "\n".join(c.text for c in result.content if c.type == "text")


async def session(tmp_path: Path) -> dict:
    from mcp import Client, StdioServerParameters

    config = tmp_path / "config" / "deskpilot" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text('[policy]\nsecrets = "deny"\n')  # typing a password is refused: no approval over stdio
    env = {"PYTHONPATH": str(ROOT), "XDG_CONFIG_HOME": str(tmp_path / "config"), "HOME": str(tmp_path),
           "PATH": os.environ["PATH"], "DESKPILOT_DEMOS_DIR": str(tmp_path / "demos")}
    server = StdioServerParameters(command=sys.executable, cwd=str(ROOT), env=env,
                                   args=["-m", "app.cli", "mcp", "--headless", "--open", PAGE, "--out",
                                         str(tmp_path / "runs")])
    out: dict = {}
    async with Client(server, read_timeout_seconds=180) as client:
        out["tools"] = sorted(t.name for t in (await client.list_tools()).tools)
        out["user"] = await client.call_tool("type_text", {"text": "Ada", "into": "the Username field"})
        out["password"] = await client.call_tool("type_text", {"text": "hunter2", "into": "the Password field"})
        out["click"] = await client.call_tool("click", {"target": "Sign in"})
        out["look"] = await client.call_tool("look", {"max_lines": 40})
        denied = re.search(r"trajectory: (\S+)", text_of(out["password"]))
        out["denied_run"] = await client.call_tool("read_trajectory", {"folder": denied.group(1) if denied else ""})
        out["bad"] = await client.call_tool("type_text", {"text": "it's \"both\""})
    return out


def test_an_mcp_client_uses_the_desktop_through_deskpilot(tmp_path):
    out = asyncio.run(session(tmp_path))
    assert out["tools"] == ["click", "look", "press", "read_trajectory", "run_task", "type_text"]
    assert not out["user"].is_error and text_of(out["user"]).startswith("done:"), text_of(out["user"])
    assert out["password"].is_error and "Not run" in text_of(out["password"]), text_of(out["password"])
    assert "types a secret" in text_of(out["password"])
    assert not out["click"].is_error, text_of(out["click"])
    look = out["look"]
    assert [c.type for c in look.content] == ["text", "image"] and look.content[1].mime_type == "image/png"
    legend = text_of(look)
    assert legend.startswith("screen 1280x800") and "<screen>" in legend and "Wrong" in legend and '"Ada"' in legend
    assert '"verdict": "deny"' in text_of(out["denied_run"]) and "result: failed" in text_of(out["denied_run"])
    assert out["bad"].is_error and "both ' and" in text_of(out["bad"])
    written = "".join(p.read_text(errors="replace") for p in (tmp_path / "runs").rglob("*") if p.suffix in
                      (".jsonl", ".json", ".txt"))
    assert "hunter2" not in written and "Ada" in written
