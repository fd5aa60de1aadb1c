"""The parse's stage times and how `deskpilot bench screen` reports them (what they are, not how fast)."""

import numpy as np

from app.bench.screen import report, table
from app.bench.screen_timing import DenseTiming, _stage_ms
from app.cli.main import main
from grounding.parser import ScreenParser
from tests.render import Canvas


def _page() -> np.ndarray:
    canvas = Canvas(640, 240)
    canvas.text(20, 20, "Quarterly report")
    canvas.button(20, 80, "Export")
    canvas.field(180, 82, value="March 2026")
    return np.asarray(canvas.image)


def test_a_pixel_parse_says_how_long_detection_recognition_and_the_rest_took():
    parser = ScreenParser(incremental=False)
    parser.parse(_page())
    s = parser.stats
    assert s.detect_ms > 0 and s.read_ms > 0
    assert s.detect_ms + s.read_ms <= s.ocr_ms <= s.total_ms
    stages = _stage_ms(s)
    assert list(stages)[:3] == ["ocr_ms", "detect_ms", "read_ms"] and stages["total_ms"] == s.total_ms


def test_an_incremental_parse_of_the_same_frame_reads_nothing_and_says_so():
    parser = ScreenParser()
    image = _page()
    parser.parse(image)
    parser.parse(image)
    assert parser.stats.detect_ms == 0 and parser.stats.read_ms == 0 and parser.stats.total_ms > 0


def test_the_bench_reports_the_dense_timing_with_its_stages_even_without_screens():
    timing = DenseTiming(1800.0, 1700.0, 2100.0, 5, {"ocr_ms": 1500.0, "detect_ms": 400.0, "read_ms": 1000.0,
                                                       "total_ms": 1800.0}, (3.5, 3.0, 2.0))
    result = report([], ["pixels"], {"pixels": timing})
    pixels = result["pixels"]
    assert pixels["parse_ms_dense_1080p"] == 1800.0 and pixels["screens"] == 0
    assert pixels["dense_1080p"]["stages_ms"]["read_ms"] == 1000.0 and pixels["dense_1080p"]["load_average"][0] == 3.5
    assert "skipped" in result["accessibility"]
    text = table(result)
    assert "parse of a dense 1920x1080 page: 1800.0 ms" in text
    assert "OCR 1500, of which text detection 400, recognition 1000; 5 parses 1700-2100 ms, load average 3.5" in text


def test_timing_only_and_skip_timing_together_are_one_sentence(capsys):
    assert main(["bench", "screen", "--modes", "pixels", "--timing-only", "--skip-timing"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "leave nothing to run" in err
