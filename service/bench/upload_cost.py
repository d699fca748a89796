"""What one image upload costs the web container: wall seconds and peak RSS of checking and
re-encoding it in the tweet form's image field (core.images.UploadedImageField, with the
renditions where the checkout makes them), each case in a fresh process so that its peak is its
own.

    PYTHONPATH=.:service python -m service.bench.upload_cost [CASE ...]
    PYTHONPATH=.:service python -m service.bench.upload_cost --service OTHER_TREE/service [CASE ...]

(with components/images/django_fargate/src on PYTHONPATH too where the virtualenv lacks the
platform's Django library, which the service's settings import).

Cases: the largest accepted image of each kind (16 megapixels in all, IMAGE_UPLOAD_MAX_FRAMES
frames for the animations) and the refused one-pixel animations: the GIF of 215,000 frames and
an APNG and an animated WebP of as many frames as fit in IMAGE_UPLOAD_MAX_BYTES
(service.bench.one_pixel_animations); ``<gif|apng|webp>-<N>-one-pixel-frames`` gives N frames.
"baseline" is Django and Pillow loaded, nothing decoded.
``--service`` measures another checkout's upload code (its ``service`` directory) with the same
inputs. Prints one JSON line per case: ``seconds`` is the field's clean alone, ``wall_seconds``
the whole child process, ``peak_rss_mib`` the child's peak from wait4.
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time

CASES = (
    "baseline",
    "jpeg-16mp",
    "png-16mp",
    "webp-16mp",
    "gif-200-frames-16mp",
    "apng-200-frames-16mp",
    "webp-200-frames-16mp",
    "gif-215000-one-pixel-frames",
    "apng-one-pixel-frames-5mb",
    "webp-one-pixel-frames-5mb",
)
ONE_PIXEL_FORMATS = {"gif": "GIF", "apng": "PNG", "webp": "WEBP"}
ONE_PIXEL = re.compile(r"(gif|apng|webp)-[0-9]+-one-pixel-frames")


def content(case: str, max_bytes: int = 5 * 1024 * 1024) -> bytes:
    """The upload of `case`; `max_bytes` is the upload cap the one-pixel APNG and WebP fill
    (IMAGE_UPLOAD_MAX_BYTES)."""
    from PIL import Image, ImageDraw

    from service.bench.one_pixel_animations import BUILDERS, largest_within

    kind, _, size = case.partition("-")
    if case.endswith("-one-pixel-frames-5mb"):
        return largest_within(ONE_PIXEL_FORMATS[kind], max_bytes)
    if case.endswith("-one-pixel-frames"):  # <kind>-<frames>-one-pixel-frames
        return BUILDERS[ONE_PIXEL_FORMATS[kind]](int(size.split("-")[0]))
    still = {"jpeg-16mp": "JPEG", "png-16mp": "PNG", "webp-16mp": "WEBP"}
    if case in still:
        # A photo-like picture: gradients and shapes, so every encoder works for its bytes.
        image = Image.radial_gradient("L").resize((4000, 4000)).convert("RGB")
        draw = ImageDraw.Draw(image)
        for index in range(0, 4000, 97):
            draw.ellipse(
                (index, index // 2, index + 400, index // 2 + 300),
                outline=(index % 255, 90, 200),
                width=7,
            )
        buffer = io.BytesIO()
        image.save(buffer, format=still[case], **({"quality": 92} if case != "png-16mp" else {}))
        return buffer.getvalue()
    image_format = {"gif": "GIF", "apng": "PNG", "webp": "WEBP"}[case.split("-")[0]]
    side = 282  # 200 x 282 x 282 = 15.9 megapixels
    frames = []
    for index in range(200):
        frame = Image.linear_gradient("L").resize((side, side)).convert("RGB")
        ImageDraw.Draw(frame).rectangle(
            (index, index, index + 60, index + 60), fill=(255, 0, index)
        )
        frames.append(frame)
    buffer = io.BytesIO()
    frames[0].save(
        buffer, format=image_format, save_all=True, append_images=frames[1:], duration=40
    )
    return buffer.getvalue()


def measure_here(case: str, path: str) -> dict[str, object]:
    """In the child: read the upload the parent wrote, then time the field's clean alone."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tweets.forms import TweetForm

    if case == "baseline":
        return {"case": case}
    with open(path, "rb") as file:
        data = file.read()
    upload = SimpleUploadedFile("upload", data, content_type="application/octet-stream")
    started = time.perf_counter()
    try:
        stored = TweetForm.base_fields["image"].clean(upload)
        outcome = f"accepted, stored {stored.size} bytes"
    except ValidationError as refused:
        outcome = f"refused: {' '.join(refused.messages)}"
    seconds = time.perf_counter() - started
    return {"case": case, "bytes": len(data), "seconds": round(seconds, 2), "outcome": outcome}


def measure(case: str, directory: str, service: str = "service") -> dict[str, object]:
    """In the parent: the upload written to a file by one child, then measured by another
    that imports the upload code of `service`, its peak RSS from wait4's rusage. Linux starts a
    child's peak RSS at its parent's size (the copy fork made), so the parent makes nothing
    itself: a parent that had built a 16-megapixel image would raise every child's figure. And
    each child's own rusage is read, not getrusage(RUSAGE_CHILDREN), whose ru_maxrss is the
    largest of every child waited for so far (the writers included)."""
    path = os.path.join(directory, case)
    subprocess.run(
        [sys.executable, "-m", "service.bench.upload_cost", "--write", case, path], check=True
    )
    # The caller's PYTHONPATH after the service's: the platform's Django library, which the
    # service's settings import, may be there rather than installed.
    inherited = [os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else []
    environment = os.environ | {"PYTHONPATH": os.pathsep.join([os.getcwd(), service, *inherited])}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "service.bench.upload_cost", "--child", case, path],
        stdout=subprocess.PIPE,
        env=environment,
    )
    assert child.stdout is not None
    line = child.stdout.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        raise SystemExit(f"case {case} failed ({child.returncode})")
    result = json.loads(line)
    result["wall_seconds"] = round(wall, 2)
    result["peak_rss_mib"] = round(usage.ru_maxrss / 1024)  # kilobytes on Linux
    return result


def main(argv: list[str]) -> int:
    if argv[:1] == ["--write"]:
        with open(argv[2], "wb") as file:
            file.write(b"" if argv[1] == "baseline" else content(argv[1]))
        return 0
    if argv[:1] == ["--child"]:
        print(json.dumps(measure_here(argv[1], argv[2])))
        return 0
    service = "service"
    if argv[:1] == ["--service"]:
        service, argv = os.path.abspath(argv[1]), argv[2:]
    unknown = [case for case in argv if case not in CASES and not ONE_PIXEL.fullmatch(case)]
    if unknown:
        raise SystemExit(f"unknown case(s) {', '.join(unknown)}; the cases: {', '.join(CASES)}")
    with tempfile.TemporaryDirectory() as directory:
        for case in argv or CASES:
            print(json.dumps(measure(case, directory, service)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
