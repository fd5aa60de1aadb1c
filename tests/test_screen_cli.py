"""`deskpilot screen` for real: it reads a sign-up page in Chromium on Xvfb as the legend and as JSON, and a display
that does not answer gets one sentence and exit 2."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli.main import main
from app.desktop.browser import ChromiumApp
from app.desktop.capture import wait_for_content
from app.desktop.xvfb import VirtualDisplay

SIGNUP = Path(__file__).resolve().parent.parent / "assets" / "screen" / "signup.html"


def test_a_display_that_does_not_answer_is_one_sentence_and_exit_2(capsys):
    with VirtualDisplay(320, 240) as vd:
        gone = vd.display
    assert main(["screen", "--display", gone]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and f"the display {gone} does not answer" in err


def test_bench_screen_pages_narrows_the_sources_and_an_unknown_page_is_one_sentence(capsys):
    from app.bench.screen import default_sources
    from app.cli.bench_screen import _only_pages

    kept = _only_pages(default_sources(), {"signup", "click-button"})
    assert [(s.name, list(s.pages)) for s in kept] == [("pages", ["assets/screen/signup.html"]),
                                                      ("miniwob", ["click-button"])]
    assert main(["bench", "screen", "--modes", "pixels", "--pages", "no-such-page"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "no screen bench source has a page called 'no-such-page'" in err


@pytest.mark.display
@pytest.mark.browser
def test_screen_prints_the_legend_and_json_of_a_real_page():
    with VirtualDisplay(1024, 768) as vd, ChromiumApp(SIGNUP.as_uri(), vd.display, 1024, 768):
        wait_for_content(vd.display)
        cmd = [sys.executable, "-m", "app.cli", "screen", "--display", vd.display]
        legend = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=True).stdout
        data = json.loads(subprocess.run([*cmd, "--json"], capture_output=True, text=True, timeout=120,
                                         check=True).stdout)
    assert data["width"] == 1024 and data["display"] == vd.display
    controls = [e for e in data["elements"] if e["role"] in ("button", "text_field", "checkbox", "dropdown")]
    assert any(e["role"] == "button" and e.get("name") == "Sign up" for e in controls)
    assert "Sign up" in legend and "controls," in legend.splitlines()[-1]
    # every control the JSON holds is in the legend, by id
    assert all(f"#{e['id']} " in legend for e in controls)


@pytest.mark.display
@pytest.mark.browser
def test_screen_headless_opens_the_page_on_a_display_of_its_own_and_reads_its_tree(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "app.cli", "screen", "--headless", "--open", str(SIGNUP), "--json"],
                          capture_output=True, text=True, timeout=120, cwd=Path(__file__).resolve().parent.parent)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["source"] == "accessibility" and data["display"].endswith("(headless)")
    assert any(e["role"] == "button" and e["name"] == "Sign up" for e in data["elements"])


def test_screen_open_without_headless_and_a_missing_file_are_one_sentence_and_exit_2(capsys, tmp_path):
    assert main(["screen", "--open", str(SIGNUP)]) == 2
    assert "add --headless" in capsys.readouterr().err
    assert main(["screen", "--headless", "--open", str(tmp_path / "gone.html")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is neither a URL nor a file here" in err
