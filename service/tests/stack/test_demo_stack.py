"""The demo deployed through the app slot as any app is: Pulumi.prod.yaml as shipped (the demo in
service/, with its own Dockerfile) declares exactly the platform's recorded prod stack
(tests/stack/prod_stack.json, the stand-in app in the slot), apart from the web image's build
and the digests that follow from it."""

from __future__ import annotations

import json
import re

from stack.settings import read_stack_file
from tests.stack.test_recorded_prod_stack import RECORDING
from tests.stack_runs import as_text, describe, prod_config, run_main

# The mocks' image digests hash the build's inputs: the web image's, and nginx's, whose
# STATIC_IMAGE build argument is the web image's URI.
DERIVED_DIGEST = re.compile(r"(tw-prod-(?:web|nginx))@sha256:[0-9a-f]{64}")


def web_image(entries: list[dict]) -> dict:
    [found] = [e for e in entries if e["urn"].endswith("awsx:ecr:Image::tw-prod-web-image")]
    return found


def without_the_apps_build(entries: list[dict]) -> str:
    """The description with the web image's build inputs and the derived digests left out."""
    entries = json.loads(json.dumps(entries, default=str))
    image = web_image(entries)
    for field in ("args", "context", "dockerfile"):
        image["inputs"].pop(field)
    return DERIVED_DIGEST.sub(r"\1@sha256:<digest>", as_text(entries))


def demo_prod() -> list[dict]:
    return describe(run_main(read_stack_file("prod")))


def test_the_shipped_prod_stack_is_the_platforms_recording_but_for_the_app():
    platform = json.loads(RECORDING.read_text())
    assert without_the_apps_build(demo_prod()) == without_the_apps_build(platform)


def test_the_demo_is_built_from_service_with_its_own_dockerfile():
    image = web_image(demo_prod())["inputs"]
    assert image["context"] == "service"
    assert image["dockerfile"] == "service/Dockerfile"
    # Its own Dockerfile names its modules: the only build argument is the platform library's.
    assert list(image["args"]) == ["DJANGO_FARGATE_IMAGE"]


def test_the_platforms_recording_is_of_another_app():
    """Else the comparison above would hold trivially."""
    image = web_image(describe(run_main(prod_config())))["inputs"]
    assert image["context"] != "service"
