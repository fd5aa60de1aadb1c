"""`make screenshots`: the README's pictures of the app, made from real runs on virtual displays.

The app draws on one Xvfb; the agent works on another, with the bundled demo form (and the example login page
for an approval) in Chromium, so the main window can be shown mid-run next to what the agent sees. The planner
runs are the real planner with scripted answers (assets/demo/form-planner.json, `--provider scripted`), so its
plan shows without a model; the header says so. A last run puts the app and the agent on one screen, to show the
status window over the page the agent works on. The pictures are driven through the views' public methods and
signals, as the app's own controllers drive them.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
FORM_TASK = ('type "Ada Lovelace" into the Name field, type "London" into the City field, check Newsletter '
             'and click Save')
PLANNER_TASK = "Sign Ada Lovelace from London up for the newsletter and save the form"
PLANNER_SCRIPT = ROOT / "assets" / "demo" / "form-planner.json"
LOGIN_TASK = 'type "ada" into the Username field, type "secret" into the Password field and click Sign in'
UNREADABLE_TASK = "book me a flight to Paris next Tuesday"


def _wait(app: Any, cond: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"The screenshot run timed out waiting for {what}.")


def _pump(app: Any, seconds: float) -> None:
    """Let Qt draw for ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def _configure(home: Path, work_display: str, aside: bool = False, model: str = "") -> None:
    """The config file: the display the agent works on and, with ``model`` (scripted | server), a model."""
    llm = {"scripted": f'[llm]\nprovider = "scripted"\nscript = "{PLANNER_SCRIPT}"\n\n',
           "server": '[llm]\nprovider = "openai"\nbase_url = "http://127.0.0.1:11434/v1"\nmodel = "qwen2.5vl:7b"\n\n',
           "": ""}[model]
    config = home / "config" / "deskpilot" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'{llm}[policy]\nsecrets = "ask"\n\n[app]\ndisplay = "{work_display}"\nfailsafe_corner = false\n'
                      f'runs_dir = "{home / "runs"}"\nhide_while_running = {str(aside).lower()}\n', encoding="utf-8")
    os.environ.update(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))


def _save(widget: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path


def _run(app: Any, controller: Any, task: str, during: Callable[[], bool] | None = None) -> Any:
    """Type ``task``, press Run, call ``during`` as events arrive until it returns True, wait for the end."""
    finished: list[Any] = []
    controller.run.run_finished.connect(finished.append)
    controller.window.set_task_text(task)
    controller.window.run_clicked.emit()
    done_during = during is None
    while not finished:
        app.processEvents()
        if not done_during:
            done_during = during()
        time.sleep(0.01)
    controller.run.run_finished.disconnect(finished.append)
    if not done_during:
        raise RuntimeError(f"The screenshot run ended ({finished[0].status}: {finished[0].message}) before its "
                           "picture could be taken.")
    return finished[0]


def make_all(out: Path) -> list[Path]:
    """main-window.png (mid-run), failed.png, approval.png, run-viewer.png, settings.png and overlay.png."""
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.xvfb import VirtualDisplay

    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="deskpilot-shots-") as tmp, VirtualDisplay(1600, 1000) as screen, \
            VirtualDisplay(1280, 800) as work:
        os.environ.update(DISPLAY=screen.display, QT_QPA_PLATFORM="xcb")
        _configure(Path(tmp), work.display, model="scripted")
        from PySide6.QtWidgets import QApplication

        from app.qt import theme
        from app.qt.controllers.app_controller import AppController

        app = QApplication.instance() or QApplication(["deskpilot"])
        theme.apply(app)
        controller = AppController()
        controller.window.resize(1360, 820)
        controller.show()
        window, shots = controller.window, []

        def mid_run() -> bool:
            if window.step_rows() < 5:
                return False
            controller.run.control.pause()  # hold still for the picture
            app.processEvents()
            shots.append(_save(window, out / "main-window.png"))
            controller.run.control.resume()
            return True

        with ChromiumApp((ROOT / "assets" / "demo" / "form.html").as_uri(), work.display, 1280, 800):
            wait_for_content(work.display)
            controller.refresh()
            _run(app, controller, PLANNER_TASK, mid_run)
        _configure(Path(tmp), work.display)  # no model: direct commands
        controller.refresh()
        with ChromiumApp((ROOT / "assets" / "demo" / "form.html").as_uri(), work.display, 1280, 800):
            wait_for_content(work.display)
            _run(app, controller, FORM_TASK)
            _run(app, controller, UNREADABLE_TASK)
            app.processEvents()
            shots.append(_save(window, out / "failed.png"))
        shots.append(_approval(app, controller, work.display, out))
        shots.append(_viewer(app, controller, out))
        _configure(Path(tmp), work.display, model="server")
        shots.append(_settings(app, controller, out))
        _configure(Path(tmp), "", aside=True, model="scripted")
        controller.refresh()
        shots.append(_one_screen(app, controller, screen.display, out))
        controller.shutdown()
        return shots


def _approval(app: Any, controller: Any, display: str, out: Path) -> Path:
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content

    dialog, shot = controller.run.approvals.dialog, []

    def approve() -> bool:
        if not dialog.isVisible():
            return False
        app.processEvents()
        shot.append(_save(dialog, out / "approval.png"))
        dialog.choose("once")
        return True

    with ChromiumApp((ROOT / "assets" / "examples" / "login.html").as_uri(), display, 1280, 800):
        wait_for_content(display)
        _run(app, controller, LOGIN_TASK, approve)
    return shot[0]


def _viewer(app: Any, controller: Any, out: Path) -> Path:
    controller.open_runs()
    runs = controller.runs_controller
    window = runs.window
    window.resize(1360, 820)
    form_run = next(s for s in runs.summaries if s.task.startswith("type \"Ada"))
    window.select_run(str(form_run.folder))
    window.pick_step(4)
    app.processEvents()
    path = _save(window, out / "run-viewer.png")
    window.hide()
    return path


def _settings(app: Any, controller: Any, out: Path) -> Path:
    controller.open_settings("model")
    dialog = controller.settings_controller.dialog
    app.processEvents()
    path = _save(dialog, out / "settings.png")
    dialog.reject()
    return path


def _one_screen(app: Any, controller: Any, display: str, out: Path) -> Path:
    """The app steps aside on its own screen: the status window over the page, as the person sees it."""
    import mss
    from PIL import Image

    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content

    shot: list[Path] = []

    def grab() -> bool:
        overlay = controller.run.overlay
        if controller.window.step_rows() < 5 or not overlay.isVisible():
            return False
        controller.run.control.pause()  # the agent holds still; the status window keeps its step
        overlay.show_plan(True)
        app.processEvents()
        rect = overlay.place()
        with mss.MSS(display=display) as grabber:  # what the person sees, status window included

            def drawn() -> Any:
                raw = grabber.grab(grabber.monitors[1])
                image = Image.frombytes("RGB", raw.size, raw.rgb)
                centre = image.getpixel((rect.x() + 12, rect.y() + rect.height() // 2))
                return image if sum(centre) < 200 else None  # the status window is dark; the page is light

            image = _wait(app, drawn, 10, "the status window on the screen")
        path = out / "overlay.png"
        image.save(path)
        shot.append(path)
        controller.run.control.resume()
        return True

    with ChromiumApp((ROOT / "assets" / "demo" / "form.html").as_uri(), display, 1600, 1000):
        controller.window.hide()  # the page must be drawn under the window before the agent looks at it
        _pump(app, 0.5)
        wait_for_content(display)
        controller.window.show()
        _pump(app, 0.5)
        _run(app, controller, PLANNER_TASK, grab)
    return shot[0]


if __name__ == "__main__":
    import sys

    for made in make_all(Path(sys.argv[1] if len(sys.argv) > 1 else "assets/screenshots")):
        print(f"screenshot: {made}")
