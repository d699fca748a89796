"""`python -m service.bench.upload_cost` on tiny inputs, so the script cannot rot: every case it is
given
is measured in a child of its own and refused or accepted as the upload code decides. It asserts
nothing about speed; the figures of a real run are in docs/DESIGN.md."""

from __future__ import annotations

import inspect
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from service.bench.one_pixel_animations import BUILDERS, largest_within
from service.bench.upload_cost import content
from stack.paths import DJANGO_FARGATE_SRC

ROOT = Path(__file__).resolve().parents[3]


def run_script(*argv: str) -> list[dict]:
    paths = [ROOT, ROOT / "service", DJANGO_FARGATE_SRC]
    environment = os.environ | {"PYTHONPATH": os.pathsep.join(str(path) for path in paths)}
    finished = subprocess.run(
        [sys.executable, "-m", "service.bench.upload_cost", *argv],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    return [json.loads(line) for line in finished.stdout.splitlines()]


@pytest.mark.parametrize("image_format", ["GIF", "PNG", "WEBP"])
def test_a_one_pixel_animation_has_the_frames_asked_for(image_format):
    image = Image.open(io.BytesIO(BUILDERS[image_format](7)))
    assert (image.format, image.size, image.n_frames) == (image_format, (1, 1), 7)


@pytest.mark.parametrize("image_format", ["PNG", "WEBP"])
def test_the_largest_one_pixel_animation_fills_the_upload_cap(image_format):
    cap = settings.IMAGE_UPLOAD_MAX_BYTES
    largest = largest_within(image_format, cap)
    frames = Image.open(io.BytesIO(largest)).n_frames
    assert len(largest) <= cap < len(BUILDERS[image_format](frames + 1))


def test_the_script_fills_the_settings_upload_cap():
    assert inspect.signature(content).parameters["max_bytes"].default == (
        settings.IMAGE_UPLOAD_MAX_BYTES
    )


def test_each_case_is_measured_in_its_own_child():
    frames = settings.IMAGE_UPLOAD_MAX_FRAMES + 1
    cases = ["baseline", *(f"{kind}-{frames}-one-pixel-frames" for kind in ("gif", "apng", "webp"))]
    results = run_script(*cases)
    assert [result["case"] for result in results] == cases
    for result in results:
        assert result["wall_seconds"] > 0
        assert result["peak_rss_mib"] > 0
    limit = settings.IMAGE_UPLOAD_MAX_FRAMES
    for result in results[1:]:
        assert result["outcome"] == (
            f"refused: The animation has more than {limit} frames; the limit is {limit}."
        )
        assert 0 <= result["seconds"] <= result["wall_seconds"]


def test_another_trees_upload_code_is_measured_with_service(tmp_path):
    # A stand-in for another checkout: this one, but its upload field takes any file as it is.
    for entry in (ROOT / "service").iterdir():
        if entry.name != "core":
            (tmp_path / entry.name).symlink_to(entry)
    shutil.copytree(ROOT / "service" / "core", tmp_path / "core")
    with (tmp_path / "core" / "images.py").open("a") as images:
        images.write(
            "\n\nclass UploadedImageField(forms.FileField):\n"
            "    def __init__(self, renditions=(), **kwargs):\n"
            "        super().__init__(**kwargs)\n"
        )
    [result] = run_script("--service", str(tmp_path), "gif-300-one-pixel-frames")
    assert result["outcome"] == f"accepted, stored {result['bytes']} bytes"


def test_an_unknown_case_is_refused_with_the_list():
    with pytest.raises(subprocess.CalledProcessError) as refused:
        run_script("gif-lots")
    assert "unknown case(s) gif-lots" in refused.value.stderr
