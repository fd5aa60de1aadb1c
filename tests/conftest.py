import os
import shutil

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

pytest_plugins = ["pytester"]


@pytest.fixture
def xvfb():
    """A fresh virtual display for one test, stopped afterwards."""
    from app.desktop.xvfb import VirtualDisplay

    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is not installed: run `make install`")
    with VirtualDisplay(800, 600) as vd:
        yield vd


@pytest.fixture(autouse=True)
def _cycles_collected_on_the_gui_thread(request):
    """In a test of the Qt app, as in the app (app/qt/main.py), cycles are collected on the GUI thread only, and
    what the test left is collected there when it ends: never a Qt object freed in an engine's worker thread."""
    if "qtbot" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("qapp")
    from app.qt.collector import MainThreadCollector

    collector = MainThreadCollector()
    yield
    collector.stop()
