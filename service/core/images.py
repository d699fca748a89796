"""Uploaded images: only real images of an allowed format and size, stored under a fresh name."""

import uuid
from pathlib import PurePosixPath
from typing import ClassVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat

_EXTENSION_BY_FORMAT = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}


def clean_uploaded_image(upload: UploadedFile) -> UploadedFile:
    """Check a file that forms.ImageField has already decoded with Pillow, and rename it.

    forms.ImageField refuses what Pillow cannot open and verify, and leaves the decoded image
    on `upload.image`. Pillow reads many more formats than browsers show, so the format is
    checked against IMAGE_UPLOAD_FORMATS too.
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
    # Store under a name we choose: never trust the client's file name.
    upload.name = f"{uuid.uuid4().hex}.{_EXTENSION_BY_FORMAT[image_format]}"
    return upload


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
