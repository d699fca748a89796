"""The cheapest animations to send and the dearest to decode: a 1 x 1 canvas and as many frames,
alternating black and white, as fit in the upload cap, in each animated format the site accepts.
Written byte by byte: Pillow's writers would take minutes and gigabytes to make them.

GIF: service.bench.gif_bytes (23 bytes a frame, 215,000 frames in 4.9 MB).
APNG: an fcTL and an fdAT chunk a frame (64 bytes), https://www.w3.org/TR/png-3/#apng-frame-control
WebP: an ANMF chunk a frame holding a lossless 1 x 1 bitstream,
https://developers.google.com/speed/webp/docs/riff_container#animation
"""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image

from service.bench.gif_bytes import one_pixel_frames as gif_frames

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DELAY_MS = 100


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def apng_frames(frames: int) -> bytes:
    """A looping 1 x 1 APNG (1-bit greyscale) of `frames` frames, the first being the IDAT."""
    header = struct.pack(">IIBBBBB", 1, 1, 1, 0, 0, 0, 0)  # 1 x 1, 1 bit, greyscale
    # One scanline: filter type 0, then the pixel in the byte's top bit.
    pixels = [zlib.compress(bytes((0, colour << 7)), 9) for colour in (0, 1)]
    parts = [PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"acTL", struct.pack(">II", frames, 0))]
    sequence = 0
    for index in range(frames):
        # fcTL: sequence, width, height, x, y, delay num/den, dispose op, blend op.
        control = struct.pack(">IIIIIHHBB", sequence, 1, 1, 0, 0, DELAY_MS, 1000, 0, 0)
        parts.append(_chunk(b"fcTL", control))
        sequence += 1
        if index == 0:
            parts.append(_chunk(b"IDAT", pixels[0]))
        else:
            parts.append(_chunk(b"fdAT", struct.pack(">I", sequence) + pixels[index % 2]))
            sequence += 1
    parts.append(_chunk(b"IEND", b""))
    return b"".join(parts)


def _riff_chunk(kind: bytes, data: bytes) -> bytes:
    return kind + struct.pack("<I", len(data)) + data + (b"\x00" if len(data) % 2 else b"")


def _lossless_pixel(colour: int) -> bytes:
    """The VP8L chunk of a 1 x 1 lossless WebP of one grey level, as libwebp writes it."""
    buffer = io.BytesIO()
    Image.new("RGB", (1, 1), (colour,) * 3).save(buffer, format="WEBP", lossless=True)
    data = buffer.getvalue()
    assert data[12:16] == b"VP8L", "expected a simple lossless WebP"
    return data[12:]


def webp_frames(frames: int) -> bytes:
    """A looping 1 x 1 animated WebP of `frames` frames."""
    pixels = [_lossless_pixel(colour) for colour in (0, 255)]

    def uint24(value: int) -> bytes:
        return struct.pack("<I", value)[:3]

    # VP8X: the animation flag, then canvas width - 1 and height - 1.
    features = _riff_chunk(b"VP8X", bytes((0x02, 0, 0, 0)) + uint24(0) + uint24(0))
    animation = _riff_chunk(b"ANIM", struct.pack("<IH", 0, 0))  # background, loop forever
    # ANMF: x / 2, y / 2, width - 1, height - 1, duration, flags (no blending), the bitstream.
    heads = uint24(0) + uint24(0) + uint24(0) + uint24(0) + uint24(DELAY_MS) + b"\x02"
    bodies = [_riff_chunk(b"ANMF", heads + pixel) for pixel in pixels]
    payload = b"WEBP" + features + animation + b"".join(bodies[i % 2] for i in range(frames))
    return b"RIFF" + struct.pack("<I", len(payload)) + payload


BUILDERS = {"GIF": gif_frames, "PNG": apng_frames, "WEBP": webp_frames}


def largest_within(image_format: str, max_bytes: int) -> bytes:
    """The one-pixel animation of `image_format` with the most frames that fits in
    `max_bytes`. Frames alternate two colours, whose encodings may differ in length, so what a
    pair of frames costs is measured, and one more frame added if it fits."""
    build = BUILDERS[image_format]
    one, three = len(build(1)), len(build(3))
    frames = 1 + 2 * ((max_bytes - one) // (three - one))
    largest = build(frames)
    longer = build(frames + 1)
    return longer if len(longer) <= max_bytes else largest
