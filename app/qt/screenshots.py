"""`make screenshots`: the README's pictures of the app, made from real runs on virtual displays.

The app draws on one Xvfb; the agent works on another, with the bundled demo form (and the example login page
for an approval) in Chromium, so the main window can be shown mid-run next to what the agent sees.
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
LOGIN_TASK = 'type "ada" into the Username field, type "secret" into the Password field and click Sign in'


def _wait(app: Any, cond: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        app.processEvents()
        value = cond()
        if value:
            return value
        time.sleep(0.02)
    raise TimeoutError(f"The screenshot run timed out waiting for {what}.")


def _configure(home: Path, work_display: str) -> None:
    config = home / "config" / "deskpilot" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[policy]\nsecrets = "ask"\n\n[app]\ndisplay = "{work_display}"\n'
                      f'runs_dir = "{home / "runs"}"\nhide_while_running = false\n', encoding="utf-8")
    os.environ.update(XDG_CONFIG_HOME=str(home / "config"), XDG_DATA_HOME=str(home / "data"))


def _save(widget: Any, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(path))
    return path


def _run(app: Any, controller: Any, task: str, during: Callable[[], bool] | None = None) -> Any:
    """Type ``task``, press Run, call ``during`` as events arrive until it returns True, wait for the end."""
    finished: list[Any] = []
    controller.run.run_finished.connect(finished.append)
    controller.window.task.setEditText(task)
    controller.window.run_button.click()
    done_during = during is None
    while not finished:
        app.processEvents()
        if not done_during:
            done_during = during()
        time.sleep(0.01)
    controller.run.run_finished.disconnect(finished.append)
    return finished[0]


def make_all(out: Path) -> list[Path]:
    """Make main-window.png (mid-run), approval.png, run-viewer.png and overlay.png under ``out``."""
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.xvfb import VirtualDisplay

    out = Path(out)
    with tempfile.TemporaryDirectory(prefix="deskpilot-shots-") as tmp, VirtualDisplay(1600, 1000) as screen, \
            VirtualDisplay(1280, 800) as work:
        os.environ.update(DISPLAY=screen.display, QT_QPA_PLATFORM="xcb")
        _configure(Path(tmp), work.display)
        from PySide6.QtWidgets import QApplication

        from app.qt import theme
        from app.qt.controllers.app_controller import AppController

        app = QApplication.instance() or QApplication(["deskpilot"])
        theme.apply(app)
        controller = AppController()
        controller.window.resize(1360, 820)
        controller.show()
        shots: list[Path] = []
        timeline = controller.window.timeline

        def mid_run() -> bool:
            if timeline.count() < 7 or timeline.card(7) is None:
                return False
            controller.run.control.pause()  # hold still for the picture
            app.processEvents()
            shots.append(_save(controller.window, out / "main-window.png"))
            controller.run.control.resume()
            return True

        with ChromiumApp((ROOT / "assets" / "demo" / "form.html").as_uri(), work.display, 1280, 800):
            wait_for_content(work.display)
            _run(app, controller, FORM_TASK, mid_run)
        dialog = controller.run.approvals.dialog

        def approve() -> bool:
            if not dialog.isVisible():
                return False
            app.processEvents()
            shots.append(_save(dialog, out / "approval.png"))
            dialog.once_button.click()
            return True

        with ChromiumApp((ROOT / "assets" / "examples" / "login.html").as_uri(), work.display, 1280, 800):
            wait_for_content(work.display)
            _run(app, controller, LOGIN_TASK, approve)
        shots.append(_viewer(app, controller, out))
        shots.append(_overlay(app, controller, out))
        controller.shutdown()
        return shots


def _viewer(app: Any, controller: Any, out: Path) -> Path:
    controller.open_runs()
    runs = controller.runs_controller
    window = runs.window
    window.resize(1360, 820)
    form_row = next(i for i, s in enumerate(runs.summaries) if s.task.startswith("type \"Ada"))
    window.runs.setCurrentItem(window.runs.topLevelItem(form_row))
    window.steps.setCurrentRow(3)
    _wait(app, lambda: window.view.image is not None, 5, "the run viewer")
    return _save(window, out / "run-viewer.png")


def _overlay(app: Any, controller: Any, out: Path) -> Path:
    overlay = controller.run.overlay
    overlay.set_text("Step 6: type 'London'", "4.2 s  ·  Ctrl+Alt+Shift+S stops")
    overlay.show()
    app.processEvents()
    path = _save(overlay, out / "overlay.png")
    overlay.hide()
    return path


if __name__ == "__main__":
    import sys

    for made in make_all(Path(sys.argv[1] if len(sys.argv) > 1 else "assets/screenshots")):
        print(f"screenshot: {made}")
