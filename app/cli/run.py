"""`deskpilot run`, `app`, `demo` and `report`: carry out a task, open the app, the main job, export a run."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli.common import CliError, desktop_display, desktop_stops, report_result
from app.cli.progress import print_event
from app.engine.options import runs_root


def _choose_model(args: argparse.Namespace) -> tuple[Any, str]:
    """The agent the flags and the config choose (planner, native or direct) and a line saying which it is."""
    from app.engine.agents import choose_agent
    from models.chat import ModelError
    from models.settings import SettingsError

    agent = "direct" if getattr(args, "direct", False) else (args.agent or "")
    llm = {"provider": args.provider, "base_url": args.base_url, "model": args.model, "max_cost": args.max_cost,
           "script": args.script}
    native = {"protocol": args.protocol, "base_url": args.base_url, "model": args.model, "max_cost": args.max_cost}
    try:
        choice = choose_agent(agent, llm, native)
    except (SettingsError, ModelError) as exc:  # a bad setting, or a scripted model's missing script
        raise CliError(str(exc)) from None
    return choice, choice.line


def _planner_settings() -> Any:
    """The [planner] table; a bad value is one sentence and exit status 2."""
    from models.settings import SettingsError, load_planner

    try:
        return load_planner()
    except SettingsError as exc:
        raise CliError(str(exc)) from None


def cmd_run(args: argparse.Namespace) -> int:
    from app.desktop.pages import NoSuchFile, page_url
    from app.desktop.session import headless

    try:
        args.url = page_url(args.open) if args.open else ""
    except NoSuchFile as exc:
        raise CliError(str(exc)) from None
    model, line = _choose_model(args)
    args.planner = _planner_settings() if model.mode == "planner" else None
    print(f"agent: {line}")
    if args.headless:
        with headless(args.session, args.width, args.height, args.scale, args.outputs,
                      a11y=args.grounding != "pixels") as desk:
            desk.place_windows_on(args.monitor)
            return _run_on(desk.display, args, model, watched=False, bus=desk.bus)
    return _run_on(desktop_display(args.display, session=args.session), args, model, watched=True)


def _run_on(display: str, args: argparse.Namespace, model: Any, watched: bool, bus: str = "") -> int:
    """Run on ``display``; ``watched``: a person may be at it, so the stop hotkey and the corner are registered;
    ``bus``: the accessibility bus of a desktop started for this run, where the opened page publishes its tree."""
    from app.cli.progress import TerminalApprover
    from app.desktop.a11y_bus import PUBLISH, app_env, chromium_flags
    from app.desktop.browser import ChromiumApp
    from app.desktop.capture import wait_for_content
    from app.desktop.pages import load_problem, not_loaded
    from app.engine.compose import Parts, compose
    from app.engine.options import RunOptions
    from planner.control import RunControl

    options = RunOptions(task=args.task, display=display, out=Path(args.out) if args.out else runs_root(),
                         max_steps=args.max_steps, monitor=args.monitor, input_driver=args.input,
                         allow_code=args.yes, marks=args.marks, workdir=args.workdir or "",
                         agent="direct" if model.mode == "direct" else "auto", policy_file=args.policy or "",
                         grounding=args.grounding, bus=bus)
    control = RunControl()
    stops = desktop_stops(display, control) if watched else None
    app = None
    # on headless Wayland --scale is the outputs' own scale, which Chromium follows; a second monitor's window
    # is placed by the compositor there, and on X11 by its position
    scale = 1.0 if args.headless and args.session == "wayland" else args.scale
    at = ((args.monitor - 1) * args.width, 0) if args.headless and args.monitor > 1 else (0, 0)
    url = getattr(args, "url", "") or args.open or ""
    problem = load_problem(url) if url else ""
    try:
        page_bus = _page_bus(display, args.grounding, bus) if url and not problem else ""
        app = ChromiumApp(url, display, args.width, args.height, scale, at=at, extra=chromium_flags(page_bus),
                          env=app_env(bus) if bus else PUBLISH if page_bus else {}).start() \
            if url and not problem else None
        if app:
            wait_for_content(display, monitor=args.monitor)
            _wait_for_tree(page_bus, display)
        parts = Parts(approver=TerminalApprover.for_run(args.yes), model=model.model, native=model.native,
                      control=control, planner=getattr(args, "planner", None))
        events = stops.events(print_event) if stops else print_event
        run = compose(options, events, parts)
        if problem:  # the run fails at once, its trajectory saying why
            run.agent, run.error = None, not_loaded(url, problem)
        code = report_result(run.run(), run.workdir)
        return 1 if problem else 2 if run.error else code  # a task the interpreter cannot read is bad input
    finally:
        if stops:
            stops.close()
        _close_page(app, left=watched)


def _close_page(app: Any, left: bool) -> None:
    """Close the page opened for the run, or, ``left`` on a person's display, leave it open for what follows."""
    if app and left:
        app.leave_open()
        print("the page opened with --open stays open on the display")
    elif app:
        app.stop()


def _page_bus(display: str, grounding: str, bus: str) -> str:
    """The AT-SPI bus the run's grounding reads on ``display`` ("" where it reads pixels): that of the session bus
    ``bus`` of a desktop started for the run, else the desktop's own. A page opened for the run publishes its tree
    there, so it is never left to the pixels on a desktop whose trees the run reads."""
    from app.engine.parsers import GroundingModeError, choose

    if grounding == "pixels":
        return ""
    try:
        return choose(grounding, display, session=bus or None).address
    except GroundingModeError:
        return ""  # the run itself says so in one sentence


def _wait_for_tree(address: str, display: str, timeout: float = 10.0) -> None:
    """Until the tree on the AT-SPI bus at ``address`` shows a window: a page fills its tree in after it draws."""
    from grounding.a11y_reader import AccessibilityReader, wait_for_windows

    if not address:
        return
    reader = AccessibilityReader(address, display=display)
    try:
        wait_for_windows(reader, timeout)
    finally:
        reader.close()


def cmd_demo(args: argparse.Namespace) -> int:
    from app.cli.demo import run_demo

    return run_demo(Path(args.out) if args.out else runs_root(),
                    display=desktop_display(args.display) if args.display else "", session=args.session)


def cmd_app(args: argparse.Namespace) -> int:
    from app.qt.main import launch

    return launch(args.task or "", args.run)


def cmd_report(args: argparse.Namespace) -> int:
    from app.runs.report import export_html

    try:
        path = export_html(Path(args.folder), Path(args.out) if args.out else None)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"report: {path}")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register run, app, report and demo."""
    run = sub.add_parser("run", help="carry out a task on the screen")
    run.add_argument("task", help='what to do, e.g. "click Save" or "type \'hi\' into the Name field"')
    run.add_argument("--headless", action="store_true", help="work on a virtual display started for this run")
    run.add_argument("--display", help="display to work on: an X display :N or a Wayland socket (default: the "
                     "session's, $WAYLAND_DISPLAY on Wayland, else $DISPLAY)")
    run.add_argument("--session", choices=["auto", "x11", "wayland"], default="auto",
                     help="desktop session: with --headless, wayland starts headless sway instead of Xvfb")
    run.add_argument("--outputs", type=int, default=1, help="monitors side by side on the --headless desktop")
    run.add_argument("--max-steps", type=int, default=30, help="the most steps a run takes (default 30); the waits "
                     "it adds on its own for the screen to settle after an action do not count")
    run.add_argument("--out", help="where trajectories are written (default: the runs folder the app shows too)")
    run.add_argument("--monitor", type=int, default=1, help="monitor to capture: 1.. or 0 for all")
    run.add_argument("--input", choices=["xtest", "xdotool", "pyautogui"], default="xtest",
                     help="xtest (the X server's XTest extension; pyautogui is its old name) or xdotool")
    run.add_argument("--open", help="open this URL or file in a Chromium app window first; on --display it stays "
                     "open when the run ends, on --headless it closes with the virtual display")
    run.add_argument("--width", type=int, default=1280)
    run.add_argument("--height", type=int, default=800)
    run.add_argument("--scale", type=float, default=1.0, help="Chromium device scale factor for --open (on "
                     "--headless --session wayland: the outputs' scale, e.g. 2 for HiDPI)")
    run.add_argument("--yes", action="store_true", help="allow code and other ask-first actions without asking")
    run.add_argument("--direct", action="store_true", help="use the direct-command interpreter even with a model")
    run.add_argument("--agent", choices=["planner", "native", "direct"],
                     help="who decides the steps (default: the config's [agent] mode, else the planner)")
    run.add_argument("--protocol", choices=["anthropic", "openai", "uitars", "qwen25", "qwen3"],
                     help="the native model's protocol (with --agent native)")
    run.add_argument("--provider", choices=["openai", "anthropic", "transformers", "scripted"], help="model backend")
    run.add_argument("--script", help="--provider scripted: a JSON file of the planner's answers by role")
    run.add_argument("--base-url", help="OpenAI-compatible endpoint ending in /v1 (vLLM, Ollama, LM Studio ...)")
    run.add_argument("--model", help="model name as the server knows it (or a local folder for transformers)")
    run.add_argument("--max-cost", type=float, help="stop the run when it has cost this many dollars")
    run.add_argument("--marks", action="store_true", help="show the model numbered boxes (set-of-marks)")
    run.add_argument("--workdir", help="folder where model-written code runs (default: a fresh temporary one)")
    run.add_argument("--grounding", choices=["auto", "accessibility", "pixels"], default="auto",
                     help="how the screen is read: auto (default) takes the accessibility tree where an AT-SPI bus "
                          "answers and pixels elsewhere")
    run.add_argument("--policy", help="a TOML file whose [policy] table replaces the config file's")
    run.set_defaults(func=cmd_run)

    app = sub.add_parser("app", help="the desktop app: type a task, watch it work, approve, stop, browse runs")
    app.add_argument("task", nargs="?", help="put this task in the task box")
    app.add_argument("--run", action="store_true", help="run the task at once")
    app.set_defaults(func=cmd_app)

    report = sub.add_parser("report", help="export a run folder to one self-contained HTML file")
    report.add_argument("folder", help="a run folder (holds traj.jsonl)")
    report.add_argument("--out", help="where to write it (default: FOLDER/report.html)")
    report.set_defaults(func=cmd_report)

    demo = sub.add_parser("demo", help="the main job: a direct command carried out on the bundled demo form")
    demo.add_argument("--out", help="where the trajectory is written (default: the runs folder)")
    demo.add_argument("--display", help="run it on this X display (stop hotkey and corner registered) instead of a "
                                        "virtual one")
    demo.add_argument("--session", choices=["x11", "wayland"], default="x11",
                      help="the virtual desktop: Xvfb (x11) or headless sway (wayland)")
    demo.set_defaults(func=cmd_demo)

