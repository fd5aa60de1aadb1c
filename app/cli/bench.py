"""`deskpilot bench ...`: benchmarks that print figures and write JSON."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from app.cli import bench_icons, bench_screen, bench_stop
from app.cli.common import write_json
from app.cli.testing import test_paths


def cmd_bench_app(args: argparse.Namespace) -> int:
    from app.bench.app_startup import measure

    times = measure(args.runs)
    for i, t in enumerate(times, 1):
        print(f"  launch {i}: {t:.2f} s")
    ordered = sorted(times)
    print(f"app startup (process start to main window painted, Xvfb): median {ordered[len(ordered) // 2]:.2f} s, "
          f"best {ordered[0]:.2f} s, worst {ordered[-1]:.2f} s over {len(times)} launches")
    return 0


def cmd_bench_miniwob(args: argparse.Namespace) -> int:
    from app.bench.miniwob import MiniwobBench, MiniwobError, summarise, table, task_set, write_json

    try:
        tasks = [t.strip() for t in args.tasks.split(",") if t.strip()] if args.tasks else task_set(args.set)
    except MiniwobError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def show(r: Any) -> None:  # the run's own ending beside the reward: 'said done' on a failed task is a lie
        said = "" if (r.status == "done") == r.success else f" (run: {r.status})"
        print(f"  {r.task:<18} #{r.episode:<3} {'ok  ' if r.success else 'FAIL'} {r.steps:>2} steps  "
              f"{r.utterance}" + ("" if r.success and not said else f"  -> {r.message}{said}"), flush=True)

    try:
        bench = MiniwobBench(tasks, args.episodes, args.seed, Path(args.out), max_steps=args.max_steps,
                             scale=args.scale, on_episode=show)
        results = bench.run()
    except MiniwobError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = summarise(results)
    print(table(summary))
    if args.json:
        write_json(summary, Path(args.json))
        print(f"json: {args.json}")
    return 0


def cmd_bench_testing(args: argparse.Namespace) -> int:
    import time

    from app.testing import spec
    from app.testing.runner import run_suite

    files = [spec.load(p) for p in test_paths(args.paths)]
    walls, outcomes = {}, {}
    for n in (1, args.parallel):
        t0 = time.monotonic()
        results = run_suite(files, Path(args.out) / f"parallel-{n}", n)
        walls[n] = time.monotonic() - t0
        outcomes[n] = [(r.suite, r.name, r.status) for r in results]
        print(f"--parallel {n}: {walls[n]:.1f}s wall, "
              f"{sum(r.status == 'passed' for r in results)}/{len(results)} passed")
    same = outcomes[1] == outcomes[args.parallel]
    print(f"speed-up {walls[1] / walls[args.parallel]:.2f}x; results {'identical' if same else 'DIFFER'}")
    return 0 if same else 1


def cmd_bench_memory(args: argparse.Namespace) -> int:
    import json

    from app.bench import memory

    print(f"capture + parse {args.frames} frames of a live page on Xvfb, one process")
    result = memory.run(args.frames)
    print(f"RSS after {result['warmup']} frames: {result['rss_mb_after_warmup']} MB; after {args.frames}: "
          f"{result['rss_mb_end']} MB; growth {result['growth_mb']} MB; {result['ms_per_frame']} ms/frame")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, indent=2))
    return 0


def cmd_bench_grounding(args: argparse.Namespace) -> int:
    from app.bench import grounding

    if args.grounder not in grounding.GROUNDERS:
        print(f"error: there is no grounder called {args.grounder!r} in this version; choose one of "
              f"{', '.join(grounding.GROUNDERS)}.", file=sys.stderr)
        return 2
    scales = tuple(float(s) for s in args.scales.split(","))

    def show(s: Any) -> None:
        if not s.hit or args.verbose:
            print(f"  {'ok  ' if s.hit else 'MISS'} x{s.scale:g} {s.page:<17} {s.query}  -> {s.detail}", flush=True)

    vlm = None
    if args.grounder == "vlm":
        vlm = _vlm_grounder(args)
        if vlm is None:
            return 2
    samples = grounding.run(scales, args.episodes, args.seed, show, vlm)
    timing = grounding.parse_timing() if not args.skip_timing and vlm is None else {}
    summary = grounding.summarise(samples, args.grounder, timing)
    print(f"{'kind':<12} {'n':>4} {'accuracy':>9}")
    for kind, k in summary["by_kind"].items():
        print(f"{kind:<12} {k['n']:>4} {k['accuracy']:>9.1%}")
    print(f"{'all':<12} {summary['n']:>4} {summary['accuracy']:>9.1%}   text-labelled "
          f"{summary['accuracy_text_labelled']:.1%}, without text {summary['accuracy_without_text']:.1%}")
    print(f"by scale: {summary['by_scale']}; median {summary['median_ms']} ms per query (parse included)")
    if timing:
        print(f"full parse 1920x1080: {timing['full_parse_ms_1080p']} ms; incremental after "
              f"{timing['incremental_changed_fraction']:.1%} changed: {timing['incremental_parse_ms_1080p']} ms "
              f"(ratio {timing['incremental_parse_ratio']})")
    write_json(args.json, summary)
    return 0


def cmd_bench_planner(args: argparse.Namespace) -> int:
    from app.bench import planner

    figures: dict[str, Any] = {}
    ok = True
    if not args.skip_tasks:
        names = tuple(t.strip() for t in (args.tasks or "").split(",") if t.strip())
        print(f"scripted tasks played by a scripted model that answers correctly (reflect = {args.reflect}):")
        print(f"  {'task':<9} {'status':<7} {'calls':>5} {'actions':>7} {'calls/action':>12}  by role")

        def show(r: Any) -> None:
            roles = ", ".join(f"{k} {v}" for k, v in sorted(r.by_role.items()))
            print(f"  {r.name:<9} {'ok' if r.success else 'FAILED':<7} {r.model_calls:>5} {r.actions:>7} "
                  f"{r.calls_per_action:>12.2f}  {roles}" + ("" if r.success else f"  ({r.message})"), flush=True)

        figures = planner.calls(args.reflect, names, Path(args.out) if args.out else None, show)
        roles = ", ".join(f"{k} {v}" for k, v in sorted(figures["model_calls_by_role"].items()))
        print(f"  {'all':<9} {'ok' if figures['all_succeeded'] else 'FAILED':<7} {figures['model_calls']:>5} "
              f"{figures['ui_actions']:>7} {figures['model_calls_per_ui_action']:>12.2f}  {roles}")
        ok = figures["all_succeeded"] and figures["model_calls_per_ui_action"] <= 1.3
    if not args.skip_overhead:
        print(f"planner overhead over {args.steps} worker turns on a real {args.width}x{args.height} screen "
              "(model time excluded)")
        r = planner.run(args.steps, args.width, args.height, args.marks)
        print(f"{r['elements']} elements on screen; marks {'on' if r['marks'] else 'off'}")
        print(f"per step: median {r['overhead_ms_median']} ms, p95 {r['overhead_ms_p95']} ms "
              f"(first step, with planning: {r['overhead_ms_first']} ms)")
        print(f"worker prompt: {r['prompt_chars_step_10']} chars at step 10, {r['prompt_chars_step_100']} at step "
              f"{min(100, args.steps)}: {'bounded' if r['prompt_bounded'] else 'GROWING'}")
        figures = {**figures, **r}
        ok = ok and r["prompt_bounded"] and r["overhead_ms_median"] <= 20
    write_json(args.json, figures)
    return 0 if ok else 1


def cmd_bench_replay(args: argparse.Namespace) -> int:
    from app.bench import replay

    print(f"record the contact form once, then replay it {args.replays} times (random position, size, scale, city; "
          "the page as recorded, without City, reordered, with a similar label)")
    summary = replay.summarise(replay.run(args.replays, args.seed, Path(args.out), args.timeout, replay.show))
    for line in replay.report(summary):
        print(line)
    write_json(args.json, summary)
    return 0 if summary["wrong_done"] == 0 else 1


def _vlm_grounder(args: argparse.Namespace) -> Any:
    """The VLM grounder the settings and flags describe, its weights loaded; None (after one sentence) if unusable."""
    from grounding.vlm import TokenSelection, VLMGrounder
    from models.settings import SettingsError, load_vlm
    from models.vlm import LocalVLM, ModelError, check_from_layer

    try:
        cfg = load_vlm({"model": args.model, "token_ratio": args.token_ratio, "aggressive": args.aggressive or None,
                        "prune_vision": args.prune_vision or None, "from_layer": args.from_layer})
        if not cfg.model:
            raise ModelError("--grounder vlm needs a model: pass --model PATH or set [vlm] model in the config.")
        model = LocalVLM(cfg.model, cfg.device, cfg.min_pixels, cfg.max_pixels)
        check_from_layer(model.load()[0], cfg.from_layer, cfg.model)
    except (SettingsError, ModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None
    if (cfg.prune_vision or cfg.from_layer) and not cfg.token_ratio:
        print("note: prune_vision and from_layer change nothing while the token ratio is 0 (selection off); "
              "set --token-ratio.")
    print(f"vlm: {cfg.model} ({model.style} answers), token ratio {cfg.token_ratio}"
          + (" with the aggressive rule" if cfg.aggressive else "")
          + (f", from language-model layer {cfg.from_layer} on" if cfg.from_layer and cfg.token_ratio else "")
          + (", the vision tower pruned too" if cfg.prune_vision and cfg.token_ratio else ""))
    return VLMGrounder(model, TokenSelection.of(cfg), cfg.style, cfg.max_new_tokens)


def cmd_bench_vlm(args: argparse.Namespace) -> int:
    from app.bench import vlm
    from models import vlm_random
    from models.vlm import ModelError

    if args.from_layer < 0:
        print(f"error: --from-layer must be 0 or more, got {args.from_layer}.", file=sys.stderr)
        return 2
    layers = vlm_random.SIZES[args.size]["text"]["num_hidden_layers"]
    if args.from_layer > layers:  # said before a model is built (5 s for the tiny one)
        print(f"error: the language model has {layers} layers; --from-layer must be 0-{layers}.", file=sys.stderr)
        return 2
    if args.prune_vision and args.from_layer:
        print("error: --from-layer and --prune-vision cannot be combined: a pruned vision tower leaves nothing for "
              "the first layers to see in the dropped tokens' places.", file=sys.stderr)
        return 2
    if args.images and not Path(args.images).is_dir():
        print(f"error: {args.images} is not a folder; pass a folder of PNG screenshots to --images.", file=sys.stderr)
        return 2
    if args.images:
        paths = sorted(p for p in Path(args.images).iterdir() if p.suffix.lower() == ".png")
        if not paths:
            print(f"error: there are no PNG files in {args.images}.", file=sys.stderr)
            return 2
    else:
        from app.bench.vlm_images import render

        print("rendering screenshots (kept in bench-results/vlm-images for later runs)")
        paths = render(Path("bench-results/vlm-images"), on_image=lambda p: print(f"  {p}", flush=True))
    paths = paths[: args.limit] if args.limit else paths
    rule = "aggressive" if args.aggressive else "ShowUI"
    print(f"{args.size} Qwen2-VL (random weights) on {args.device}, ratio {args.ratio}, {rule} rule"
          f"{', vision tower pruned too' if args.prune_vision else ''}"
          f"{f', from language-model layer {args.from_layer} on' if args.from_layer else ''}, "
          f"{args.repeats} repeat(s), ShowUI's pixel budget")
    print(f"{'image':<20} {'tokens':>6} {'kept':>5} {'cut':>6} {'cut+':>6} {'vision full/pruned ms':>21} "
          f"{'prefill full/pruned ms':>23} {'x':>5} {'TTFT full/pruned ms':>21} {'mem MB':>13}")

    def show(f: Any) -> None:
        print(f"{f.name:<20} {f.visual_tokens:>6} {f.kept_tokens:>5} {f.reduction_plain:>6.1%} "
              f"{f.reduction_aggressive:>6.1%} {f.vision_ms:>10.1f}/{f.vision_ms_pruned:<10.1f} "
              f"{f.prefill_ms_full:>11.1f}/{f.prefill_ms_pruned:<11.1f} "
              f"{f.speedup:>5.2f} {f.ttft_ms_full:>10.1f}/{f.ttft_ms_pruned:<10.1f} "
              f"{f.peak_mem_mb_full:>6.0f}/{f.peak_mem_mb_pruned:<6.0f}", flush=True)

    try:
        summary = vlm.run(paths, args.size, args.device, args.ratio, args.aggressive, args.repeats, show,
                          args.prune_vision, args.from_layer)
    except (ModelError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    plain, aggressive = vlm.overall(summary, "reduction_plain"), vlm.overall(summary, "reduction_aggressive")
    print(f"all: {summary['kept_tokens']}/{summary['visual_tokens']} tokens kept ({summary['reduction']:.1%} removed; "
          f"ShowUI rule {plain:.1%}, aggressive rule {aggressive:.1%}); prefill {summary['prefill_ms_full']} -> "
          f"{summary['prefill_ms_pruned']} ms ({summary['speedup']}x); TTFT {summary['ttft_ms_full']} -> "
          f"{summary['ttft_ms_pruned']} ms; keep-all max |diff| {summary['keep_all_max_abs_diff']:.2e}")
    write_json(args.json, summary)
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    """Register bench and its benchmarks."""
    bench = sub.add_parser("bench", help="benchmarks that print figures")
    bsub = bench.add_subparsers(dest="bench", required=True)
    mw = bsub.add_parser("miniwob", help="MiniWoB++ tasks in real Chromium, pixels and OS input only")
    mw.add_argument("--tasks", help="comma-separated task names (instead of a --set)")
    mw.add_argument("--set", default="dev13", help="a named task set: dev13 (default) or dev30 (issue 18's)")
    mw.add_argument("--episodes", type=int, default=10)
    mw.add_argument("--seed", type=int, default=0)
    mw.add_argument("--json", help="write the summary JSON here")
    mw.add_argument("--out", default="bench-results/miniwob", help="where episode trajectories go")
    mw.add_argument("--max-steps", type=int, default=25)
    mw.add_argument("--scale", type=float, default=2.0, help="Chromium device scale factor")
    mw.set_defaults(func=cmd_bench_miniwob)
    bg = bsub.add_parser("grounding", help="point-in-box accuracy on MiniWoB++ pages at several scale factors")
    bg.add_argument("--grounder", default="pixels", help="which grounder to measure: pixels (default) or vlm")
    bg.add_argument("--model", help="--grounder vlm: model folder, known name or repo id (default: [vlm] model)")
    bg.add_argument("--token-ratio", type=float, help="--grounder vlm: visual token selection ratio (0: off)")
    bg.add_argument("--aggressive", action="store_true", help="--grounder vlm: also thin flat areas' interiors")
    bg.add_argument("--prune-vision", action="store_true",
                    help="--grounder vlm: drop the unselected cells before the vision tower too")
    bg.add_argument("--from-layer", type=int, help="--grounder vlm: language-model layers that see every token")
    bg.add_argument("--scales", default="1,1.5,2", help="Chromium device scale factors")
    bg.add_argument("--episodes", type=int, default=4, help="episodes per page and scale")
    bg.add_argument("--seed", type=int, default=0)
    bg.add_argument("--json", help="write the summary JSON here")
    bg.add_argument("--skip-timing", action="store_true", help="skip the 1080p parse timing")
    bg.add_argument("--verbose", action="store_true", help="print every query, not only misses")
    bg.set_defaults(func=cmd_bench_grounding)
    bm = bsub.add_parser("memory", help="resident memory over many capture+parse cycles")
    bm.add_argument("--frames", type=int, default=1000)
    bm.add_argument("--json", help="write the figures here")
    bm.set_defaults(func=cmd_bench_memory)
    bp = bsub.add_parser("planner", help="model calls per action on scripted tasks, planner overhead per step "
                                         "(model time excluded) and prompt growth")
    bp.add_argument("--steps", type=int, default=100)
    bp.add_argument("--reflect", choices=["always", "on_trouble", "never"], default="on_trouble",
                    help="when the reflector is asked (default: the planner's default)")
    bp.add_argument("--tasks", help="comma-separated task names (form, save_as, code); default: all")
    bp.add_argument("--skip-tasks", action="store_true", help="measure only the overhead")
    bp.add_argument("--skip-overhead", action="store_true", help="run only the scripted tasks")
    bp.add_argument("--out", help="where the tasks' trajectories go (default: a temporary folder)")
    bp.add_argument("--width", type=int, default=1280)
    bp.add_argument("--height", type=int, default=800)
    bp.add_argument("--marks", action="store_true", help="measure with set-of-marks screenshots")
    bp.add_argument("--json", help="write the figures here")
    bp.set_defaults(func=cmd_bench_planner)
    ba = bsub.add_parser("app", help="the app's startup time: process start to main window painted")
    ba.add_argument("--runs", type=int, default=5)
    ba.set_defaults(func=cmd_bench_app)
    bv = bsub.add_parser("vlm", help="visual token selection: tokens, prefill, TTFT and memory, pruned vs. full")
    bv.add_argument("--size", choices=["tiny", "2b"], default="tiny", help="random Qwen2-VL: tiny, or 2B-shaped")
    bv.add_argument("--device", choices=["auto", "cpu", "cuda"], default="cpu")
    bv.add_argument("--ratio", type=float, default=0.5, help="share of each UI component's tokens to drop")
    bv.add_argument("--aggressive", action="store_true", help="time the aggressive rule instead of ShowUI's")
    bv.add_argument("--prune-vision", action="store_true",
                    help="the pruned run also drops the unselected cells before the vision tower")
    bv.add_argument("--from-layer", type=int, default=0,
                    help="the pruned run's first N language-model layers see every token (0: none)")
    bv.add_argument("--images", help="a folder of PNG screenshots (default: render the built-in set)")
    bv.add_argument("--limit", type=int, default=0, help="only the first N images")
    bv.add_argument("--repeats", type=int, default=3, help="timed prefills per image and variant (median)")
    bv.add_argument("--json", help="write the summary JSON here")
    bv.set_defaults(func=cmd_bench_vlm)
    bt = bsub.add_parser("testing", help="run a test suite serially and in parallel; print both wall times")
    bt.add_argument("paths", nargs="*", default=["assets/examples"])
    bt.add_argument("--parallel", type=int, default=2)
    bt.add_argument("--out", default="bench-results/testing")
    bt.set_defaults(func=cmd_bench_testing)
    br = bsub.add_parser("replay", help="record a form once, replay it in windows of random position, size, scale")
    br.add_argument("--replays", type=int, default=20)
    br.add_argument("--seed", type=int, default=0)
    br.add_argument("--timeout", type=float, default=8.0, help="seconds to wait for each step's target")
    br.add_argument("--out", default="bench-results/replay", help="where the demo and the replays' trajectories go")
    br.add_argument("--json", help="write the summary JSON here")
    br.set_defaults(func=cmd_bench_replay)
    bench_screen.add_parser(bsub)
    bench_icons.add_parser(bsub)
    bench_stop.add_commands(bsub)
