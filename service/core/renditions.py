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

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image

from core.image_frames import KEPT_INFO

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


def made_from(
    frames: Iterator[Image.Image], renditions: Sequence[Rendition], into: list[list[Image.Image]]
) -> Iterator[Image.Image]:
    """`frames` as they are, each resized for every one of `renditions` as it passes (into
    `into[i]` for `renditions[i]`): the renditions are made from the frames the upload's
    re-encoding decodes (core.images), never from a second decode of the file.

    `frames` are a clean upload's: within DecodeLimits, their `info` holding only what
    core.image_frames.KEPT_INFO keeps, so a rendition carries no more metadata than the
    upload. Sizes follow the first frame (an animation's frames share its canvas). The
    resized frames are kept until `encoded`: at most the upload's pixels for each rendition,
    which DecodeLimits bounds.
    """
    into[:] = [[] for _ in renditions]
    sizes: list[tuple[int, int]] = []
    for frame in frames:
        if not sizes:
            sizes = [rendition.pixel_size(*frame.size) for rendition in renditions]
        for made, rendition, size in zip(into, renditions, sizes, strict=True):
            made.append(_resized(frame, size, crop=rendition.height is not None))
        yield frame


def encoded(
    renditions: Sequence[Rendition],
    made: Sequence[list[Image.Image]],
    image_format: str,
    animated: bool,
) -> list[tuple[Rendition, bytes]]:
    """Each rendition's frames (`made_from`) encoded in the upload's format, frame timing kept."""
    from core.images import save_frames  # core.images makes renditions: imported when used

    return [
        (rendition, save_frames(iter(frames), image_format, animated))
        for rendition, frames in zip(renditions, made, strict=True)
    ]


def _centred_box(width: int, height: int, aspect: float) -> tuple[int, int, int, int]:
    """The largest box of `aspect` (width / height) in the middle of a `width` x `height`
    image, as ImageOps.fit crops."""
    if width / height > aspect:
        inner = round(height * aspect)
        return ((width - inner) // 2, 0, (width - inner) // 2 + inner, height)
    inner = round(width / aspect)
    return (0, (height - inner) // 2, width, (height - inner) // 2 + inner)


def _resized(frame: Image.Image, size: tuple[int, int], crop: bool) -> Image.Image:
    """`frame` at `size` (cropped to its aspect, centred, with `crop`), keeping KEPT_INFO."""
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
    return smaller


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
