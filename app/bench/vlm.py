"""What UI-guided visual token selection saves: tokens, language-model prefill time, time to first token, memory.

A Qwen2-VL model with random weights (``tiny``, or ``2b`` with Qwen2-VL-2B's shapes, i.e. ShowUI-2B's compute)
reads each screenshot at ShowUI's pixel budget with ShowUI's grounding prompt. Per image:
- the vision tower runs once on every patch (ShowUI does not prune it); its time is part of both TTFTs, unless
  ``prune_vision``: then the pruned run's vision tower sees the kept tokens' patches only, timed on its own;
- ``prefill_ms``: the language model over the prompt, all visual tokens vs. the kept ones (median of repeats);
- ``ttft_ms``: (for pruned: the UI graph and selection) + vision + prefill + choosing the first token;
- ``peak_mem_mb``: extra memory during the prefill (CUDA: peak allocated; CPU: peak resident growth, sampled);
- ``keep_all_max_abs_diff``: transformers' own forward vs. our path with every token kept, all logits.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from grounding.vlm import messages
from grounding.vlm_tokens import select_tokens

TARGET = 'the "Save" button'


@dataclass
class ImageFigures:
    name: str
    width: int
    height: int
    visual_tokens: int
    kept_tokens: int
    reduction: float  # of the rule used for timing
    reduction_plain: float  # ShowUI's rule
    reduction_aggressive: float  # the optional interior-thinning rule
    select_ms: float
    vision_ms: float
    vision_ms_pruned: float  # the same run as vision_ms unless the vision tower is pruned too
    prefill_ms_full: float
    prefill_ms_pruned: float
    speedup: float
    ttft_ms_full: float
    ttft_ms_pruned: float
    peak_mem_mb_full: float
    peak_mem_mb_pruned: float
    keep_all_max_abs_diff: float


@contextmanager
def peak_memory(device: str) -> Any:
    """Yields a dict whose 'mb' is set on exit to the peak extra memory used inside the block."""
    import torch

    out = {"mb": 0.0}
    if device == "cuda":
        torch.cuda.synchronize()
        base = torch.cuda.memory_allocated()
        torch.cuda.reset_peak_memory_stats()
        yield out
        torch.cuda.synchronize()
        out["mb"] = (torch.cuda.max_memory_allocated() - base) / 2**20
        return
    base, peak, done = _rss(), [0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _rss())
            time.sleep(0.001)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        yield out
    finally:
        done.set()
        sampler.join()
        out["mb"] = max(0, max(peak[0], _rss()) - base) / 2**20


def _rss() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096


def _timed(fn: Callable[[], Any], device: str) -> tuple[Any, float]:
    import torch

    if device == "cuda":
        torch.cuda.synchronize()
    t0 = time.perf_counter()
    result = fn()
    if device == "cuda":
        torch.cuda.synchronize()
    return result, (time.perf_counter() - t0) * 1000


def measure(net: Any, prompter: Any, image: np.ndarray, name: str, ratio: float, aggressive: bool, repeats: int,
            device: str, prune_vision: bool = False, from_layer: int = 0) -> ImageFigures:
    import torch

    from models import vlm_select

    enc = prompter.encode(messages("showui", TARGET), image)
    inputs = {k: v.to(device) for k, v in enc.inputs.items()}
    inputs["pixel_values"] = inputs["pixel_values"].to(net.dtype)
    with torch.inference_mode():
        vis, vision_ms = _timed(lambda: vlm_select.visual_embeds(net, inputs), device)
        seen = prompter.seen_image(enc)
        sel, select_ms = _timed(lambda: select_tokens(seen, ratio, aggressive=aggressive), "cpu")
        other = select_tokens(seen, ratio, aggressive=not aggressive)  # for its reduction only, not timed
        keep = torch.as_tensor(sel.keep, device=device)
        vis_kept, vision_ms_pruned = vis, vision_ms
        if prune_vision:
            vis_kept, vision_ms_pruned = _timed(lambda: vlm_select.visual_embeds(net, inputs, keep), device)
        full = vlm_select.prepare(net, inputs, None, vis)
        pruned = vlm_select.prepare(net, inputs, keep, vis_kept, from_layer=from_layer)
        runs = {"full": full, "pruned": pruned}
        ms: dict[str, list[float]] = {k: [] for k in runs}
        mem: dict[str, float] = {}
        for _ in range(repeats):
            for kind, prefill in runs.items():
                with peak_memory(device) as peak:
                    (logits, _), t = _timed(lambda p=prefill: vlm_select.forward(net, p), device)
                    int(logits[0, -1].argmax())
                ms[kind].append(t)
                mem[kind] = max(mem.get(kind, 0.0), peak["mb"])
        diff = _keep_all_diff(net, inputs, full, vis)
    full_ms, pruned_ms = statistics.median(ms["full"]), statistics.median(ms["pruned"])
    reductions = {aggressive: sel.reduction, not aggressive: other.reduction}
    h, w = image.shape[:2]
    return ImageFigures(name, w, h, sel.keep.size, sel.kept, round(sel.reduction, 4), round(reductions[False], 4),
                        round(reductions[True], 4), round(select_ms, 1), round(vision_ms, 1),
                        round(vision_ms_pruned, 1), round(full_ms, 1), round(pruned_ms, 1),
                        round(full_ms / pruned_ms, 3),
                        round(vision_ms + full_ms, 1), round(select_ms + vision_ms_pruned + pruned_ms, 1),
                        round(mem["full"], 1), round(mem["pruned"], 1), diff)


def _keep_all_diff(net: Any, inputs: dict, full: Any, vis: Any) -> float:
    """transformers' own forward (vision output passed in) vs. our keep-all path, over every logit."""
    from transformers.modeling_outputs import BaseModelOutputWithPooling

    from models import vlm_select

    text = {k: v for k, v in inputs.items() if k != "pixel_values"}
    reference = net(**text, mm_encoder_outputs={"image": BaseModelOutputWithPooling(pooler_output=(vis,))}).logits
    mine, _ = vlm_select.forward(net, full, all_logits=True)
    return float((mine.float() - reference.float()).abs().max())


def build(size: str, device: str) -> tuple[Any, Any]:
    """A random model of ``size`` on ``device`` and a prompter with ShowUI's pixel budget."""
    from transformers.models.qwen2_vl.image_processing_pil_qwen2_vl import Qwen2VLImageProcessorPil

    from models import vlm_random
    from models.vlm import Prompter, pick_device

    device, dtype = pick_device(device)
    tok = vlm_random.tokenizer()
    net = vlm_random.model(size, tok, dtype=dtype).to(device)
    images = Qwen2VLImageProcessorPil(min_pixels=256 * 28 * 28, max_pixels=1344 * 28 * 28)
    return net, Prompter(tok, images, vlm_random.CHAT_TEMPLATE)


def run(paths: list[Path], size: str = "tiny", device: str = "cpu", ratio: float = 0.5, aggressive: bool = False,
        repeats: int = 3, on_image: Callable[[ImageFigures], None] = lambda f: None,
        prune_vision: bool = False, from_layer: int = 0) -> dict[str, Any]:
    from models.vlm import pick_device

    device = pick_device(device)[0]
    net, prompter = build(size, device)
    warm_up(net, prompter, device)
    figures = []
    for path in paths:
        image = np.asarray(Image.open(path).convert("RGB"))
        figures.append(measure(net, prompter, image, path.stem, ratio, aggressive, repeats, device, prune_vision,
                               from_layer))
        on_image(figures[-1])
    return {**summarise(figures), "prune_vision": prune_vision, "from_layer": from_layer}


def warm_up(net: Any, prompter: Any, device: str) -> None:
    """One small untimed pass through every path measured: the first calls pay one-time costs (kernels, thread
    pools, allocator growth) that would otherwise land on the first image's first timing."""
    import torch

    from models import vlm_select

    enc = prompter.encode(messages("showui", TARGET), np.full((448, 448, 3), 255, np.uint8))
    inputs = {k: v.to(device) for k, v in enc.inputs.items()}
    inputs["pixel_values"] = inputs["pixel_values"].to(net.dtype)
    keep = torch.zeros(int((inputs["input_ids"] == net.config.image_token_id).sum()), dtype=torch.bool)
    keep[::2] = True
    with torch.inference_mode():
        vlm_select.forward(net, vlm_select.prepare(net, inputs))
        vlm_select.forward(net, vlm_select.prepare(net, inputs, keep.to(device), prune_vision=True))


def summarise(figures: list[ImageFigures]) -> dict[str, Any]:
    """Totals over the image set: tokens summed, times averaged per image, memory and difference at their worst."""
    visual, kept = sum(f.visual_tokens for f in figures), sum(f.kept_tokens for f in figures)
    mean = lambda key: round(statistics.mean(getattr(f, key) for f in figures), 1)  # noqa: E731
    return {"images": [asdict(f) for f in figures], "visual_tokens": visual, "kept_tokens": kept,
            "reduction": round(1 - kept / visual, 4), "prefill_ms_full": mean("prefill_ms_full"),
            "prefill_ms_pruned": mean("prefill_ms_pruned"),
            "speedup": round(mean("prefill_ms_full") / mean("prefill_ms_pruned"), 3),
            "ttft_ms_full": mean("ttft_ms_full"), "ttft_ms_pruned": mean("ttft_ms_pruned"),
            "vision_ms_full": mean("vision_ms"), "vision_ms_pruned": mean("vision_ms_pruned"),
            "peak_mem_mb_full": max(f.peak_mem_mb_full for f in figures),
            "peak_mem_mb_pruned": max(f.peak_mem_mb_pruned for f in figures),
            "keep_all_max_abs_diff": max(f.keep_all_max_abs_diff for f in figures)}


def overall(summary: dict[str, Any], key: str) -> float:
    """A per-image reduction (``reduction_plain`` or ``reduction_aggressive``) over all tokens of the set."""
    kept = sum(i["visual_tokens"] * (1 - i[key]) for i in summary["images"])
    return 1 - kept / summary["visual_tokens"]
