"""CLI commands for demonstrations: record, replay, and demos list|show|edit|rm|save-run|repair."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from typing import Any

from app.cli.common import desktop_display, desktop_stops, report_result
from app.engine.options import runs_root
from planner.demos import Demo, DemoError, DemoStore


def _store(args: argparse.Namespace) -> DemoStore:
    return DemoStore(Path(args.demos_dir)) if args.demos_dir else DemoStore()


def _keys(text: str) -> tuple[str, ...]:
    return tuple(k.strip().lower() for k in text.split("+") if k.strip())


def cmd_record(args: argparse.Namespace) -> int:
    from app.engine.parsers import make_parser
    from app.record.recorder import Recorder

    display = desktop_display(args.display, "or pass --display of a running X server")
    stop_keys = _keys(args.stop_keys)

    def show(step: Any, n: int) -> None:
        print(f"  {n:>3}. {step.describe()}" + (f"   [{step.window}]" if step.window else ""), flush=True)

    parser = make_parser(grounding_mode(args), display, incremental=False)
    done = getattr(parser, "close", lambda: None)
    rec = Recorder(args.name, args.task or "", display, _store(args), stop_keys=stop_keys, on_step=show,
                   parser=parser, replace_old=args.replace)
    previous = signal.signal(signal.SIGTERM, lambda *_: rec.stopped.set())
    interrupted = False
    try:
        rec.start()
        print(f"recording {args.name!r} on {display}; press {'+'.join(stop_keys)} or Ctrl-C to stop", flush=True)
        while not rec.wait(0.5):
            pass
    except KeyboardInterrupt:
        interrupted = True
    finally:
        signal.signal(signal.SIGTERM, previous)
        if rec.demo is not None:
            demo = rec.stop(interrupted=interrupted)
            print(f"saved {len(demo.steps)} step(s) to {demo.folder}")
        done()
    return 0


def parse_params(pairs: list[str]) -> dict[str, str]:
    """['city=Paris', 'name=Ada'] -> {'city': 'Paris', 'name': 'Ada'}; a pair without '=' raises DemoError."""
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise DemoError(f"--param {pair!r} is not KEY=VALUE; write it like --param city=Paris.")
        out[key.strip()] = value
    return out


def cmd_replay(args: argparse.Namespace) -> int:
    from app.cli.choose import TerminalChooser
    from app.cli.progress import TerminalApprover, print_event
    from app.engine.replay import ReplayOptions, replay_demo
    from planner.control import RunControl

    demo = _store(args).load(args.name)
    values = demo.values(parse_params(args.param))
    display = desktop_display(args.display, "or pass --display of a running X server")
    options = ReplayOptions(display, Path(args.out) if args.out else runs_root(), args.timeout, args.monitor,
                            args.input, grounding_mode(args))
    control = RunControl()
    with desktop_stops(display, control) as stops:
        return report_result(replay_demo(demo, values, options, stops.events(print_event), control=control,
                                         approver=TerminalApprover.for_run(args.yes),
                                         chooser=TerminalChooser.for_replay(args.ask)))


def cmd_demos_list(args: argparse.Namespace) -> int:
    store = _store(args)
    names = store.names()
    if not names:
        print(f"no demos in {store.root}; record one with `deskpilot record NAME`.")
    for name in names:
        d = Demo.load(store.path(name))
        state = "" if d.meta.get("complete", True) else "  (incomplete: `deskpilot demos repair`)"
        params = f"  params: {', '.join(d.params)}" if d.params else ""
        print(f"{name:<24} {len(d.steps):>3} steps  {d.task}{params}{state}")
    return 0


def cmd_demos_show(args: argparse.Namespace) -> int:
    d = _store(args).load(args.name)
    print(f"{d.name}: {d.task or '(no task description)'}")
    print(f"folder: {d.folder}; recorded {d.meta.get('created', '?')}; format {d.meta.get('format_version')}")
    fields = d.param_fields()
    for key, value in d.params.items():
        print((f"param {key} = {value!r}" if value else f"param {key} (no default: pass --param {key}=...)")
              + _fills(fields.get(key, [])))
    for i, step in enumerate(d.steps, 1):
        print(f"  {i:>3}. {step.describe()}" + (f"   [{step.window}]" if step.window else ""))
        if step.effect is not None:
            print(f"       then: {step.effect.describe(step.into or step.target)}")
    return 0


def _fills(uses: list[tuple[int, Any]]) -> str:
    """'  -> fills the "City" text field (step 2)' for each step a parameter is typed in."""
    parts = [f"{into.describe() if into is not None else 'whatever has the focus'} (step {n})" for n, into in uses]
    return f"  -> fills {', '.join(parts)}" if parts else "  (typed in no step)"


def cmd_demos_edit(args: argparse.Namespace) -> int:
    d = _store(args).load(args.name)
    if args.task is not None:
        d.task = args.task
    for pair in args.param:
        step, sep, name = pair.rpartition("=")
        if not sep or not step.strip() or not name.strip():
            raise DemoError(f"--param {pair!r} is not STEP=NAME; write it like --param 3=city, or name the field: "
                            "--param City=city (`deskpilot demos show` numbers the steps).")
        number = int(step) if step.strip().isdigit() else d.typed_into(step.strip())
        d.mark_param(number, name.strip())
    for number in sorted(set(args.delete_step), reverse=True):
        d.step(number)
        del d.steps[number - 1]
    d.save()
    return cmd_demos_show(args)


def cmd_demos_rm(args: argparse.Namespace) -> int:
    _store(args).remove(args.name)
    print(f"removed {args.name}")
    return 0


def cmd_demos_save_run(args: argparse.Namespace) -> int:
    from planner.run_to_demo import save_run

    d = save_run(Path(args.run), args.name, _store(args), args.task or "", args.replace)
    print(f"saved {len(d.steps)} step(s) from {args.run} as {d.name!r} in {d.folder}")
    return 0


def cmd_demos_repair(args: argparse.Namespace) -> int:
    from app.record.recorder import rebuild

    d = rebuild(_store(args).load(args.name))
    print(f"rebuilt {len(d.steps)} step(s) of {d.name!r} from its events")
    return 0


def run_guarded(args: argparse.Namespace) -> int:
    """Run a demo command; a DemoError (or a grounding mode that cannot work here) is one sentence on stderr and
    exit status 2."""
    from app.engine.parsers import GroundingModeError

    try:
        return args.run_demo(args)
    except (DemoError, GroundingModeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _accessibility(p: argparse.ArgumentParser) -> None:
    p.add_argument("--grounding", choices=["auto", "accessibility", "pixels"], default="auto",
                   help="auto (default): the applications' accessibility trees where an AT-SPI bus answers, pixels "
                        "elsewhere; accessibility: insist on the tree; pixels: OCR and widget shapes only")
    p.add_argument("--accessibility", action="store_true", help="the same as --grounding accessibility")


def grounding_mode(args: argparse.Namespace) -> str:
    """The grounding mode the command line asks for."""
    return "accessibility" if getattr(args, "accessibility", False) else getattr(args, "grounding", "auto")


def _common(p: argparse.ArgumentParser, func: Any) -> None:
    p.add_argument("--demos-dir", help="where demos live (default: $DESKPILOT_DEMOS_DIR or "
                                       "~/.local/share/deskpilot/demos)")
    p.set_defaults(func=run_guarded, run_demo=func)


def add_commands(sub: Any) -> None:
    """Register record, replay and demos on the top-level subparsers."""
    rec = sub.add_parser("record", help="record a demonstration of you doing a task")
    rec.add_argument("name", help="the demo's name (letters, digits, . _ -)")
    rec.add_argument("--task", help="what the demo does, in words (used to find it for similar tasks)")
    rec.add_argument("--display", help="X display to record (default: $DISPLAY)")
    rec.add_argument("--stop-keys", default="ctrl+alt+shift+r", help="key combination that ends the recording")
    rec.add_argument("--replace", action="store_true", help="replace a demo of the same name")
    _accessibility(rec)
    _common(rec, cmd_record)

    rep = sub.add_parser("replay", help="replay a recorded demonstration on the current screen")
    rep.add_argument("name")
    rep.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="a parameter's value")
    rep.add_argument("--display", help="X display to work on (default: $DISPLAY)")
    rep.add_argument("--timeout", type=float, default=10.0,
                     help="seconds to wait for each step's target, and for its recorded effect")
    rep.add_argument("--out", help="where the trajectory is written (default: the runs folder)")
    rep.add_argument("--monitor", type=int, default=1)
    rep.add_argument("--input", choices=["xtest", "xdotool", "pyautogui"], default="xtest",
                     help="xtest (the X server's XTest extension; pyautogui is its old name) or xdotool")
    rep.add_argument("--yes", action="store_true", help="allow ask-first steps (typing into a terminal) without asking")
    rep.add_argument("--ask", action="store_true",
                     help="when a step's target cannot be found surely, ask at the terminal which one it is")
    _accessibility(rep)
    _common(rep, cmd_replay)

    demos = sub.add_parser("demos", help="list, show, edit and remove recorded demonstrations")
    dsub = demos.add_subparsers(dest="demos", required=True)
    _common(dsub.add_parser("list", help="every demo with its step count and task"), cmd_demos_list)
    for verb, func, text in (("show", cmd_demos_show, "a demo's steps and parameters"),
                             ("rm", cmd_demos_rm, "delete a demo"),
                             ("repair", cmd_demos_repair, "rebuild the steps of a recording that did not finish")):
        p = dsub.add_parser(verb, help=text)
        p.add_argument("name")
        _common(p, func)
    edit = dsub.add_parser("edit", help="change a demo's task, make typed text a parameter, delete steps")
    edit.add_argument("name")
    edit.add_argument("--task", help="a new task description")
    edit.add_argument("--param", action="append", default=[], metavar="STEP=NAME",
                      help="make the text typed in STEP (a step number, or the name of the field it was typed "
                           "into) the parameter NAME, bound to that field (its text becomes the default)")
    edit.add_argument("--delete-step", action="append", type=int, default=[], metavar="STEP")
    _common(edit, cmd_demos_edit)
    save = dsub.add_parser("save-run", help="save a successful run's trajectory as a demo")
    save.add_argument("run", help="the run folder (holds traj.jsonl)")
    save.add_argument("name")
    save.add_argument("--task", help="the task description (default: the run's task)")
    save.add_argument("--replace", action="store_true")
    _common(save, cmd_demos_save_run)
