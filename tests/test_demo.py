"""`make run`'s main job, end to end: Xvfb, Chromium, the demo form, a typed command, a checked outcome."""

import pytest

from app.cli.demo import run_demo

pytestmark = [pytest.mark.display, pytest.mark.browser]


def test_demo_fills_and_saves_the_form(tmp_path, capsys):
    assert run_demo(tmp_path) == 0
    out = capsys.readouterr().out
    assert "screen check: the page shows" in out
    assert "trajectory:" in out


def test_demo_reports_a_missing_outcome(tmp_path, capsys):
    code = run_demo(tmp_path, command="click Save", expected="Saved Ada Lovelace from London, newsletter yes")
    assert code == 1
    assert "MISSING on screen" in capsys.readouterr().out
