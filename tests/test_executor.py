"""The desktop executor's shell sandbox and its stop points, with real subprocesses and a recording input driver."""

import os
import threading
import time

import pytest

from app.engine.executor import DesktopExecutor
from planner.actions import Open, RunCode, TypeText
from planner.control import RunControl


class SlowKeyboard:
    """An input driver that takes 50 ms per character, like a person-paced typing speed."""

    def __init__(self):
        self.typed = ""

    def type_text(self, text):
        for ch in text:
            time.sleep(0.05)
            self.typed += ch

    def close(self):
        pass


def test_code_runs_in_its_workdir_without_secrets(tmp_path, monkeypatch):
    monkeypatch.setenv("MY_API_KEY", "sk-secret")
    ex = DesktopExecutor(SlowKeyboard(), workdir=str(tmp_path))
    out = ex.execute(RunCode(language="python", code="import os; open('made.txt','w').write('x');"
                                                     "print(os.getcwd(), os.environ.get('MY_API_KEY'))"))
    assert out.ok and (tmp_path / "made.txt").exists()
    assert out.output.strip() == f"{tmp_path} None"
    failed = ex.execute(RunCode(language="bash", code="echo partial; exit 3"))
    assert not failed.ok and "status 3" in failed.error and "partial" in failed.output


def test_code_timeout_kills_the_whole_group(tmp_path):
    ex = DesktopExecutor(SlowKeyboard(), workdir=str(tmp_path))
    out = ex.execute(RunCode(language="bash", code="sleep 30 & echo $! > child; wait", timeout=0.5))
    assert not out.ok and "longer than 0.5s" in out.error
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    state = open(f"/proc/{child}/stat").read().split(") ")[1][0] if os.path.exists(f"/proc/{child}") else "gone"
    assert state in ("Z", "gone")


def test_stop_cuts_typing_and_code_short(tmp_path):
    control = RunControl()
    keyboard = SlowKeyboard()
    ex = DesktopExecutor(keyboard, workdir=str(tmp_path), control=control)
    threading.Timer(0.3, control.stop).start()
    cut = ex.execute(TypeText(text="x" * 200))
    typed = keyboard.typed
    assert 0 < len(typed) < 200  # stopped part-way: typing it all takes 25 chunks of 50 ms
    assert not cut.ok and cut.output == typed  # what reached the screen, for the trajectory
    assert cut.error == f"Cut short after typing {len(typed)} of 200 characters: Stopped by the user."

    control = RunControl()
    keyboard.typed = ""
    ex = DesktopExecutor(keyboard, workdir=str(tmp_path), control=control)
    threading.Timer(0.2, control.stop).start()
    secret = ex.execute(TypeText(text="hunter2-" * 25, secret=True))
    assert not secret.ok and "hunter2" not in secret.output and "of a secret, hidden" in secret.output

    control = RunControl()
    ex = DesktopExecutor(keyboard, workdir=str(tmp_path), control=control)
    threading.Timer(0.2, control.stop).start()
    t0 = time.monotonic()
    out = ex.execute(RunCode(language="bash", code="sleep 20"))
    assert not out.ok and "Stopped by the user" in out.error and time.monotonic() - t0 < 3


def test_an_opened_program_that_dies_at_once_says_how(tmp_path):
    """The model hears that an opened program exited, with its status and last error line, not 'started'."""
    ex = DesktopExecutor(SlowKeyboard(), workdir=str(tmp_path))
    out = ex.execute(Open(app="sh -c 'echo warming up >&2; echo cannot open display >&2; exit 3'"))
    assert not out.ok and "exited at once with status 3" in out.error and "'cannot open display'" in out.error
    alive = ex.execute(Open(app="sleep 3"))
    assert alive.ok and alive.output == "started sleep"


def test_an_opened_program_starts_in_the_persons_home_not_the_runs_work_folder(tmp_path, monkeypatch):
    """A program's Save As opens where it was started; the work folder goes with the run, and a file saved there
    by its name alone with it."""
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir()
    work.mkdir()
    monkeypatch.setenv("HOME", str(home))
    ex = DesktopExecutor(SlowKeyboard(), workdir=str(work))
    out = ex.execute(Open(app="sh -c 'pwd > where.txt; exit 4'"))
    assert "status 4" in out.error
    assert (home / "where.txt").read_text().strip() == str(home) and not (work / "where.txt").exists()


@pytest.mark.display
def test_an_opened_program_that_exits_cleanly_without_a_window_may_have_handed_over(xvfb, tmp_path):
    """A single-instance editor hands the file to its running instance (perhaps on another display) and exits 0."""
    ex = DesktopExecutor(SlowKeyboard(), workdir=str(tmp_path), display=xvfb.display)
    out = ex.execute(Open(app="true"))
    assert not out.ok and "no new window appeared" in out.error
    assert "may have handed over to an instance already running" in out.error


@pytest.mark.display
def test_an_opened_qt_program_gets_no_paths_into_opencvs_own_qt(xvfb, tmp_path, monkeypatch):
    """Importing cv2 (the OCR's dependency) points Qt's plugin path at its own Qt; FeatherPad opened with that
    aborted at once ('Available platform plugins are: ...')."""
    import cv2  # noqa: F401  - the import is what puts the paths in our environment

    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)  # the tests' offscreen Qt: a person's session sets none
    assert any("cv2" in v for k, v in os.environ.items() if k.startswith("QT_"))
    ex = DesktopExecutor(SlowKeyboard(), workdir=str(tmp_path), display=xvfb.display)
    out = ex.execute(Open(app="featherpad"))
    assert out.ok and out.output.startswith("started featherpad"), out.error


def test_opencvs_paths_leave_the_environment_of_what_is_started():
    from app.desktop.display_env import without_opencv

    env = {"QT_QPA_PLATFORM_PLUGIN_PATH": "/v/site-packages/cv2/qt/plugins", "QT_SCALE_FACTOR": "2",
           "LD_LIBRARY_PATH": "/v/site-packages/cv2/../../lib64:/opt/lib", "HOME": "/root"}
    assert without_opencv(env) == {"QT_SCALE_FACTOR": "2", "LD_LIBRARY_PATH": "/opt/lib", "HOME": "/root"}
    assert "LD_LIBRARY_PATH" not in without_opencv({"LD_LIBRARY_PATH": "/v/cv2/../../lib64:"})


def test_a_program_for_an_x_display_is_not_sent_to_the_wayland_session_it_was_started_from():
    from app.desktop.display_env import child_env

    env = child_env(":5", {"WAYLAND_DISPLAY": "wayland-0", "QT_QPA_PLATFORM": "wayland;xcb", "GDK_BACKEND": "wayland"})
    assert env == {"DISPLAY": ":5", "QT_QPA_PLATFORM": "xcb", "GDK_BACKEND": "x11"}
    assert child_env(":5", {"QT_QPA_PLATFORM": "offscreen"})["QT_QPA_PLATFORM"] == "offscreen"  # chosen: kept


def test_a_paths_first_slash_is_typed_alone_and_the_rest_after_a_file_choosers_location_box_opens(tmp_path):
    class Timed:
        def __init__(self):
            self.typed = []

        def type_text(self, text):
            self.typed.append((text, time.monotonic()))

    keyboard = Timed()
    ex = DesktopExecutor(keyboard, workdir=str(tmp_path), control=RunControl())
    assert ex.execute(TypeText(text="/tmp/trial/note.txt")).ok
    pieces = [t for t, _ in keyboard.typed]
    assert pieces[0] == "/" and "".join(pieces) == "/tmp/trial/note.txt"
    assert keyboard.typed[1][1] - keyboard.typed[0][1] >= 0.3  # the location box has opened before 't'
    keyboard.typed = []
    assert ex.execute(TypeText(text="hello/world")).ok and keyboard.typed[0][0] == "hello/wo"
