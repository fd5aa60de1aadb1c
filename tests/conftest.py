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
