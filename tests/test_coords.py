import pytest

from grounding.coords import (
    Frame,
    Point,
    Space,
    contains,
    image_to_logical,
    image_to_normalized,
    logical_to_image,
    logical_to_physical,
    normalized_to_image,
    physical_to_logical,
    resized_image_to_image,
)


def test_image_to_logical_with_monitor_origin_and_retina_scale():
    frame = Frame(left=1920, top=0, width=2880, height=1800, scale=2.0)
    p = image_to_logical(Point(100, 50, Space.IMAGE), frame)
    assert (p.x, p.y, p.space) == (1970, 25, Space.LOGICAL)
    back = logical_to_image(p, frame)
    assert (back.x, back.y) == (100, 50)


@pytest.mark.parametrize("dpr", [1.0, 1.5, 2.0])
def test_logical_physical_round_trip(dpr):
    p = Point(333, 777, Space.LOGICAL)
    phys = logical_to_physical(p, dpr)
    assert phys.x == pytest.approx(333 * dpr) and phys.space is Space.PHYSICAL
    assert physical_to_logical(phys, dpr) == p


def test_normalized_answers_both_scales():
    frame = Frame(0, 0, 1000, 500)
    assert normalized_to_image(Point(0.5, 0.2, Space.NORMALIZED), frame).rounded() == (500, 100)
    assert normalized_to_image(Point(500, 200, Space.NORMALIZED), frame, full_scale=1000).rounded() == (500, 100)
    assert image_to_normalized(Point(250, 250, Space.IMAGE), frame) == Point(0.25, 0.5, Space.NORMALIZED)


def test_model_resized_image_maps_back():
    p = resized_image_to_image(Point(644, 364, Space.IMAGE), resized=(1288, 728), original=(1920, 1080))
    assert p.rounded() == (960, 540)


def test_resized_frame_keeps_desktop_area():
    frame = Frame(100, 0, 1920, 1080).resized(960, 540)
    assert frame.scale == 0.5
    assert image_to_logical(Point(480, 270, Space.IMAGE), frame).rounded() == (1060, 540)


def test_wrong_space_is_refused():
    with pytest.raises(ValueError, match="expected a point in image space"):
        image_to_logical(Point(1, 1, Space.LOGICAL), Frame(0, 0, 10, 10))


def test_contains_and_bad_frames():
    frame = Frame(-1280, 0, 1280, 1024)
    assert contains(frame, Point(-1, 10, Space.LOGICAL))
    assert not contains(frame, Point(0, 10, Space.LOGICAL))
    with pytest.raises(ValueError):
        Frame(0, 0, 0, 10)
