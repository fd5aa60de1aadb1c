import numpy as np

from grounding.uigraph import _components, content_boxes, ui_graph


def test_synthetic_screen_has_expected_components():
    img = np.full((280, 420, 3), 255, np.uint8)  # 10 x 15 cells of 28 px, white
    img[0:56, :] = (40, 60, 90)                   # a title bar two cells tall: one component
    img[112:140, 56:140] = (200, 30, 30)          # a red button three cells wide: one component
    img[196:224, 280:308] = np.arange(28 * 28 * 3, dtype=np.uint8).reshape(28, 28, 3)  # a unique icon cell
    graph = ui_graph(img, cell=28)
    labels = graph.labels
    assert labels.shape == (10, 15)
    assert len({labels[r, c] for r in range(2) for c in range(15)}) == 1
    assert len({labels[4, c] for c in range(2, 5)}) == 1
    assert graph.components == 4  # title bar, background, button, icon
    assert graph.sizes()[labels[7, 10]] == 1
    background = graph.background_mask()
    assert background[9, 0] and not background[7, 10]


def test_threshold_controls_merging():
    img = np.zeros((28, 56, 3), np.uint8)
    img[:, 28:] = 3  # a barely different neighbour
    assert ui_graph(img, cell=28, threshold=1.0).components == 1
    assert ui_graph(img, cell=28, threshold=0.01).components == 2


def test_components_of_a_chain_and_islands():
    labels = _components(6, np.array([0, 1, 4]), np.array([1, 2, 5]))
    assert list(labels) == [0, 0, 0, 1, 2, 2]


def test_content_boxes_skip_background():
    img = np.full((320, 480, 3), 250, np.uint8)
    img[100:140, 200:300] = 0
    boxes = content_boxes(img, cell=16)
    assert len(boxes) == 1
    x0, y0, x1, y1 = boxes[0]
    assert x0 <= 200 and y0 <= 100 and x1 >= 300 and y1 >= 140
