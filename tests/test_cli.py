"""The deskpilot command as a person runs it: exit codes, one-sentence errors, trajectories kept."""

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parent.parent


def deskpilot(*args, env=None, timeout=180):
    env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_run_without_display_or_headless_fails_clearly(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", "click Save", "--out", str(tmp_path)], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "there is no display to work on" in proc.stderr and "--headless" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_bad_arguments_exit_non_zero():
    proc = deskpilot("run")
    assert proc.returncode == 2 and "task" in proc.stderr
    proc = deskpilot("bench", "miniwob", "--tasks", "no-such-task", "--episodes", "1")
    assert proc.returncode == 2
    assert "There is no MiniWoB++ task called 'no-such-task'" in proc.stderr


@pytest.mark.display
def test_unreadable_command_fails_and_keeps_its_trajectory(tmp_path):
    proc = deskpilot("run", "make me a sandwich", "--headless", "--out", str(tmp_path))
    assert proc.returncode == 2  # bad input, like every other
    assert "I can't read 'make me a sandwich'" in proc.stdout
    assert "language model" in proc.stdout
    runs = list(tmp_path.iterdir())
    assert len(runs) == 1 and (runs[0] / "result.txt").read_text().startswith("failed")


@pytest.mark.display
@pytest.mark.browser
@pytest.mark.parametrize("grounding,source", [("auto", "accessibility"), ("pixels", "pixels")])
def test_headless_run_on_a_page(tmp_path, grounding, source):
    """The virtual desktop a --headless run starts has an accessibility bus, and the page it opens publishes its
    tree there: auto grounding reads the tree; pixels starts no bus and reads pixels."""
    page = (ROOT / "assets" / "demo" / "form.html").as_uri()
    proc = deskpilot("run", "type 'Grace' into the Name field and click Save", "--headless", "--open", page,
                     "--out", str(tmp_path), "--grounding", grounding)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "agent: direct-command interpreter" in proc.stdout
    assert "done:" in proc.stdout and "trajectory:" in proc.stdout
    run = next(tmp_path.iterdir())
    assert (run / "step_1.png").exists() and (run / "traj.jsonl").read_text().count("\n") >= 4
    first = json.loads((run / "traj.jsonl").read_text().splitlines()[0])
    assert first["info"]["screen"]["source"] == source, first["info"]["screen"]


def test_doctor_reports_each_check():
    proc = deskpilot("doctor", env={"DISPLAY": ""})
    for name in ("display", "xvfb", "input", "ocr", "chromium", "gpu", "llm", "vlm"):
        assert f" {name}" in proc.stdout
    assert "No DISPLAY is set" in proc.stdout
    assert proc.returncode == 1, proc.stdout  # a failed check, even one only some runs need, fails the doctor
    assert "check(s) failed" in proc.stdout.splitlines()[-1]


def test_doctor_names_a_vlm_folder_that_is_not_a_model(tmp_path):
    proc = deskpilot("doctor", env={"DISPLAY": "", "DESKPILOT_VLM_MODEL": str(tmp_path)})
    assert f"!!  vlm       {tmp_path} has no config.json" in proc.stdout
    assert proc.returncode == 1


@pytest.mark.display
def test_a_run_closes_the_parser_it_built_and_leaves_a_callers_alone(xvfb, tmp_path, monkeypatch):
    """An accessibility parser holds a reader process: the run that built it stops it; one a caller handed in is
    the caller's to close (a replay reuses its own)."""
    from app.engine import parsers
    from app.engine.compose import Parts, compose
    from app.engine.options import RunOptions
    from grounding.parser import ScreenParser

    class ClosingParser(ScreenParser):
        closed = 0

        def close(self):
            ClosingParser.closed += 1

    monkeypatch.setattr(parsers, "make_parser", lambda *a, **k: ClosingParser())
    options = RunOptions(task="wait 0.1 seconds", display=xvfb.display, out=tmp_path)
    assert compose(options).run().status == "done" and ClosingParser.closed == 1
    result = compose(options, parts=Parts(parser=ClosingParser())).run()
    assert result.status == "done" and ClosingParser.closed == 1


def test_bench_vlm_prints_each_image_and_writes_the_issue_json(tmp_path):
    pytest.importorskip("transformers")
    from PIL import Image

    img = np.full((280, 448, 3), 245, np.uint8)  # a flat window with a title bar and one busy block
    img[:28] = (40, 60, 90)
    img[112:168, 56:224] = np.random.default_rng(0).integers(0, 255, (56, 168, 3))
    (tmp_path / "shots").mkdir()
    Image.fromarray(img).save(tmp_path / "shots" / "window.png")
    out = tmp_path / "vlm.json"
    proc = deskpilot("bench", "vlm", "--size", "tiny", "--images", str(tmp_path / "shots"), "--repeats", "1",
                     "--prune-vision", "--json", str(out))
    assert proc.returncode == 0, proc.stderr
    assert "vision tower pruned too" in proc.stdout and "\nwindow " in proc.stdout
    data = json.loads(out.read_text())
    for key in ("images", "visual_tokens", "kept_tokens", "reduction", "prefill_ms_full", "prefill_ms_pruned",
                "speedup", "ttft_ms_full", "ttft_ms_pruned", "peak_mem_mb_full", "peak_mem_mb_pruned",
                "keep_all_max_abs_diff", "vision_ms_full", "vision_ms_pruned"):
        assert key in data, key
    assert 0 < data["kept_tokens"] < data["visual_tokens"] and data["keep_all_max_abs_diff"] <= 1e-5
    empty = tmp_path / "empty"
    empty.mkdir()
    proc = deskpilot("bench", "vlm", "--images", str(empty))
    assert proc.returncode == 2 and proc.stderr.strip() == f"error: there are no PNG files in {empty}."
    proc = deskpilot("bench", "vlm", "--images", str(tmp_path / "nowhere"))
    assert proc.returncode == 2 and "is not a folder; pass a folder of PNG screenshots" in proc.stderr
    proc = deskpilot("bench", "vlm", "--images", str(tmp_path / "shots"), "--from-layer", "1", "--prune-vision")
    assert proc.returncode == 2 and "--from-layer and --prune-vision cannot be combined" in proc.stderr
    proc = deskpilot("bench", "vlm", "--images", str(tmp_path / "shots"), "--from-layer", "9", "--repeats", "1")
    assert proc.returncode == 2 and "the language model has 2 layers" in proc.stderr


def test_open_of_a_file_that_is_not_there_says_so_before_starting_anything(tmp_path):
    proc = deskpilot("run", "--headless", "--open", str(tmp_path / "nope.html"), "--agent", "direct", "click Save",
                     "--out", str(tmp_path), timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"error: there is no file {tmp_path}/nope.html"]
    assert not any(tmp_path.iterdir())  # no run was started, so no trajectory


def test_a_page_that_does_not_load_ends_the_run_in_one_sentence_and_keeps_its_trajectory(tmp_path):
    import http.server
    import threading

    class Missing(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Missing)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/gone.html"
    try:
        proc = deskpilot("run", "--headless", "--open", url, "--agent", "direct", "click Save", "--out", str(tmp_path),
                         timeout=120)
    finally:
        httpd.shutdown()
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"FAILED: The page {url} did not load (HTTP ERROR 404)" in proc.stdout
    assert "Nothing on the screen matches" not in proc.stdout and "wait" not in proc.stdout
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert "did not load" in (folder / "result.txt").read_text()


@pytest.mark.display
def test_a_page_opened_on_a_persons_display_stays_open_when_the_run_ends(xvfb, tmp_path):
    from app.desktop.focus import viewable_windows

    page = tmp_path / "p.html"
    # white with one button: the run's wait for a drawn screen (capture.drawn) must see it at once, not at its
    # 20 s ceiling
    page.write_text("<title>Kept</title><button>Save</button>")
    proc = deskpilot("run", "--display", xvfb.display, "--open", str(page), "--agent", "direct", "--grounding",
                     "pixels", "click Save", "--out", str(tmp_path / "runs"), timeout=120)
    assert "stays open" in proc.stdout, proc.stdout + proc.stderr
    assert viewable_windows(xvfb.display)  # the page's window is still there for the next command
