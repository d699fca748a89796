"""Each upload is stored with renditions at the sizes the pages show it (core.renditions): twice
the CSS size, never larger than the upload, in the upload's format, its animation and timing
kept, no metadata; pages link to them with their width and height."""

import html
import io
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageSequence

from core.images import reencoded
from core.renditions import (
    ATTACHMENT,
    AVATAR_LARGE,
    AVATAR_SMALL,
    DENSITY,
    Rendition,
    original_size,
    rendition_name,
    stored_name,
)
from service.tests.conftest import MEDIA_BUCKET, upload
from service.tests.test_image_metadata import EVERY_BLOCK, MARKERS


def still(image_format: str, size: tuple[int, int], mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.linear_gradient("L").resize(size).convert(mode).save(buffer, format=image_format)
    return buffer.getvalue()


def animation(image_format: str, size: tuple[int, int], durations: list[int]) -> bytes:
    images = [
        Image.new("RGB", size, ((index * 70) % 256, 255 - index * 40, 90))
        for index in range(len(durations))
    ]
    buffer = io.BytesIO()
    images[0].save(
        buffer,
        format=image_format,
        save_all=True,
        append_images=images[1:],
        duration=durations,
        loop=0,
    )
    return buffer.getvalue()


def rendered(content: bytes, image_format: str, rendition: Rendition) -> bytes:
    """`rendition` of an upload, made as every upload's are: beside its re-encoding."""
    [(made_for, made)] = reencoded(
        SimpleUploadedFile("upload", content), image_format, [rendition]
    )[1]
    assert made_for == rendition
    return made


def opened(content: bytes) -> Image.Image:
    return Image.open(io.BytesIO(content))


# --- sizes ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("original", "pixels", "shown"),
    [
        ((4000, 3000), (ATTACHMENT.width * DENSITY, 762), (ATTACHMENT.width, 381)),
        ((1500, 500), (ATTACHMENT.width * DENSITY, 339), (ATTACHMENT.width, 169)),
        ((800, 1600), (800, 1600), (ATTACHMENT.width, 1016)),
        ((300, 200), (300, 200), (300, 200)),  # a small picture is shown as it is
    ],
)
def test_an_attachment_is_twice_the_column_wide_at_most_and_keeps_its_aspect(
    original, pixels, shown
):
    assert ATTACHMENT.pixel_size(*original) == pixels
    assert ATTACHMENT.shown_size(*original) == shown


@pytest.mark.parametrize(
    ("rendition", "original", "pixels"),
    [
        (AVATAR_SMALL, (400, 300), (96, 96)),
        (AVATAR_LARGE, (400, 300), (192, 192)),
        (AVATAR_LARGE, (150, 120), (120, 120)),  # never larger than the upload
    ],
)
def test_an_avatar_is_a_square_twice_its_css_size(rendition, original, pixels):
    assert rendition.pixel_size(*original) == pixels
    assert rendition.shown_size(*original) == (rendition.width, rendition.height)


def test_a_stored_name_says_the_size_and_each_rendition_sits_beside_it():
    name = "tweets/" + stored_name("abc123", (4000, 3000), "jpg")
    assert name == "tweets/abc123.4000x3000.jpg"
    assert original_size(name) == (4000, 3000)
    assert rendition_name(name, ATTACHMENT) == "tweets/abc123.4000x3000.w508.jpg"
    assert original_size("tweets/0f3e9a.jpg") is None  # stored before renditions


# --- pixels ---------------------------------------------------------------------------------
@pytest.mark.parametrize("image_format", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_rendition_is_made_in_the_uploads_format_at_its_size(image_format):
    mode = "P" if image_format == "GIF" else "RGB"
    made = opened(rendered(still(image_format, (2400, 1200), mode), image_format, ATTACHMENT))
    assert made.format == image_format
    assert made.size == ATTACHMENT.pixel_size(2400, 1200)


def test_a_cropped_avatar_keeps_the_middle_of_the_picture():
    picture = Image.new("RGB", (300, 100), (255, 0, 0))
    picture.paste((0, 0, 255), (100, 0, 200, 100))  # blue in the middle third
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    made = opened(rendered(buffer.getvalue(), "PNG", AVATAR_SMALL)).convert("RGB")
    assert made.size == AVATAR_SMALL.pixel_size(300, 100)
    for x in (3, made.width // 2, made.width - 4):
        red, _, blue = made.getpixel((x, made.height // 2))
        assert blue > 200, x
        assert red < 60, x


@pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
def test_an_animated_rendition_keeps_every_frame_and_its_timing(image_format):
    durations = [40, 120, 60, 200]
    made = opened(
        rendered(animation(image_format, (1200, 600), durations), image_format, ATTACHMENT)
    )
    assert made.format == image_format
    assert made.n_frames == len(durations)
    assert made.size == ATTACHMENT.pixel_size(1200, 600)
    shown = []
    for frame in ImageSequence.Iterator(made):
        frame.load()
        shown.append(frame.info["duration"])
    assert shown == durations


# --- through the forms ----------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.parametrize("kind", sorted(EVERY_BLOCK))
def test_no_metadata_block_reaches_a_rendition(alice_client, s3_client, kind):
    from tweets.models import Tweet

    response = alice_client.post(
        "/tweets/", {"text": "look", "image": upload("photo", EVERY_BLOCK[kind]())}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    key = rendition_name(Tweet.objects.get().image.name, ATTACHMENT)
    stored = s3_client.get_object(Bucket=MEDIA_BUCKET, Key=key)["Body"].read()
    assert not [marker for marker in MARKERS if marker in stored]
    assert not {"comment", "exif", "xmp", "icc_profile"} & opened(stored).info.keys()


@pytest.mark.django_db
def test_a_tweet_links_to_its_rendition_with_its_size(alice_client, bucket_keys):
    from tweets.models import Tweet

    before = bucket_keys()
    response = alice_client.post(
        "/tweets/", {"text": "wide", "image": upload("wide.png", still("PNG", (2400, 1200)))}
    )
    assert response.status_code == 302
    name = Tweet.objects.get().image.name
    assert original_size(name) == (2400, 1200)
    assert bucket_keys() - before == {name, rendition_name(name, ATTACHMENT)}

    page = alice_client.get("/").content.decode()
    [tag] = re.findall(r'<img class="attachment"[^>]*>', page)
    width, height = ATTACHMENT.shown_size(2400, 1200)
    assert f'width="{width}" height="{height}"' in tag
    src = html.unescape(re.search(r'src="([^"]+)"', tag)[1])
    assert f"/{rendition_name(name, ATTACHMENT)}?" in src

    # The tweet's own page links to the original as well.
    detail = alice_client.get(f"/tweets/{Tweet.objects.get().pk}/").content.decode()
    [link] = re.findall(r'<a class="original" href="([^"]+)"', detail)
    assert f"/{name}?" in html.unescape(link)


@pytest.mark.django_db
def test_deleting_a_tweet_deletes_its_renditions(
    alice_client, bucket_keys, django_capture_on_commit_callbacks
):
    from tweets.models import Tweet

    before = bucket_keys()
    alice_client.post(
        "/tweets/", {"text": "gone", "image": upload("a.png", still("PNG", (64, 32)))}
    )
    assert len(bucket_keys() - before) == 2
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(f"/tweets/{Tweet.objects.get().pk}/delete/")
    assert bucket_keys() == before


@pytest.mark.django_db
def test_an_avatar_is_stored_at_both_sizes_and_pages_show_each(
    alice_client, alice, bucket_keys, s3_client, django_capture_on_commit_callbacks
):
    before = bucket_keys()
    response = alice_client.post(
        "/accounts/profile/",
        {"display_name": "", "bio": "", "avatar": upload("me.jpg", still("JPEG", (640, 480)))},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    alice.profile.refresh_from_db()
    name = alice.profile.avatar.name
    small, large = (rendition_name(name, r) for r in (AVATAR_SMALL, AVATAR_LARGE))
    assert bucket_keys() - before == {name, small, large}
    for key, rendition in ((small, AVATAR_SMALL), (large, AVATAR_LARGE)):
        body = s3_client.get_object(Bucket=MEDIA_BUCKET, Key=key)["Body"].read()
        assert opened(body).size == rendition.pixel_size(640, 480)

    alice_client.post("/tweets/", {"text": "hello"})
    page = alice_client.get(f"/u/{alice.username}/").content.decode()
    [profile_tag] = re.findall(r'<img class="avatar-large"[^>]*>', page)
    assert f"/{large}?" in html.unescape(profile_tag)
    assert 'width="96" height="96"' in profile_tag
    card_tags = [
        tag for tag in re.findall(r"<img [^>]*>", page) if f"/{small}?" in html.unescape(tag)
    ]
    assert card_tags
    assert all('width="48" height="48"' in tag for tag in card_tags)

    # A new avatar replaces the old one and its renditions.
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(
            "/accounts/profile/",
            {"display_name": "", "bio": "", "avatar": upload("me2.png", still("PNG", (50, 50)))},
        )
    alice.profile.refresh_from_db()
    assert not {name, small, large} & bucket_keys()


def test_every_img_in_the_templates_has_a_width_and_a_height():
    templates = settings.TEMPLATES[0]["DIRS"][0]
    for path in sorted(templates.rglob("*.html")):
        for tag in re.findall(r"<img\b[^>]*>", path.read_text()):
            assert "width=" in tag, (path.name, tag)
            assert "height=" in tag, (path.name, tag)
