"""Uploaded images: only real images of an allowed format, size and pixel count, re-encoded
(so no metadata the camera wrote, GPS position included, reaches other users) and stored under a
fresh name."""

import io
import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps, ImageSequence

_EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
_CONTENT_TYPE_BY_FORMAT = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "GIF": "image/gif",
    "WEBP": "image/webp",
}
# What a re-encoded image keeps of the original's `info`: how it looks (colour profile,
# transparency, animation timing), never what the camera said (EXIF, XMP, comments).
_KEPT_INFO = ("icc_profile", "transparency", "duration", "loop", "background")


def clean_uploaded_image(upload: UploadedFile) -> UploadedFile:
    """Check a file that forms.ImageField has already opened with Pillow; return it
    re-encoded (`reencoded`) under a new name.

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
    # Stored under a name we choose: never trust the client's file name.
    return SimpleUploadedFile(
        f"{uuid.uuid4().hex}.{_EXTENSION_BY_FORMAT[image_format]}",
        reencoded(upload, image_format),
        content_type=_CONTENT_TYPE_BY_FORMAT[image_format],
    )


def check_pixel_count(width: int, height: int, frames: int = 1) -> None:
    """Refuse an image that would take more than IMAGE_UPLOAD_MAX_PIXELS to decode: every
    viewer's browser decodes it (a few-megabyte PNG can hold 150 megapixels)."""
    limit = settings.IMAGE_UPLOAD_MAX_PIXELS
    if width * height * frames > limit:
        of_frames = f" x {frames} frames" if frames > 1 else ""
        raise ValidationError(
            f"The image is {width} x {height} pixels{of_frames}; "
            f"the limit is {limit // 1_000_000} megapixels in all.",
            code="image_too_many_pixels",
        )


def reencoded(upload: UploadedFile, image_format: str) -> bytes:
    """The image decoded and encoded again in its own format, turned upright the way its EXIF
    orientation says, without its metadata.

    Saving a new image writes only what is passed to `save`, so the EXIF block (GPS position,
    camera, time) and XMP are left behind; `ImageOps.exif_transpose` first applies the
    orientation tag that would otherwise be lost with them.
    https://pillow.readthedocs.io/en/stable/reference/ImageOps.html#PIL.ImageOps.exif_transpose
    """
    upload.seek(0)
    with Image.open(upload) as original:
        frames = getattr(original, "n_frames", 1)
        check_pixel_count(original.width, original.height, frames)
        kept = {key: original.info[key] for key in _KEPT_INFO if key in original.info}
        if frames > 1:
            # Animations keep every frame; their formats carry no orientation tag worth applying.
            images = [frame.copy() for frame in ImageSequence.Iterator(original)]
            first, rest = images[0], images[1:]
            options = {"save_all": True, "append_images": rest}
        else:
            first = ImageOps.exif_transpose(original)
            options = {}
        if image_format == "JPEG":
            options |= {"quality": 90, "optimize": True}
        buffer = io.BytesIO()
        first.save(buffer, format=image_format, **kept, **options)
    return buffer.getvalue()


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

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            return clean_uploaded_image(value)
        return value
