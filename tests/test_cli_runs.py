"""`deskpilot runs`: the past runs newest first, filtered by how they ended or by words, the newest one's folder for
`deskpilot report`; and the runs folder `run`, `runs` and the app agree on ($DESKPILOT_RUNS, then [app] runs_dir)."""

import json
import os
import time

import pytest

from app.cli.main import main
from app.engine.options import runs_root
from planner.trajectory import StepRecord, Trajectory


@pytest.fixture
def config(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.delenv("DESKPILOT_RUNS", raising=False)
    path = tmp_path / "config" / "deskpilot" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def a_run(root, name, task, status, message, steps):
    traj = Trajectory.create(root, task, name=name)
    for n in range(steps):
        traj.append(StepRecord(step=n + 1, action={"kind": "wait", "seconds": 0.1}, outcome={"ok": True}))
    traj.finish(status, message)
    stamp = time.time() - 100 + len(os.listdir(root))  # made in this order: the last is the newest
    os.utime(traj.folder / "task.json", (stamp, stamp))
    return traj.folder


def test_runs_are_listed_newest_first_and_filtered(tmp_path, capsys):
    root = tmp_path / "runs"
    root.mkdir()
    a_run(root, "20261201-090000-000001", "click Save", "done", "Task finished.", 2)
    a_run(root, "20261201-100000-000002", "book a table for four", "failed", "The Book button is disabled.", 5)
    newest = a_run(root, "20261201-110000-000003", "open mousepad and save notes", "done", "Saved.", 7)
    assert main(["runs", "--dir", str(root)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["run", "status", "steps", "time", "cost", "task"]
    assert [line.split()[0] for line in out[1:4]] == ["20261201-110000-000003", "20261201-100000-000002",
                                                      "20261201-090000-000001"]
    assert out[2].split()[1:3] == ["failed", "5"] and out[2].endswith("book a table for four")
    assert out[4].startswith(f"(3 runs in {root};")
    assert main(["runs", "--dir", str(root), "--status", "failed", "--json"]) == 0
    (only,) = json.loads(capsys.readouterr().out)
    assert (only["task"], only["message"], only["steps"]) == ("book a table for four", "The Book button is "
                                                                                       "disabled.", 5)
    assert main(["runs", "--dir", str(root), "--find", "SAVE", "--limit", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 3 and "open mousepad" in out[1] and "1 older not shown (--limit)" in out[2]
    assert main(["runs", "--dir", str(root), "--last"]) == 0
    assert capsys.readouterr().out.strip() == str(newest)
    assert main(["runs", "--dir", str(root), "--find", "spreadsheet", "--last"]) == 1
    assert capsys.readouterr().out.strip() == f"No run matching 'spreadsheet' in {root}."


def test_bad_input_is_one_sentence_and_exit_status_2(tmp_path, capsys):
    assert main(["runs", "--dir", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a folder: give the folder runs are written to" in err
    assert main(["runs", "--dir", str(tmp_path), "--status", "finished"]) == 2
    assert "--status finished is no way a run ends; use one or more of done, failed," in capsys.readouterr().err


def test_run_runs_and_the_app_share_one_runs_folder(config, tmp_path, monkeypatch, capsys):
    from app.config import load_app

    assert runs_root() == tmp_path / "data" / "deskpilot" / "runs" == load_app().runs_path()
    config.write_text(f'[app]\nruns_dir = "{tmp_path / "mine"}"\n')
    assert runs_root() == tmp_path / "mine" == load_app().runs_path()  # `run` wrote elsewhere before
    monkeypatch.setenv("DESKPILOT_RUNS", str(tmp_path / "env"))
    assert runs_root() == tmp_path / "env" == load_app().runs_path()
    assert main(["runs"]) == 0
    assert capsys.readouterr().out.startswith(f"No run in {tmp_path / 'env'} yet")
