""""open X" when nothing on the screen is called X: a program, an application's entry, a file, or a sentence that
there is none (planner/doing/launch.py, planner/doing/pointing.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.doing.launch import launchable
from tests.ui_world import World, drive, el


@pytest.fixture
def entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    apps = tmp_path / "applications"
    apps.mkdir()
    (apps / "org.example.Pad.desktop").write_text("[Desktop Entry]\nName=Example Pad\nExec=sh %F\n"
                                                  "[Desktop Action new]\nName=New\nExec=ls\n")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_DATA_DIRS", str(tmp_path / "none"))
    return apps


def test_a_program_an_entrys_name_and_a_file_are_what_open_starts(entries: Path, tmp_path: Path):
    assert launchable("sh") == "sh"
    assert launchable("Example Pad") == "sh" and launchable("pad") == "sh"
    note = tmp_path / "note.txt"
    note.write_text("x")
    assert launchable(str(note)) in (f"xdg-open {note}", "")  # "" only where xdg-open is not installed
    assert launchable("notarealapp123") == "" and launchable("New") == ""


def test_open_names_no_application_or_file_in_one_sentence_without_waiting(entries: Path):
    world = World([el("button", "Save", (10, 10, 80, 40))])
    result, world = drive("open notarealapp123", world)
    assert "there is no application or file called 'notarealapp123'" in result.lower()
    assert "wait" not in world.log and "scroll" not in world.log
