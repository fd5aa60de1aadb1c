"""The checks an ``expect`` step can make; each returns a Check with one sentence saying what was found."""

from __future__ import annotations

import os
import re
import signal
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from app.testing.desktop import Check, Desktop


def _check(ok: bool, message: str) -> Check:
    from app.testing.desktop import Check

    return Check(ok, message)


def text(desktop: Desktop, value: str, base: Path) -> Check:
    if desktop.has_text(value):
        return _check(True, f"{value!r} is on the screen")
    seen = desktop.visible_text()
    return _check(False, f"{value!r} is not on the screen; it shows: {seen[:300]!r}")


def no_text(desktop: Desktop, value: str, base: Path) -> Check:
    if desktop.has_text(value):
        return _check(False, f"{value!r} is on the screen but should not be")
    return _check(True, f"{value!r} is not on the screen")


def window(desktop: Desktop, value: str, base: Path) -> Check:
    if desktop.session == "wayland":
        from app.desktop.wayland.toplevels import window_titles

        assert desktop.display
        found = any(re.search(re.escape(value), t, re.IGNORECASE) for t in window_titles(desktop.display.display))
        return _check(found, f"a window titled {value!r} is open" if found else f"no window titled {value!r} is open")
    proc = subprocess.run(["xdotool", "search", "--name", re.escape(value)], env=desktop.env(), capture_output=True,
                          text=True, timeout=10)
    if proc.returncode == 0 and proc.stdout.strip():
        return _check(True, f"a window titled {value!r} is open")
    return _check(False, f"no window titled {value!r} is open")


def file(desktop: Desktop, value: dict[str, Any], base: Path) -> Check:
    path = Path(value["path"]).expanduser()
    path = path if path.is_absolute() else (desktop.home or base) / path
    exists = value.get("exists", True)
    if not path.exists():
        return _check(not exists, f"{value['path']} does not exist" + ("" if not exists else " but should"))
    if not exists:
        return _check(False, f"{value['path']} exists but should not")
    content = path.read_text(encoding="utf-8", errors="replace")
    if "equals" in value and content.strip() != str(value["equals"]).strip():
        return _check(False, f"{value['path']} holds {content[:200]!r}, not {value['equals']!r}")
    if "contains" in value and str(value["contains"]) not in content:
        return _check(False, f"{value['path']} does not contain {value['contains']!r}; it holds {content[:200]!r}")
    return _check(True, f"{value['path']} is as expected")


def command(desktop: Desktop, value: dict[str, Any], base: Path) -> Check:
    proc = subprocess.Popen(value["run"], shell=True, cwd=desktop.home, env=desktop.env(), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        out, _ = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return _check(False, f"`{value['run']}` ran longer than 60 s and was stopped")
    ok = proc.returncode == value["exit_code"]
    return _check(ok, f"`{value['run']}` exited with {proc.returncode}" + ("" if ok else
                  f", expected {value['exit_code']}; output: {out.strip()[-300:]!r}"))


def image(desktop: Desktop, value: dict[str, Any], base: Path) -> Check:
    from PIL import Image

    ref_path = Path(value["matches"])
    ref_path = ref_path if ref_path.is_absolute() else base / ref_path
    if not ref_path.exists():
        return _check(False, f"the reference image {value['matches']} does not exist")
    x0, y0, x1, y1 = value["region"]
    crop = desktop.screenshot()[y0:y1, x0:x1].astype(np.float32)
    ref = np.asarray(Image.open(ref_path).convert("RGB"), dtype=np.float32)
    if ref.shape != crop.shape:
        return _check(False, f"the region is {crop.shape[1]}x{crop.shape[0]} but {value['matches']} is "
                             f"{ref.shape[1]}x{ref.shape[0]}")
    difference = float(np.abs(crop - ref).mean() / 255)
    ok = difference <= value["tolerance"]
    return _check(ok, f"the region differs from {value['matches']} by {difference:.1%} "
                      f"({'within' if ok else 'over'} the {value['tolerance']:.1%} tolerance)")


CHECKS: dict[str, Callable[[Desktop, Any, Path], Check]] = {
    "text": text, "no_text": no_text, "window": window, "file": file, "command": command, "image": image,
}
