"""The bundled OCR model: RapidOCR's PP-OCRv4 ONNX weights, shipped inside the ``rapidocr-onnxruntime`` wheel."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np


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


@lru_cache(maxsize=1)
def _engine(threads: int) -> Any:
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:  # pragma: no cover - exercised only on broken installs
        raise OcrModelMissing(
            "The OCR model is missing: install it with `.venv/bin/pip install rapidocr-onnxruntime` "
            "(or `make install`)."
        ) from exc
    # limit_type "max" with a large side: never upscale a small crop (the default scales the *shorter* side up
    # to 736 px, which makes reading a 40 px strip cost as much as a whole screen)
    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False,
                    det_limit_type="max", det_limit_side_len=2000)


def model_files() -> list[str]:
    """Paths of the ONNX files the OCR engine loads."""
    from pathlib import Path

    import rapidocr_onnxruntime

    return sorted(str(p) for p in (Path(rapidocr_onnxruntime.__file__).parent / "models").glob("*.onnx"))


def recognize(image: np.ndarray, threads: int = 2) -> list[OcrLine]:
    """Run detection + recognition on an RGB image and return lines with character boxes."""
    result, _ = _engine(threads)(image, return_word_box=True, use_cls=False)
    lines = []
    for item in result or []:
        quad, text, score = item[0], item[1], float(item[2])
        char_quads = item[3] if len(item) > 3 else []
        chars = item[4] if len(item) > 4 else []
        boxes = tuple(_quad_box(q) for q in char_quads)
        if len(boxes) != len(chars):
            boxes, chars = (), ()
        lines.append(OcrLine(text, score, tuple(map(tuple, quad)), tuple(chars), boxes))
    return lines


def _quad_box(quad: Any) -> tuple[float, float, float, float]:
    xs = [float(p[0]) for p in quad]
    ys = [float(p[1]) for p in quad]
    return min(xs), min(ys), max(xs), max(ys)
