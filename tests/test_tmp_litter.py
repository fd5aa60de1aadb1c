"""What a run, a browser and a bus leave in the temporary folder: nothing, once they are closed, except the files
model-written code made (kept for the person) and what the person named."""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.engine.compose import Parts, compose
from app.engine.options import RunOptions
from grounding.elements import Screen
from models.fake import ScriptedModel
from models.settings import SettingsError
from tests.fakes import FixedParser, RecordingExecutor, StillScreen

ROOT = Path(__file__).resolve().parents[1]
PAGE = (ROOT / "assets" / "demo" / "form.html").as_uri()


@pytest.fixture
def tmp(tmp_path, monkeypatch) -> Iterator[Path]:
    """A temporary folder of the test's own in place of /tmp, for us and for Chromium (TMPDIR); short, as a
    socket's path in it must be (pytest's tmp_path is too long for Chromium's)."""
    folder = Path(tempfile.mkdtemp(prefix="deskpilot-test-tmp-"))
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", None)  # tempfile reads TMPDIR again
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no person's [planner] or [agent] table
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def _run(tmp_path: Path, workdir: str = "", model: ScriptedModel | None = None) -> object:
    options = RunOptions(task="wait 0.1 seconds", display=":4242", out=tmp_path / "runs", agent="direct",
                         workdir=workdir)
    return compose(options, parts=Parts(source=StillScreen(), executor=RecordingExecutor(),
                                        parser=FixedParser(Screen(160, 120, ())), model=model))


def test_a_work_folder_made_for_a_run_goes_when_nothing_was_written_in_it(tmp, tmp_path):
    run = _run(tmp_path)
    assert Path(run.workdir).parent == tmp and Path(run.workdir).is_dir()
    assert run.run().status == "done"
    assert not Path(run.workdir).exists() and list(tmp.iterdir()) == []


def test_a_work_folder_with_the_codes_files_stays(tmp, tmp_path):
    run = _run(tmp_path)
    (Path(run.workdir) / "report.txt").write_text("what the code wrote")
    run.run()
    assert (Path(run.workdir) / "report.txt").read_text() == "what the code wrote"


def test_a_work_folder_the_person_named_is_never_removed(tmp, tmp_path):
    named = tmp_path / "mine"
    named.mkdir()
    run = _run(tmp_path, workdir=str(named))
    run.run()
    assert named.is_dir() and list(tmp.iterdir()) == []


def test_a_run_whose_wiring_fails_leaves_no_work_folder(tmp, tmp_path):
    config = tmp_path / "config" / "deskpilot" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text("[planner]\nmax_batch = 0\n")
    with pytest.raises(SettingsError):
        compose(RunOptions(task="save the form", display=":4242", out=tmp_path / "runs"),
                parts=Parts(source=StillScreen(), executor=RecordingExecutor(),
                            parser=FixedParser(Screen(160, 120, ())), model=ScriptedModel([])))
    assert list(tmp.iterdir()) == []


def test_the_planner_makes_no_work_folder_of_its_own(tmp):
    from planner.hierarchy import HierarchicalAgent

    agent = HierarchicalAgent(ScriptedModel([]), "save the form")
    assert agent.config.workdir == "" and list(tmp.iterdir()) == []


@pytest.mark.display
def test_a_bus_killed_before_it_is_stopped_leaves_no_socket(xvfb):
    from app.desktop.a11y_bus import AccessibilityBus

    bus = AccessibilityBus(xvfb.display).start()
    socket = Path(bus.address.split("path=")[1].split(",")[0])
    assert socket.is_socket()
    os.kill(bus._dbus_pid, signal.SIGKILL)  # as a desktop's end kills whatever has its DISPLAY
    time.sleep(0.2)
    bus.stop()
    assert not socket.exists()


@pytest.mark.browser
def test_a_killed_chromium_leaves_neither_its_profile_nor_its_own_folders(tmp, xvfb):
    from app.desktop.browser import ChromiumApp

    app = ChromiumApp(PAGE, xvfb.display, 800, 600).start()
    _wait_for(lambda: any(tmp.rglob("SingletonSocket")), "Chromium's singleton socket")
    os.killpg(app.process.pid, signal.SIGKILL)  # it cannot remove its org.chromium.Chromium.* folder itself
    app.stop()
    assert list(tmp.iterdir()) == []


@pytest.mark.browser
def test_a_chromium_that_cannot_start_leaves_no_profile(tmp, xvfb, monkeypatch):
    from app.desktop import browser

    def missing() -> str:
        raise browser.BrowserError("Chromium is not installed")

    monkeypatch.setattr(browser, "chromium_path", missing)
    with pytest.raises(browser.BrowserError), browser.ChromiumApp(PAGE, xvfb.display, 800, 600):
        pass
    assert list(tmp.iterdir()) == []


@pytest.mark.browser
def test_a_page_left_open_keeps_its_profile_until_its_window_is_closed(tmp, xvfb):
    from app.desktop.browser import ChromiumApp
    from app.desktop.processes import stop_group

    app = ChromiumApp(PAGE, xvfb.display, 800, 600).start()
    process = app.process
    (profile,) = tmp.iterdir()
    app.leave_open()
    time.sleep(1)
    assert profile.is_dir()  # the window still runs on it
    stop_group(process)  # the person closes it
    _wait_for(lambda: not profile.exists(), "the profile's removal")


def _wait_for(ready, what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert time.monotonic() < deadline, f"no {what} within {timeout:g} s"
        time.sleep(0.1)


@pytest.mark.parametrize("code, kept", [("echo seen", False), ("echo total > report.txt", True)])
def test_the_apps_own_work_folder_goes_when_the_code_wrote_nothing(qtbot, tmp, tmp_path, monkeypatch, code, kept):
    from app.qt.controllers.run_controller import RunController
    from app.qt.views.main_window import MainWindow
    from tests.app_fakes import FakeEngine, step

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("DISPLAY", ":4242")  # recorded in the options; the fake engine never opens it
    window = MainWindow()
    qtbot.addWidget(window)
    engine = FakeEngine([step({"kind": "run_code", "language": "bash", "code": code}), step({"kind": "done"})])
    controller = RunController(window, engine)
    window.set_task_text("write the report")
    with qtbot.waitSignal(controller.run_finished, timeout=15000):
        controller.start()
        qtbot.waitUntil(controller.approvals.dialog.isVisible, timeout=5000)
        controller.approvals.dialog.choose("once")
    work = Path(controller.context.workdir)
    assert work.parent == tmp and work.exists() == kept
    assert window.notice_text() == (f"Done. Task finished.\nWork folder: {work}" if kept else "")
