"""Pulumi.noticeboard.yaml: the same program deploys examples/noticeboard, under mocks, as
`pulumi up --stack noticeboard` would: its image from its own directory with the platform's
generic Dockerfile, and its modules, health path, environment and secret names in the task."""

from __future__ import annotations

import runpy

import pytest
import yaml

from stack.app import GENERIC_DOCKERFILE
from stack.images import PLATFORM_IMAGES
from stack.paths import REPO_ROOT
from stack.settings import read_stack_file
from tests.stack_runs import containers, environment, secrets
from tools.offline import StackRecording, run_program

STACK = "noticeboard"
IMAGE = "awsx:ecr:Image"
TARGET_GROUP = "aws:lb/targetGroup:TargetGroup"
STACK_FILE = REPO_ROOT / f"Pulumi.{STACK}.yaml"


def app_setting() -> dict:
    """`django-tw:app` as the stack file writes it."""
    return yaml.safe_load(STACK_FILE.read_text(encoding="utf-8"))["config"]["django-tw:app"]


@pytest.fixture(scope="module")
def noticeboard() -> StackRecording:
    return run_program(
        lambda: runpy.run_path(str(REPO_ROOT / "__main__.py"), run_name="__main__"),
        config=read_stack_file(STACK),
        stack=STACK,
    )


def test_its_web_image_is_built_from_its_directory_by_the_generic_dockerfile(noticeboard):
    app = app_setting()
    assert not (REPO_ROOT / app["path"] / "Dockerfile").exists()
    (web,) = [i for i in noticeboard.of_type(IMAGE) if i.name.endswith("-web-image")]
    assert web.inputs["context"] == app["path"] == "examples/noticeboard"
    assert web.inputs["dockerfile"] == GENERIC_DOCKERFILE
    # The generic image is told the project's modules.
    assert web.inputs["args"]["DJANGO_SETTINGS_MODULE"] == app["settingsModule"]
    assert app["wsgi"] in web.inputs["args"].values()
    # The platform's images stay the platform's.
    others = {i.inputs["context"] for i in noticeboard.of_type(IMAGE)} - {app["path"]}
    assert others == set(PLATFORM_IMAGES.values())


def test_its_task_runs_its_settings_module_with_its_environment_and_secret_names(noticeboard):
    app = app_setting()
    web = containers(noticeboard)["web"]
    plain = environment(web)
    assert plain["DJANGO_SETTINGS_MODULE"] == app["settingsModule"]
    for name, value in app["environment"].items():
        assert plain[name] == value
    hidden = secrets(web)
    for name in app["secrets"]:
        assert name not in plain  # never plain text in the task definition
        region = read_stack_file(STACK)["aws:region"]
        arn = f"arn:aws:secretsmanager:{region}:123456789012:secret:tw-{STACK}/app/{name}"
        assert hidden[name].startswith(arn)
    # Its release step migrates under the lock before web starts.
    release = containers(noticeboard)["release"]
    assert release["command"][-2:] == ["migrate_locked", "--noinput"]


def test_the_load_balancer_asks_its_health_path(noticeboard):
    (group,) = noticeboard.of_type(TARGET_GROUP)
    assert group.inputs["healthCheck"]["path"] == app_setting()["healthPath"]
