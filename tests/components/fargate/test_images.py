"""ServiceImages on its own."""

from __future__ import annotations

import pulumi
import pytest

from components.fargate.images import ServiceImages, ServiceImagesArgs, repository_arn
from tests.stack_runs import run_component


def build(**kwargs):
    def program() -> None:
        images = ServiceImages(
            "img",
            ServiceImagesArgs(
                context="service", dockerfiles={"web": "service/Dockerfile"}, **kwargs
            ),
        )
        pulumi.export("image_uris", images.image_uris)
        pulumi.export("repository_arns", images.repository_arns)

    return run_component(program)


def test_each_image_gets_a_scanned_repository_with_a_lifecycle_and_is_pinned_by_digest():
    recording = build(keep_images=5, platform="linux/arm64")
    repository = recording.one("awsx:ecr:Repository")
    assert repository.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
    (rule,) = repository.inputs["lifecyclePolicy"]["rules"]
    assert rule["maximumNumberOfImages"] == 5
    image = recording.one("awsx:ecr:Image").inputs
    assert (image["context"], image["dockerfile"], image["platform"]) == (
        "service",
        "service/Dockerfile",
        "linux/arm64",
    )
    assert "@sha256:" in recording.outputs["image_uris"]["web"]
    assert recording.outputs["repository_arns"]["web"] == (
        "arn:aws:ecr:ap-northeast-1:123456789012:repository/img-web"
    )


def test_repository_arn_from_url():
    url = "123456789012.dkr.ecr.us-west-2.amazonaws.com/team/app"
    assert repository_arn(url) == "arn:aws:ecr:us-west-2:123456789012:repository/team/app"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"dockerfiles": {}}, r"dockerfiles is empty"),
        ({"platform": "linux/386"}, r"use linux/amd64 or linux/arm64"),
    ],
)
def test_bad_args_say_what_to_change(kwargs, message):
    with pytest.raises(ValueError, match=message):
        ServiceImagesArgs(**{"context": ".", "dockerfiles": {"a": "Dockerfile"}, **kwargs})
