"""bounded_frames hands out frames one at a time and stops at the first limit passed, before
decoding the frame that passes it (core.image_frames)."""

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from core.image_frames import DecodeLimits, bounded_frames
from service.bench.gif_bytes import one_pixel_frames


def gif(frames: int) -> Image.Image:
    return Image.open(io.BytesIO(one_pixel_frames(frames)))


def test_every_frame_comes_out_when_no_limit_is_passed():
    assert len(list(bounded_frames(gif(5), DecodeLimits(max_frames=5)))) == 5


def test_the_frame_past_the_limit_is_refused_before_it_is_handed_out():
    handed_out = []
    with pytest.raises(ValidationError) as refused:
        handed_out.extend(bounded_frames(gif(10), DecodeLimits(max_frames=4)))
    assert len(handed_out) == 4
    assert refused.value.code == "image_too_many_frames"


def test_decoding_stops_once_the_time_is_up():
    ticks = iter([0.0, 1.0, 2.0, 9.5, 10.5, 11.0])  # the start, then one reading a frame
    frames = bounded_frames(gif(10), DecodeLimits(max_seconds=10), clock=lambda: next(ticks))
    handed_out = []
    with pytest.raises(ValidationError) as refused:
        handed_out.extend(frames)
    assert len(handed_out) == 3  # the fourth frame was asked for at 10.5 s
    assert refused.value.code == "image_too_slow"
    assert "more than 10 seconds" in refused.value.message


def test_the_pixels_of_every_frame_count_towards_the_limit():
    handed_out = []
    with pytest.raises(ValidationError) as refused:
        handed_out.extend(bounded_frames(gif(10), DecodeLimits(max_pixels=6)))
    assert len(handed_out) == 6
    assert refused.value.code == "image_too_many_pixels"


def test_a_handed_out_frame_has_no_comment():
    buffer = io.BytesIO()
    Image.new("P", (2, 2)).save(buffer, format="GIF", comment=b"by Ana")
    image = Image.open(buffer)
    assert image.info["comment"] == b"by Ana"
    (frame,) = bounded_frames(image, DecodeLimits())
    assert "comment" not in frame.info
