"""The planner grounds its descriptions through a grounding model served over HTTP (as Agent S3 uses UI-TARS on
vLLM): `deskpilot run` with [vlm] base_url, on icon buttons no words name, answered in UI-TARS and Qwen styles."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from PIL import Image

from grounding.locate import shows
from grounding.parser import ScreenParser
from tests.fakes import RoleScript
from tests.native_server import ProtocolServer, centre, decode
from tests.openai_server import ScriptedServer
from tests.test_native_cli import cli_env

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "tests" / "pages" / "icons.html").as_uri()
COLOURS = {"red": (229, 57, 53), "blue": (30, 136, 229)}
FACTOR = {"uitars": 28, "qwen25": 28, "qwen3": 32}


class Grounder:
    """A served grounding model: finds the described icon by its colour in the image it got, answers in a style."""

    def __init__(self, style: str) -> None:
        self.style = style
        self.problems: list[str] = []
        self.targets: list[str] = []

    def __call__(self, path: str, headers: dict[str, str], body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        parts = body["messages"][-1]["content"]
        image = decode(next(p["image_url"]["url"] for p in parts if p["type"] == "image_url"))
        prompt = " ".join(p["text"] for p in parts if p["type"] == "text")
        self.targets.append(prompt)
        if image.shape[0] % FACTOR[self.style] or image.shape[1] % FACTOR[self.style]:
            self.problems.append(f"the image {image.shape[:2]} is not resized as the model's processor would")
        colour = next(c for word, c in COLOURS.items() if re.search(rf"\b{word}\b", prompt))
        x, y = centre(image, colour) or (0.0, 0.0)
        if self.style == "uitars":
            text = f"({round(x)},{round(y)})"
        else:
            if self.style == "qwen3":
                x, y = x / image.shape[1] * 999, y / image.shape[0] * 999
            text = json.dumps({"point_2d": [round(x), round(y)], "label": "the icon"})
        return 200, {"choices": [{"message": {"role": "assistant", "content": text}}],
                     "usage": {"prompt_tokens": 900, "completion_tokens": 12}}


def act(kind: str, **fields: Any) -> dict[str, Any]:
    return {"thought": f"next: {kind}", "action": {"type": kind, **fields}}


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize(("style", "scale"), [("uitars", 1.0), ("uitars", 2.0), ("qwen25", 1.0), ("qwen25", 2.0),
                                              ("qwen3", 2.0)])
def test_the_planner_grounds_icons_through_a_served_model(tmp_path, style, scale):
    planner = RoleScript(manager=[{"subtasks": [{"title": "press the record and stop tools"}]},
                                  {"done": True, "summary": "pressed both"}],
                         worker=[act("click", target="the red round button"),
                                 act("click", target="the blue square button"), act("done", summary="pressed")])
    grounder = Grounder(style)
    env = cli_env(tmp_path)
    with ScriptedServer([planner] * 30) as llm, ProtocolServer(grounder, ("ui-tars-1.5-7b",)) as vlm:
        config = tmp_path / "config" / "deskpilot" / "config.toml"
        config.parent.mkdir(parents=True)
        config.write_text(f'[vlm]\nmodel = "ui-tars-1.5-7b"\nbase_url = "{vlm.v1}"\nstyle = "{style}"\n'
                          f"max_pixels = {1280 * 28 * 28}\n")
        proc = subprocess.run(
            [sys.executable, "-m", "app.cli", "run", "Press the record tool, then the stop tool", "--headless",
             "--open", PAGE, "--scale", f"{scale:g}", "--out", str(tmp_path / "runs"), "--base-url", llm.base_url,
             "--model", "test-model"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert grounder.problems == [], grounder.problems
    # the served model gets the worker's own words for the element
    assert len(grounder.targets) == 2 and "the red round button" in grounder.targets[0]
    run = next((tmp_path / "runs").iterdir())
    steps = [json.loads(line) for line in (run / "traj.jsonl").read_text().splitlines()]
    sources = [s["grounding"]["source"] for s in steps if s.get("grounding")]
    assert sources == ["vlm", "vlm"], sources
    last = np.asarray(Image.open(run / steps[-1]["screenshot_file"]).convert("RGB"))
    assert shows(ScreenParser(incremental=False).parse(last).visible_text(), "Pressed: circle, square")
