"""Screenshots as a native model receives them: resized to the size its protocol declares, PNG-encoded."""

from __future__ import annotations

import base64

import numpy as np

from grounding.coords import ModelImage, model_to_image


def resized(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """``image`` at ``size`` (width, height); area averaging when shrinking keeps small text legible."""
    import cv2

    h, w = image.shape[:2]
    if (w, h) == size:
        return image
    shrink = size[0] < w and size[1] < h
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA if shrink else cv2.INTER_CUBIC)


def png(image: np.ndarray, size: tuple[int, int] | None = None) -> bytes:
    """PNG bytes (lossless: what the model sees is what DeskPilot recorded), resized first when asked."""
    import cv2

    shown = resized(image, size) if size else image
    ok, data = cv2.imencode(".png", cv2.cvtColor(shown, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_PNG_COMPRESSION, 1])
    if not ok:
        raise ValueError("the screenshot could not be encoded")
    return data.tobytes()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def data_url(data: bytes) -> str:
    return "data:image/png;base64," + b64(data)


def zoom(image: np.ndarray, region: list[float], view: ModelImage) -> np.ndarray:
    """The part of the original screenshot a model's region (x0, y0, x1, y1 on its image) covers, at the full
    resolution of the capture, scaled up to the model's image size when it is smaller."""
    h, w = image.shape[:2]
    a = model_to_image(region[0], region[1], view, (w, h))
    b = model_to_image(region[2], region[3], view, (w, h))
    x0, x1 = sorted((round(a.x), round(b.x)))
    y0, y1 = sorted((round(a.y), round(b.y)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        raise ValueError("the region is too small to show; give two opposite corners of an area")
    crop = image[y0:y1, x0:x1]
    factor = min(view.width / crop.shape[1], view.height / crop.shape[0]) if not view.full_scale else 1.0
    if factor > 1:
        return resized(crop, (int(crop.shape[1] * factor), int(crop.shape[0] * factor)))
    return crop
