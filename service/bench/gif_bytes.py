"""GIF files written byte by byte, for what Pillow's own writer will not produce: hundreds of
thousands of frames at 23 bytes each, and a frame larger than the screen the header declares.
https://www.w3.org/Graphics/GIF/spec-gif89a.txt"""

import io
import struct

from PIL import Image

_HEADER = b"GIF89a"
# Two colours (black, white): the smallest global colour table, LZW minimum code size 2.
_SCREEN_FLAGS = 0x80
_COLOURS = b"\x00\x00\x00\xff\xff\xff"
# NETSCAPE2.0 application extension: loop forever.
_LOOP = b"\x21\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"
_TRAILER = b";"
# A graphic control extension with a delay of 10 hundredths of a second.
_DELAY = b"\x21\xf9\x04\x00\x0a\x00\x00\x00"


def _screen(width: int, height: int) -> bytes:
    return _HEADER + struct.pack("<HHBBB", width, height, _SCREEN_FLAGS, 0, 0) + _COLOURS


def _descriptor(width: int, height: int) -> bytes:
    return b"," + struct.pack("<HHHHB", 0, 0, width, height, 0)


def _one_pixel_body(colour: int) -> bytes:
    """LZW data for one pixel with 3-bit codes: clear (4), the colour, end of information (5),
    packed from the least significant bit."""
    codes = 4 | (colour << 3) | (5 << 6)
    return b"\x02\x02" + struct.pack("<H", codes) + b"\x00"


def one_pixel_frames(frames: int) -> bytes:
    """A looping 1 x 1 animation of `frames` frames alternating black and white, 23 bytes a
    frame: 215,000 frames fit in 4.9 MB."""
    bodies = [_DELAY + _descriptor(1, 1) + _one_pixel_body(index % 2) for index in range(2)]
    return _screen(1, 1) + _LOOP + b"".join(bodies[index % 2] for index in range(frames)) + _TRAILER


def _image_data(gif: bytes) -> bytes:
    """The LZW minimum code size and data sub-blocks of the first image in a GIF written by
    Pillow with a global colour table and no extensions before the image."""
    flags = gif[10]
    start = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while gif[start] == 0x21:  # skip extensions: introducer, label, sub-blocks
        start += 2
        while gif[start]:
            start += gif[start] + 1
        start += 1
    assert gif[start] == 0x2C, "expected an image descriptor"
    local_flags = gif[start + 9]
    assert not local_flags & 0x80, "expected no local colour table"
    end = start + 10 + 1  # descriptor, then the LZW minimum code size
    while gif[end]:
        end += gif[end] + 1
    return gif[start + 10 : end + 1]


def growing_canvas(width: int, height: int) -> bytes:
    """A 1 x 1 screen whose first frame is one pixel and whose second frame is `width` x
    `height`: the header promises two pixels, seeking to the second frame grows the canvas."""
    buffer = io.BytesIO()
    big = Image.new("P", (width, height), 1)
    big.putpalette(list(_COLOURS))
    big.save(buffer, format="GIF")
    return (
        _screen(1, 1)
        + _DELAY
        + _descriptor(1, 1)
        + _one_pixel_body(0)
        + _DELAY
        + _descriptor(width, height)
        + _image_data(buffer.getvalue())
        + _TRAILER
    )
