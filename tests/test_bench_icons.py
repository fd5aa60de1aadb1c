"""`deskpilot bench icons` on a small held-out theme: its standard actions counted right, wrong or unnamed, its
other pictures counted when named; a folder that is not there is one sentence and exit 2."""

import json
import shutil

import pytest

from app.cli.main import main
from grounding.icon_refs import REFERENCE_THEMES, ROOTS

TANGO = ROOTS[0] / "Tango" / "22x22" / "actions"
pytestmark = pytest.mark.skipif(not all((ROOTS[0] / t).is_dir() for t in REFERENCE_THEMES),
                                reason="the reference icon themes are not installed (installers/linux.sh)")


def test_a_held_out_theme_is_counted_and_written_as_json(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    actions = tmp_path / "themes" / "Other" / "22x22" / "actions"
    actions.mkdir(parents=True)
    (actions.parent.parent / "index.theme").write_text("[Icon Theme]\nName=Other\n")
    for name in ("edit-undo", "edit-redo", "address-book-new"):  # two standard actions, one other picture
        shutil.copy(TANGO / f"{name}.png", actions)
    out = tmp_path / "icons.json"
    assert main(["bench", "icons", "--held-out", str(tmp_path / "themes"), "--json", str(out)]) == 0
    result = json.loads(out.read_text())
    assert result["themes"] == ["Other"]
    assert (result["actions"], result["right"], result["others"]) == (2, 2, 1)  # Tango draws them: both named
    assert result["others_named"] == 0 and result["precision"] == 1.0
    assert "coverage 1.000" in capsys.readouterr().out


def test_a_held_out_folder_that_is_not_there_is_one_sentence_and_exit_2(tmp_path, capsys):
    assert main(["bench", "icons", "--held-out", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "is not a folder of icon themes" in err


def test_a_theme_named_that_the_folder_lacks_is_one_sentence_and_exit_2(tmp_path, capsys):
    assert main(["bench", "icons", "--held-out", str(tmp_path), "--themes", "Papirus"]) == 2
    assert "no icon theme called 'Papirus'" in capsys.readouterr().err
