"""The shipped workflows build every image the shipped stacks deploy, on a runner of its own
architecture, pushing nothing (not run here)."""

from __future__ import annotations

import json

import yaml

from components import ServiceImagesArgs
from stack.app import DEFAULT_PATH
from stack.containers import image_args
from stack.paths import REPO_ROOT
from stack.settings import StackSettings, load_settings, read_stack_file
from tests.stack_runs import STAND_IN_APP, with_stand_in_app
from tests.workflow_files import action, image_builds, load, workflows

# --- the images, built where the task runs -----------------------------------------------------

# GitHub's standard hosted runners by architecture: the "Architecture" and "Workflow label"
# columns of https://docs.github.com/en/actions/reference/runners/github-hosted-runners (x64:
# ubuntu-24.04; arm64: ubuntu-24.04-arm).
NATIVE_RUNNERS = {"linux/amd64": "ubuntu-24.04", "linux/arm64": "ubuntu-24.04-arm"}


# The demo app's directory, as the image builds name it: the app slot's default path.
DEMO_CONTEXT = DEFAULT_PATH


def shipped_stacks(demo_as_stand_in: bool = True) -> dict[str, StackSettings]:
    """Every Pulumi.<stack>.yaml, with the defaults of stack.settings.SETTINGS where it is
    silent (as Pulumi.yaml's config block gives them to the program). A stack whose app is the
    demo gets the stand-in app in its place unless ``demo_as_stand_in`` is false: the demo's
    images are the demo's test's (service/tests/test_workflows.py)."""
    names = sorted(p.name[len("Pulumi.") : -len(".yaml")] for p in REPO_ROOT.glob("Pulumi.*.yaml"))
    stacks = {}
    for name in names:
        config = read_stack_file(name)
        demo = json.loads(config.get("app") or "{}").get("path", DEMO_CONTEXT) == DEMO_CONTEXT
        stacks[name] = load_settings(
            with_stand_in_app(config) if demo and demo_as_stand_in else config
        )
    return stacks


def built_by_workflows(key: tuple[str | None, str | None, str]) -> bool:
    """Whether the pull-request workflows build this image: the stand-in app is the tests'."""
    return key[2] != STAND_IN_APP


def images_of(settings: StackSettings) -> ServiceImagesArgs:
    """The images `pulumi up` of this stack builds (what __main__.py gives ServiceImages)."""
    return image_args(
        settings.cpu_architecture, settings.is_production, settings.managed_database, settings.app
    )


def deployed_images(stacks: dict[str, StackSettings]) -> set[tuple[str | None, str | None, str]]:
    """(Dockerfile, platform, context) of every image the stacks' `pulumi up` builds."""
    return {
        (dockerfile, images.platform, images.contexts.get(name, images.context))
        for settings in stacks.values()
        for images in [images_of(settings)]
        for name, dockerfile in images.dockerfiles.items()
    }


def test_pull_requests_build_every_image_the_shipped_stacks_deploy():
    """Apart from the demo app's image, which the demo's test holds to its stacks."""
    expected = {key for key in deployed_images(shipped_stacks()) if built_by_workflows(key)}
    built = {build.key for build in image_builds() if build.key[2] != DEMO_CONTEXT}
    assert built == expected


def build_args(build) -> dict[str, str]:
    """The `--build-arg NAME=VALUE` pairs of one build."""
    pairs = [b for a, b in zip(build.argv, build.argv[1:], strict=False) if a == "--build-arg"]
    return dict(pair.split("=", 1) for pair in pairs)


def test_pull_requests_tell_each_generic_image_the_modules_the_stack_tells_it():
    """The generic image refuses to build without its app's settings module (its Dockerfile)."""
    told = {
        (images.dockerfiles["web"], images.platform, images.context): images.image_build_args["web"]
        for settings in shipped_stacks().values()
        for images in [images_of(settings)]
        if images.image_build_args.get("web") and images.context != STAND_IN_APP
    }
    assert told, "no shipped stack deploys an app through the generic image"
    builds = {build.key: build_args(build) for build in image_builds() if build.key in told}
    assert set(builds) == set(told)
    for key, arguments in told.items():
        assert arguments.items() <= builds[key].items(), key


def test_each_image_is_built_on_a_runner_of_its_own_architecture():
    builds = image_builds()
    assert builds, "no pull-request workflow builds an image"
    for build in builds:
        assert build.runner == NATIVE_RUNNERS[build.option("--platform")], build.where


def test_pulumi_up_builds_the_images_on_a_runner_of_the_tasks_architecture():
    workflow = load("deploy.yml")
    stack = action(workflow, "deploy", "pulumi/actions@")["with"]["stack-name"]
    platform = images_of(shipped_stacks()[stack]).platform
    assert workflow["jobs"]["deploy"]["runs-on"] == NATIVE_RUNNERS[platform]


def test_no_workflow_emulates_another_architecture():
    for name, workflow in workflows().items():
        for job in workflow["jobs"].values():
            for step in job.get("steps", []):
                assert not step.get("uses", "").startswith("docker/setup-qemu-action@"), name
                assert "binfmt" not in step.get("run", ""), name


def test_image_builds_push_nothing_and_log_in_nowhere():
    builds = image_builds()
    assert builds
    for build in builds:
        assert "--push" not in build.argv, build.where
        # cacheonly: the build runs and exports nothing (https://docs.docker.com/build/exporters/);
        # or --load: into the runner's own daemon only (the web image nginx is built from)
        exported = build.option("--output", "-o") or ("load" if "--load" in build.argv else None)
        assert exported in ("type=cacheonly", "load"), build.where
    for name, workflow in workflows().items():
        for job_name, job in workflow["jobs"].items():
            if any(build.where == f"{name}:{job_name}" for build in builds):
                text = yaml.safe_dump(job)
                assert "secrets." not in text, f"{name}:{job_name}"
                for login in ("docker/login-action", "amazon-ecr-login", "configure-aws-cred"):
                    assert login not in text, f"{name}:{job_name}"
