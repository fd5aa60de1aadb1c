"""The OCR engine's own reading loop and the folded model graphs: same answers as the originals, less work."""

from __future__ import annotations

import logging
from collections import Counter

import numpy as np
import pytest

from models import ocr, ocr_graph
from tests.render import Canvas, font

onnx = pytest.importorskip("onnx")
ort = pytest.importorskip("onnxruntime")


def _session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def _line_input(text: str, size: int = 14) -> np.ndarray:
    """A rendered text line as the recognition model takes it: 48 px high, scaled to -1..1, NCHW."""
    canvas = Canvas(12 * len(text) + 16, size + 10)
    canvas.font = font(size)
    canvas.text(8, 3, text)
    img = np.asarray(canvas.image.resize((round(48 * canvas.image.width / canvas.image.height), 48)))
    return (img.astype(np.float32).transpose(2, 0, 1)[None] / 127.5 - 1.0).copy()


@pytest.mark.parametrize("name", ["ch_PP-OCRv4_rec_infer.onnx", "ch_PP-OCRv4_det_infer.onnx"])
def test_folded_graph_computes_the_same_with_fewer_operators(tmp_path, name):
    source = ocr._model_dir() / name
    folded = ocr_graph.folded_path(source, tmp_path)
    assert folded != source and folded.parent == tmp_path
    ops_before = Counter(n.op_type for n in onnx.load(str(source)).graph.node if n.op_type != "Constant")
    ops_after = Counter(n.op_type for n in onnx.load(str(folded)).graph.node if n.op_type != "Constant")
    assert sum(ops_after.values()) < 0.7 * sum(ops_before.values())
    assert ops_after["Clip"] == 0 and ops_after["HardSigmoid"] > 20
    # the only new Convs are the shifts before padded Convs, as 1x1 depthwise identities with a bias
    shifts = [n for n in onnx.load(str(folded)).graph.node if n.op_type == "Conv" and n.input[1].endswith("_dw_w")]
    assert shifts and ops_after["Conv"] == ops_before["Conv"] + len(shifts)
    assert not [n for n in onnx.load(str(folded)).graph.node if n.op_type == "Add" and n.input[1].endswith("_shift")]

    if "rec" in name:
        x = _line_input("Save changes to Report_2026.pdf?")
    else:
        canvas = Canvas(640, 320)
        for row, label in enumerate(["File  Edit  View", "Username", "Password", "Remember me", "Sign in"]):
            canvas.text(30, 20 + 55 * row, label)
        x = (np.asarray(canvas.image).astype(np.float32).transpose(2, 0, 1)[None] / 127.5 - 1.0).copy()
    a, b = _session(source), _session(folded)
    want = a.run(None, {a.get_inputs()[0].name: x})[0]
    got = b.run(None, {b.get_inputs()[0].name: x})[0]
    if "rec" in name:  # the folded recogniser stops before its softmax: its class scores, once exponentiated
        assert ops_after["Softmax"] == ops_before["Softmax"] - 1
        got = np.exp(got - got.max(-1, keepdims=True))
        got /= got.sum(-1, keepdims=True)
    assert want.shape == got.shape
    assert float(np.abs(want - got).max()) < 1e-4
    if "rec" in name:  # the decision itself is identical, column by column
        assert (want.argmax(-1) == got.argmax(-1)).all()


def test_folded_file_is_built_once_and_reused(tmp_path):
    source = ocr._model_dir() / "ch_PP-OCRv4_rec_infer.onnx"
    first = ocr_graph.folded_path(source, tmp_path)
    stamp = first.stat().st_mtime_ns
    assert ocr_graph.folded_path(source, tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [first.name]  # no temporary file left behind


def test_a_model_that_cannot_be_folded_is_used_as_it_is(tmp_path, caplog):
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"this is not an ONNX file")
    with caplog.at_level(logging.WARNING, logger="models.ocr_graph"):
        assert ocr_graph.folded_path(broken, tmp_path / "cache") == broken
    assert "using the unfolded OCR model broken.onnx" in caplog.text
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


@pytest.fixture(scope="module")
def engine():
    return ocr.Engine(2)


def _screen() -> tuple[np.ndarray, dict[str, tuple[int, int, int, int]]]:
    canvas = Canvas(900, 360)
    canvas.font = font(15)
    boxes = {}
    for i, (label, x, y) in enumerate([("Save", 40, 30), ("Cancel", 200, 30), ("Open", 40, 120), ("Open", 200, 120),
                                       ("Export the quarterly report as PDF", 40, 210),
                                       ("Remember me on this computer", 40, 290)]):
        boxes[f"{label}@{i}"] = canvas.text(x, y, label)
    return np.asarray(canvas.image), boxes


def test_engine_reads_lines_and_places_characters(engine):
    image, boxes = _screen()
    lines = engine(image)
    texts = sorted(line.text for line in lines)
    assert texts == sorted(k.split("@")[0] for k in boxes)
    for line in lines:
        assert line.score > 0.8
        assert "".join(line.chars) == line.text
        assert len(line.char_boxes) == len(line.chars)
        lefts = [b[0] for b in line.char_boxes]
        assert lefts == sorted(lefts)  # reading order, no overlaps left
        assert all(b[2] <= nb[0] + 1e-6 for b, nb in zip(line.char_boxes, line.char_boxes[1:]))
    # every character box sits inside the pixels PIL drew for its line, give or take a glyph's slack
    long = next(line for line in lines if line.text.startswith("Export"))
    drawn = boxes["Export the quarterly report as PDF@4"]
    assert drawn[0] - 4 <= long.char_boxes[0][0] and long.char_boxes[-1][2] <= drawn[2] + 4
    # "q" of "quarterly" is where PIL put it
    canvas = Canvas()
    canvas.font = font(15)
    q_left = drawn[0] + canvas.draw.textlength("Export the ", font=canvas.font)
    q_box = long.char_boxes[len("Export the ")]
    assert long.chars[len("Export the ")] == "q"
    assert abs((q_box[0] + q_box[2]) / 2 - (q_left + canvas.draw.textlength("q", font=canvas.font) / 2)) < 4


def test_identical_lines_are_read_once(engine, monkeypatch):
    image, _ = _screen()
    seen = []
    real = engine.read

    def counting(crops, *rest):
        seen.append(len(crops))
        return real(crops, *rest)

    monkeypatch.setattr(engine, "read", counting)
    lines = engine(image)
    assert [line.text for line in lines].count("Open") == 2
    assert seen == [len(lines) - 1]  # the second "Open" is the same pixels as the first


def test_batched_short_lines_read_exactly_as_alone(engine):
    image, _ = _screen()
    r = engine.rapid
    boxes, _ = r.auto_text_det(image)
    crops = r.get_crop_img_list(image, boxes)
    together = engine.read(crops)
    alone = [engine.read([c])[0] for c in crops]
    assert [t[0] for t in together] == [t[0] for t in alone]
    assert max(abs(t[1] - a[1]) for t, a in zip(together, alone)) < 1e-5
    assert all((t[2] == a[2]).all() for t, a in zip(together, alone))


def test_nothing_to_read(engine):
    assert engine(np.full((300, 400, 3), 255, np.uint8)) == []
    assert engine(np.full((300, 400), 255, np.uint8)) == []  # a grey image is fine too


def test_detector_input_is_rapidocrs_own(engine):
    from rapidocr_onnxruntime.ch_ppocr_det.utils import DetPreProcess

    image, _ = _screen()
    detector = engine.rapid.text_det
    for crop in (image, image[:70, :300], np.ascontiguousarray(image[::-1])):
        side = max(crop.shape[:2])
        want = DetPreProcess(960 if side < 960 else 1500, "max", detector.mean, detector.std)(crop)
        got = detector.get_preprocess(side)(crop)
        assert got.dtype == want.dtype == np.float32 and np.array_equal(got, want)


def test_lines_read_side_by_side_read_as_one_after_another(engine):
    image, _ = _screen()
    r = engine.rapid
    boxes, _ = r.auto_text_det(image)
    crops = r.get_crop_img_list(image, boxes) * 3  # more runs than threads
    alone = ocr.Engine(1)
    assert alone.pool is None and engine.pool is not None
    want, got = alone.read(crops), engine.read(crops)
    assert [t[0] for t in got] == [t[0] for t in want] and [t[1] for t in got] == [t[1] for t in want]
    assert all((g[2] == w[2]).all() for g, w in zip(got, want))


def test_what_runs_meanwhile_sees_every_detected_line_before_the_lines_come_back(engine):
    image, _ = _screen()
    seen = []
    lines = engine(image, meanwhile=lambda quads: seen.extend(tuple(map(tuple, q.tolist())) for q in quads))
    assert lines and all(line.quad in seen for line in lines)
    assert [line.text for line in lines] == [line.text for line in engine(image)]
