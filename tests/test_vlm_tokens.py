import numpy as np
import pytest

from grounding.coords import Space, resized_image_to_image
from grounding.vlm_tokens import AnswerError, parse_point, select_tokens, smart_resize


def test_smart_resize_matches_qwen2_vl():
    assert smart_resize(1080, 1920) == (1092, 1932)  # 39 x 69 = 2,691 tokens at Qwen2-VL's default budget
    assert smart_resize(1080, 1920, max_pixels=1344 * 28 * 28) == (756, 1344)  # ShowUI's budget: 27 x 48
    h, w = smart_resize(800, 1280, max_pixels=1344 * 28 * 28)
    assert h % 28 == 0 and w % 28 == 0 and h * w <= 1344 * 28 * 28
    assert smart_resize(100, 100, max_pixels=1344 * 28 * 28) == (112, 112)
    assert smart_resize(20, 20) == (56, 56)  # raised to the minimum area
    with pytest.raises(ValueError, match="aspect ratio"):
        smart_resize(10, 4000)


def screenshot():
    img = np.full((280, 420, 3), 250, np.uint8)  # 10 x 15 tokens of flat background
    img[0:28, :] = (40, 60, 90)  # a title bar: one component of 15 tokens
    rng = np.random.default_rng(1)
    img[112:168, 56:168] = rng.integers(0, 255, (56, 112, 3))  # 2 x 4 tokens of busy content, all different
    return img


def test_ratio_zero_keeps_everything():
    sel = select_tokens(screenshot(), ratio=0.0)
    assert sel.keep.all() and sel.reduction == 0.0


def test_keep_rule_per_component():
    sel = select_tokens(screenshot(), ratio=0.5)
    labels = sel.labels.ravel()
    sizes = np.bincount(labels)
    for comp, n in enumerate(sizes):
        kept = sel.keep[labels == comp].sum()
        assert kept == max(1, n - round(n * 0.5)), (comp, n, kept)
    busy = sel.labels[4:6, 2:6].ravel()
    assert len(set(busy)) == 8 and sel.keep.reshape(10, 15)[4:6, 2:6].all()  # lone cells are always kept
    # background: 150 - 15 - 8 = 127 cells -> keeps 63; title bar 15 -> 7 (round(7.5) == 8); busy 8 -> 8
    assert sel.kept == 63 + 7 + 8


def test_uniform_is_deterministic_and_random_is_seeded():
    a, b = select_tokens(screenshot(), 0.5), select_tokens(screenshot(), 0.5)
    assert (a.keep == b.keep).all()
    r1, r2 = select_tokens(screenshot(), 0.5, mode="random", seed=3), select_tokens(screenshot(), 0.5, mode="random",
                                                                                    seed=3)
    assert (r1.keep == r2.keep).all() and r1.kept == a.kept
    with pytest.raises(ValueError, match="multiples of 28"):
        select_tokens(np.zeros((100, 100, 3), np.uint8))


def test_answers_map_back_through_the_resize():
    resized, original = (1456, 812), (1920, 1080)
    p = parse_point("[0.5, 0.25]", "showui", resized)
    back = resized_image_to_image(p, resized, original)
    assert back.space is Space.IMAGE and back.rounded() == (960, 270)
    p = parse_point("click(start_box='(728,406)')", "uitars", resized)
    assert resized_image_to_image(p, resized, original).rounded() == (960, 540)
    p = parse_point("(500,500)", "uitars1000", resized)
    assert p.rounded() == (728, 406)
    assert parse_point("<|box_start|>(100,100),(200,300)<|box_end|>", "uitars", resized).rounded() == (150, 200)


@pytest.mark.parametrize("answer, style, problem", [
    ("I think it's the blue one", "showui", "no point in the answer"),
    ("[1.4, 0.2]", "showui", "outside the 0-1 grid"),
    ("(2000, 10)", "uitars", "outside the 1456x812 screenshot"),
])
def test_unreadable_answers_go_back_to_the_model(answer, style, problem):
    with pytest.raises(AnswerError, match=problem):
        parse_point(answer, style, (1456, 812))


def test_graph_of_a_synthetic_screenshot():
    sel = select_tokens(screenshot(), ratio=0.0)
    sizes = sorted(np.bincount(sel.labels.ravel()))
    assert sizes == [1] * 8 + [15, 127]  # eight busy cells alone, the title bar, the background around them
    assert sel.labels[0, 0] != sel.labels[1, 0] and sel.labels[1, 0] == sel.labels[9, 14]


def test_aggressive_rule_thins_interiors_twice_and_keeps_outlines():
    plain, aggressive = select_tokens(screenshot(), 0.5), select_tokens(screenshot(), 0.5, aggressive=True)
    assert aggressive.kept < plain.kept and aggressive.reduction > 0.5
    labels, keep = aggressive.labels, aggressive.keep.reshape(10, 15)
    from grounding.vlm_tokens import interior

    inner = interior(labels)
    background = labels == labels[9, 14]
    n_in, n_out = int((inner & background).sum()), int((~inner & background).sum())
    assert keep[inner & background].sum() == n_in - round(n_in * 0.75)  # (1 - 0.5)^2 of the interior stays
    assert keep[~inner & background].sum() == max(1, n_out - round(n_out * 0.5))
    assert keep[4:6, 2:6].all()  # lone cells still kept
    assert select_tokens(screenshot(), 0.0, aggressive=True).keep.all()
