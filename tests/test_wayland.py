"""Wayland: the wire client, outputs and frames, the session seam, doctor's lines, and, on a real headless sway,
the demo form at scale 1 and 2 and on a second output, the example suite, the keyboard, and the portal."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from app.cli.doctor import Check
from app.cli.doctor_session import session_checks
from app.desktop.display_env import child_env, chromium_flags, is_wayland
from app.desktop.session import session_display, session_kind
from app.desktop.wayland.capture import read_ppm
from app.desktop.wayland.outputs import Output, layout_box
from app.desktop.wayland.portal_input import char_keysym
from app.desktop.wayland.stoppers import portal_trigger
from app.desktop.wayland.wire import pack, unpack
from grounding.coords import Point, Space, image_to_logical

ROOT = Path(__file__).resolve().parent.parent
COMMAND = 'type "Ada Lovelace" into the Name field, type "London" into the City field, check Newsletter and click Save'
EXPECTED = "Saved Ada Lovelace from London, newsletter yes"


def test_wire_arguments_round_trip():
    data = pack("usif", 7, "wl_output", -3, 1.5)
    assert len(data) % 4 == 0
    assert unpack("usif", data) == [7, "wl_output", -3, 1.5]


def test_an_output_at_scale_two_maps_image_pixels_back_to_its_logical_place():
    second = Output(name="HEADLESS-2", left=1280, top=0, width=1280, height=800, physical_width=2560,
                    physical_height=1600)
    frame = second.frame()
    assert (frame.width, frame.height, frame.scale) == (2560, 1600, 2.0)
    assert image_to_logical(Point(904, 620, Space.IMAGE), frame).rounded() == (1732, 310)
    first = Output(name="HEADLESS-1", left=0, top=0, width=1280, height=800, physical_width=1280, physical_height=800)
    assert layout_box([first, second]) == (0, 0, 2560, 800)


def test_ppm_from_grim_is_read_as_rgb():
    image = read_ppm(b"P6\n2 1\n255\n" + bytes([255, 0, 0, 0, 0, 255]))
    assert image.shape == (1, 2, 3) and image[0, 0].tolist() == [255, 0, 0] and image[0, 1].tolist() == [0, 0, 255]


def test_a_display_string_says_its_kind_and_children_get_the_matching_environment():
    assert not is_wayland(":3") and not is_wayland("host:0.0")
    assert is_wayland("wayland-1") and is_wayland("/tmp/deskpilot-wl-x/wayland-1")
    env = child_env("/tmp/deskpilot-wl-x/wayland-1", {"DISPLAY": ":0", "PATH": "/bin"})
    assert "DISPLAY" not in env and env["XDG_RUNTIME_DIR"] == "/tmp/deskpilot-wl-x"
    assert env["QT_QPA_PLATFORM"] == "wayland"
    assert child_env(":5", {"PATH": "/bin"}) == {"PATH": "/bin", "DISPLAY": ":5"}
    flags = chromium_flags("wayland-0", ["--app=x", "--force-device-scale-factor=1"], 1.0)
    assert flags == ["--app=x", "--ozone-platform=wayland"]


def test_a_wayland_session_is_preferred_over_its_xwayland_display():
    assert session_display({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}) == "wayland-0"
    assert session_display({"DISPLAY": ":1"}) == ":1"
    assert session_display({}) == ""


def test_a_compositor_that_cannot_be_reached_is_named_by_its_desktop(tmp_path):
    env = {"XDG_CURRENT_DESKTOP": "KDE", "XDG_RUNTIME_DIR": str(tmp_path)}
    assert session_kind(str(tmp_path / "wayland-9"), env) == "kde"
    assert session_kind(str(tmp_path / "wayland-9"), {"XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}) == "gnome"


@pytest.mark.parametrize("desktop,package", [("GNOME", "xdg-desktop-portal-gnome"), ("KDE", "xdg-desktop-portal-kde")])
def test_doctor_names_the_portal_package_missing_on_gnome_and_kde(tmp_path, desktop, package):
    env = {"WAYLAND_DISPLAY": str(tmp_path / "wayland-0"), "XDG_CURRENT_DESKTOP": desktop}
    checks = {c.name: c for c in session_checks(lambda: Check("input", True, "x11"), env, portals=tmp_path)}
    assert checks["session"].ok and checks["session"].detail.startswith(desktop.lower())
    assert not checks["capture"].ok and package in checks["capture"].detail
    assert not checks["input"].ok and package in checks["input"].detail
    (tmp_path / f"{desktop.lower()}.portal").write_text("[portal]\n")
    checks = {c.name: c for c in session_checks(lambda: Check("input", True, "x11"), env, portals=tmp_path)}
    if Path("/usr/libexec/xdg-desktop-portal").exists():
        assert checks["capture"].ok and "Screenshot" in checks["capture"].detail
        assert checks["input"].ok and "RemoteDesktop" in checks["input"].detail


def test_keys_for_the_portal():
    assert portal_trigger("<ctrl>+<alt>+s") == "CTRL+ALT+s"
    assert [char_keysym(c) for c in "a\né😀"] == [0x61, 0xFF0D, 0xE9, 0x0101F600]


# ---- real components: headless sway, Chromium on Wayland, grim, the desktop portal ----

def _need_sway():
    import shutil

    from app.desktop.wayland.sway import headless_user

    for tool in ("sway", "grim", "chromium"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is not installed: run `make install`")
    headless_user()


def _screen_text(path: Path) -> str:
    from PIL import Image

    from grounding.parser import ScreenParser

    return ScreenParser(incremental=False).parse(np.asarray(Image.open(path).convert("RGB"))).visible_text()


@pytest.mark.wayland
@pytest.mark.browser
@pytest.mark.parametrize("extra", [[], ["--scale", "2"], ["--outputs", "2", "--monitor", "2"]],
                         ids=["scale-1", "scale-2", "second-of-two-outputs"])
def test_the_demo_form_is_filled_in_from_pixels_on_headless_wayland(tmp_path, extra):
    from grounding.locate import shows

    _need_sway()
    cmd = [sys.executable, "-m", "app.cli", "run", "--headless", "--session", "wayland", *extra, "--open",
           "assets/demo/form.html", "--out", str(tmp_path), COMMAND]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    folder = Path(re.search(r"trajectory: (\S+)", proc.stdout).group(1))
    last = max(folder.glob("step_*.png"), key=lambda p: int(p.stem.split("_")[1]))
    assert shows(_screen_text(last), EXPECTED), _screen_text(last)
    from PIL import Image

    clicks = [int(x) for x in re.findall(r'"kind": "click", "x": (\d+)', (folder / "traj.jsonl").read_text())]
    scale = 2 if "--scale" in extra else 1
    assert Image.open(last).size == (1280 * scale, 800 * scale)  # the output's device pixels
    left = 1280 if "--monitor" in extra else 0  # clicks are logical layout points on the captured output
    assert len(clicks) == 4 and all(left <= x < left + 1280 for x in clicks), clicks


@pytest.mark.wayland
@pytest.mark.browser
def test_chromium_runs_wayland_native_and_its_title_is_listed(tmp_path):
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.wayland.sway import HeadlessSway
    from app.desktop.wayland.toplevels import window_titles

    _need_sway()
    page = ROOT / "assets" / "examples" / "login.html"
    with HeadlessSway(900, 600) as sway, ChromiumApp(page.as_uri(), sway.display, 900, 600):
        wait_for_content(sway.display)
        tree = str(sway.ipc("get_tree"))
        assert "'shell': 'xdg_shell'" in tree and "xwayland" not in tree  # no XWayland: sway runs with it off
        assert any("Example login" in t for t in window_titles(sway.display))


KEY_PAGE = """<!DOCTYPE html><html><body style="font: 28px sans-serif">
<input id="f" style="font-size: 28px; width: 600px" autofocus
 oninput="o.textContent = 'codes ' + [...this.value].map(c => c.codePointAt(0).toString(16)).join(' ')">
<p id="o">codes none</p></body></html>"""


@pytest.mark.wayland
@pytest.mark.browser
def test_the_virtual_keyboard_types_capitals_accents_symbols_and_shortcuts(tmp_path):
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.session import input_driver, screen_source
    from app.desktop.wayland.sway import HeadlessSway
    from grounding.parser import ScreenParser

    _need_sway()
    page = tmp_path / "keys.html"
    page.write_text(KEY_PAGE)
    with HeadlessSway(900, 400) as sway, ChromiumApp(page.as_uri(), sway.display, 900, 400):
        wait_for_content(sway.display)
        driver = input_driver("pyautogui", sway.display)
        try:
            driver.click(300, 25)
            driver.type_text("Junk")
            driver.press(("ctrl", "a"))
            driver.type_text("Zé€ !Q")  # Chromium keeps key characters in 16 bits: no emoji by keys
            time.sleep(0.5)
            text = ScreenParser(incremental=False).parse(screen_source(sway.display).capture().image).visible_text()
        finally:
            driver.close()
    assert "codes 5a e9 20ac 20 21 51" in text, text


@pytest.mark.wayland
@pytest.mark.browser
def test_the_example_suite_gives_the_same_results_on_headless_wayland(tmp_path):
    from app.testing import spec
    from app.testing.runner import run_suite

    _need_sway()
    examples = [ROOT / "assets" / "examples" / "notes.yaml", ROOT / "assets" / "examples" / "login.yaml"]
    # two at a time, each on its own sway (test_testing runs the same files one at a time and two at a time on Xvfb)
    results = run_suite([spec.load(p) for p in examples], tmp_path, parallel=2, session="wayland")
    assert [r.status for r in results] == ["passed"] * 6, [r.message for r in results]


@pytest.fixture
def private_bus(monkeypatch, tmp_path):
    """A private session D-Bus for one test, and a private config folder for the portal's restore token."""
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1", "--print-pid=1"],
                         capture_output=True, text=True, timeout=10).stdout.split()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", out[0])
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    yield out[0]
    os.kill(int(out[1]), 15)


@pytest.mark.wayland
def test_portal_screenshot_on_headless_sway_matches_screencopy(monkeypatch):
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.wayland.capture import GrimScreenSource
    from app.desktop.wayland.portal_capture import PortalScreenSource
    from app.desktop.wayland.sway import HeadlessSway
    from tests.portal_session import portal_bus, portal_missing

    _need_sway()
    if portal_missing():
        pytest.fail(f"{portal_missing()}: run `make install`")
    page = ROOT / "assets" / "demo" / "form.html"
    with HeadlessSway(1024, 640, outputs=2) as sway, portal_bus(sway) as address:
        sway.focus_output(2)
        with ChromiumApp(page.as_uri(), sway.display, 1024, 640):
            wait_for_content(sway.display, monitor=2)
            monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
            source = PortalScreenSource(sway.display, monitor=2)
            try:
                shot = source.capture()
            finally:
                source.close()
            grim = GrimScreenSource(sway.display, monitor=2).capture()
    assert (shot.frame.left, shot.frame.width, shot.frame.scale) == (1024, 1024, 1.0)
    assert np.abs(shot.image.astype(int) - grim.image).mean() < 1.0 and shot.image.std() > 8


@pytest.mark.wayland
def test_without_remote_desktop_the_portal_driver_names_what_to_install(monkeypatch):
    from app.desktop.input import InputError
    from app.desktop.stoppers import StopperError
    from app.desktop.wayland.portal_input import PortalDriver
    from app.desktop.wayland.stoppers import PortalHotkeyStop
    from app.desktop.wayland.sway import HeadlessSway
    from tests.portal_session import portal_bus, portal_missing

    _need_sway()
    if portal_missing():
        pytest.fail(f"{portal_missing()}: run `make install`")
    with HeadlessSway(800, 600) as sway, portal_bus(sway) as address:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        with pytest.raises(InputError, match="xdg-desktop-portal-gnome"):
            PortalDriver(sway.display).click(10, 10)
        with pytest.raises(StopperError, match="no GlobalShortcuts"):
            PortalHotkeyStop("<ctrl>+<alt>+s", lambda reason: None).start()


def test_portal_input_lands_on_the_right_stream_and_the_permission_is_asked_once(private_bus, capsys):
    from app.desktop.wayland.portal import token_file
    from app.desktop.wayland.portal_input import PortalDriver
    from tests.fake_portal import FakePortal

    portal = FakePortal(private_bus, [(31, (0, 0), (1280, 800)), (32, (1280, 0), (1280, 800))]).start()
    try:
        driver = PortalDriver()
        driver.click(1500, 300)
        driver.type_text("Aé")
        driver.close()
        assert "Allow" in capsys.readouterr().err  # the one sentence before the desktop's dialog
        assert token_file().read_text() == "restore-1"
        calls = [(m, b[2:]) for m, b in portal.calls if m.startswith("Notify")]
        assert calls[:3] == [("NotifyPointerMotionAbsolute", (32, 220.0, 300.0)),
                             ("NotifyPointerButton", (0x110, 1)), ("NotifyPointerButton", (0x110, 0))]
        assert [b for m, b in calls[3:]] == [(0x41, 1), (0x41, 0), (0xE9, 1), (0xE9, 0)]
        portal.calls.clear()
        again = PortalDriver()
        again.move(10, 10)
        again.close()
        devices = next(b for m, b in portal.calls if m == "SelectDevices")[1]
        assert devices["restore_token"] == ("s", "restore-1") and devices["persist_mode"] == ("u", 2)
        assert "Allow" not in capsys.readouterr().err
    finally:
        portal.stop()


def test_the_global_shortcut_stops_the_run(private_bus):
    import threading

    from app.desktop.wayland.stoppers import SHORTCUT_ID, PortalHotkeyStop
    from tests.fake_portal import FakePortal

    portal = FakePortal(private_bus, []).start()
    stopped = threading.Event()
    reasons = []
    hotkey = PortalHotkeyStop("<ctrl>+<alt>+s", lambda reason: (reasons.append(reason), stopped.set())).start()
    try:
        bind = next(b for m, b in portal.calls if m == "BindShortcuts")
        assert bind[1][0][0] == SHORTCUT_ID and bind[1][0][1]["preferred_trigger"] == ("s", "CTRL+ALT+s")
        portal.activate(portal.sessions()[0], "someone-else")
        portal.activate(portal.sessions()[0], SHORTCUT_ID)
        assert stopped.wait(5) and reasons == ["Stopped with the hotkey <ctrl>+<alt>+s."]
    finally:
        hotkey.stop()
        portal.stop()


@pytest.mark.parametrize("env,says", [({}, "no Wayland session"),
                                      ({"WAYLAND_DISPLAY": "/tmp/deskpilot-none/wayland-3"}, "does not exist")])
def test_a_missing_wayland_session_is_one_sentence_and_exit_2(env, says):
    base = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "DISPLAY")}
    args = ["--session", "wayland"] if not env else []
    proc = subprocess.run([sys.executable, "-m", "app.cli", "run", *args, "click Save"], cwd=ROOT, env={**base, **env},
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and says in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
