"""An upload costs the server a bounded amount whatever its frames: IMAGE_UPLOAD_MAX_FRAMES,
IMAGE_UPLOAD_MAX_PIXELS over all frames (core.images, core.image_frames), for every animated
format the site accepts (GIF, APNG, animated WebP)."""

import io

import pytest
from django.conf import settings
from PIL import Image, ImageSequence

from service.bench.gif_bytes import growing_canvas, one_pixel_frames
from service.tests.conftest import MEDIA_BUCKET, upload

pytestmark = pytest.mark.django_db


def post_image(client, content: bytes, name: str):
    return client.post("/tweets/", {"text": "look", "image": upload(name, content, "image/gif")})


def animation(image_format: str, frames: int, size=(2, 2), durations=None) -> bytes:
    # Neighbours differ in every channel: no writer merges two frames into one.
    colours = [
        ((index * 37) % 256, (index * 91) % 256, 255 * (index % 2)) for index in range(frames)
    ]
    images = [Image.new("RGB", size, colour) for colour in colours]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format=image_format,
        save_all=True,
        append_images=images[1:],
        duration=durations or 50,
        loop=0,
    )
    return buffer.getvalue()


def test_the_bomb_is_the_one_pixel_animation_of_215000_frames():
    # The premise of the next test: under the 5 MB cap, two pixels "in all" by the header.
    bomb = one_pixel_frames(215_000)
    assert len(bomb) < settings.IMAGE_UPLOAD_MAX_BYTES
    image = Image.open(io.BytesIO(bomb))
    assert image.size == (1, 1)
    assert image.n_frames == 215_000


def test_an_animation_of_215000_one_pixel_frames_is_refused(alice_client, bucket_keys):
    from tweets.models import Tweet

    before = bucket_keys()
    response = post_image(alice_client, one_pixel_frames(215_000), "bomb.gif")
    assert response.status_code == 400
    limit = settings.IMAGE_UPLOAD_MAX_FRAMES
    assert (
        f"The animation has more than {limit} frames; the limit is {limit}."
        in response.content.decode()
    )
    assert not Tweet.objects.exists()
    assert bucket_keys() == before


@pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
def test_an_animation_one_frame_over_the_limit_is_refused(alice_client, image_format):
    from tweets.models import Tweet

    limit = settings.IMAGE_UPLOAD_MAX_FRAMES
    content = animation(image_format, limit + 1)
    assert Image.open(io.BytesIO(content)).n_frames == limit + 1
    response = post_image(alice_client, content, "long")
    assert response.status_code == 400
    assert f"more than {limit} frames" in response.content.decode()
    assert not Tweet.objects.exists()


@pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
def test_an_animation_at_the_frame_limit_keeps_every_frame_and_its_timing(
    alice_client, s3_client, image_format
):
    from tweets.models import Tweet

    limit = settings.IMAGE_UPLOAD_MAX_FRAMES
    durations = [40 + 10 * (index % 3) for index in range(limit)]
    response = post_image(alice_client, animation(image_format, limit, durations=durations), "a")
    assert response.status_code == 302, response.content.decode()[:2000]
    body = s3_client.get_object(Bucket=MEDIA_BUCKET, Key=Tweet.objects.get().image.name)["Body"]
    stored = Image.open(io.BytesIO(body.read()))
    assert stored.format == image_format
    assert durations_of(stored) == durations


def durations_of(image: Image.Image) -> list[int]:
    durations = []
    for frame in ImageSequence.Iterator(image):
        frame.load()  # the WebP reader sets a frame's duration as it decodes it
        durations.append(frame.info["duration"])
    return durations


@pytest.mark.parametrize(
    ("width", "height", "message"),
    [
        # Past the upload limit: refused by core.image_frames once the frame is seen.
        (4500, 4000, "The animation is 4500 x 4000 pixels a frame and passes 16 megapixels"),
        # Past twice the limit: refused by Pillow itself while seeking (core.apps).
        (6000, 6000, "A frame of the image is larger than 16 megapixels, the limit in all."),
    ],
)
def test_a_frame_larger_than_the_screen_counts_its_own_pixels(
    alice_client, bucket_keys, width, height, message
):
    from tweets.models import Tweet

    content = growing_canvas(width, height)
    assert Image.open(io.BytesIO(content)).size == (1, 1)  # what the header says
    before = bucket_keys()
    response = post_image(alice_client, content, "grows.gif")
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Tweet.objects.exists()
    assert bucket_keys() == before


def test_an_avatar_is_held_to_the_frame_limit_too(alice_client, alice):
    response = alice_client.post(
        "/accounts/profile/",
        {"display_name": "", "bio": "", "avatar": upload("me.gif", one_pixel_frames(1_000))},
    )
    assert response.status_code == 400
    assert "frames; the limit is" in response.content.decode()
    alice.profile.refresh_from_db()
    assert not alice.profile.avatar


def test_an_image_pillow_will_not_open_is_refused_with_the_reason(alice_client, bucket_keys):
    # Past twice IMAGE_UPLOAD_MAX_PIXELS Pillow refuses to open the file at all (core.apps):
    # the header alone is read.
    buffer = io.BytesIO()
    Image.new("1", (6000, 6000)).save(buffer, format="PNG")
    before = bucket_keys()
    response = post_image(alice_client, buffer.getvalue(), "huge.png")
    assert response.status_code == 400
    assert (
        "The image is more than 32 megapixels; the limit is 16 megapixels in all."
        in response.content.decode()
    )
    assert bucket_keys() == before
