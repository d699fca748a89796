"""Smaller copies of an uploaded image at the sizes the pages show it, made once at upload.

A page shows an avatar at 48 or 96 CSS pixels and an attachment at most as wide as a tweet's
text column, yet without renditions every one of them downloads the full upload (up to 16
megapixels). Each rendition is made at twice its CSS size, for high-density screens, and never
larger than the upload; the original is kept for whoever opens it.

Nothing about an image is stored beside its name: the name the upload is stored under carries
the original's size (``<id>.<width>x<height>.<ext>``, `stored_name`), and each rendition's key
is that name with the rendition's label before the extension. So a template gets every
rendition's URL and size from the name alone, without a query or a request to the bucket. A
name without a size (an upload from before renditions) has none: it is shown as it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image

from core.image_frames import KEPT_INFO, DecodeLimits, bounded_frames

# High-density screens draw a CSS pixel with two device pixels (or more; two is the usual
# trade-off between sharpness and bytes).
DENSITY = 2
_SIZED = re.compile(r"(?P<stem>[^/.]+)\.(?P<width>[1-9][0-9]*)x(?P<height>[1-9][0-9]*)")


@dataclass(frozen=True)
class Rendition:
    """One size a page shows an image at, in CSS pixels."""

    label: str
    """Part of the rendition's key; it names the size, so a new size gets new keys."""
    width: int
    """Width in CSS pixels: the exact width when cropped, else the most it is shown at."""
    height: int | None = None
    """Height in CSS pixels when cropped to a box; None: the image's own aspect."""

    def shown_size(self, width: int, height: int) -> tuple[int, int]:
        """CSS pixels a `width` x `height` original is shown at: the box, or as wide as it is
        up to `width` with its aspect kept."""
        if self.height is not None:
            return self.width, self.height
        shown = min(width, self.width)
        return shown, max(1, round(height * shown / width))

    def pixel_size(self, width: int, height: int) -> tuple[int, int]:
        """Pixels of the rendition of a `width` x `height` original: DENSITY times the shown
        size, never more than the original has."""
        if self.height is not None:
            scale = min(1.0, width / (self.width * DENSITY), height / (self.height * DENSITY))
            return (
                max(1, round(self.width * DENSITY * scale)),
                max(1, round(self.height * DENSITY * scale)),
            )
        pixels = min(width, self.width * DENSITY)
        return pixels, max(1, round(height * pixels / width))


# What the templates show (service/static/css/site.css): the card's avatar is 48 px, the
# profile's 96 px, both cropped to a square; an attachment is at most the text column of a tweet
# card, 508 px (main's 600 px less its padding, the avatar and the gap).
AVATAR_SMALL = Rendition("a48", 48, 48)
AVATAR_LARGE = Rendition("a96", 96, 96)
ATTACHMENT = Rendition("w508", 508)
AVATAR_RENDITIONS = (AVATAR_SMALL, AVATAR_LARGE)
ATTACHMENT_RENDITIONS = (ATTACHMENT,)
BY_LABEL = {
    rendition.label: rendition for rendition in (*AVATAR_RENDITIONS, *ATTACHMENT_RENDITIONS)
}


def stored_name(identifier: str, size: tuple[int, int], extension: str) -> str:
    """The file name an upload is stored under: its id, its size and its format's extension."""
    return f"{identifier}.{size[0]}x{size[1]}.{extension}"


def original_size(name: str) -> tuple[int, int] | None:
    """The original's size as its stored name says; None for a name without one."""
    path = PurePosixPath(name)
    matched = _SIZED.fullmatch(path.stem)
    if matched is None:
        return None
    return int(matched["width"]), int(matched["height"])


def rendition_name(name: str, rendition: Rendition) -> str:
    """The key of `rendition` of the upload stored as `name`: beside it, its label added."""
    path = PurePosixPath(name)
    return str(path.with_name(f"{path.stem}.{rendition.label}{path.suffix}"))


def rendered(content: bytes, image_format: str, rendition: Rendition) -> bytes:
    """`rendition` of a re-encoded upload (core.images), in the upload's format, every frame
    resized (and cropped to the box, centred), frame timing kept.

    The upload is already clean: within DecodeLimits, its frames' `info` holding only what
    core.image_frames.KEPT_INFO keeps, so the rendition carries no more metadata than it.
    """
    from core.images import save_frames  # core.images makes renditions: imported when used

    with Image.open(io.BytesIO(content), formats=[image_format]) as original:
        size = rendition.pixel_size(original.width, original.height)
        animated = getattr(original, "is_animated", False)
        if animated:
            frames = bounded_frames(original, DecodeLimits.from_settings())
        else:
            # A JPEG decoder can scale by 1/2, 1/4 or 1/8 as it decodes, to no less than asked.
            # https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.Image.draft
            original.draft(original.mode, _covering(original.size, size))
            original.load()
            frames = iter([original])
        smaller = _resized(frames, size, crop=rendition.height is not None)
        return save_frames(smaller, image_format, animated)


def _covering(original: tuple[int, int], size: tuple[int, int]) -> tuple[int, int]:
    """The least size, with the original's aspect, whose crop to `size`'s aspect still holds
    `size`: what a decoder may scale down to without losing a pixel of the rendition."""
    scale = max(size[0] / original[0], size[1] / original[1])
    return (max(1, round(original[0] * scale)), max(1, round(original[1] * scale)))


def _centred_box(width: int, height: int, aspect: float) -> tuple[int, int, int, int]:
    """The largest box of `aspect` (width / height) in the middle of a `width` x `height`
    image, as ImageOps.fit crops."""
    if width / height > aspect:
        inner = round(height * aspect)
        return ((width - inner) // 2, 0, (width - inner) // 2 + inner, height)
    inner = round(width / aspect)
    return (0, (height - inner) // 2, width, (height - inner) // 2 + inner)


def _resized(frames: Iterator[Image.Image], size: tuple[int, int], crop: bool):
    for frame in frames:
        kept = {key: frame.info[key] for key in KEPT_INFO if key in frame.info}
        if frame.mode in ("P", "1"):
            # Resampling needs real colours (the writer makes a palette again); the palette's
            # transparent index becomes alpha.
            frame = frame.convert("RGBA")
            kept.pop("transparency", None)
        box = _centred_box(*frame.size, size[0] / size[1]) if crop else None
        # reducing_gap: a fast integer reduction first, then Lanczos for the last factor of 3;
        # the same look, several times faster for a large downscale.
        # https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.Image.resize
        smaller = frame.resize(size, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)
        smaller.info = kept
        yield smaller


def save_renditions(
    storage: Storage, name: str, renditions: Sequence[tuple[Rendition, bytes]]
) -> None:
    """Store each rendition's bytes beside the upload stored as `name`."""
    for rendition, content in renditions:
        key = rendition_name(name, rendition)
        saved = storage.save(key, ContentFile(content, name=PurePosixPath(key).name))
        if saved != key:  # a storage that renamed it would leave the pages without it
            storage.delete(saved)
            raise RuntimeError(f"storage stored rendition {key} as {saved}")


def store_renditions(field_file, upload) -> None:
    """After the model holding `field_file` saved the upload a form cleaned (core.images, its
    renditions in `.renditions`), store them beside it. No upload (nothing new): nothing."""
    if field_file and getattr(upload, "renditions", None):
        save_renditions(field_file.storage, field_file.name, upload.renditions)


def delete_with_renditions(storage: Storage, name: str) -> None:
    """Delete the upload stored as `name` and its renditions."""
    for key in names_with_renditions(name):
        storage.delete(key)


def names_with_renditions(name: str) -> list[str]:
    """The upload stored as `name` and every rendition key it may have."""
    if original_size(name) is None:
        return [name]
    return [name, *(rendition_name(name, rendition) for rendition in BY_LABEL.values())]


@dataclass(frozen=True)
class Shown:
    """What an <img> needs: the URL, and its width and height in CSS pixels (None: unknown)."""

    url: str
    width: int | None
    height: int | None


def shown(field_file, label: str) -> Shown:
    """How the image in `field_file` is shown as `label`: its rendition when its name says its
    size, else the original (an upload from before renditions) at an unknown size."""
    rendition = BY_LABEL[label]
    size = original_size(field_file.name)
    if size is None:
        box = (rendition.width, rendition.height) if rendition.height else (None, None)
        return Shown(field_file.url, *box)
    name = rendition_name(field_file.name, rendition)
    return Shown(field_file.storage.url(name), *rendition.shown_size(*size))
