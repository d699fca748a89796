"""A stored image keeps none of the text its author's camera or editor wrote into it: no
comment (JPEG COM, the GIF comment extension), no EXIF, XMP or PNG text chunk, and no colour
profile (whose description and copyright tags are free text): its colours are converted to sRGB
instead (core.image_frames.clean_frame)."""

import io

import pytest
from PIL import Image, ImageCms, PngImagePlugin

from service.tests.conftest import MEDIA_BUCKET, upload

pytestmark = pytest.mark.django_db

SECRET = "PRIVATE: Ana, 221B Baker"  # as long as the copyright text it replaces below
MARKERS = (SECRET.encode(), SECRET.encode("utf-16-be"))
XMP = f'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:Description>{SECRET}</rdf:Description>'
XMP += "</x:xmpmeta>"


def profile_with_secret() -> bytes:
    """littleCMS's own sRGB profile with its copyright tag saying SECRET."""
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    copyright_text = "No copyright, use freely".encode("utf-16-be")
    assert copyright_text in profile
    assert len(SECRET) == len("No copyright, use freely")
    return profile.replace(copyright_text, SECRET.encode("utf-16-be"))


def exif_with_secret() -> Image.Exif:
    exif = Image.Exif()
    exif[0x010E] = SECRET  # ImageDescription
    exif[0x013B] = SECRET  # Artist
    return exif


def frames(mode: str = "RGB", count: int = 1) -> list[Image.Image]:
    colours = [(200, 30, 30), (30, 200, 30), (30, 30, 200)]
    return [Image.new(mode, (16, 16), colours[index % 3]) for index in range(count)]


def written(image_format: str, count: int = 1, **options) -> bytes:
    images = frames(count=count)
    buffer = io.BytesIO()
    if count > 1:
        options |= {"save_all": True, "append_images": images[1:], "duration": 80}
    images[0].save(buffer, format=image_format, **options)
    return buffer.getvalue()


def png_text() -> PngImagePlugin.PngInfo:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", SECRET)  # tEXt
    info.add_text("Comment", SECRET, zip=True)  # zTXt
    info.add_itxt("Description", SECRET, lang="en")  # iTXt
    return info


EVERY_BLOCK = {
    "jpeg": lambda: written(
        "JPEG",
        comment=SECRET,
        exif=exif_with_secret(),
        xmp=XMP.encode(),
        icc_profile=profile_with_secret(),
    ),
    "gif": lambda: written("GIF", comment=SECRET),
    "animated gif": lambda: written("GIF", count=3, comment=SECRET),
    "png": lambda: written(
        "PNG", pnginfo=png_text(), exif=exif_with_secret(), icc_profile=profile_with_secret()
    ),
    "apng": lambda: written(
        "PNG",
        count=3,
        pnginfo=png_text(),
        exif=exif_with_secret(),
        icc_profile=profile_with_secret(),
    ),
    "webp": lambda: written(
        "WEBP", exif=exif_with_secret(), xmp=XMP.encode(), icc_profile=profile_with_secret()
    ),
    "animated webp": lambda: written(
        "WEBP",
        count=3,
        exif=exif_with_secret(),
        xmp=XMP.encode(),
        icc_profile=profile_with_secret(),
    ),
}


def post_and_fetch(client, s3_client, content: bytes) -> bytes:
    from tweets.models import Tweet

    response = client.post("/tweets/", {"text": "look", "image": upload("x", content)})
    assert response.status_code == 302, response.content.decode()[:2000]
    key = Tweet.objects.get().image.name
    return s3_client.get_object(Bucket=MEDIA_BUCKET, Key=key)["Body"].read()


@pytest.mark.parametrize("case", EVERY_BLOCK)
def test_the_test_files_carry_the_secret(case):
    # The premise of the next test: the upload has what must not be stored.
    content = EVERY_BLOCK[case]()
    assert any(marker in content for marker in MARKERS), case


@pytest.mark.parametrize("case", EVERY_BLOCK)
def test_no_metadata_block_reaches_the_stored_file(alice_client, s3_client, case):
    content = EVERY_BLOCK[case]()
    body = post_and_fetch(alice_client, s3_client, content)
    for marker in MARKERS:
        assert marker not in body, (case, marker)
    stored = Image.open(io.BytesIO(body))
    assert stored.format == Image.open(io.BytesIO(content)).format
    assert not {"comment", "exif", "xmp", "icc_profile"} & set(stored.info), stored.info


def test_a_photo_with_a_colour_profile_is_stored_in_srgb_without_it(alice_client, s3_client):
    content = written("JPEG", icc_profile=profile_with_secret(), quality=100)
    body = post_and_fetch(alice_client, s3_client, content)
    stored = Image.open(io.BytesIO(body))
    assert "icc_profile" not in stored.info
    # The profile was sRGB: converting to sRGB leaves the colour where it was.
    pixel = stored.convert("RGB").getpixel((8, 8))
    assert max(abs(got - sent) for got, sent in zip(pixel, (200, 30, 30), strict=True)) <= 4, pixel


def test_a_transparent_png_with_a_colour_profile_stays_transparent(alice_client, s3_client):
    image = Image.new("RGBA", (8, 8), (0, 0, 0, 0))
    image.paste((200, 30, 30, 255), (0, 0, 4, 8))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", icc_profile=profile_with_secret())
    stored = Image.open(io.BytesIO(post_and_fetch(alice_client, s3_client, buffer.getvalue())))
    assert "icc_profile" not in stored.info
    rgba = stored.convert("RGBA")
    assert rgba.getpixel((6, 4))[3] == 0
    assert rgba.getpixel((1, 4)) == (200, 30, 30, 255)
