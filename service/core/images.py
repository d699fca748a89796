"""Uploaded images: only real images of an allowed format, size, pixel count, frame count and
decoding time, re-encoded (so no metadata the camera or editor wrote, GPS position and comments
included, reaches other users) and stored under a fresh name."""

import io
import uuid
from collections.abc import Iterator, Sequence
from pathlib import PurePosixPath
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

from core.image_frames import DecodeLimits, bounded_frames, clean_frame, too_many_pixels
from core.renditions import Rendition, encoded, made_from, stored_name

_EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_CONTENT_TYPE_BY_FORMAT = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}


def clean_uploaded_image(
    upload: UploadedFile, renditions: Sequence[Rendition] = ()
) -> UploadedFile:
    """Check a file that forms.ImageField has already opened with Pillow; return it
    re-encoded (`reencoded`) under a new name that says its size (core.renditions), each of
    `renditions` made from it in `.renditions` for core.renditions.save_renditions.

    forms.ImageField refuses what Pillow cannot open and verify, and leaves the opened image
    on `upload.image`. Pillow reads many more formats than browsers show, so the format is
    checked against IMAGE_UPLOAD_FORMATS too, and the pixel count against
    IMAGE_UPLOAD_MAX_PIXELS before anything is decoded.
    """
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            f"The image is {filesizeformat(upload.size)}; "
            f"the limit is {filesizeformat(max_bytes)}.",
            code="image_too_large",
        )
    image_format = getattr(getattr(upload, "image", None), "format", None)
    allowed = settings.IMAGE_UPLOAD_FORMATS
    if image_format not in allowed:
        raise ValidationError(
            "Upload a JPEG, PNG, GIF or WebP image "
            f"(this file is {image_format or 'not an image'}).",
            code="image_format",
        )
    content, made = reencoded(upload, image_format, renditions)
    # The header alone (no pixels decoded): the size of what is stored, as its name says.
    with Image.open(io.BytesIO(content), formats=[image_format]) as stored:
        size = stored.size
    # Stored under a name we choose: never trust the client's file name.
    name = stored_name(uuid.uuid4().hex, size, _EXTENSION_BY_FORMAT[image_format])
    cleaned = SimpleUploadedFile(name, content, content_type=_CONTENT_TYPE_BY_FORMAT[image_format])
    cleaned.renditions = made
    return cleaned


def check_pixel_count(width: int, height: int) -> None:
    """Refuse an image that would take more than IMAGE_UPLOAD_MAX_PIXELS to decode: every
    viewer's browser decodes it (a few-megabyte PNG can hold 150 megapixels)."""
    limit = settings.IMAGE_UPLOAD_MAX_PIXELS
    if width * height > limit:
        raise too_many_pixels(width, height, 1, limit)


def reencoded(
    upload: UploadedFile, image_format: str, renditions: Sequence[Rendition] = ()
) -> tuple[bytes, list[tuple[Rendition, bytes]]]:
    """The image decoded and encoded again in its own format, turned upright the way its EXIF
    orientation says, without its metadata, within DecodeLimits.from_settings(); and each of
    `renditions` encoded, made from the same decoded frames (core.renditions.made_from): the
    upload is decoded once.

    Saving a new image writes only what is passed to `save` and what is left in each frame's
    `info`, which `clean_frame` empties of all but how the image is shown; so the EXIF block
    (GPS position, camera, time), XMP, comments, text chunks and colour profile are left behind.
    `ImageOps.exif_transpose` first applies the orientation tag that would otherwise be lost
    with them.
    https://pillow.readthedocs.io/en/stable/reference/ImageOps.html#PIL.ImageOps.exif_transpose

    An animation's frames are decoded one at a time as the writer asks for them (a generator
    as `append_images`), so a limit stops the work at the frame that passes it.
    https://pillow.readthedocs.io/en/stable/handbook/image-file-formats.html#saving-sequences
    """
    upload.seek(0)
    # Only the plugin of the format already recognised may parse the file a second time.
    with Image.open(upload, formats=[image_format]) as original:
        check_pixel_count(original.width, original.height)
        animated = getattr(original, "is_animated", False)
        if animated:
            frames = bounded_frames(original, DecodeLimits.from_settings())
        else:
            # One frame, already within IMAGE_UPLOAD_MAX_PIXELS: decoded once and turned in
            # place, never copied (a 16-megapixel copy is 64 MB), then cleaned like a frame.
            ImageOps.exif_transpose(original, in_place=True)
            frames = iter([clean_frame(original)])
        made: list[list[Image.Image]] = []
        content = save_frames(made_from(frames, renditions, made), image_format, animated)
    return content, encoded(renditions, made, image_format, animated)


def save_frames(frames: Iterator[Image.Image], image_format: str, animated: bool) -> bytes:
    """`frames` encoded in `image_format`: one image, or with `animated` an animation of all
    of them, each saved with only what its `info` holds and what is passed here."""
    first = next(frames)
    options = _animation_options(first, frames, image_format) if animated else {}
    if image_format == "JPEG":
        options |= {"quality": 90, "optimize": True}
    buffer = io.BytesIO()
    first.save(buffer, format=image_format, **(first.info | options))
    return buffer.getvalue()


def _animation_options(first: Image.Image, rest: Iterator[Image.Image], image_format: str):
    """`save` options writing `first` and then `rest` as one animation, each frame for as
    long as it lasted in the upload.

    The GIF writer iterates `append_images` once, as it writes, and reads each frame's
    `duration` from its `info` when `save` is given none: it gets the frames one by one. The
    PNG writer iterates `append_images` twice and the WebP writer makes a list of it and takes
    the durations from `save` alone: they get a list, which DecodeLimits has already bounded.
    https://pillow.readthedocs.io/en/stable/handbook/image-file-formats.html#saving-sequences
    """
    if image_format == "GIF":
        return {"save_all": True, "append_images": rest, "duration": None}
    frames = list(rest)
    durations = [frame.info.get("duration", 0) for frame in (first, *frames)]
    return {"save_all": True, "append_images": frames, "duration": durations}


def upload_path(folder: str, filename: str) -> str:
    # `filename` is the one clean_uploaded_image chose.
    return str(PurePosixPath(folder) / PurePosixPath(filename).name)


class UploadedImageField(forms.ImageField):
    """forms.ImageField that judges a file by its content alone.

    The file name's extension says nothing about the content, so the extension check is
    dropped; Pillow decodes the file, then clean_uploaded_image checks format and size and
    gives it a name matching its real format.
    """

    default_validators: ClassVar[list] = []

    def __init__(self, *, renditions: Sequence[Rendition] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        # The sizes the pages show this image at (core.renditions), made when it is cleaned.
        self.renditions = tuple(renditions)

    def to_python(self, data):
        try:
            return super().to_python(data)
        except ValidationError as refused:
            # Pillow's own check (core.apps) refused to open it: say why, not "not an image".
            if isinstance(refused.__cause__, Image.DecompressionBombError):
                limit = settings.IMAGE_UPLOAD_MAX_PIXELS
                raise ValidationError(
                    f"The image is more than {2 * limit // 1_000_000} megapixels; "
                    f"the limit is {limit // 1_000_000} megapixels in all.",
                    code="image_too_many_pixels",
                ) from refused.__cause__
            raise

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return clean_uploaded_image(value, self.renditions)
        return value
