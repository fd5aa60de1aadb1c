"""Past runs: listing, the step viewer, HTML export (window and CLI); the capture mask; the corner geometry."""

import base64
import re

import numpy as np
import pytest

from app.cli import main
from app.desktop.masked import MASK_RGB, Exclusions, MaskedSource
from app.desktop.stoppers import CornerVisits, in_corner
from app.qt.controllers.runs_controller import RunsController
from app.qt.views.runs_window import RunsWindow
from app.runs.marks import action_marks
from app.runs.store import list_runs, summarise
from grounding.coords import Frame
from planner.trajectory import StepRecord, Trajectory, Usage, read_steps
from tests.fakes import StillScreen
from tests.ui import part


def make_run(root, task, steps, status="done", message="all commands carried out"):
    traj = Trajectory.create(root, task)
    image = np.full((100, 160, 3), 250, np.uint8)
    for i, (action, info) in enumerate(steps):
        record = StepRecord(step=0, action=action, response=f"thought {i + 1}", grounding=info.get("grounding"),
                            outcome=info.get("outcome"), usage=Usage.from_json(info.get("usage")))
        traj.append(record, image)
    if status:
        traj.finish(status, message)
    return traj.folder


@pytest.fixture
def runs(tmp_path):
    root = tmp_path / "runs"
    first = make_run(root, "click Save", [({"kind": "click", "x": 40, "y": 30, "target": "Save"},
                                          {"grounding": {"box": [20, 20, 60, 40]}, "outcome": {"ok": True}}),
                                         ({"kind": "done", "summary": ""}, {})])
    second = make_run(root, "type 'Ada' into the Name field",
                      [({"kind": "type", "text": "Ada"}, {"outcome": {"ok": False, "error": "No field."},
                                                          "usage": {"prompt_tokens": 1200, "completion_tokens": 80,
                                                                    "cost": 0.0048}})],
                      status="stopped", message="Stopped with the hotkey.")
    crashed = make_run(root, "scroll down", [({"kind": "scroll", "x": 1, "y": 1, "dx": 0, "dy": -3}, {})],
                       status="")
    with open(crashed / "traj.jsonl", "a") as fh:
        fh.write('{"step_num": 2, "act')  # a line cut short by a crash
    return root, first, second, crashed


def test_runs_are_listed_newest_first_with_their_results(runs):
    root, first, second, crashed = runs
    listed = list_runs(root)
    assert [r.folder for r in listed] == [crashed, second, first]
    assert listed[1].status == "stopped" and listed[1].tokens == 1280 and listed[1].cost == pytest.approx(0.0048)
    assert summarise(crashed).status == "running" and summarise(crashed).steps == 1
    assert list_runs(root / "missing") == []


def test_the_runs_window_shows_a_run_step_by_step(qtbot, runs):
    root, first, second, _ = runs
    window = RunsWindow()
    qtbot.addWidget(window)
    controller = RunsController(window, root)
    controller.refresh()
    assert len(window.run_keys()) == 3
    window.select_run(str(first))
    assert controller.current.folder == first
    task, result = window.run_texts()
    assert task == "click Save" and "done" in result
    assert window.step_rows() == 2
    window.pick_step(1)
    view = part(window, "view")
    assert view.image is not None and view.image.width() == 160
    assert view.marks.box == (20.0, 20.0, 60.0, 40.0) and view.marks.point == (40.0, 30.0)
    assert '"target": "Save"' in window.step_detail() and "Outcome: ok" in window.step_detail()
    window.select_run(str(second))
    assert "1,280 tokens" in window.run_texts()[1]
    assert window.step_texts(1)[1].startswith("✗ No field.")


def test_export_writes_one_self_contained_html_file(qtbot, runs, tmp_path):
    root, first, *_ = runs
    window = RunsWindow()
    qtbot.addWidget(window)
    controller = RunsController(window, root)
    controller.refresh()
    controller.open_run(first)
    out = controller.export(tmp_path / "out" / "run.html")
    page = out.read_text()
    assert "click Save" in page and "thought 1" in page and "done" in page
    images = re.findall(r"src='data:image/png;base64,([^']+)'", page)
    assert len(images) == 2 and base64.b64decode(images[0])[:8] == b"\x89PNG\r\n\x1a\n"
    assert "src='http" not in page and "<link" not in page and "<script" not in page


def test_report_command(runs, tmp_path, capsys):
    root, first, *_ = runs
    assert main(["report", str(first)]) == 0
    assert (first / "report.html").exists() and "report:" in capsys.readouterr().out
    assert main(["report", str(tmp_path / "nothing")]) == 2
    assert "is not a run folder" in capsys.readouterr().err


def test_masked_source_paints_excluded_rectangles_in_image_pixels():
    image = np.zeros((200, 300, 3), np.uint8)
    exclusions = Exclusions()
    source = MaskedSource(StillScreen(image, changes=False), exclusions)
    assert np.array_equal(source.capture().image, image)
    exclusions.set("overlay", (100, 50, 40, 20))
    seen = source.capture().image
    assert np.all(seen[52:68, 102:138] == MASK_RGB) and seen[100, 200].sum() == 0
    assert image.sum() == 0  # the source's own image is untouched
    exclusions.set("overlay", None)
    assert source.capture().image.sum() == 0


def test_masked_source_follows_the_frame_scale_and_origin():
    class Retina:
        def capture(self):
            from planner.protocols import Observation

            return Observation(np.zeros((400, 600, 3), np.uint8), Frame(1000, 0, 600, 400, scale=2.0))

    exclusions = Exclusions()
    exclusions.set("dialog", (1010, 10, 20, 20))  # desktop pixels on the second monitor
    seen = MaskedSource(Retina(), exclusions).capture().image
    assert np.all(seen[22:58, 22:58] == MASK_RGB) and seen[70, 70].sum() == 0


def test_corners():
    assert in_corner(0, 0, 800, 600, 2) == "top-left"
    assert in_corner(799, 599, 800, 600, 2) == "bottom-right"
    assert in_corner(1, 598, 800, 600, 2) == "bottom-left"
    assert in_corner(400, 0, 800, 600, 2) == "" and in_corner(0, 300, 800, 600, 2) == ""


def test_a_corner_stops_once_per_visit_and_only_when_the_person_pushed_the_pointer_there():
    visits = CornerVisits()
    polls = [("top-left", False), ("top-left", False), ("", False), ("top-left", False), ("top-left", False),
             ("", False), ("bottom-right", True), ("bottom-right", False), ("", False), ("bottom-right", False)]
    fired = [visits.arrived(corner, aims) for corner, aims in polls]
    # already there when watching began: no stop until it left and came back; the agent's own visit is none either
    assert fired == [False, False, False, True, False, False, False, False, False, True]


def test_action_marks_put_typing_and_keys_in_text():
    assert action_marks({"kind": "type", "text": "hi"}).text == "hi"
    assert action_marks({"kind": "key", "keys": ["ctrl", "s"]}).text == "ctrl+s"
    marks = action_marks({"kind": "click", "x": 110, "y": 20}, frame=Frame(100, 0, 50, 50, scale=2.0))
    assert marks.point == (20.0, 40.0)


def test_the_runs_list_follows_the_selection_searches_and_deletes(qtbot, runs, tmp_path):
    root, first, second, crashed = runs
    empty = make_run(root, "make me a sandwich", [], status="failed", message="I can't read it.")
    long_task = "type " + "a very long task " * 12
    make_run(root, long_task, [({"kind": "wait", "seconds": 1}, {})])
    window = RunsWindow()
    qtbot.addWidget(window)
    controller = RunsController(window, root)
    controller.refresh()
    keys = window.run_keys()
    assert len(keys) == 5 and keys[1] == str(empty)
    tree = part(window, "runs")
    assert tree.topLevelItem(0).toolTip(0) == long_task  # elided in the list, whole on hover
    assert tree.textElideMode() == tree.textElideMode().ElideRight
    window.select_run(str(first))
    assert window.step_rows() == 2
    window.select_run(str(empty))  # a run without steps shows its own (empty) details, not the last run's
    assert controller.current.folder == empty and window.step_rows() == 0
    assert part(window, "view").image is None and window.step_detail() == "I can't read it."
    assert window.run_texts()[0] == "make me a sandwich"
    cells = window.run_cells(keys.index(str(second)))
    assert cells[1:4] == ["stopped", "1", "$0.0048"] and cells[4].endswith(" s")
    assert window.run_cells(keys.index(str(first)))[3] == "—"  # no model: no cost
    part(window, "search").setText("NAME field")
    assert window.run_keys() == [str(second)] and controller.current.folder == second
    part(window, "search").setText("no such run")
    assert window.run_keys() == [] and controller.current is None and window.step_rows() == 0
    part(window, "search").setText("")
    window.select_run(str(empty))
    assert controller.delete()
    assert not empty.exists() and str(empty) not in window.run_keys() and controller.current is not None
    with pytest.raises(ValueError, match="is not a run folder"):
        from app.runs.store import delete_run

        delete_run(root, tmp_path)


def test_the_report_shows_code_output_grounding_cost_and_local_times(runs):
    from app.runs.report import run_html

    root = runs[0]
    folder = make_run(root, "count the files", [
        ({"kind": "click", "x": 40, "y": 30, "target": "Files"},
         {"grounding": {"box": [20, 20, 60, 40], "source": "ocr", "confidence": 0.91,
                        "why": "the text 'Files' under the pointer"},
          "outcome": {"ok": True}, "usage": {"prompt_tokens": 1000, "completion_tokens": 50, "cost": 0.0030}}),
        ({"kind": "run_code", "language": "bash", "code": "ls | wc -l"},
         {"outcome": {"ok": True, "output": "42\n"},
          "usage": {"prompt_tokens": 2000, "completion_tokens": 90, "cost": 0.0075}})])
    page = run_html(folder)
    assert "<pre>ls | wc -l</pre>" in page and "<pre>42</pre>" in page
    assert "found by ocr, confidence 0.91: the text &#x27;Files&#x27; under the pointer" in page
    assert "$0.0030 this step" in page and "$0.0045 this step" in page and "2,090 tokens, $0.0075 so far" in page
    stamp = read_steps(folder)[0].timestamp
    from datetime import datetime

    local = datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    assert local in page and stamp not in page  # local time, not the raw ISO stamp
