"""`deskpilot app`: start the desktop app, optionally with a task typed in (and run)."""

from __future__ import annotations

import os
import sys


def launch(task: str = "", run: bool = False, argv: list[str] | None = None) -> int:
    """Build the app, show the main window, and run Qt's event loop until the window closes."""
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and os.environ.get("QT_QPA_PLATFORM", "") not in ("offscreen", "minimal"):
        print("error: the app needs a desktop session (no DISPLAY is set); use `deskpilot run --headless` "
              "without one.", file=sys.stderr)
        return 2
    if os.environ.get("WAYLAND_DISPLAY") and os.environ.get("DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "xcb")  # capture and input go through X11 (XWayland)
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.qt import theme
    from app.qt.collector import MainThreadCollector
    from app.qt.controllers.app_controller import AppController

    app = QApplication.instance() or QApplication(argv or [sys.argv[0]])
    MainThreadCollector(app)  # no Qt object is freed by a collection in the engine's thread
    app.setApplicationName("DeskPilot")
    app.setQuitOnLastWindowClosed(False)
    theme.apply(app)
    controller = AppController()
    controller.show()
    if task:
        controller.window.set_task_text(task)
        if run:
            QTimer.singleShot(300, controller.run.start)
    return app.exec()
