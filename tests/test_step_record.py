"""The typed step record drawn back: at device scale 2 and on the second of two monitors the HTML report and the
runs viewer draw the click on the element that was clicked (checked from the pixels they drew); a version-1
trajectory still opens; `deskpilot test` honours a policy file that denies a step."""

import base64
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.engine.compose import Parts, compose
from app.engine.options import RunOptions
from grounding.coords import Frame
from planner.protocols import Observation
from planner.trajectory import frame_of, read_steps
from tests.ui import part

ROOT = Path(__file__).resolve().parent.parent
PAGE = (ROOT / "assets" / "bench" / "targets.html").as_uri()
REPORT_ACCENT = (37, 99, 235)


class Retina:
    """A capture at two image pixels per logical pixel (a HiDPI screen): clicks must be mapped back through it."""

    def __init__(self, source):
        self.source = source

    def capture(self) -> Observation:
        obs = self.source.capture()
        image = np.repeat(np.repeat(obs.image, 2, axis=0), 2, axis=1)
        f = obs.frame
        return Observation(image, Frame(f.left, f.top, f.width * 2, f.height * 2, f.scale * 2), obs.timestamp)


def accent_centre(rgb: np.ndarray, colour: tuple[int, int, int], tolerance: int = 12) -> tuple[float, float]:
    """The centre of the pixels drawn in the mark colour (the click's ring and dot)."""
    near = np.abs(rgb.astype(int) - np.array(colour)).max(axis=2) <= tolerance
    ys, xs = np.nonzero(near)
    assert len(xs) > 20, "no mark drawn"
    return float(np.median(xs)), float(np.median(ys))


def report_image(folder: Path, step: int = 1) -> np.ndarray:
    from PIL import Image

    from app.runs.report import run_html

    pngs = re.findall(r"data:image/png;base64,([A-Za-z0-9+/=]+)", run_html(folder))
    return np.asarray(Image.open(io.BytesIO(base64.b64decode(pngs[step - 1]))).convert("RGB"))


def viewer_point(qtbot, root: Path, folder: Path, number: int = 1) -> tuple[float, float]:
    """Open the run in the runs window and read back, in screenshot pixels, where the viewer drew the click."""
    from app.qt import theme
    from app.qt.controllers.runs_controller import RunsController
    from app.qt.views.runs_window import RunsWindow

    window = RunsWindow()
    qtbot.addWidget(window)
    window.resize(1400, 1000)
    window.show()
    controller = RunsController(window, root)
    controller.refresh()
    controller.open_run(folder)
    controller.show_step(number)
    qtbot.wait(50)
    view = part(window, "view")
    shot = view.grab().toImage().convertToFormat(view.grab().toImage().Format.Format_RGB888)
    ptr = shot.constBits()
    rgb = np.frombuffer(ptr, np.uint8).reshape(shot.height(), shot.bytesPerLine())[:, :shot.width() * 3]
    accent = tuple(int(theme.ACCENT[i:i + 2], 16) for i in (1, 3, 5))
    cx, cy = accent_centre(rgb.reshape(shot.height(), shot.width(), 3), accent, tolerance=30)
    rect, image = view.image_rect(), view.image
    ratio = shot.width() / view.width()  # the grab is in device pixels
    scale = rect.width() / image.width()
    return (cx / ratio - rect.left()) / scale, (cy / ratio - rect.top()) / scale


def assert_lands(point: tuple[float, float], box: list[float], slack: float = 3) -> None:
    x, y = point
    assert box[0] - slack <= x <= box[2] + slack and box[1] - slack <= y <= box[3] + slack, (point, box)


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("monitors", [1, 2], ids=["scale-2", "second-monitor"])
def test_report_and_viewer_draw_the_click_on_the_clicked_element(qtbot, tmp_path, monitors):
    from app.desktop.browser import DrivenChromium
    from app.desktop.capture import MssScreenSource
    from app.desktop.input import make_driver
    from app.desktop.xvfb import VirtualDisplay
    from app.engine.executor import DesktopExecutor

    at = (0, 0) if monitors == 1 else (800, 0)
    with VirtualDisplay(800, 600, screens=monitors) as vd, \
            DrivenChromium(vd.display, 800, 600, 1.0, app_url=PAGE, at=at) as browser:
        capture = MssScreenSource(vd.display, monitor=monitors)
        source = Retina(capture) if monitors == 1 else capture
        driver = make_driver("xdotool", vd.display)  # xdotool moves across Xinerama heads
        try:
            browser.driver.execute_script("window.clicked = [];")
            options = RunOptions(task="click Delta", display=vd.display, out=tmp_path, agent="direct")
            result = compose(options, parts=Parts(source=source, executor=DesktopExecutor(driver))).run()
            assert result.status == "done", result.message
            assert browser.driver.execute_script("return window.clicked;") == ["Delta"]
        finally:
            capture.close()
            driver.close()
    folder = Path(result.folder)
    steps = read_steps(folder)  # on a slow machine the page may still be loading: a wait comes before the click
    shown, step = next((n, s) for n, s in enumerate(steps, 1) if s.action.get("kind") == "click")
    assert all(s.screenshot for s in steps[:shown])  # the report holds one screenshot per step
    assert step.frame.scale == (2.0 if monitors == 1 else 1.0) and step.frame.left == at[0]
    box = step.grounding["box"]  # image pixels of the step's screenshot
    lines = [json.loads(line) for line in (folder / "traj.jsonl").read_text().splitlines()]
    for line in lines:
        line["grounding"] = None  # draw only the click point (from the action's logical x, y), not the box
    (folder / "traj.jsonl").write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    shot = report_image(folder, shown)
    width = step.frame.width
    k = shot.shape[1] / width  # the report shrinks wide screenshots
    x, y = accent_centre(shot, REPORT_ACCENT)
    assert_lands((x / k, y / k), box)
    assert_lands(viewer_point(qtbot, tmp_path, folder, step.step), box)


def test_a_version_1_trajectory_opens_in_the_viewer_and_the_report(qtbot, tmp_path):
    from PIL import Image

    from app.qt.controllers.runs_controller import RunsController
    from app.qt.views.runs_window import RunsWindow
    from app.runs.report import run_html

    folder = tmp_path / "runs" / "old"
    folder.mkdir(parents=True)
    (folder / "task.json").write_text(json.dumps({"task": "click Save", "format_version": 1, "started": "x"}))
    Image.fromarray(np.full((120, 200, 3), 250, np.uint8)).save(folder / "step_1.png")
    v1 = [{"step_num": 1, "action_timestamp": "t", "action": {"kind": "click", "x": 50, "y": 40, "button": "left",
                                                              "count": 1, "target": "Save"},
           "response": "the Save button", "reward": 0, "done": False, "screenshot_file": "step_1.png",
           "format_version": 1, "info": {"grounding": {"box": [30, 30, 70, 50], "source": "text"},
                                         "outcome": {"ok": False, "error": "No such button."},
                                         "timing_ms": {"capture": 5.0}, "intent": "click Save",
                                         "usage": {"prompt_tokens": 10, "completion_tokens": 2, "cost": 0.01}}},
          {"step_num": 2, "action_timestamp": "t", "action": {"kind": "done", "summary": ""}, "response": "",
           "reward": 0, "done": True, "screenshot_file": "", "format_version": 1, "info": {}}]
    (folder / "traj.jsonl").write_text("\n".join(json.dumps(line) for line in v1) + "\n")
    (folder / "result.txt").write_text("failed\nNo such button.\n")
    steps = read_steps(folder)
    assert steps[0].version == 1 and not steps[0].ok and steps[0].grounding["box"] == [30, 30, 70, 50]
    assert steps[0].info == {"intent": "click Save"} and steps[0].usage.tokens == 12
    assert frame_of(steps[0], (200, 120)) == Frame(0, 0, 200, 120, 1.0)
    assert "No such button." in run_html(folder)
    window = RunsWindow()
    qtbot.addWidget(window)
    controller = RunsController(window, tmp_path / "runs")
    controller.refresh()
    assert window.step_rows() == 2 and controller.summaries[0].tokens == 12
    controller.show_step(1)
    assert "Outcome: No such button." in window.step_detail()


@pytest.mark.display
@pytest.mark.browser
def test_deskpilot_test_honours_a_policy_file_that_denies_a_step(tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('[policy]\nsecrets = "deny"\n')
    suite = ROOT / "assets" / "examples" / "login.yaml"
    proc = subprocess.run([sys.executable, "-m", "app.cli", "test", str(suite), "--out", str(tmp_path / "o"),
                           "--policy", str(policy)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "0 passed, 2 failed" in proc.stdout and "types a secret" in proc.stdout
