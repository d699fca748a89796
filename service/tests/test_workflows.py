"""The shipped workflows know the demo app as its stacks deploy it: Dependabot watches its
manifests, and the pull-request workflows build its web image as `pulumi up` of every stack that
names it would (the platform's test holds them to every other image: tests/test_workflows.py)."""

import pytest

from tests.test_workflow_images import DEMO_CONTEXT, deployed_images, shipped_stacks
from tests.test_workflows import DEMO_DIRECTORY, dependabot_directories, manifest_directories
from tests.workflow_files import image_builds


def the_demos(directories: set[str]) -> set[str]:
    return {d for d in directories if d.split("/")[:2] == DEMO_DIRECTORY.split("/")}


@pytest.mark.parametrize(
    ("ecosystem", "manifests"),
    [("pip", ("**/requirements*.txt",)), ("docker", ("**/Dockerfile*",))],
)
def test_dependabot_watches_the_demos_manifests(ecosystem, manifests):
    found = the_demos(manifest_directories(*manifests))
    assert found == {DEMO_DIRECTORY}
    assert the_demos(dependabot_directories(ecosystem)) == found


def test_pull_requests_build_the_demos_image_as_its_stacks_deploy_it():
    deployed = deployed_images(shipped_stacks(demo_as_stand_in=False))
    expected = {key for key in deployed if key[2] == DEMO_CONTEXT}
    assert expected, "no shipped stack deploys the demo"
    assert {build.key for build in image_builds() if build.key[2] == DEMO_CONTEXT} == expected
