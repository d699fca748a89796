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


def test_an_image_built_from_another_gets_its_uri_and_its_own_context():
    def program() -> None:
        images = ServiceImages(
            "img",
            ServiceImagesArgs(
                context="app",
                # named first, built second: it needs web's URI
                dockerfiles={"nginx": "platform/nginx/Dockerfile", "web": "app/Dockerfile"},
                contexts={"nginx": "platform/nginx"},
                image_build_args={"web": {"WSGI_MODULE": "site.wsgi"}},
                built_from={"nginx": {"STATIC_IMAGE": "web"}},
            ),
        )
        pulumi.export("image_uris", images.image_uris)

    recording = run_component(program)
    by_name = {image.name: image for image in recording.of_type("awsx:ecr:Image")}
    nginx, web = by_name["img-nginx-image"], by_name["img-web-image"]
    assert nginx.inputs["context"] == "platform/nginx"
    assert web.inputs["context"] == "app"
    assert nginx.inputs["args"] == {"STATIC_IMAGE": recording.outputs["image_uris"]["web"]}
    assert web.inputs["args"] == {"WSGI_MODULE": "site.wsgi"}
    assert list(recording.outputs["image_uris"]) == ["nginx", "web"]  # the order they were named


@pytest.mark.parametrize(
    ("built_from", "message"),
    [
        ({"a": {"X": "missing"}}, r"built_from\['a'\] names 'missing'"),
        ({"a": {"X": "a"}}, r"built_from\['a'\] names 'a'"),
    ],
)
def test_an_image_is_built_from_another_image_of_the_args(built_from, message):
    with pytest.raises(ValueError, match=message):
        ServiceImagesArgs(".", {"a": "Dockerfile", "b": "Dockerfile"}, built_from=built_from)


def test_images_built_from_each_other_in_a_loop_are_refused():
    args = ServiceImagesArgs(
        ".", {"a": "A", "b": "B"}, built_from={"a": {"X": "b"}, "b": {"Y": "a"}}
    )
    with pytest.raises(ValueError, match="built_from loops"):
        args.build_order()
