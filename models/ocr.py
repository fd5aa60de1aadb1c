"""The bundled OCR model: RapidOCR's PP-OCRv4 ONNX weights, shipped inside the ``rapidocr-onnxruntime`` wheel.

RapidOCR finds the text lines (detection, its crops); reading them is done here, because RapidOCR's own
reader cost a screen parse nearly twice what it needs to: it pads every batch of six lines to the widest and
to at least 320 px, runs the graph as PaddleOCR exported it, and places characters with per-character Python.
Here each line is padded to its own width plus a blank tail and runs through the folded graph
(models/ocr_graph.py), identical line images are read once, and character boxes come from the CTC columns in
a few array operations.
"""

from __future__ import annotations

import hashlib
import math
import queue
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from models.ocr_graph import folded_path
from models.ocr_rules import without_rules

REC_HEIGHT = 48  # PP-OCRv4 recognition reads lines scaled to 48 px high
MIN_REC_WIDTH = 320  # and was trained on lines padded to at least 320 px wide (narrower changes its answers)
TAIL = 96  # blank after a line's end: without it small text loses characters (links in MiniWoB at 1x: 62% -> 88%)
SHORT_BATCH = 4  # lines that all pad to 320 px run four at a time (a fifth less time per line than alone)
MIN_SCORE = 0.5  # lines read with a lower mean confidence are dropped, as RapidOCR does
SPENT_MS = {"detect": 0.0, "read": 0.0}  # time spent finding lines and reading them, summed over every call


@dataclass(frozen=True)
class OcrLine:
    """One detected line: its quadrilateral, its text and per-character boxes (x0, y0, x1, y1)."""

    text: str
    score: float
    quad: tuple[tuple[float, float], ...]
    chars: tuple[str, ...]
    char_boxes: tuple[tuple[float, float, float, float], ...]


class OcrModelMissing(RuntimeError):
    """The OCR package is not installed."""


def model_files() -> list[str]:
    """Paths of the ONNX files the OCR engine loads (the bundled originals)."""
    return sorted(str(p) for p in _model_dir().glob("*.onnx"))


def _model_dir() -> Path:
    try:
        import rapidocr_onnxruntime
    except ImportError as exc:  # pragma: no cover - exercised only on broken installs
        raise OcrModelMissing(
            "The OCR model is missing: install it with `.venv/bin/pip install rapidocr-onnxruntime` "
            "(or `make install`)."
        ) from exc
    return Path(rapidocr_onnxruntime.__file__).parent / "models"


class Engine:
    """Detection through RapidOCR, reading through our own loop over its recognition session."""

    def __init__(self, threads: int = 2) -> None:
        folder = _model_dir()  # first: a missing package is reported as OcrModelMissing, in one sentence
        from rapidocr_onnxruntime import RapidOCR

        det = folded_path(folder / "ch_PP-OCRv4_det_infer.onnx")
        rec = folded_path(folder / "ch_PP-OCRv4_rec_infer.onnx")
        # limit_type "max" with a large side: never upscale a small crop (the default scales the *shorter* side
        # up to 736 px, which makes reading a 40 px strip cost as much as a whole screen)
        self.rapid = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False,
                              det_limit_type="max", det_limit_side_len=2000, det_model_path=str(det),
                              rec_model_path=str(rec))
        # RapidOCR's sessions spin their worker threads while waiting and allocate every tensor afresh; ours do
        # neither (see session())
        self.rapid.text_det.infer.session = session(det, threads, arena=False)
        self.session = self.rapid.text_rec.session.session = session(rec, 1)
        # lines are read side by side, one single-threaded session per thread: the same arithmetic as one
        # session's threads sharing each layer, without their hand-over at every one of its 150 layers (a
        # tenth of the CPU time)
        self.readers: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self.readers.put(self.session)
        for _ in range(threads - 1):
            self.readers.put(session(rec, 1))
        self.pool = ThreadPoolExecutor(threads, thread_name_prefix="ocr-read") if threads > 1 else None
        self.rapid.text_det.get_preprocess = _table_normalized(self.rapid.text_det.get_preprocess)
        self.input_name = self.session.get_inputs()[0].name
        self.ends_in_scores = rec != folder / "ch_PP-OCRv4_rec_infer.onnx"  # the folded graph ends before its softmax
        self.charset = np.array(self.rapid.text_rec.postprocess_op.character, dtype=object)

    def __call__(self, image: np.ndarray, meanwhile: Callable[[np.ndarray], Any] | None = None) -> list[OcrLine]:
        t0 = time.perf_counter()
        r = self.rapid
        image = r.load_img(image)  # grey or RGBA arrays become three channels, as RapidOCR's own call does
        raw_h, raw_w = image.shape[:2]
        img, ratio_h, ratio_w = r.preprocess(image)
        record: dict[str, Any] = {"preprocess": {"ratio_h": ratio_h, "ratio_w": ratio_w}}
        img, record = r.maybe_add_letterbox(img, record)
        boxes, _ = r.auto_text_det(img)
        if boxes is None:
            SPENT_MS["detect"] += (time.perf_counter() - t0) * 1000
            return []
        crops = r.get_crop_img_list(img, boxes)
        SPENT_MS["detect"] += (time.perf_counter() - t0) * 1000
        quads = r._get_origin_points(boxes, record, raw_h, raw_w)
        keys = [pixels_key(c) for c in crops]
        unique = dict(zip(keys, crops))  # identical line images (a repeated label, a column of "Open") read once
        then = None if meanwhile is None else lambda: meanwhile(quads)
        read = dict(zip(unique, self.read(list(unique.values()), then)))
        lines = []
        for key, quad in zip(keys, quads):
            text, score, columns, width_used = read[key]
            if score < MIN_SCORE or not text:
                continue
            chars, char_boxes = _char_boxes(text, columns, width_used, quad, vertical=_was_rotated(quad))
            lines.append(OcrLine(text, score, tuple(map(tuple, quad.tolist())), chars, char_boxes))
        return lines

    def read(self, crops: list[np.ndarray], meanwhile: Callable[[], Any] | None = None
             ) -> list[tuple[str, float, np.ndarray, float]]:
        """Line images -> (text, mean confidence, the CTC column of each character, how many columns the line's
        own pixels cover: the rest is padding), one per image; ``meanwhile`` runs on this thread as they are read.

        Each line is padded to its own width plus a blank tail (padding a batch to its widest line changes what
        the model reads, and costs time); lines that pad to the 320 px minimum share that width and run in
        batches.
        """
        t0 = time.perf_counter()
        widths = [max(1, math.ceil(REC_HEIGHT * c.shape[1] / c.shape[0])) for c in crops]
        short = [i for i, w in enumerate(widths) if w + TAIL <= MIN_REC_WIDTH]
        runs = [short[i:i + SHORT_BATCH] for i in range(0, len(short), SHORT_BATCH)]
        runs += [[i] for i, w in enumerate(widths) if w + TAIL > MIN_REC_WIDTH]
        out: list[Any] = [None] * len(crops)

        def read_run(run: list[int]) -> None:
            padded = max(MIN_REC_WIDTH, max(widths[i] for i in run) + TAIL)
            x = np.zeros((len(run), 3, REC_HEIGHT, padded), np.float32)
            for row, i in enumerate(run):
                # an underline is no part of the letters it runs under (see models/ocr_rules.py)
                resized = cv2.resize(without_rules(crops[i]), (widths[i], REC_HEIGHT)).astype(np.float32)
                x[row, :, :, :widths[i]] = resized.transpose(2, 0, 1) / 127.5 - 1.0
            session = self.readers.get()
            try:
                scores = session.run(None, {self.input_name: x})[0]  # (lines, columns, classes)
            finally:
                self.readers.put(session)
            for row, i in enumerate(run):
                out[i] = self._decode(scores[row], scores.shape[1] * widths[i] / padded)

        runs.sort(key=lambda run: -max(widths[i] for i in run) * len(run))  # the longest first: even shares
        if self.pool is None or len(runs) < 2:
            for run in runs:
                read_run(run)
            if meanwhile is not None:
                meanwhile()
        else:
            reading = self.pool.map(read_run, runs)  # submitted at once
            if meanwhile is not None:
                meanwhile()
            list(reading)
        SPENT_MS["read"] += (time.perf_counter() - t0) * 1000
        return out

    def _decode(self, scores: np.ndarray, used: float) -> tuple[str, float, np.ndarray, float]:
        """Greedy CTC: the best class per column, repeats merged, blanks (class 0) dropped; spaces at the ends
        are no characters of the line. ``scores`` are the folded graph's class scores (the softmax's input, see
        models/ocr_graph.py), or the original graph's probabilities."""
        best = scores.argmax(axis=1)  # the best class's probability is worked out only where a character is kept
        keep = np.flatnonzero(np.r_[True, best[1:] != best[:-1]] & (best != 0))
        chars = self.charset[best[keep]]
        solid = np.flatnonzero(chars != " ")
        if not solid.size:
            return "", 0.0, keep[:0], used
        ends = slice(solid[0], solid[-1] + 1)
        keep = keep[ends]
        kept = scores[keep]
        if self.ends_in_scores:  # a softmax's value at the best class: 1 / sum(exp(score - best score))
            chance = 1.0 / np.exp(kept - kept[np.arange(len(keep)), best[keep], None]).sum(axis=1)
        else:
            chance = kept[np.arange(len(keep)), best[keep]]
        return "".join(chars[ends]), float(chance.mean()), keep, used


def _table_normalized(get_preprocess: Callable[[int], Any]) -> Callable[[int], Any]:
    """RapidOCR's detector input, the same values from a table of the 256 grey levels: its own arithmetic goes
    through float64 copies of the whole screen (a tenth of the detection's time)."""
    def made(max_side: int) -> Any:
        pre = get_preprocess(max_side)
        levels = np.arange(256, dtype=np.float32)[:, None]
        table = ((levels * pre.scale - pre.mean) / pre.std).astype(np.float32)  # as pre.normalize computes it
        tables = [np.ascontiguousarray(table[None, :, c]) for c in range(3)]

        def run(img: np.ndarray) -> np.ndarray | None:
            if img.dtype != np.uint8 or img.ndim != 3 or img.shape[2] != 3:
                return pre(img)
            resized = pre.resize(img)
            if resized is None:
                return None
            out = np.empty((1, 3) + resized.shape[:2], np.float32)
            for c, plane in enumerate(cv2.split(resized)):
                cv2.LUT(plane, tables[c], dst=out[0, c])  # a quarter of numpy's take here
            return out

        return run

    return made


def session(path: Path, threads: int, arena: bool = True) -> Any:
    """An onnxruntime CPU session for one of the OCR models.

    Worker threads sleep when idle instead of spinning: on a machine with as many busy processes as cores a
    spinning pool burns the time slices its own and other processes need (a fifth of the recognition time at
    load 8). With ``arena`` the memory arena keeps buffers between runs: lines of many widths would otherwise
    allocate every activation anew. The detector goes without: its arena would keep a whole screen's feature
    maps (250 MB more resident memory after a 1920x1080 parse).
    """
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.log_severity_level = 3
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL  # a chain of Convs: nothing to run side by side
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.enable_cpu_mem_arena = arena
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _was_rotated(quad: np.ndarray) -> bool:
    """RapidOCR turns crops at least 1.5 times taller than wide on their side before reading them."""
    w = max(np.linalg.norm(quad[0] - quad[1]), np.linalg.norm(quad[2] - quad[3]))
    h = max(np.linalg.norm(quad[0] - quad[3]), np.linalg.norm(quad[1] - quad[2]))
    return w > 0 and h / w >= 1.5


def _char_boxes(text: str, columns: np.ndarray, used: float, quad: np.ndarray, vertical: bool
                ) -> tuple[tuple[str, ...], tuple[tuple[float, float, float, float], ...]]:
    """Boxes of a line's characters (spaces included: word splitting relies on them), placed by their CTC
    columns along the line's box.

    A character sits at its column's centre; its width is the mean spacing of neighbouring characters at most
    4 columns apart (farther apart they belong to different words); overlaps are split in the middle.
    """
    if vertical or not columns.size:
        return (), ()
    x0, y0 = float(quad[:, 0].min()), float(quad[:, 1].min())
    x1, y1 = float(quad[:, 0].max()), float(quad[:, 1].max())
    cell = (x1 - x0) / used
    gaps = np.diff(columns)
    near = gaps[gaps <= 4]
    width = float(near.mean()) * cell if near.size else (x1 - x0) / len(text)
    centres = x0 + (columns + 0.5) * cell
    left = np.clip(centres - width / 2, x0, x1)
    right = np.clip(centres + width / 2, x0, x1)
    overlap = np.maximum(0.0, right[:-1] - left[1:])
    right[:-1] -= overlap / 2
    left[1:] += overlap / 2
    return tuple(text), tuple((float(a), y0, float(b), y1) for a, b in zip(left, right))


def pixels_key(image: np.ndarray) -> bytes:
    """A short key for an image's exact pixels and shape: what was read from them can be reused."""
    return hashlib.blake2b(image.tobytes(), digest_size=16, key=repr(image.shape).encode()).digest()


@lru_cache(maxsize=1)
def _engine(threads: int) -> Engine:
    return Engine(threads)


def recognize(image: np.ndarray, threads: int = 2, meanwhile: Callable[[np.ndarray], Any] | None = None
              ) -> list[OcrLine]:
    """Run detection + recognition on an RGB image and return lines with character boxes; ``meanwhile(quads)``
    (the detected lines' quadrilaterals, as OcrLine.quad gives them) runs on this thread while they are read."""
    return _engine(threads)(image, meanwhile)


def read_crops(crops: list[np.ndarray], threads: int = 2) -> list[tuple[str, float]]:
    """Recognise each RGB crop as one line of text, without detection: (text, mean confidence) per crop."""
    if not crops:
        return []
    return [(text, score) for text, score, _, _ in _engine(threads).read(crops)]
