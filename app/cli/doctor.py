"""`deskpilot doctor`: checks what a run needs, each problem in one sentence with its fix."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    required: bool = True


def check_display() -> Check:
    from app.desktop.xvfb import display_answers

    display = os.environ.get("DISPLAY", "")
    if not display:
        return Check("display", False, "No DISPLAY is set: run on a desktop session, pass --display :N, or use "
                     "--headless to start a virtual display.", required=False)
    if display_answers(display):
        return Check("display", True, f"X display {display} answers")
    return Check("display", False, f"DISPLAY={display} does not answer: start the X server or unset DISPLAY and use "
                 "--headless.", required=False)


def check_xvfb() -> Check:
    if shutil.which("Xvfb"):
        return Check("xvfb", True, "Xvfb is installed (for --headless and benchmarks)")
    return Check("xvfb", False, "Xvfb is missing: run `make install` (or `apt-get install xvfb`).")


def check_input() -> Check:
    if shutil.which("xdotool"):
        return Check("input", True, "xdotool is installed; input goes through the X server's XTest extension")
    return Check("input", False, "xdotool is missing: run `make install` (or `apt-get install xdotool`).")


def check_ocr() -> Check:
    try:
        import numpy as np

        from models import ocr

        files = ocr.model_files()
        if not files:
            return Check("ocr", False, "The OCR model files are missing: reinstall with `.venv/bin/pip install "
                         "--force-reinstall rapidocr-onnxruntime`.")
        ocr.recognize(np.full((48, 160, 3), 255, np.uint8))
        return Check("ocr", True, f"OCR model loaded ({len(files)} ONNX files, bundled with rapidocr-onnxruntime)")
    except Exception as exc:  # doctor reports every failure as a line instead of stopping
        return Check("ocr", False, f"The OCR model does not load ({exc}): run `make install`.")


def check_chromium() -> Check:
    from app.desktop.browser import BrowserError, chromium_path

    try:
        path = chromium_path()
    except BrowserError as exc:
        return Check("chromium", False, str(exc), required=False)
    if not shutil.which("chromedriver"):
        return Check("chromium", False, "chromedriver is missing (needed by `deskpilot bench miniwob`): run "
                     "`make install` (apt package chromium-driver).", required=False)
    return Check("chromium", True, f"Chromium at {path} with chromedriver")


def check_gpu() -> Check:
    if not shutil.which("nvidia-smi"):
        return Check("gpu", True, "No NVIDIA GPU: local vision models run on the CPU", required=False)
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name,memory.total", "--format=csv,noheader"],
                             capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        out = ""
    return Check("gpu", bool(out), out or "nvidia-smi did not answer: check the NVIDIA driver.", required=False)


def check_llm() -> Check:
    """Read the model settings and, when an endpoint is set, test the connection by listing its models."""
    from models.chat import ModelError
    from models.settings import SettingsError, config_path, load, make_model

    try:
        settings = load()
    except SettingsError as exc:
        return Check("llm", False, str(exc), required=False)
    if settings.provider == "transformers":
        from models.local_chat import resolve

        try:
            return Check("llm", True, f"local model {settings.model!r} at {resolve(settings.model)}; it loads on "
                         "first use", required=False)
        except ModelError as exc:
            return Check("llm", False, str(exc), required=False)
    if not settings.base_url:
        return Check("llm", True, f"No language model configured ({config_path()}, OPENAI_BASE_URL or "
                     "ANTHROPIC_API_KEY): the direct-command interpreter handles tasks", required=False)
    model = make_model(settings.model_copy(update={"retries": 1, "timeout": min(settings.timeout, 10.0)}))
    try:
        names = model.models()
    except ModelError as exc:
        return Check("llm", False, str(exc), required=False)
    if settings.model and names and settings.model not in names:
        return Check("llm", False, f"{settings.base_url} answers but does not serve {settings.model!r}; it lists "
                     f"{', '.join(names[:5])}: set DESKPILOT_LLM_MODEL to one of them.", required=False)
    if not settings.model:
        return Check("llm", False, f"{settings.base_url} answers but no model is set: set DESKPILOT_LLM_MODEL "
                     f"(it lists {', '.join(names[:5]) or 'none'}).", required=False)
    return Check("llm", True, f"{settings.base_url} answers and serves {settings.model!r}", required=False)


def check_vlm() -> Check:
    """The [vlm] grounder's weights: present and complete, or not configured."""
    from models.chat import ModelError
    from models.settings import SettingsError, load_vlm

    try:
        settings = load_vlm()
        if not settings.model:
            return Check("vlm", True, "No local VLM grounder configured ([vlm] model); pixel grounding is used",
                         required=False)
        if settings.base_url:
            from app.profiles import check_served_vlm

            return Check("vlm", *check_served_vlm(settings), required=False)
        from models.vlm import check_folder, resolve

        folder = resolve(settings.model)
        kind = check_folder(folder)
    except (SettingsError, ModelError) as exc:
        return Check("vlm", False, str(exc), required=False)
    ratio = f"token selection ratio {settings.token_ratio:g}" if settings.token_ratio else "token selection off"
    return Check("vlm", True, f"{settings.model!r} ({kind}) at {folder}; {ratio}; loads on first use", required=False)


def check_accessibility() -> Check:
    """Whether an AT-SPI bus answers on this desktop, which grounding mode runs will use, and which applications
    show windows in the tree."""
    from app.engine.parsers import GroundingModeError, choose, describe

    display = os.environ.get("DISPLAY", "")
    try:
        choice = choose("auto", display)
    except GroundingModeError as exc:
        return Check("a11y", False, str(exc), required=False)
    line = describe(choice)
    if choice.mode == "accessibility":
        line += f"; {_publishing(choice.address, display)}"
    return Check("a11y", True, line, required=False)


def _publishing(address: str, display: str) -> str:
    """Which applications show windows in the tree now, or why a run will read them from pixels."""
    from grounding.a11y_parser import PUBLISH
    from grounding.a11y_reader import AccessibilityReader
    from grounding.atspi_wire import BusError

    reader = AccessibilityReader(address, display=display)
    try:
        tree = reader.read()
    except (BusError, OSError, TimeoutError) as exc:
        return f"its tree could not be read ({exc})"
    finally:
        reader.close()
    if not tree.windows:
        return f"no application shows a window in it yet, so runs read pixels ({PUBLISH})"
    return f"showing windows in it: {', '.join(tree.apps) or 'unnamed applications'}"


def check_agent() -> Check:
    """The chosen agent ([agent] mode); a native model's server gets one request."""
    from app.profiles import check_agent as agent_status

    return Check("agent", *agent_status(), required=False)


def check_sandbox() -> Check:
    """Whether model-written code runs confined (bubblewrap), or every run needs a person's yes."""
    from app.engine.sandbox import find_sandbox

    sandbox, sentence = find_sandbox()
    return Check("sandbox", sandbox is not None, sentence, required=False)


def check_key_file() -> Check:
    """Where the API key lives: a config file others can read is a warning; the keyring is offered."""
    from models import keyring
    from models.settings import SettingsError, config_path, read_config

    path = config_path()
    try:
        key = str(read_config(path).get("llm", {}).get("api_key", ""))
    except SettingsError as exc:
        return Check("secrets", False, str(exc), required=False)
    if key == keyring.MARKER:
        return Check("secrets", True, "the API key is kept in the keyring", required=False)
    if key in ("", "not-needed"):
        return Check("secrets", True, f"no API key in {path}", required=False)
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        return Check("secrets", False, f"{path} holds the API key and others can read it (mode {mode:04o}): run "
                     f"`chmod 600 {path}` or `deskpilot keyring store`.", required=False)
    where = "; `deskpilot keyring store` moves it into the keyring" if not keyring.available() else ""
    return Check("secrets", True, f"the API key is in {path}, readable by you only{where}", required=False)


def run_checks() -> list[Check]:
    from app.cli.doctor_session import session_checks

    return [*session_checks(check_input), check_display(), check_xvfb(), check_sandbox(), check_ocr(),
            check_chromium(), check_gpu(), check_llm(), check_vlm(), check_agent(), check_key_file(),
            check_accessibility()]


def cmd_doctor(args: argparse.Namespace) -> int:
    """Print every check; exit 1 when any of them failed (optional ones too: the line says what it costs)."""
    failed = []
    for check in run_checks():
        print(f"{'ok ' if check.ok else '!! '} {check.name:<9} {check.detail}")
        if not check.ok:
            failed.append(check)
    if failed:
        needed = sum(check.required for check in failed)
        print(f"{len(failed)} check(s) failed{f', {needed} of them needed by every run' if needed else ''}: the lines "
              "marked !! say what to do.")
    return 1 if failed else 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register doctor."""
    doctor = sub.add_parser("doctor", help="check the desktop session, capture, input, sandbox, OCR, Chromium, GPU, "
                                           "models and where the API key is kept")
    doctor.set_defaults(func=cmd_doctor)

