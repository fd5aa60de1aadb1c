"""Real screenshots for the VLM benchmark, rendered on Xvfb: MiniWoB++ pages, a Qt window, a terminal full of
output, a text-dense web page and a whole desktop, each at 1280x800 and 1920x1080. Saved as PNGs and reused."""

from __future__ import annotations

import html
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from app.bench.miniwob import MiniwobBench, task_url
from app.desktop.browser import ChromiumApp, DrivenChromium
from app.desktop.capture import MssScreenSource, wait_for_content
from app.desktop.processes import stop_group
from app.desktop.xvfb import VirtualDisplay

ROOT = Path(__file__).resolve().parent.parent.parent
SIZES = ((1280, 800), (1920, 1080))
SCENES = ("miniwob", "qt", "terminal", "dense", "desktop")

WALLPAPER = """<html><body style="margin:0;height:100vh;background:linear-gradient(135deg,#1d3557,#457b9d 60%,#a8dadc);
font-family:DejaVu Sans;color:white"><div style="position:absolute;left:24px;top:24px;line-height:90px">
[=] Documents<br>[=] Projects<br>[x] Trash</div><div style="position:absolute;bottom:0;width:100%;
height:40px;background:#222c;display:flex;align-items:center;gap:24px;padding-left:16px">&#9776; Activities
<span>Files</span><span>Terminal</span><span>Notes</span><span style="margin-left:auto;margin-right:32px">10:42</span>
</div></body></html>"""


def terminal_page(lines: int = 400) -> str:
    """A terminal window's look (monospace, dark) holding real command output from this machine (file listings,
    installed packages, disks; no process list, whose command lines can hold secrets)."""
    cmds = [["ls", "-la", "/usr/lib"], ["ls", "-l", "/usr/share/doc"], [sys.executable, "-m", "pip", "list"],
            ["df", "-h"]]
    out = []
    for cmd in cmds:
        out.append(f"$ {' '.join(cmd)}")
        try:
            out += subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.splitlines()
        except OSError:
            out.append(f"{cmd[0]}: command not found")
    body = html.escape("\n".join(out[-lines:]))
    return (f'<html><body style="margin:0;background:#1e1e1e;color:#d4d4d4"><pre style="margin:6px;font:14px '
            f'DejaVu Sans Mono">{body}\n<span style="color:#6a9955">user@host</span>:~$ </pre>'
            "<script>window.scrollTo(0, document.body.scrollHeight)</script></body></html>")


def render(folder: Path, sizes: tuple[tuple[int, int], ...] = SIZES, on_image: Callable[[Path], None] = print
           ) -> list[Path]:
    """Render every scene at every size into ``folder`` (skipping PNGs already there); the PNG paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with tempfile.TemporaryDirectory(prefix="deskpilot-vlm-") as tmp:
        pages = {"terminal": Path(tmp) / "terminal.html", "wallpaper": Path(tmp) / "wallpaper.html"}
        pages["terminal"].write_text(terminal_page(), encoding="utf-8")
        pages["wallpaper"].write_text(WALLPAPER, encoding="utf-8")
        for w, h in sizes:
            todo = [s for s in SCENES if not (folder / f"{s}-{w}x{h}.png").exists()]
            if todo:
                with VirtualDisplay(w, h) as vd:
                    for scene in todo:
                        image = SHOOT[scene](vd.display, w, h, pages)
                        Image.fromarray(image).save(folder / f"{scene}-{w}x{h}.png")
                        on_image(folder / f"{scene}-{w}x{h}.png")
            paths += [folder / f"{s}-{w}x{h}.png" for s in SCENES]
    return paths


def _capture(display: str) -> np.ndarray:
    wait_for_content(display)
    source = MssScreenSource(display)
    try:
        return source.capture().image
    finally:
        source.close()


def _page(url: str, display: str, w: int, h: int) -> np.ndarray:
    with ChromiumApp(url, display, w, h):
        time.sleep(1.5)
        return _capture(display)


def _miniwob(display: str, w: int, h: int, pages: dict[str, Path]) -> np.ndarray:
    with DrivenChromium(display, w, h, 2.0, app_url=task_url("click-checkboxes")) as browser:
        MiniwobBench._wait_ready(browser.driver)
        browser.driver.execute_script("Math.seedrandom && Math.seedrandom('vlm'); core.startEpisodeReal();")
        time.sleep(1.0)
        return _capture(display)


def _qt(display: str, w: int, h: int, pages: dict[str, Path]) -> np.ndarray:
    with _qt_window(display, f"{w * 2 // 3}x{h * 2 // 3}+0+0"):
        return _capture(display)


class _qt_window:
    """The example Qt notes application on ``display`` at an X geometry, stopped on exit."""

    def __init__(self, display: str, geometry: str) -> None:
        env = {**os.environ, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        self.proc = subprocess.Popen([sys.executable, str(ROOT / "assets" / "examples" / "notes_app.py"),
                                      "-geometry", geometry], env=env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)

    def __enter__(self) -> _qt_window:
        time.sleep(1.5)
        return self

    def __exit__(self, *exc: object) -> None:
        stop_group(self.proc)


def _desktop(display: str, w: int, h: int, pages: dict[str, Path]) -> np.ndarray:
    """Wallpaper with a taskbar, then a dense browser window, a terminal and the Qt app on top of each other."""
    apps = [ChromiumApp(pages["wallpaper"].as_uri(), display, w, h).start()]
    try:
        time.sleep(1.5)
        apps.append(ChromiumApp((ROOT / "assets" / "bench" / "dense.html").as_uri(), display, w * 3 // 5, h * 3 // 5,
                                extra=[f"--window-position={w // 3},{h // 12}"]).start())
        time.sleep(1.5)
        apps.append(ChromiumApp(pages["terminal"].as_uri(), display, w * 2 // 5, h // 2,
                                extra=[f"--window-position={w // 8},{h * 2 // 5}"]).start())
        time.sleep(1.5)
        with _qt_window(display, f"{w // 3}x{h // 3}+{w * 3 // 5}+{h // 2}"):
            return _capture(display)
    finally:
        for app in apps:
            app.stop()


SHOOT = {
    "miniwob": _miniwob,
    "qt": _qt,
    "terminal": lambda d, w, h, p: _page(p["terminal"].as_uri(), d, w, h),
    "dense": lambda d, w, h, p: _page((ROOT / "assets" / "bench" / "dense.html").as_uri(), d, w, h),
    "desktop": _desktop,
}
