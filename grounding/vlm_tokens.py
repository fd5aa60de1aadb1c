"""The model-independent half of VLM grounding: Qwen2-VL's resize, ShowUI's UI-guided visual token selection,
and reading a model's point answer back onto the screenshot.

Qwen2-VL cuts the resized image into 14 px patches and merges 2x2 of them into one language-model token, so
each token covers a 28x28 cell. ShowUI builds the UI connected graph on that grid and, per component of n
near-identical cells, keeps max(1, n - round(n * ratio)) tokens; a lone cell is always kept.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from grounding.coords import ModelImage, OffImage, Point, model_to_image
from grounding.uigraph import build_graph, cell_blocks

MERGED = 28  # pixels per language-model token side (14 px patches, 2x2 merge)
GRIDS = {"qwen25": 0.0, "qwen3": 999.0, "holo": 1000.0}  # the answer frame of the served models' styles
# each style's answer frame: 0 = pixels of the resized image, else a 0..N grid over it (ShowUI answers 0-1)
ANSWER_FRAMES = {"showui": 1.0, "uitars": 0.0, "uitars1000": 1000.0, **GRIDS}


def smart_resize(height: int, width: int, factor: int = MERGED, min_pixels: int = 56 * 56,
                 max_pixels: int = 16384 * 28 * 28) -> tuple[int, int]:
    """Qwen2-VL's resize: sides multiples of ``factor``, area within [min_pixels, max_pixels], aspect kept.

    The default budget is the Qwen2-VL processor's; ShowUI uses max_pixels=1344*28*28."""
    if max(height, width) / min(height, width) > 200:
        raise ValueError(f"aspect ratio {max(height, width) / min(height, width):.0f} is over 200")
    h = max(factor, round(height / factor) * factor)
    w = max(factor, round(width / factor) * factor)
    if h * w > max_pixels:
        beta = math.sqrt(height * width / max_pixels)
        h = max(factor, math.floor(height / beta / factor) * factor)
        w = max(factor, math.floor(width / beta / factor) * factor)
    elif h * w < min_pixels:
        beta = math.sqrt(min_pixels / (height * width))
        h = math.ceil(height * beta / factor) * factor
        w = math.ceil(width * beta / factor) * factor
    return h, w


@dataclass(frozen=True)
class Selection:
    """Which visual tokens (raster order over the merged grid) the language model keeps."""

    keep: np.ndarray  # bool, (rows * cols,)
    labels: np.ndarray  # component per token, (rows, cols)

    @property
    def kept(self) -> int:
        return int(self.keep.sum())

    @property
    def reduction(self) -> float:
        return 1.0 - self.kept / self.keep.size


def select_tokens(resized: np.ndarray, ratio: float = 0.5, threshold: float = 1.0, mode: str = "uniform",
                  seed: int = 0, aggressive: bool = False) -> Selection:
    """ShowUI's rule on an image already resized to multiples of 28: per component keep
    max(1, n - round(n * ratio)) tokens, evenly spaced over the component (``uniform``) or at random.

    ``aggressive`` (not ShowUI's rule; its models were trained without it) thins the interior of a component
    (cells whose four neighbours are in the same component) twice over, keeping a (1 - ratio)^2 share there,
    so large flat areas lose more than the ratio while every component's outline keeps ShowUI's share."""
    if not 0.0 <= ratio < 1.0:
        raise ValueError(f"ratio must be in [0, 1), got {ratio}")
    if mode not in ("uniform", "random"):
        raise ValueError(f"mode must be uniform or random, got {mode!r}")
    h, w = resized.shape[:2]
    if h % MERGED or w % MERGED:
        raise ValueError(f"the image must be resized to multiples of {MERGED} px first, got {w}x{h}")
    labels = build_graph(cell_blocks(resized, MERGED), threshold)
    flat = labels.ravel()
    inner = interior(labels).ravel() if aggressive else np.zeros(flat.size, bool)
    # one group per component outline and one per component interior; a component always has outline cells
    group = flat * 2 + inner
    order = np.argsort(group, kind="stable")  # grouped, raster order inside each group
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    sizes = np.diff(np.r_[starts, flat.size])
    core = group[order][starts] % 2 == 1
    share = np.where(core, 1 - (1 - ratio) ** 2, ratio)
    k = np.minimum(sizes, np.maximum(~core, sizes - np.round(sizes * share))).astype(int)
    keep = np.zeros(flat.size, bool)
    if mode == "uniform":  # np.linspace(0, n - 1, k).round() inside every group at once
        g = np.repeat(np.arange(k.size), k)
        i = np.arange(k.sum()) - np.repeat(np.cumsum(k) - k, k)
        step = np.where(k > 1, (sizes - 1) / np.maximum(k - 1, 1), 0.0)
        keep[order[starts[g] + np.round(i * step[g]).astype(int)]] = True
    else:
        ranked = np.lexsort((np.random.default_rng(seed).random(flat.size), group))
        rank = np.arange(flat.size) - np.repeat(starts, sizes)
        keep[ranked[rank < np.repeat(k, sizes)]] = True
    return Selection(keep, labels)


def interior(labels: np.ndarray) -> np.ndarray:
    """Cells whose four neighbours all exist and belong to the same component."""
    same = np.zeros(labels.shape, bool)
    same[1:-1, 1:-1] = ((labels[1:-1, 1:-1] == labels[:-2, 1:-1]) & (labels[1:-1, 1:-1] == labels[2:, 1:-1])
                        & (labels[1:-1, 1:-1] == labels[1:-1, :-2]) & (labels[1:-1, 1:-1] == labels[1:-1, 2:]))
    return same


class AnswerError(ValueError):
    """The model's answer holds no point we can read; it goes back to the model as an observation."""


def parse_point(answer: str, style: str, resized: tuple[int, int]) -> Point:
    """A point answer as a point on the model's resized image (IMAGE space of size ``resized`` = (w, h)).

    ``showui``: "[0.73, 0.21]" in 0-1 of the image; ``uitars``: "click(start_box='(x,y)')" or "(x,y)" in pixels of
    the resized image (UI-TARS-1.5); ``uitars1000``: the same numbers on a 0-1000 scale (UI-TARS 1.0); ``qwen25``:
    {"point_2d": [x, y]} in pixels of the resized image; ``qwen3``: the same on a 0-999 grid; ``holo``: {"x", "y"}
    on a 0-1000 grid.
    """
    words = re.sub(r"[A-Za-z_]+\d\w*", " ", answer)  # digits inside names ("point_2d") are not coordinates
    numbers = re.findall(r"-?\d+(?:\.\d+)?", words)
    if len(numbers) < 2:
        raise AnswerError(f"no point in the answer {answer[:80]!r}; answer with two numbers like [0.5, 0.3]")
    x, y = float(numbers[0]), float(numbers[1])
    if len(numbers) >= 4 and style != "showui":  # a box: click its centre
        x, y = (x + float(numbers[2])) / 2, (y + float(numbers[3])) / 2
    if style not in ANSWER_FRAMES:
        raise ValueError(f"unknown answer style {style!r}; choose showui, uitars, uitars1000, qwen25, qwen3 or holo")
    w, h = resized
    try:  # every frame converts in grounding/coords.py
        return model_to_image(x, y, ModelImage(w, h, ANSWER_FRAMES[style]), (w, h))
    except OffImage as exc:
        raise AnswerError(str(exc)) from None
