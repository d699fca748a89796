"""Uploaded images reach the bucket re-encoded: turned upright, without the metadata the camera
wrote (GPS position included), and refused past IMAGE_UPLOAD_MAX_PIXELS (core.images)."""

import io

import pytest
from PIL import Image, ImageSequence

from service.tests.conftest import MEDIA_BUCKET, upload

pytestmark = pytest.mark.django_db

GPS_IFD = 0x8825
ORIENTATION = 0x0112
ROTATED_90_CLOCKWISE = 6  # "rotate 90 CW to view": the sensor's picture is on its side


def photo_with_gps(size=(40, 20), orientation: int | None = None) -> bytes:
    """A JPEG as a phone writes it: EXIF with the camera, the time and a GPS position."""
    image = Image.new("RGB", size, (29, 155, 240))
    image.paste((240, 60, 30), (0, 0, size[0] // 2, size[1]))  # left half red: shows rotation
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0132] = "2026:11:30 08:15:00"  # DateTime
    exif.get_ifd(GPS_IFD).update(
        {1: "N", 2: (35.0, 39.0, 29.0), 3: "E", 4: (139.0, 41.0, 59.0)}  # Tokyo
    )
    if orientation is not None:
        exif[ORIENTATION] = orientation
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, quality=95)
    return buffer.getvalue()


def stored(s3_client, key: str) -> Image.Image:
    body = s3_client.get_object(Bucket=MEDIA_BUCKET, Key=key)["Body"].read()
    return Image.open(io.BytesIO(body))


def post_image(client, content: bytes, name: str = "photo.jpg"):
    return client.post("/tweets/", {"text": "look", "image": upload(name, content, "image/jpeg")})


def test_the_test_photo_does_carry_a_gps_position():
    # The premise of the next test: the upload has what must not be stored.
    exif = Image.open(io.BytesIO(photo_with_gps())).getexif()
    assert exif.get_ifd(GPS_IFD)[1] == "N"
    assert exif[0x010F] == "PhoneMaker"


def test_a_stored_photo_has_no_exif_and_no_gps_position(alice_client, s3_client):
    from tweets.models import Tweet

    response = post_image(alice_client, photo_with_gps())
    assert response.status_code == 302, response.content.decode()[:2000]
    image = stored(s3_client, Tweet.objects.get().image.name)
    assert image.format == "JPEG"
    assert image.size == (40, 20)
    assert not image.getexif()
    assert "exif" not in image.info
    assert not image.getexif().get_ifd(GPS_IFD)


def test_a_photo_taken_sideways_is_stored_upright(alice_client, s3_client):
    from tweets.models import Tweet

    post_image(alice_client, photo_with_gps(size=(40, 20), orientation=ROTATED_90_CLOCKWISE))
    image = stored(s3_client, Tweet.objects.get().image.name).convert("RGB")
    # Turned as the tag said, and the tag gone with the rest: no viewer turns it twice.
    assert image.size == (20, 40)
    red_half_on_top = image.getpixel((10, 5))
    assert red_half_on_top[0] > 200, red_half_on_top
    assert red_half_on_top[2] < 100, red_half_on_top
    assert ORIENTATION not in image.getexif()


def test_an_avatar_is_stored_without_exif_too(alice_client, alice, s3_client):
    response = alice_client.post(
        "/accounts/profile/",
        {"display_name": "", "bio": "", "avatar": upload("me.jpg", photo_with_gps(), "image/jpeg")},
    )
    assert response.status_code == 302
    alice.profile.refresh_from_db()
    assert not stored(s3_client, alice.profile.avatar.name).getexif()


def test_transparency_survives_the_re_encoding(alice_client, s3_client):
    from tweets.models import Tweet

    image = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    post_image(alice_client, buffer.getvalue(), "clear.png")
    assert (
        stored(s3_client, Tweet.objects.get().image.name).convert("RGBA").getpixel((1, 1))[3] == 0
    )


def test_an_animation_keeps_every_frame(alice_client, s3_client):
    from tweets.models import Tweet

    frames = [
        Image.new("RGB", (16, 16), colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))
    ]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100)
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 3
    post_image(alice_client, buffer.getvalue(), "anim.gif")
    image = stored(s3_client, Tweet.objects.get().image.name)
    assert image.format == "GIF"
    assert len(list(ImageSequence.Iterator(image))) == 3


def test_an_image_over_16_megapixels_is_refused_with_its_size(alice_client, bucket_keys):
    from tweets.models import Tweet

    before = bucket_keys()
    buffer = io.BytesIO()
    Image.new("L", (4100, 4000)).save(buffer, format="PNG")  # 16.4 megapixels, a few kB
    response = post_image(alice_client, buffer.getvalue(), "wide.png")
    assert response.status_code == 400
    assert (
        "The image is 4100 x 4000 pixels; the limit is 16 megapixels in all."
        in response.content.decode()
    )
    assert not Tweet.objects.exists()
    assert bucket_keys() == before


def test_an_image_of_exactly_16_megapixels_is_accepted(alice_client):
    from tweets.models import Tweet

    buffer = io.BytesIO()
    Image.new("L", (4000, 4000)).save(buffer, format="PNG")
    response = post_image(alice_client, buffer.getvalue(), "square.png")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Tweet.objects.get().image.name.endswith(".png")


def test_an_animation_counts_the_pixels_of_every_frame(alice_client):
    frames = [Image.new("RGB", (1000, 1000), (colour * 15, 0, 0)) for colour in range(17)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])
    assert Image.open(io.BytesIO(buffer.getvalue())).n_frames == 17
    response = post_image(alice_client, buffer.getvalue(), "long.gif")
    assert response.status_code == 400
    assert (
        "The animation is 1000 x 1000 pixels a frame and passes 16 megapixels at frame 17;"
        in response.content.decode()
    )
