"""MiniWoB++ in real Chromium on Xvfb: pixels in, OS input out, the page's own reward as the judge."""

import json

import pytest

from app.bench.miniwob import MiniwobBench, summarise, table
from planner.trajectory import load

pytestmark = [pytest.mark.display, pytest.mark.browser]

TASKS = ["click-button", "click-link", "click-checkboxes", "enter-password", "choose-list", "click-dialog-2"]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("miniwob")
    return MiniwobBench(TASKS, episodes=2, seed=7, out=out).run(), out


def test_every_task_is_solved_from_pixels(results):
    res, _ = results
    summary = summarise(res)
    print(table(summary))
    for name in TASKS:
        assert summary["tasks"][name]["successes"] >= 1, (name, [r.message for r in res if r.task == name])
    assert summary["success_rate"] >= 0.8


def test_episodes_leave_trajectories(results):
    res, out = results
    for r in res:
        steps = load(r.folder)
        assert steps and steps[-1]["done"]
        task = json.loads((out / r.task / f"episode-{r.episode:03d}" / "task.json").read_text())
        assert task["miniwob_task"] == r.task
        if r.task == "enter-password":  # the password typed is masked wherever the trajectory would hold it
            secret = r.utterance.split('"')[1]
            assert task["task"] == r.utterance.replace(secret, "•" * 8)
            assert secret not in (out / r.task / f"episode-{r.episode:03d}" / "traj.jsonl").read_text()
        else:
            assert task["task"] == r.utterance


def test_summary_json_shape(results):
    summary = summarise(results[0])
    task = summary["tasks"]["click-button"]
    assert set(task) >= {"episodes", "successes", "mean_steps", "median_step_seconds"}
    assert set(task["step_seconds_split"]) == {"capture", "parse", "decide", "model", "act"}
    assert 0 <= summary["success_rate"] <= 1
    assert summary["false_done"] == sum(r.status == "done" and not r.success for r in results[0])
