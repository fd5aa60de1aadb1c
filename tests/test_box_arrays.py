"""The array forms of the box tests give what the Box methods give, and the blue pre-check of a word's link colour
never turns away a word its ink colour would make a link."""

import numpy as np

from grounding import box_arrays, ocr
from grounding.elements import Box


def _boxes(rng: np.random.Generator, n: int) -> list[Box]:
    out = []
    for _ in range(n):
        x0, y0 = rng.integers(0, 60, 2).astype(float) + rng.choice([0.0, 0.5])
        w, h = rng.integers(-2, 30, 2).astype(float)  # some empty or inverted boxes too
        out.append(Box(x0, y0, x0 + w, y0 + h))
    return out


def test_array_box_tests_match_the_box_methods() -> None:
    rng = np.random.default_rng(7)
    a, b = _boxes(rng, 40), _boxes(rng, 50)
    xa, xb = box_arrays.box_array(a), box_arrays.box_array(b)
    assert box_arrays.areas(xa).tolist() == [p.area for p in a]
    assert box_arrays.intersections(xa, xb).tolist() == [[p.intersection(q) for q in b] for p in a]
    for slack in (0.0, 2.0):
        assert box_arrays.contains(xa, xb, slack).tolist() == [[p.contains(q, slack=slack) for q in b] for p in a]
    assert box_arrays.box_array([]).shape == (0, 4)
    for share in (0.0, 0.2, 0.5):
        least = share * box_arrays.areas(xa)
        dense = (box_arrays.intersections(xa, xb) > least[:, None]).any(axis=1)
        assert box_arrays.meets_over(xa, xb, least).tolist() == dense.tolist()
    assert box_arrays.meets_over(xa, box_arrays.box_array([]), least).tolist() == [False] * len(a)


def test_blue_precheck_keeps_every_link_coloured_word() -> None:
    rng = np.random.default_rng(3)
    links = 0
    for _ in range(400):
        image = np.full((30, 60, 3), 255, np.uint8)
        ink = rng.integers(0, 256, 3)
        mask = rng.random((12, 40)) < 0.3
        image[9:21, 10:50][mask] = ink
        image[9:21, 10:50][rng.random((12, 40)) < 0.05] = rng.integers(0, 256, 3)  # a second colour here and there
        box = Box(8.0, 7.0, 52.0, 23.0)
        color = ocr.ink_color(image, box)
        by_ink = color is not None and color[2] > 140 and color[2] - max(color[:2]) > 70 \
            and not ocr._on_a_band(image, box, color)
        assert ocr._is_link_colored(image, box) == by_ink
        links += by_ink
    assert links > 10  # the test saw links as well as plain words


def test_components_of_a_sparse_mask_are_those_of_the_whole_mask_in_the_same_order() -> None:
    import cv2

    from grounding.components import centred_components, components

    rng = np.random.default_rng(11)
    for _ in range(60):
        h, w = (int(v) for v in rng.integers(120, 700, 2))
        mask = np.zeros((h, w), np.uint8)
        for _ in range(int(rng.integers(0, 40))):
            y, x = int(rng.integers(0, h - 16)), int(rng.integers(0, w - 30))
            mask[y:y + 16, x:x + 30] |= (rng.random((16, 30)) < 0.35).astype(np.uint8)
        for connectivity in (4, 8):
            n, labels, stats, whole_centres = cv2.connectedComponentsWithStats(mask, connectivity=connectivity)
            m, box_labels, box_stats, (x0, y0) = components(mask, connectivity)
            assert m == n and (box_stats[1:] == stats[1:]).all()
            _, _, centres = centred_components(mask, connectivity)
            assert centres[1:].tolist() == whole_centres[1:].tolist()  # to the bit
            assert (labels[y0:y0 + box_labels.shape[0], x0:x0 + box_labels.shape[1]] == box_labels).all()


def test_the_quick_medians_and_areas_are_numpys_and_cvs_to_the_bit() -> None:
    import cv2

    from grounding.medians import median
    from grounding.proposals import _along, _areas
    from grounding.textlines import _ground

    rng = np.random.default_rng(5)
    for n in (1, 2, 3, 8, 51):
        values = rng.integers(0, 256, n).astype(np.uint8)
        assert median(values) == float(np.median(values))
        crop = rng.integers(0, 256, (n, 3, 3)).astype(np.uint8)
        assert _ground(crop) == float(np.median(crop.mean(axis=2)))
    mask = (rng.random((200, 300)) < 0.5).astype(np.uint8) * 255
    contours = list(cv2.findContours(mask, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)[0])
    points = np.concatenate(contours).reshape(-1, 2).astype(np.int64)
    sizes = np.array([len(c) for c in contours])
    assert len(contours) > 100
    assert _areas(points, np.cumsum(sizes) - sizes, sizes).tolist() == [cv2.contourArea(c) for c in contours]
    for _ in range(300):  # an x's diagonals: the dilated box's points are the windows around them, cut at its edges
        h, w = (int(v) for v in rng.integers(4, 90, 2))
        box = rng.random((h, w)) < rng.choice([0.01, 0.05])
        steps = [(round(t * (h - 1)), t) for t in np.linspace(0.1, 0.9, 9)]
        assert _along(box) == (sum(_near(box, y, round(t * (w - 1))) for y, t in steps) / 9,
                               sum(_near(box, y, round((1 - t) * (w - 1))) for y, t in steps) / 9)


def _near(box: np.ndarray, y: int, x: int) -> bool:
    """Ink within r of (y, x), r being _along's for the box."""
    r = max(1, round(0.04 * max(box.shape)))
    return bool(box[max(0, y - r):y + r + 1, max(0, x - r):x + r + 1].any())
