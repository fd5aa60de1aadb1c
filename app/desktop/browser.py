"""Chromium on a display: a plain process for demos, or under chromedriver where a harness must read page state."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from typing import Any

from app.desktop.display_env import child_env, chromium_flags
from app.desktop.processes import hand_over, stop_group

QUIET_FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-features=Translate,MediaRouter,OptimizationHints", "--disable-quic",
               "--password-store=basic", "--disable-dev-shm-usage", "--hide-scrollbars", "--test-type",
               "--disable-crash-reporter", "--disable-breakpad"]


PROFILE_PREFIX = "deskpilot-chromium-"


class BrowserError(RuntimeError):
    """Chromium or chromedriver is missing or failed; the message says what to install."""


def chromium_path() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    raise BrowserError("Chromium is not installed: run `make install` (or `apt-get install chromium`).")


def profile_folders(profile: str) -> list[str]:
    """``profile`` and the folder Chromium made for it in the temporary folder (org.chromium.Chromium.*, holding
    its SingletonSocket, which the profile's link names): a Chromium that is killed, or stops on SIGTERM, leaves
    that folder behind."""
    try:
        socket_dir = os.path.dirname(os.readlink(os.path.join(profile, "SingletonSocket")))
    except OSError:  # not started yet, or closed properly
        return [profile]
    return [profile, socket_dir] if os.path.basename(socket_dir).startswith("org.chromium.Chromium.") else [profile]


def _remove_socket_folder(profile: str) -> None:
    for folder in profile_folders(profile)[1:]:
        shutil.rmtree(folder, ignore_errors=True)


def window_flags(url: str, width: int, height: int, scale: float, profile: str, at: tuple[int, int] = (0, 0)) \
        -> list[str]:
    return [*QUIET_FLAGS, f"--app={url}", f"--window-position={at[0]},{at[1]}", f"--window-size={width},{height}",
            f"--force-device-scale-factor={scale:g}", f"--user-data-dir={profile}"]


@dataclass
class ChromiumApp:
    """Chromium showing ``url`` as an app window (no tabs or toolbar) on ``display``."""

    url: str
    display: str
    width: int = 1280
    height: int = 800
    scale: float = 1.0
    extra: list[str] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)
    at: tuple[int, int] = (0, 0)  # window position on the desktop (a second monitor starts at its left edge)
    process: subprocess.Popen | None = field(default=None, repr=False)
    _profile: str = field(default="", repr=False)

    def start(self) -> ChromiumApp:
        self._profile = tempfile.mkdtemp(prefix=PROFILE_PREFIX)
        try:
            flags = window_flags(self.url, self.width, self.height, self.scale, self._profile, self.at)
            cmd = [chromium_path(), *chromium_flags(self.display, flags, self.scale), *self.extra]
            self.process = subprocess.Popen(cmd, env=child_env(self.display, {**os.environ, **self.env}),
                                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                            start_new_session=True)
        except BaseException:  # no Chromium, or it could not be started: its profile goes now
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.process:
            stop_group(self.process)
        self.process = None
        if self._profile:
            _remove_socket_folder(self._profile)
            shutil.rmtree(self._profile, ignore_errors=True)
            self._profile = ""

    def leave_open(self) -> None:
        """Let the window outlive this process (a person's display): its profile stays for it, removed by a watcher
        of its own once the window is closed (or its display ends)."""
        if self.process and self._profile:
            hand_over(self.process.pid, profile_folders(self._profile))
        self.process = None
        self._profile = ""

    def __enter__(self) -> ChromiumApp:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@dataclass
class DrivenChromium:
    """Chromium under chromedriver: the page is drawn on ``display``; selenium only reads page state."""

    display: str
    width: int = 800
    height: int = 600
    scale: float = 2.0
    app_url: str = "data:text/html,"
    at: tuple[int, int] = (0, 0)  # window position on the desktop (a second monitor starts at its left edge)
    extra: list[str] = field(default_factory=list)  # more flags (--force-renderer-accessibility)
    env: dict[str, str] = field(default_factory=dict)  # more environment (an accessibility bus's address)
    driver: Any = field(default=None, repr=False)
    _profile: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def start(self) -> DrivenChromium:
        try:
            from selenium import webdriver
            from selenium.webdriver.chrome.service import Service
        except ImportError as exc:  # pragma: no cover
            raise BrowserError("selenium is not installed: run `make install`.") from exc
        driver_path = shutil.which("chromedriver")
        if driver_path is None:
            raise BrowserError("chromedriver is not installed: run `make install` (apt package chromium-driver).")

        binary = chromium_path()
        self._profile = tempfile.TemporaryDirectory(prefix=PROFILE_PREFIX)
        opts = webdriver.ChromeOptions()
        opts.binary_location = binary
        for flag in [*window_flags(self.app_url, self.width, self.height, self.scale, self._profile.name, self.at),
                     *self.extra]:
            opts.add_argument(flag)
        opts.add_experimental_option("excludeSwitches", ["enable-automation"])
        service = Service(driver_path, env={**os.environ, **self.env, "DISPLAY": self.display})
        try:
            self.driver = webdriver.Chrome(options=opts, service=service)
        except BaseException:  # Chromium or chromedriver failed to start: its profile goes now, not at exit
            self.stop()
            raise
        return self

    def stop(self) -> None:
        if self.driver is not None:
            try:
                self.driver.quit()
            except Exception:  # the browser may already be gone; cleanup must go on
                pass
            self.driver = None
        if self._profile:
            _remove_socket_folder(self._profile.name)  # a Chromium the driver could not quit left it
            self._profile.cleanup()
            self._profile = None

    def __enter__(self) -> DrivenChromium:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
