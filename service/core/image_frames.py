"""Decoding an uploaded image frame by frame, each frame checked against fixed limits before it
is decoded, and each handed on without the metadata it carried.

An animation's cost is not its file size: a 5 MB GIF can hold 200,000 one-pixel frames, each
decoded into its own image object. So nothing here reads `n_frames` (which for a GIF walks the
whole file) or keeps a list of frames: `bounded_frames` seeks one frame at a time and stops at the
first limit passed. A GIF frame may also be larger than the screen the header declares, and
Pillow grows the canvas when it seeks to it, so the pixels are counted after each seek, not once
from the header.
https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.Image.seek
"""

import io
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, ImageCms

# What a re-encoded frame keeps of its `info`: how it is shown (transparency, animation timing),
# never what its author or camera wrote (EXIF, XMP, comments, text chunks, the colour profile
# whose description tags are free text: the pixels are converted to sRGB instead).
KEPT_INFO = ("transparency", "duration", "loop", "background")


@dataclass(frozen=True)
class DecodeLimits:
    """What decoding one upload may cost.

    max_frames: frames at most (a still image is one frame).
    max_pixels: width x height summed over every frame: what the server decodes and every
        viewer's browser decodes again.
    max_seconds: wall time from the first frame to the last; checked between frames (a single
        frame's cost is bounded by max_pixels).
    """

    max_frames: int = 200
    max_pixels: int = 16_000_000
    max_seconds: float = 10.0

    @classmethod
    def from_settings(cls) -> "DecodeLimits":
        return cls(
            max_frames=settings.IMAGE_UPLOAD_MAX_FRAMES,
            max_pixels=settings.IMAGE_UPLOAD_MAX_PIXELS,
            max_seconds=settings.IMAGE_UPLOAD_MAX_DECODE_SECONDS,
        )


def too_many_pixels(width: int, height: int, frames: int, limit: int) -> ValidationError:
    if frames > 1:
        size = f"{width} x {height} pixels a frame and passes {limit // 1_000_000} megapixels"
        return ValidationError(
            f"The animation is {size} at frame {frames}; "
            f"the limit is {limit // 1_000_000} megapixels in all.",
            code="image_too_many_pixels",
        )
    return ValidationError(
        f"The image is {width} x {height} pixels; "
        f"the limit is {limit // 1_000_000} megapixels in all.",
        code="image_too_many_pixels",
    )


def bounded_frames(
    image: Image.Image,
    limits: DecodeLimits,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Image.Image]:
    """Every frame of `image` in order, each a decoded copy without metadata (`clean_frame`).

    Raises ValidationError, before the offending frame is decoded, once the frames, the pixels
    over all frames or the time spent pass `limits`. Pillow's own DecompressionBombError
    (Image.MAX_IMAGE_PIXELS, raised while seeking to a frame whose canvas is too large) is
    reported the same way.
    https://pillow.readthedocs.io/en/stable/reference/Image.html#PIL.Image.open
    """
    started = clock()
    pixels = 0
    for index in range(limits.max_frames + 1):
        try:
            if index:
                image.seek(index)
        except EOFError:
            return
        except Image.DecompressionBombError as exc:
            raise ValidationError(
                f"A frame of the image is larger than {limits.max_pixels // 1_000_000} "
                "megapixels, the limit in all.",
                code="image_too_many_pixels",
            ) from exc
        if index == limits.max_frames:
            raise ValidationError(
                f"The animation has more than {limits.max_frames} frames; "
                f"the limit is {limits.max_frames}.",
                code="image_too_many_frames",
            )
        pixels += image.width * image.height
        if pixels > limits.max_pixels:
            raise too_many_pixels(image.width, image.height, index + 1, limits.max_pixels)
        if clock() - started > limits.max_seconds:
            raise ValidationError(
                f"The image took more than {limits.max_seconds:g} seconds to decode "
                f"({index} frames); the limit is {limits.max_seconds:g} seconds.",
                code="image_too_slow",
            )
        yield clean_frame(image.copy())


def clean_frame(frame: Image.Image) -> Image.Image:
    """The frame with only KEPT_INFO left in `info`, its colours converted to sRGB if it
    carried a colour profile.

    Pillow's writers fall back to the image's own `info` for what `save` is not given (the JPEG
    and GIF comment, PNG's ICC profile, and every key of a GIF's first frame), so leaving a key
    out of `save` is not enough: it must leave `info`.
    """
    icc_profile = frame.info.get("icc_profile")
    if icc_profile:
        frame = in_srgb(frame, icc_profile)
    frame.info = {key: frame.info[key] for key in KEPT_INFO if key in frame.info}
    return frame


def in_srgb(frame: Image.Image, icc_profile: bytes) -> Image.Image:
    """The frame's pixels converted from its embedded profile to sRGB, what browsers assume of
    an image without one; a profile littleCMS cannot use is dropped and the pixels kept.
    https://pillow.readthedocs.io/en/stable/reference/ImageCms.html#PIL.ImageCms.profileToProfile
    """
    has_alpha = frame.mode in ("RGBA", "LA", "PA") or "transparency" in frame.info
    output_mode = "RGBA" if has_alpha else "RGB"
    if has_alpha or frame.mode not in ("RGB", "CMYK", "L"):
        # Pillow's convert applies a palette's or a colour's `transparency` as alpha.
        source = frame if frame.mode == output_mode else frame.convert(output_mode)
    else:
        source = frame
    try:
        converted = ImageCms.profileToProfile(
            source,
            ImageCms.ImageCmsProfile(io.BytesIO(icc_profile)),
            ImageCms.createProfile("sRGB"),
            outputMode=output_mode,
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return source
    assert converted is not None  # profileToProfile returns None only with inPlace=True
    # The alpha channel is not colour: littleCMS copies it through unchanged.
    converted.info = {key: value for key, value in frame.info.items() if key != "transparency"}
    return converted
